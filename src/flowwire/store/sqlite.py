"""The embedded store: one SQLite file in WAL mode.

Durability: `journal_mode=WAL` with `synchronous=NORMAL`. A commit is atomic and survives a
crash of the process (kill -9) at any point; after a power loss the last few commits may be
rolled back, but the file is never corrupted and each instance is still either before or after
each step. Every write transaction starts with `BEGIN IMMEDIATE`, so two processes sharing the
file queue on the write lock (`busy_timeout`) instead of failing half-way.

The connection is shared by all threads of one engine and guarded by a lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flowwire.store.base import Store, StoreError, StoreTransaction, chunks
from flowwire.store.records import (
    DefinitionRecord,
    DeploymentRecord,
    ElementInstanceRecord,
    HistoryRecord,
    IncidentRecord,
    InstanceRecord,
    JobRecord,
    MessageRecord,
    SubscriptionRecord,
    TimerRecord,
    VariableRecord,
)
from flowwire.store.schema import MIGRATIONS, SCHEMA_VERSION
from flowwire.store.search_query import SearchPage, SearchSpec
from flowwire.store.sqlite_search import register_functions
from flowwire.store.sqlite_search import search as run_search

_dumps_any = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_loads_any = json.loads


def _dumps(value: Any) -> str:
    """Compact JSON; the empty containers most rows hold skip the encoder."""
    if not value:
        if value == {}:
            return "{}"
        if value == () or value == []:
            return "[]"
    return _dumps_any(value)


def _loads(text: str) -> Any:
    if text == "{}":
        return {}
    if text == "[]":
        return []
    return _loads_any(text)


_DEFINITION_COLUMNS = (
    "key, process_id, version, name, resource_name, checksum, xml, deployment_key, deployed_at, "
    "deleted_at"
)
_INSTANCE_COLUMNS = (
    "key, definition_key, process_id, version, state, parent_instance_key, "
    "parent_element_instance_key, root_instance_key, created_at, ended_at"
)
_ELEMENT_COLUMNS = (
    "key, instance_key, element_id, kind, scope_key, path, state, tokens, data, created_at"
)
_JOB_COLUMNS = (
    "key, type, state, retries, due, worker, deadline, instance_key, element_instance_key, "
    "element_id, definition_key, process_id, version, custom_headers, scopes, error_message, "
    "created_at, ended_at"
)
_INCIDENT_COLUMNS = (
    "key, instance_key, element_instance_key, element_id, error_type, message, state, job_key, "
    "created_at, resolved_at"
)


_SUBSCRIPTION_COLUMNS = (
    "key, event_type, name, correlation_key, definition_key, process_id, element_id, "
    "instance_key, element_instance_key, interrupting, created_at"
)
_MESSAGE_COLUMNS = (
    "key, name, correlation_key, variables, message_id, expires_at, correlated, created_at"
)
_TIMER_COLUMNS = (
    "key, due, definition_key, process_id, element_id, instance_key, element_instance_key, "
    "repetitions, cycle_interval, created_at"
)


def _owner_filter(instance_key: int | None, process_id: str | None) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause for the waits of one instance, or else the start events (of one
    process, or of all)."""
    if instance_key is not None:
        return " WHERE instance_key = ?", (instance_key,)
    if process_id is not None:
        return " WHERE instance_key IS NULL AND process_id = ?", (process_id,)
    return " WHERE instance_key IS NULL", ()


def _subscription(row: Sequence[Any]) -> SubscriptionRecord:
    return SubscriptionRecord(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        bool(row[9]),
        row[10],
    )


def _message(row: Sequence[Any]) -> MessageRecord:
    return MessageRecord(
        row[0], row[1], row[2], _loads(row[3]), row[4], row[5], _loads(row[6]), row[7]
    )


def _timer(row: Sequence[Any]) -> TimerRecord:
    return TimerRecord(*row)


def _definition(row: Sequence[Any]) -> DefinitionRecord:
    return DefinitionRecord(
        row[0], row[1], row[2], row[3], row[4], row[5], bytes(row[6]), row[7], row[8], row[9]
    )


def _instance(row: Sequence[Any]) -> InstanceRecord:
    return InstanceRecord(*row)


def _element(row: Sequence[Any]) -> ElementInstanceRecord:
    return ElementInstanceRecord(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        tuple(_loads(row[5])),
        row[6],
        row[7],
        _loads(row[8]),
        row[9],
    )


