"""``flowwire deploy FILE...``: deploy BPMN files into a store, all of them or none."""

from __future__ import annotations

from pathlib import Path

import click

from flowwire import bpmn
from flowwire.cli._engine_session import engine_session, store_option


def validation_report(files: list[Path]) -> list[str]:
    """Every problem of every file, one line each, naming the file and the XML line.

    Checked before deploying so that one run shows the problems of all files, not only the first.
    """
    lines: list[str] = []
    for path in files:
        try:
            bpmn.parse(path.read_bytes(), resource_name=path.name)
        except bpmn.BpmnValidationError as error:
            lines.extend(f"{path}: {problem}" for problem in error.problems)
        except bpmn.BpmnError as error:
            lines.append(f"{path}: {error}")
    return lines


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
    problems = validation_report(list(files))
    if problems:
        for line in problems:
            click.echo(line, err=True)
        ctx.exit(1)
    with engine_session(store_path, must_exist=False) as engine:
        try:
            deployment = engine.deploy([str(path) for path in files])
        except bpmn.BpmnError as error:
            click.echo(str(error), err=True)
            ctx.exit(1)
    for process in deployment.processes:
        click.echo(
            f"{process.process_id}  version {process.version}  key {process.key}"
            f"  ({process.resource_name})"
        )
