"""``flowwire feel EXPR``: evaluate one FEEL expression and print the result as FEEL text."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click

from flowwire import feel
from flowwire.feel.format import to_feel_text


def _parse_json(text: str, option: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as exc:
        raise click.ClickException(
            f"{option} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            "write strings in double quotes, e.g. --var name='\"Ada\"'"
        ) from None


def _variables(vars_json: str | None, var_items: tuple[str, ...]) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    if vars_json is not None:
        value = _parse_json(vars_json, "--vars")
        if not isinstance(value, dict):
            raise click.ClickException("--vars must be a JSON object, e.g. --vars '{\"x\": 1}'")
        variables.update(value)
    for item in var_items:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise click.ClickException(f"--var expects NAME=JSON, e.g. --var x=5, but got {item!r}")
        variables[name.strip()] = _parse_json(raw, f"--var {name.strip()}")
    return variables


@click.command(name="feel")
@click.argument("expression")
@click.option("--vars", "vars_json", metavar="JSON", help="Variables as one JSON object.")
@click.option(
    "--var",
    "var_items",
    multiple=True,
    metavar="NAME=JSON",
    help="One variable (repeatable), e.g. --var x=5 --var name='\"Ada\"'.",
)
def command(expression: str, vars_json: str | None, var_items: tuple[str, ...]) -> None:
    """Evaluate the FEEL EXPRESSION and print its result as FEEL text.

    Warnings (e.g. a missing variable) go to standard error; a syntax error shows where
    the expression went wrong and exits with status 1.
    """
    variables = _variables(vars_json, var_items)
    try:
        result = feel.evaluate_detailed(expression, variables)
    except feel.FeelSyntaxError as exc:
        click.echo(f"syntax error: {exc}", err=True)
        click.echo(exc.pointer(), err=True)
        raise SystemExit(1) from None
    except feel.FeelError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    for kind, message in result.warnings:
        click.echo(f"warning: {kind}: {message}", err=True)
    click.echo(to_feel_text(result.value))
