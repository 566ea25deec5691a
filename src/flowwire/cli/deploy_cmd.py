"""``flowwire deploy FILE...``: deploy BPMN files into a store, all of them or none."""

from __future__ import annotations

from pathlib import Path

import click

from flowwire.cli._engine_session import engine_session, store_option
from flowwire.engine import DeploymentRejected


def echo_rejection(rejection: DeploymentRejected) -> None:
    """Every problem of every file on its own line: file, XML line, element, what to change."""
    click.echo("nothing was deployed:", err=True)
    for problem in rejection.problems:
        click.echo(f"  {problem}", err=True)


@click.command(name="deploy")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@store_option()
@click.pass_context
def command(ctx: click.Context, files: tuple[Path, ...], store_path: Path) -> None:
    """Deploy BPMN FILES; print each process's id, version and key.

    Deploying identical XML again keeps the existing version. When any file has a problem,
    nothing is deployed and every problem is printed with its line number (exit code 1).
    """
    with engine_session(store_path, must_exist=False) as engine:
        try:
            deployment = engine.deploy([str(path) for path in files])
        except DeploymentRejected as rejection:
            echo_rejection(rejection)
            ctx.exit(1)
    for process in deployment.processes:
        click.echo(
            f"{process.process_id}  version {process.version}  key {process.key}"
            f"  ({process.resource_name})"
        )
