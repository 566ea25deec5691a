"""Entry point of the ``flowwire`` command: a click group whose subcommands live in
one module each (``flowwire.cli.<name>_cmd``), imported only when they run."""

from __future__ import annotations

import importlib

import click

from flowwire import __version__

#: subcommand name -> module holding a click command called ``command``
SUBCOMMANDS: dict[str, str] = {
    "feel": "flowwire.cli.feel_cmd",
    "deploy": "flowwire.cli.deploy_cmd",
    "delete": "flowwire.cli.delete_cmd",
    "run": "flowwire.cli.run_cmd",
    "publish": "flowwire.cli.publish_cmd",
    "instances": "flowwire.cli.instances_cmd",
    "incidents": "flowwire.cli.incidents_cmd",
    "templates": "flowwire.cli.templates_cmd",
    "secrets": "flowwire.cli.secrets_cmd",
    "connectors": "flowwire.cli.connectors_cmd",
    "serve": "flowwire.cli.serve_cmd",
}


class LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = SUBCOMMANDS.get(cmd_name)
        if module is None:
            return None
        command: click.Command = importlib.import_module(module).command
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flowwire")
def main() -> None:
    """flowwire: run BPMN processes modeled for Camunda 8, with Connectors."""


if __name__ == "__main__":
    main()
