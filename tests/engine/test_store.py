"""The embedded store: one SQLite file, WAL, migrations, atomic transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flowwire.store import StoreError, open_store
from flowwire.store.records import DeploymentRecord
from flowwire.store.schema import FIRST_KEY, SCHEMA_VERSION


def test_a_new_store_uses_wal_and_records_its_schema_version(store_path: Path) -> None:
    store = open_store(store_path)
    store.close()
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


def test_keys_increase_across_transactions_and_reopening(store_path: Path) -> None:
    store = open_store(store_path)
    with store.transaction() as tx:
        first, second = tx.next_key(), tx.next_key()
    assert (first, second) == (FIRST_KEY, FIRST_KEY + 1)
    store.close()
    store = open_store(store_path)
    with store.transaction() as tx:
        assert tx.next_key() > second, "a reopened store never hands out a used key"
    store.close()


def test_a_failed_transaction_leaves_nothing_behind(store_path: Path) -> None:
    store = open_store(store_path)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        key = tx.next_key()
        tx.insert_deployment(DeploymentRecord(key, 0))
        raise RuntimeError("crash in the middle of a command")
    with store.transaction() as tx:
        assert tx.next_key() == key, "the rolled back key is handed out again"
    con = sqlite3.connect(store_path)
    assert con.execute("SELECT count(*) FROM deployment").fetchone()[0] == 0
    con.close()
    store.close()


def test_a_read_view_refuses_writes(store_path: Path) -> None:
    store = open_store(store_path)
    with pytest.raises(StoreError, match="read-only"), store.read() as tx:
        tx.insert_deployment(DeploymentRecord(1, 0))
    store.close()


def test_a_store_written_by_a_newer_flowwire_is_refused(store_path: Path) -> None:
    open_store(store_path).close()
    con = sqlite3.connect(store_path)
    con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="upgrade flowwire"):
        open_store(store_path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some text, not SQLite " * 100)
    with pytest.raises(StoreError, match="not a flowwire store"):
        open_store(path)


def test_a_missing_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "flowwire.db")


def test_a_write_refused_by_a_locked_database_leaves_the_store_usable(tmp_path: Path) -> None:
    from flowwire.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "locked.db", busy_timeout_ms=50)
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"), store.transaction():
            pass
        other.execute("ROLLBACK")
        with store.transaction() as tx:
            assert tx.next_key() > 0
    finally:
        other.close()
        store.close()
