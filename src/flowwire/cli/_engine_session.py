"""What the engine-facing commands share: the ``--store`` option and opening an engine on it.

The store is one SQLite file. ``--store`` wins over the ``FLOWWIRE_STORE`` environment variable,
which wins over ``./flowwire.db``, so a shell can point every command at the same file once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from flowwire.engine import Engine
from flowwire.engine.errors import EngineError
from flowwire.store import open_store

STORE_ENV = "FLOWWIRE_STORE"
DEFAULT_STORE = "flowwire.db"

F = TypeVar("F", bound=Callable[..., Any])


def store_option(
    *, default: str | None = DEFAULT_STORE, help_text: str | None = None
) -> Callable[[F], F]:
    """The ``--store PATH`` option, read from ``FLOWWIRE_STORE`` when not given."""
    text = help_text or f"SQLite store file (default: ${STORE_ENV} or ./{DEFAULT_STORE})."
    return click.option(
        "--store",
        "store_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar=STORE_ENV,
        default=default,
        help=text,
    )


@contextmanager
def engine_session(store_path: Path, *, must_exist: bool) -> Iterator[Engine]:
    """An engine on the store at ``store_path``; engine errors become a clean CLI error.

    ``must_exist`` guards the read-only commands against creating an empty store by a typo.
    """
    if must_exist and not store_path.exists():
        raise click.ClickException(
            f"there is no flowwire store at {store_path}: deploy a process first "
            f"(flowwire deploy FILE --store {store_path}) or point --store / ${STORE_ENV} "
            "at an existing store"
        )
    engine = Engine(open_store(str(store_path)))
    try:
        yield engine
    except EngineError as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.close()
