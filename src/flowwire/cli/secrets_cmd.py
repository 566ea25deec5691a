"""``flowwire secrets``: the local secrets file, values encrypted at rest.

``set NAME [VALUE]`` (prompted without echo when VALUE is left out, or read from standard
input with ``--stdin``), ``list`` (names only, never values), ``delete NAME``, and ``key``
(print a new key for ``$FLOWWIRE_SECRETS_KEY``). The file is ``$FLOWWIRE_SECRETS_FILE`` or
``~/.flowwire/secrets.json``; its key ``$FLOWWIRE_SECRETS_KEY`` or a 0600 key file beside it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from cryptography.fernet import Fernet

from flowwire.connectors.secrets.secret_file import (
    SecretFile,
    SecretFileError,
    check_secret_name,
    default_secrets_path,
)

F = TypeVar("F", bound=Callable[..., Any])


def _file_options(fn: F) -> F:
    fn = click.option(
        "--key-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Key file (default: $FLOWWIRE_SECRETS_KEY_FILE or secrets.key beside the file).",
    )(fn)
    return click.option(
        "--file",
        "secrets_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Secrets file (default: $FLOWWIRE_SECRETS_FILE or ~/.flowwire/secrets.json).",
    )(fn)


def _open(secrets_path: Path | None, key_file: Path | None) -> SecretFile:
    return SecretFile(secrets_path or default_secrets_path(), key_file)


@click.group(name="secrets")
def command() -> None:
    """Manage the local secrets file that connectors read {{secrets.NAME}} from."""


@command.command(name="set")
@click.argument("name")
@click.argument("value", required=False)
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the value from standard input.")
@_file_options
def set_secret(
    name: str,
    value: str | None,
    from_stdin: bool,
    secrets_path: Path | None,
    key_file: Path | None,
) -> None:
    """Store secret NAME (encrypted); prompts for the value when it is not given."""
    try:
        check_secret_name(name)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from error
    if from_stdin:
        value = sys.stdin.read().rstrip("\n")
    elif value is None:
        value = click.prompt(f"value of {name}", hide_input=True, confirmation_prompt=True)
    secrets = _open(secrets_path, key_file)
    try:
        secrets.set(name, value)
    except SecretFileError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"secret '{name}' stored in {secrets.path}")


@command.command(name="list")
@_file_options
def list_secrets(secrets_path: Path | None, key_file: Path | None) -> None:
    """Print the names of the stored secrets (never their values)."""
    try:
        names = _open(secrets_path, key_file).names()
    except SecretFileError as error:
        raise click.ClickException(error.message) from error
    for name in names:
        click.echo(name)


@command.command(name="delete")
@click.argument("name")
@_file_options
def delete_secret(name: str, secrets_path: Path | None, key_file: Path | None) -> None:
    """Remove secret NAME."""
    secrets = _open(secrets_path, key_file)
    try:
        removed = secrets.delete(name)
    except SecretFileError as error:
        raise click.ClickException(error.message) from error
    if not removed:
        raise click.ClickException(f"there is no secret '{name}' in {secrets.path}")
    click.echo(f"secret '{name}' deleted")


@command.command(name="key")
def new_key() -> None:
    """Print a new random key, e.g. for $FLOWWIRE_SECRETS_KEY on a server."""
    click.echo(Fernet.generate_key().decode("ascii"))
