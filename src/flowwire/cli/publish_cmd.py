"""``flowwire publish NAME``: publish a message into a store from a second shell, e.g. to an
instance that ``flowwire run --store`` left waiting at a message catch event."""

from __future__ import annotations

from pathlib import Path

import click

from flowwire.cli._engine_session import engine_session, store_option
from flowwire.cli.run_cmd import parse_variables
from flowwire.engine.clock import millis
from flowwire.engine.timers import TimerValueError, parse_duration


@click.command(name="publish")
@click.argument("name")
@click.option("--key", "correlation_key", default="", metavar="KEY", help="Correlation key.")
@click.option("--vars", "variables_json", metavar="JSON", help="Message variables, a JSON object.")
@click.option(
    "--ttl",
    "time_to_live",
    metavar="DURATION",
    help="Buffer the message this long (ISO 8601, e.g. PT10M) for subscriptions opening later.",
)
@click.option("--message-id", metavar="ID", help="Reject a duplicate while this one is buffered.")
@store_option()
def command(
    name: str,
    correlation_key: str,
    variables_json: str | None,
    time_to_live: str | None,
    message_id: str | None,
    store_path: Path,
) -> None:
    """Publish the message NAME: it correlates to every instance waiting for it with the same
    correlation key and starts processes with a matching message start event."""
    variables = parse_variables(variables_json)
    ttl = 0
    if time_to_live is not None:
        try:
            duration = parse_duration(time_to_live)
        except TimerValueError as error:
            raise click.BadParameter(str(error), param_hint="--ttl") from error
        if duration.months or not duration.is_positive:
            raise click.BadParameter(
                "give a positive time to live in days, hours, minutes or seconds, e.g. PT10M",
                param_hint="--ttl",
            )
        ttl = millis(duration.delta)
    with engine_session(store_path, must_exist=True) as engine:
        key = engine.publish_message(name, correlation_key, variables, ttl, message_id)
        engine.run_until_idle()
    click.echo(f"published message '{name}' with correlation key '{correlation_key}' (key {key})")
