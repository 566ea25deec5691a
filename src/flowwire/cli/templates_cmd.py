"""``flowwire templates``: element templates for Camunda Modeler from the connectors' models.

``flowwire templates export [TYPE...] -o DIR`` writes one JSON template per connector (all
available connectors when no TYPE is given): built-ins, installed packages, and any
``--connector module:function``. ``flowwire templates list`` shows what is available.
"""

from __future__ import annotations

from pathlib import Path

import click

from flowwire.connectors.errors import ConnectorDefinitionError
from flowwire.connectors.sdk import ConnectorRegistry, discover
from flowwire.connectors.templates import export_templates

_connector_option = click.option(
    "--connector",
    "references",
    multiple=True,
    metavar="MODULE:FUNCTION",
    help="Also load this connector (repeatable), e.g. my_pkg.weather:weather.",
)


def _registry(references: tuple[str, ...]) -> ConnectorRegistry:
    try:
        return discover(references)
    except ConnectorDefinitionError as error:
        raise click.ClickException(str(error)) from error


@click.group(name="templates")
def command() -> None:
    """Element templates (Camunda Modeler) for the available connectors."""


@command.command(name="export")
@click.argument("types", nargs=-1)
@click.option(
    "-o",
    "--output",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the templates into (created if missing).",
)
@_connector_option
def export(types: tuple[str, ...], directory: Path, references: tuple[str, ...]) -> None:
    """Write an element template for each connector TYPE (default: every connector)."""
    registry = _registry(references)
    unknown = [t for t in types if t not in registry]
    if unknown:
        raise click.ClickException(
            f"no connector for type {', '.join(repr(t) for t in unknown)}; available: "
            + ", ".join(registry.types())
        )
    chosen = [registry.get(t) for t in types] if types else list(registry)
    written = export_templates([c for c in chosen if c is not None], directory)
    for path, connector in zip(written, [c for c in chosen if c is not None], strict=True):
        click.echo(f"{connector.type}  ->  {path}")


@command.command(name="list")
@_connector_option
def list_connectors(references: tuple[str, ...]) -> None:
    """Show the connectors a template can be exported for."""
    for connector in _registry(references):
        click.echo(f"{connector.type:<32} {connector.name}  ({connector.source})")
