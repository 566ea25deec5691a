"""Durable storage for the engine: an interface (`Store`) and its embedded SQLite backend."""

from __future__ import annotations

from pathlib import Path

from flowwire.store.base import Store, StoreError, StoreTransaction
from flowwire.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "Store", "StoreError", "StoreTransaction", "open_store"]


def open_store(path: str | Path) -> Store:
    """Open (creating or migrating as needed) the store at `path`; ":memory:" for tests.

    The file uses SQLite's WAL mode with `synchronous=NORMAL`: see `flowwire.store.sqlite`.
    """
    return SQLiteStore(path)