def _job(row: Sequence[Any]) -> JobRecord:
    return JobRecord(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        row[12],
        _loads(row[13]),
        tuple(_loads(row[14])),
        row[15],
        row[16],
        row[17],
    )


def _incident(row: Sequence[Any]) -> IncidentRecord:
    return IncidentRecord(*row)


def _history_entries(row: Sequence[Any]) -> Iterator[HistoryRecord]:
    """The entries of one stored history batch (one command's entries for one instance)."""
    instance_key, timestamp = row[0], row[1]
    for entry in _loads(row[2]):
        yield HistoryRecord(
            instance_key=instance_key,
            timestamp=timestamp,
            element_instance_key=entry[0],
            scope_key=entry[1],
            element_id=entry[2],
            element_kind=entry[3],
            transition=entry[4],
            details=entry[5] if len(entry) > 5 else None,
        )


#: bytes per database page (SQLite's default is 4096)
PAGE_SIZE = 2048
#: WAL pages after which a commit checkpoints the WAL into the database file
WAL_AUTOCHECKPOINT_PAGES = 10_000

#: keys reserved from the sequence at a time; a crash loses at most one block (a gap)
KEY_BLOCK = 1000


class _KeyBlock:
    """The keys this store reserved in the sequence and has not handed out yet."""

    __slots__ = ("limit", "next")

    def __init__(self) -> None:
        self.next = 0
        self.limit = 0


