"""``flowwire delete``: delete a deployed process version (Camunda's resource deletion)."""

from __future__ import annotations

from pathlib import Path

import click

from flowwire.cli._engine_session import engine_session, store_option


@click.command(name="delete")
@click.argument("key", type=int)
@store_option()
def command(key: int, store_path: Path) -> None:
    """Delete the process version with definition KEY: it starts no new instance and its start
    events stop; instances running on it finish. Deleting the latest version makes the
    previous one the latest again. While `flowwire serve` runs on the store, delete through
    its REST API instead (POST /v2/resources/KEY/deletion), so it sees the change at once."""
    with engine_session(store_path, must_exist=True) as engine:
        deletion = engine.delete_definition(key)
    deleted = deletion.deleted
    click.echo(f"deleted process '{deleted.process_id}' version {deleted.version} (key {key})")
    if deletion.latest is not None:
        latest = deletion.latest
        click.echo(f"the latest version is now {latest.version} (key {latest.key})")
    elif deletion.was_latest:
        click.echo(f"no version of '{deleted.process_id}' is deployed any more")
