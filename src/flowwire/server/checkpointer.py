"""Keeps SQLite's WAL checkpoints small while `flowwire serve` runs.

The store checkpoints its WAL into the database file when the WAL has grown past its limit
(about 1,200 start-to-end instances); that checkpoint fsyncs megabytes and stalls the command
that triggered it, and every request queued behind it, for 100 ms or more. Checkpointing a
fraction of a second's worth of commits at a time costs a few milliseconds instead, and when
it runs between two commands (on the event loop, where the webhook commands run too) the next
commit starts the WAL afresh, so the store's own large checkpoint never comes due.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

log = logging.getLogger("flowwire.server")


class Checkpointer:
    """A second connection to the store's file that runs passive WAL checkpoints."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._con: sqlite3.Connection | None = None

    @classmethod
    def for_store(cls, store: Any) -> Checkpointer | None:
        """One for an SQLite store in a file; None for anything else (memory, PostgreSQL)."""
        path = getattr(store, "path", None)
        if not isinstance(path, str) or path == ":memory:" or not Path(path).is_file():
            return None
        return cls(path)

    def checkpoint(self) -> int:
        """Copy committed WAL frames into the database file without waiting for anyone;
        returns how many frames the WAL held (0 when there was nothing to do)."""
        try:
            if self._con is None:
                self._con = sqlite3.connect(self.path, isolation_level=None, timeout=0.1)
                self._con.execute("PRAGMA synchronous = NORMAL")
            row = self._con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as err:
            log.debug("a WAL checkpoint was skipped: %s", err)
            return 0
        return int(row[1]) if row and row[1] > 0 else 0

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