class SQLiteTransaction(StoreTransaction):
    """One `BEGIN IMMEDIATE` ... `COMMIT` on the store's connection."""

    __slots__ = ("_con", "_keys", "_read_only", "reserved_keys")

    def __init__(self, con: sqlite3.Connection, read_only: bool, keys: _KeyBlock) -> None:
        self._con = con
        self._read_only = read_only
        self._keys = keys
        self.reserved_keys = False

    def _writable(self) -> None:
        if self._read_only:
            raise StoreError("this is a read-only view of the store; use Store.transaction()")

    # -- keys -----------------------------------------------------------------------------
    def next_key(self) -> int:
        """Keys come from blocks reserved in the `key_sequence` row inside the transaction;
        if the transaction rolls back, so does the reservation (the store forgets it)."""
        keys = self._keys
        if keys.next >= keys.limit:
            self._writable()
            row = self._con.execute(
                "UPDATE key_sequence SET next_value = next_value + ? WHERE name = 'key' "
                "RETURNING next_value",
                (KEY_BLOCK,),
            ).fetchone()
            keys.limit = int(row[0])
            keys.next = keys.limit - KEY_BLOCK
            self.reserved_keys = True
        key = keys.next
        keys.next = key + 1
        return key

    # -- deployments and definitions ------------------------------------------------------
    def insert_deployment(self, record: DeploymentRecord) -> None:
        self._writable()
        self._con.execute(
            "INSERT INTO deployment (key, created_at) VALUES (?, ?)",
            (record.key, record.created_at),
        )

    def insert_definitions(self, records: Sequence[DefinitionRecord]) -> None:
        self._writable()
        self._con.executemany(
            f"INSERT INTO process_definition ({_DEFINITION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.key,
                    r.process_id,
                    r.version,
                    r.name,
                    r.resource_name,
                    r.checksum,
                    r.xml,
                    r.deployment_key,
                    r.deployed_at,
                    r.deleted_at,
                )
                for r in records
            ],
        )

    def definition(self, key: int) -> DefinitionRecord | None:
        row = self._con.execute(
            f"SELECT {_DEFINITION_COLUMNS} FROM process_definition WHERE key = ?", (key,)
        ).fetchone()
        return _definition(row) if row else None

    def latest_definition(self, process_id: str) -> DefinitionRecord | None:
        row = self._con.execute(
            f"SELECT {_DEFINITION_COLUMNS} FROM process_definition WHERE process_id = ? "
            "AND deleted_at IS NULL ORDER BY version DESC LIMIT 1",
            (process_id,),
        ).fetchone()
        return _definition(row) if row else None

    def definition_version(self, process_id: str, version: int) -> DefinitionRecord | None:
        row = self._con.execute(
            f"SELECT {_DEFINITION_COLUMNS} FROM process_definition "
            "WHERE process_id = ? AND version = ? AND deleted_at IS NULL",
            (process_id, version),
        ).fetchone()
        return _definition(row) if row else None

    def definition_key(self, process_id: str, version: int | None = None) -> int | None:
        if version is None:
            row = self._con.execute(
                "SELECT key FROM process_definition WHERE process_id = ? "
                "AND deleted_at IS NULL ORDER BY version DESC LIMIT 1",
                (process_id,),
            ).fetchone()
        else:
            row = self._con.execute(
                "SELECT key FROM process_definition WHERE process_id = ? AND version = ? "
                "AND deleted_at IS NULL",
                (process_id, version),
            ).fetchone()
        return int(row[0]) if row else None

    def highest_version(self, process_id: str) -> int:
        row = self._con.execute(
            "SELECT MAX(version) FROM process_definition WHERE process_id = ?", (process_id,)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def mark_definition_deleted(self, key: int, deleted_at: int) -> None:
        self._writable()
        self._con.execute(
            "UPDATE process_definition SET deleted_at = ? WHERE key = ?", (deleted_at, key)
        )

    def definitions(self, process_id: str | None = None) -> list[DefinitionRecord]:
        if process_id is None:
            rows = self._con.execute(
                f"SELECT {_DEFINITION_COLUMNS} FROM process_definition WHERE deleted_at IS NULL "
                "ORDER BY process_id, version"
            )
        else:
            rows = self._con.execute(
                f"SELECT {_DEFINITION_COLUMNS} FROM process_definition WHERE process_id = ? "
                "AND deleted_at IS NULL ORDER BY version",
                (process_id,),
            )
        return [_definition(row) for row in rows]

    # -- process instances ----------------------------------------------------------------
    def lock_instance(self, root_instance_key: int) -> None:
        """Nothing to do: `BEGIN IMMEDIATE` already holds SQLite's single write lock."""

    def instance(self, key: int) -> InstanceRecord | None:
        row = self._con.execute(
            f"SELECT {_INSTANCE_COLUMNS} FROM process_instance WHERE key = ?", (key,)
        ).fetchone()
        return _instance(row) if row else None

    def instances(
        self, state: str | None = None, process_id: str | None = None, limit: int = 1000
    ) -> list[InstanceRecord]:
        where, params = _where(("state", state), ("process_id", process_id))
        rows = self._con.execute(
            f"SELECT {_INSTANCE_COLUMNS} FROM process_instance{where} ORDER BY key DESC LIMIT ?",
            (*params, limit),
        )
        return [_instance(row) for row in rows]

    def insert_instances(self, records: Sequence[InstanceRecord]) -> None:
        self._writable()
        self._con.executemany(
            f"INSERT INTO process_instance ({_INSTANCE_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.key,
                    r.definition_key,
                    r.process_id,
                    r.version,
                    r.state,
                    r.parent_instance_key,
                    r.parent_element_instance_key,
                    r.root_instance_key,
                    r.created_at,
                    r.ended_at,
                )
                for r in records
            ],
        )

    def update_instances(self, records: Sequence[InstanceRecord]) -> None:
        self._writable()
        self._con.executemany(
            "UPDATE process_instance SET state = ?, ended_at = ? WHERE key = ?",
            [(r.state, r.ended_at, r.key) for r in records],
        )

    # -- element instances ----------------------------------------------------------------
    def element_instance(self, key: int) -> ElementInstanceRecord | None:
        row = self._con.execute(
            f"SELECT {_ELEMENT_COLUMNS} FROM element_instance WHERE key = ?", (key,)
        ).fetchone()
        return _element(row) if row else None

    def element_instances(self, keys: Sequence[int]) -> list[ElementInstanceRecord]:
        result: list[ElementInstanceRecord] = []
        for part in chunks(keys):
            marks = ",".join("?" * len(part))
            rows = self._con.execute(
                f"SELECT {_ELEMENT_COLUMNS} FROM element_instance WHERE key IN ({marks})",
                tuple(part),
            )
            result.extend(_element(row) for row in rows)
        return result

    def element_instances_in_scope(self, scope_key: int) -> list[ElementInstanceRecord]:
        rows = self._con.execute(
            f"SELECT {_ELEMENT_COLUMNS} FROM element_instance WHERE scope_key = ? ORDER BY key",
            (scope_key,),
        )
        return [_element(row) for row in rows]

    def element_instances_of(self, instance_key: int) -> list[ElementInstanceRecord]:
        rows = self._con.execute(
            f"SELECT {_ELEMENT_COLUMNS} FROM element_instance WHERE instance_key = ? ORDER BY key",
            (instance_key,),
        )
        return [_element(row) for row in rows]

    def insert_element_instances(self, records: Sequence[ElementInstanceRecord]) -> None:
        self._writable()
        self._con.executemany(
            f"INSERT INTO element_instance ({_ELEMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.key,
                    r.instance_key,
                    r.element_id,
                    r.kind,
                    r.scope_key,
                    _dumps(r.path),
                    r.state,
                    r.tokens,
                    _dumps(r.data),
                    r.created_at,
                )
                for r in records
            ],
        )

    def update_element_instances(self, records: Sequence[ElementInstanceRecord]) -> None:
        self._writable()
        self._con.executemany(
            "UPDATE element_instance SET state = ?, tokens = ?, data = ? WHERE key = ?",
            [(r.state, r.tokens, _dumps(r.data), r.key) for r in records],
        )

    def delete_element_instances(self, keys: Sequence[int]) -> None:
        self._writable()
        self._con.executemany("DELETE FROM element_instance WHERE key = ?", [(k,) for k in keys])

    # -- variables ------------------------------------------------------------------------
    def variables(self, scope_keys: Sequence[int]) -> list[VariableRecord]:
        result: list[VariableRecord] = []
        for part in chunks(scope_keys):
            marks = ",".join("?" * len(part))
            rows = self._con.execute(
                "SELECT scope_key, name, instance_key, value, updated_at FROM variable "
                f"WHERE scope_key IN ({marks})",
                tuple(part),
            )
            result.extend(VariableRecord(*row) for row in rows)
        return result

    def upsert_variables(self, records: Sequence[VariableRecord]) -> None:
        self._writable()
        self._con.executemany(
            "INSERT INTO variable (scope_key, name, instance_key, value, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope_key, name) "
            "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            [(r.scope_key, r.name, r.instance_key, r.value, r.updated_at) for r in records],
        )

    def delete_scope_variables(self, scope_keys: Sequence[int]) -> None:
        self._writable()
        self._con.executemany(
            "DELETE FROM variable WHERE scope_key = ?", [(k,) for k in scope_keys]
        )

    # -- jobs -----------------------------------------------------------------------------
    def job(self, key: int) -> JobRecord | None:
        row = self._con.execute(f"SELECT {_JOB_COLUMNS} FROM job WHERE key = ?", (key,)).fetchone()
        return _job(row) if row else None

    def jobs(
        self,
        instance_key: int | None = None,
        state: str | None = None,
        job_type: str | None = None,
        limit: int = 1000,
    ) -> list[JobRecord]:
        where, params = _where(("instance_key", instance_key), ("state", state), ("type", job_type))
        rows = self._con.execute(
            f"SELECT {_JOB_COLUMNS} FROM job{where} ORDER BY key LIMIT ?", (*params, limit)
        )
        return [_job(row) for row in rows]

    def claim_jobs(self, job_type: str, now: int, limit: int) -> list[JobRecord]:
        rows = self._con.execute(
            f"SELECT {_JOB_COLUMNS} FROM job WHERE type = ? "
            "AND state IN ('ACTIVATABLE', 'ACTIVATED') AND due <= ? AND retries > 0 "
            "ORDER BY due, key LIMIT ?",
            (job_type, now, limit),
        )
        return [_job(row) for row in rows]

    def insert_jobs(self, records: Sequence[JobRecord]) -> None:
        self._writable()
        self._con.executemany(
            f"INSERT INTO job ({_JOB_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.key,
                    r.type,
                    r.state,
                    r.retries,
                    r.due,
                    r.worker,
                    r.deadline,
                    r.instance_key,
                    r.element_instance_key,
                    r.element_id,
                    r.definition_key,
                    r.process_id,
                    r.version,
                    _dumps(r.custom_headers),
                    _dumps(r.scopes),
                    r.error_message,
                    r.created_at,
                    r.ended_at,
                )
                for r in records
            ],
        )

    def delete_jobs(self, keys: Sequence[int]) -> None:
        self._writable()
        self._con.executemany("DELETE FROM job WHERE key = ?", [(k,) for k in keys])

    def update_jobs(self, records: Sequence[JobRecord]) -> None:
        self._writable()
        self._con.executemany(
            "UPDATE job SET state = ?, retries = ?, due = ?, worker = ?, deadline = ?, "
            "error_message = ?, ended_at = ? WHERE key = ?",
            [
                (
                    r.state,
                    r.retries,
                    r.due,
                    r.worker,
                    r.deadline,
                    r.error_message,
                    r.ended_at,
                    r.key,
                )
                for r in records
            ],
        )

    # -- incidents ------------------------------------------------------------------------
    def incident(self, key: int) -> IncidentRecord | None:
        row = self._con.execute(
            f"SELECT {_INCIDENT_COLUMNS} FROM incident WHERE key = ?", (key,)
        ).fetchone()
        return _incident(row) if row else None

    def incidents(
        self, state: str | None = None, instance_key: int | None = None, limit: int = 1000
    ) -> list[IncidentRecord]:
        where, params = _where(("state", state), ("instance_key", instance_key))
        rows = self._con.execute(
            f"SELECT {_INCIDENT_COLUMNS} FROM incident{where} ORDER BY key LIMIT ?",
            (*params, limit),
        )
        return [_incident(row) for row in rows]

    def incidents_of_element(
        self, element_instance_key: int, state: str | None = None
    ) -> list[IncidentRecord]:
        where, params = _where(("element_instance_key", element_instance_key), ("state", state))
        rows = self._con.execute(
            f"SELECT {_INCIDENT_COLUMNS} FROM incident{where} ORDER BY key", params
        )
        return [_incident(row) for row in rows]

    def insert_incidents(self, records: Sequence[IncidentRecord]) -> None:
        self._writable()
        self._con.executemany(
            f"INSERT INTO incident ({_INCIDENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.key,
                    r.instance_key,
                    r.element_instance_key,
                    r.element_id,
                    r.error_type,
                    r.message,
                    r.state,
                    r.job_key,
                    r.created_at,
                    r.resolved_at,
                )
                for r in records
            ],
        )

    def update_incidents(self, records: Sequence[IncidentRecord]) -> None:
        self._writable()
        self._con.executemany(
            "UPDATE incident SET state = ?, resolved_at = ? WHERE key = ?",
            [(r.state, r.resolved_at, r.key) for r in records],
        )

    # -- history --------------------------------------------------------------------------
    def append_history(self, records: Iterable[HistoryRecord]) -> None:
        """Entries are stored as one row per instance and command (a JSON list), which keeps
        a command's history to one insert; the order of the entries is kept."""
        self._writable()
        batches: dict[tuple[int, int], list[list[Any]]] = {}
        for r in records:
            entry: list[Any] = [
                r.element_instance_key,
                r.scope_key,
                r.element_id,
                r.element_kind,
                r.transition,
            ]
            if r.details is not None:
                entry.append(r.details)
            batches.setdefault((r.instance_key, r.timestamp), []).append(entry)
        self._con.executemany(
            "INSERT INTO history (instance_key, seq, timestamp, entries) VALUES (?, ?, ?, ?)",
            [
                (key, self.next_key(), timestamp, _dumps(entries))
                for (key, timestamp), entries in batches.items()
            ],
        )

    def history(self, instance_key: int) -> list[HistoryRecord]:
        rows = self._con.execute(
            "SELECT instance_key, timestamp, entries FROM history WHERE instance_key = ? "
            "ORDER BY seq",
            (instance_key,),
        )
        result = [entry for row in rows for entry in _history_entries(row)]
        for number, entry in enumerate(result, 1):
            entry.seq = number
        return result

    # -- event subscriptions, buffered messages, timers -----------------------------------
    def insert_subscriptions(self, records: Sequence[SubscriptionRecord]) -> None:
        self._writable()
        self._con.executemany(
            f"INSERT INTO event_subscription ({_SUBSCRIPTION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.key,
                    r.event_type,
                    r.name,
                    r.correlation_key,
                    r.definition_key,
                    r.process_id,
                    r.element_id,
                    r.instance_key,
                    r.element_instance_key,
                    int(r.interrupting),
                    r.created_at,
                )
                for r in records
            ],
        )

    def delete_subscriptions(self, keys: Sequence[int]) -> None:
        self._writable()
        self._con.executemany("DELETE FROM event_subscription WHERE key = ?", [(k,) for k in keys])

    def subscriptions(
        self, event_type: str, name: str, correlation_key: str | None = None
    ) -> list[SubscriptionRecord]:
        if correlation_key is None:
            rows = self._con.execute(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM event_subscription "
                "WHERE event_type = ? AND name = ? ORDER BY key",
                (event_type, name),
            )
        else:
            rows = self._con.execute(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM event_subscription "
                "WHERE event_type = ? AND name = ? "
                "AND (correlation_key = ? OR instance_key IS NULL) ORDER BY key",
                (event_type, name, correlation_key),
            )
        return [_subscription(row) for row in rows]

    def subscriptions_of(
        self, instance_key: int | None = None, process_id: str | None = None
    ) -> list[SubscriptionRecord]:
        where, params = _owner_filter(instance_key, process_id)
        rows = self._con.execute(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM event_subscription{where} ORDER BY key", params
        )
        return [_subscription(row) for row in rows]

    def delete_event_waits(self, element_instance_keys: Sequence[int]) -> None:
        self._writable()
        keys = [(k,) for k in element_instance_keys]
        self._con.executemany("DELETE FROM event_subscription WHERE element_instance_key = ?", keys)
        self._con.executemany("DELETE FROM timer WHERE element_instance_key = ?", keys)

    def insert_messages(self, records: Sequence[MessageRecord]) -> None:
        self._writable()
        self._con.executemany(
            f"INSERT INTO message ({_MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.key,
                    r.name,
                    r.correlation_key,
                    _dumps(r.variables),
                    r.message_id,
                    r.expires_at,
                    _dumps(r.correlated),
                    r.created_at,
                )
                for r in records
            ],
        )

    def update_messages(self, records: Sequence[MessageRecord]) -> None:
        self._writable()
        self._con.executemany(
            "UPDATE message SET correlated = ? WHERE key = ?",
            [(_dumps(r.correlated), r.key) for r in records],
        )

    def delete_messages(self, keys: Sequence[int]) -> None:
        self._writable()
        self._con.executemany("DELETE FROM message WHERE key = ?", [(k,) for k in keys])

    def buffered_messages(
        self, name: str, correlation_key: str | None, now: int, message_id: str | None = None
    ) -> list[MessageRecord]:
        where, params = _where(
            ("name", name), ("correlation_key", correlation_key), ("message_id", message_id)
        )
        rows = self._con.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM message{where} AND expires_at > ? ORDER BY key",
            (*params, now),
        )
        return [_message(row) for row in rows]

    def expire_messages(self, now: int) -> int:
        self._writable()
        return self._con.execute("DELETE FROM message WHERE expires_at <= ?", (now,)).rowcount

    def insert_timers(self, records: Sequence[TimerRecord]) -> None:
        self._writable()
        self._con.executemany(
            f"INSERT INTO timer ({_TIMER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.key,
                    r.due,
                    r.definition_key,
                    r.process_id,
                    r.element_id,
                    r.instance_key,
                    r.element_instance_key,
                    r.repetitions,
                    r.cycle_interval,
                    r.created_at,
                )
                for r in records
            ],
        )

    def update_timers(self, records: Sequence[TimerRecord]) -> None:
        self._writable()
        self._con.executemany(
            "UPDATE timer SET due = ?, repetitions = ? WHERE key = ?",
            [(r.due, r.repetitions, r.key) for r in records],
        )

    def delete_timers(self, keys: Sequence[int]) -> None:
        self._writable()
        self._con.executemany("DELETE FROM timer WHERE key = ?", [(k,) for k in keys])

    def timer(self, key: int) -> TimerRecord | None:
        row = self._con.execute(
            f"SELECT {_TIMER_COLUMNS} FROM timer WHERE key = ?", (key,)
        ).fetchone()
        return _timer(row) if row else None

    def due_timers(self, now: int, limit: int) -> list[TimerRecord]:
        rows = self._con.execute(
            f"SELECT {_TIMER_COLUMNS} FROM timer WHERE due <= ? ORDER BY due, key LIMIT ?",
            (now, limit),
        )
        return [_timer(row) for row in rows]

    def timers_of(
        self, instance_key: int | None = None, process_id: str | None = None
    ) -> list[TimerRecord]:
        where, params = _owner_filter(instance_key, process_id)
        rows = self._con.execute(
            f"SELECT {_TIMER_COLUMNS} FROM timer{where} ORDER BY due, key", params
        )
        return [_timer(row) for row in rows]

    def next_timer_due(self) -> int | None:
        row = self._con.execute("SELECT MIN(due) FROM timer").fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def message_start_instance(self, process_id: str, correlation_key: str) -> int | None:
        row = self._con.execute(
            "SELECT m.instance_key FROM message_start m JOIN process_instance p "
            "ON p.key = m.instance_key WHERE m.process_id = ? AND m.correlation_key = ? "
            "AND p.state = 'ACTIVE'",
            (process_id, correlation_key),
        ).fetchone()
        return int(row[0]) if row else None

    def set_message_start_instance(
        self, process_id: str, correlation_key: str, instance_key: int
    ) -> None:
        self._writable()
        self._con.execute(
            "INSERT INTO message_start (process_id, correlation_key, instance_key) "
            "VALUES (?, ?, ?) ON CONFLICT (process_id, correlation_key) "
            "DO UPDATE SET instance_key = excluded.instance_key",
            (process_id, correlation_key, instance_key),
        )

    # -- searches -------------------------------------------------------------------------
    def search(self, spec: SearchSpec) -> SearchPage:
        return run_search(self._con, spec)


