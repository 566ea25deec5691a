"""``flowwire incidents``: the incidents in a store, as a table."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from flowwire.cli._display import short_time, table_console
from flowwire.cli._engine_session import engine_session, store_option


@click.command(name="incidents")
@click.option(
    "--state",
    type=click.Choice(("ACTIVE", "RESOLVED", "ALL"), case_sensitive=False),
    default="ACTIVE",
    show_default=True,
    help="Which incidents to list.",
)
@click.option("--instance", "instance_key", type=int, metavar="KEY", help="Only this instance's.")
@store_option()
def command(state: str, instance_key: int | None, store_path: Path) -> None:
    """List incidents: key, instance, element, type, message and when it was raised."""
    wanted = None if state.upper() == "ALL" else state.upper()
    with engine_session(store_path, must_exist=True) as engine:
        incidents = engine.incidents(state=wanted, instance_key=instance_key)
    console = table_console()
    if not incidents:
        console.print("no incidents" + (f" in state {wanted}" if wanted else ""))
        return
    table = Table(title=f"incidents in {store_path}")
    table.add_column("key", justify="right", no_wrap=True)
    table.add_column("instance", justify="right", no_wrap=True)
    table.add_column("element", overflow="fold")
    table.add_column("type", no_wrap=True)
    table.add_column("state", no_wrap=True)
    table.add_column("message", overflow="fold", max_width=80)
    table.add_column("created (UTC)", no_wrap=True)
    for incident in incidents:
        table.add_row(
            str(incident.key),
            str(incident.instance_key),
            incident.element_id,
            incident.error_type,
            incident.state,
            Text(incident.message),
            short_time(incident.created_at),
        )
    console.print(table)
