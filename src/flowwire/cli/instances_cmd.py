"""``flowwire instances``: the process instances in a store, as a table."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from flowwire.cli._display import short_time, table_console
from flowwire.cli._engine_session import engine_session, store_option

STATES = ("ACTIVE", "COMPLETED", "TERMINATED")


@click.command(name="instances")
@click.option(
    "--state",
    type=click.Choice(STATES, case_sensitive=False),
    help="Only instances in this state.",
)
@click.option("--process", "process_id", metavar="ID", help="Only instances of this process.")
@store_option()
def command(state: str | None, process_id: str | None, store_path: Path) -> None:
    """List process instances: key, process, version, state, incidents, start and end."""
    with engine_session(store_path, must_exist=True) as engine:
        instances = engine.instances(state=state.upper() if state else None, process_id=process_id)
        open_incidents: dict[int, int] = {}
        for incident in engine.incidents(state="ACTIVE"):
            key = incident.instance_key
            open_incidents[key] = open_incidents.get(key, 0) + 1
    console = table_console()
    if not instances:
        console.print("no process instances" + (f" in state {state.upper()}" if state else ""))
        return
    table = Table(title=f"process instances in {store_path}")
    table.add_column("key", justify="right", no_wrap=True)
    table.add_column("process", overflow="fold")
    table.add_column("version", justify="right")
    table.add_column("state", no_wrap=True)
    table.add_column("incidents", justify="right")
    table.add_column("started (UTC)", no_wrap=True)
    table.add_column("ended (UTC)", no_wrap=True)
    for instance in instances:
        incidents = open_incidents.get(instance.key, 0)
        table.add_row(
            str(instance.key),
            instance.process_id,
            str(instance.version),
            instance.state,
            f"[red]{incidents}[/red]" if incidents else "",
            short_time(instance.created_at),
            short_time(instance.ended_at),
        )
    console.print(table)