def _where(*conditions: tuple[str, object]) -> tuple[str, tuple[object, ...]]:
    """A WHERE clause for the (column, value) pairs whose value is not None."""
    used = [(column, value) for column, value in conditions if value is not None]
    if not used:
        return "", ()
    clause = " WHERE " + " AND ".join(f"{column} = ?" for column, _ in used)
    return clause, tuple(value for _, value in used)


class SQLiteStore(Store):
    """The default store. `path` is a file name, or ":memory:" for a throw-away store."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = 10_000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.is_dir():
                raise StoreError(
                    f"cannot create the store {self.path}: the directory {parent} does not exist"
                )
        try:
            con = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=busy_timeout_ms / 1000,
                cached_statements=256,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        register_functions(con)
        self._con = con
        self._lock = threading.RLock()
        self._in_transaction = False
        self._keys = _KeyBlock()
        try:
            con.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            # small pages: a commit writes every page it touched to the WAL, and a command
            # touches a few rows in many tables (only takes effect for a new file)
            con.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            if self.path != ":memory:":
                mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(f"the store {self.path} cannot use WAL mode (got {mode})")
            con.execute("PRAGMA synchronous = NORMAL")
            # checkpoints fsync; doing them every ~20 MB of WAL instead of every 4 MB saves
            # most of that cost without growing the WAL file without bound
            con.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            con.execute(f"PRAGMA journal_size_limit = {64 * 1024 * 1024}")
            con.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            con.close()
            raise StoreError(f"{self.path} is not a flowwire store: {exc}") from exc
        except BaseException:
            con.close()
            raise

    def _migrate(self) -> None:
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = con.execute("SELECT version FROM schema_version").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the store {self.path} has schema version {version}, but this flowwire "
                    f"knows only up to {SCHEMA_VERSION}: upgrade flowwire to open it"
                )
            for script in MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        con.execute(statement)
            if row is None:
                con.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            elif version != SCHEMA_VERSION:
                con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._con.execute("SELECT version FROM schema_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        with self._lock:
            self._enter()
            con = self._con
            try:
                # inside the try: a BEGIN refused by a locked database must not leave this
                # store believing a transaction is open, or every later command would fail
                con.execute("BEGIN IMMEDIATE")
                tx = SQLiteTransaction(con, read_only=False, keys=self._keys)
                try:
                    yield tx
                    con.execute("COMMIT")
                except BaseException:
                    if con.in_transaction:
                        con.execute("ROLLBACK")
                    if tx.reserved_keys:
                        self._keys.next = self._keys.limit = 0
                    raise
            finally:
                self._in_transaction = False

    @contextmanager
    def read(self) -> Iterator[StoreTransaction]:
        with self._lock:
            self._enter()
            con = self._con
            try:
                con.execute("BEGIN")
                yield SQLiteTransaction(con, read_only=True, keys=self._keys)
            finally:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                self._in_transaction = False

    def _enter(self) -> None:
        if self._in_transaction:
            raise StoreError("a store transaction is already open on this thread")
        if self._con is None:
            raise StoreError(f"the store {self.path} is closed")
        self._in_transaction = True

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"
