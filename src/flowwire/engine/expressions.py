"""FEEL evaluation for the engine: compile once, evaluate with the command's clock, and turn
every way an expression can disappoint into a `StepFailure` a user can act on."""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from flowwire import feel
from flowwire.bpmn.expressions import expression_body, is_expression
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.feel.values import Range, YearsMonthsDuration

Clock = Callable[[], _dt.datetime]

log = logging.getLogger("flowwire.engine")


def evaluate(
    text: str,
    variables: Mapping[str, Any],
    clock: Clock,
    error_type: ErrorType,
) -> tuple[Any, list[tuple[str, str]]]:
    """Evaluate an expression attribute; returns (value, warnings). As in Zeebe, text that
    does not start with "=" is a static string (e.g. an input mapping `source="GET"`). Raises
    StepFailure when the FEEL cannot be compiled or its evaluation is aborted (assert,
    resource limits)."""
    if not is_expression(text):
        return text, []
    body = expression_body(text)
    try:
        compiled = feel.compile(body)
    except feel.FeelError as exc:
        raise StepFailure(error_type, f"the expression '{body}' is not valid FEEL: {exc}") from None
    try:
        result = compiled.evaluate_detailed(variables, clock=clock)
    except feel.FeelError as exc:
        raise StepFailure(
            error_type, f"failed to evaluate the expression '{body}': {exc}"
        ) from None
    return result.value, list(result.warnings)


def warnings_text(warnings: Sequence[tuple[str, str]]) -> str:
    """The evaluation warnings as one sentence for an incident message ("" when none)."""
    if not warnings:
        return ""
    return " Warnings: " + "; ".join(f"[{kind}] {message}" for kind, message in warnings)


def type_name(value: Any) -> str:
    """The FEEL type of a value, in Camunda's incident wording (STRING, NUMBER, NULL...)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, (int, float, Decimal)):
        return "NUMBER"
    if isinstance(value, list):
        return "ARRAY"
    if isinstance(value, Mapping):
        return "OBJECT"
    if isinstance(value, _dt.datetime):
        return "DATE_TIME"
    if isinstance(value, _dt.date):
        return "DATE"
    if isinstance(value, _dt.time):
        return "TIME"
    if isinstance(value, (_dt.timedelta, YearsMonthsDuration)):
        return "DURATION"
    if isinstance(value, Range):
        return "RANGE"
    return "FUNCTION"


def expect(
    text: str,
    variables: Mapping[str, Any],
    clock: Clock,
    expected: str,
    error_type: ErrorType = ErrorType.EXTRACT_VALUE_ERROR,
) -> Any:
    """Evaluate and require a result of FEEL type `expected` (STRING, NUMBER, ...)."""
    value, warnings = evaluate(text, variables, clock, error_type)
    if type_name(value) != expected:
        raise StepFailure(
            error_type,
            f"Expected result of the expression '{expression_body(text)}' to be '{expected}', "
            f"but was '{type_name(value)}'.{warnings_text(warnings)}",
        )
    return value


def static_or_evaluated(
    text: str,
    variables: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
    clock: Clock,
    expected: str,
) -> Any:
    """An attribute that is static text or "=FEEL": the text, or the evaluated value of the
    expected type. `variables` may be a function, so static text never loads variables."""
    if not is_expression(text):
        return text
    scope = variables() if callable(variables) else variables
    return expect(text, scope, clock, expected)
