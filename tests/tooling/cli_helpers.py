"""Running the ``flowwire`` command in-process, as the tests of the CLI do."""

from __future__ import annotations

from collections.abc import Mapping

from click.testing import CliRunner, Result

from flowwire.cli.main import main


def flowwire(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """Runs ``flowwire ARGS...``; FLOWWIRE_STORE is unset unless ``env`` sets it."""
    environment: dict[str, str | None] = {"FLOWWIRE_STORE": None}
    environment.update(env or {})
    return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)
