"""The store interface the engine runs on.

The engine never writes SQL: it asks a `Store` for a transaction and calls the methods below.
Each engine command is exactly one `Store.transaction()`; a backend must make everything written
inside it atomic and durable as one unit. The methods are shaped for a multi-node backend too:

- `lock_instance` serializes commands on one instance hierarchy (SQLite: the transaction already
  holds the database write lock; PostgreSQL: `SELECT ... FOR UPDATE` on the root instance row);
- `claim_jobs` hands out jobs whose `due` time has passed (PostgreSQL: `FOR UPDATE SKIP LOCKED`),
  so leases are plain deadlines in the table and need no coordinator;
- `next_key` draws from a store-wide sequence.

Writes come in batches (`insert_*` / `update_*` take lists) because the engine buffers a
command's changes and flushes them once at the end of the step loop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager

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
from flowwire.store.search_query import SearchPage, SearchSpec


class StoreError(Exception):
    """The store could not be opened or used (wrong file, newer schema, I/O failure)."""


class StoreTransaction(ABC):
    """Reads and writes inside one atomic transaction."""

    # -- keys -----------------------------------------------------------------------------
    @abstractmethod
    def next_key(self) -> int:
        """A new int64 key, unique in the store and greater than every key this store object
        handed out before (engines sharing one database draw from interleaved blocks)."""

    # -- deployments and definitions ------------------------------------------------------
    @abstractmethod
    def insert_deployment(self, record: DeploymentRecord) -> None: ...

    @abstractmethod
    def insert_definitions(self, records: Sequence[DefinitionRecord]) -> None: ...

    @abstractmethod
    def definition(self, key: int) -> DefinitionRecord | None:
        """A version by key, deleted or not (instances of a deleted version still run)."""

    @abstractmethod
    def latest_definition(self, process_id: str) -> DefinitionRecord | None:
        """The highest version that is not deleted."""

    @abstractmethod
    def definition_version(self, process_id: str, version: int) -> DefinitionRecord | None:
        """That version, unless it is deleted."""

    @abstractmethod
    def definition_key(self, process_id: str, version: int | None = None) -> int | None:
        """The key of a process version (the latest when `version` is None; deleted versions
        never), without reading its XML: the engine keeps parsed models in memory by key."""

    @abstractmethod
    def highest_version(self, process_id: str) -> int:
        """The highest version ever deployed, deleted ones included (0 if none): version
        numbers are never reused."""

    @abstractmethod
    def mark_definition_deleted(self, key: int, deleted_at: int) -> None:
        """Flag a version deleted (see `DefinitionRecord.deleted_at`)."""

    @abstractmethod
    def definitions(self, process_id: str | None = None) -> list[DefinitionRecord]:
        """All versions that are not deleted (of one process id, or of all), ordered by
        process id and version."""

    # -- process instances ----------------------------------------------------------------
    @abstractmethod
    def lock_instance(self, root_instance_key: int) -> None:
        """Serialize commands on this instance hierarchy until the transaction ends."""

    @abstractmethod
    def instance(self, key: int) -> InstanceRecord | None: ...

    @abstractmethod
    def instances(
        self, state: str | None = None, process_id: str | None = None, limit: int = 1000
    ) -> list[InstanceRecord]:
        """Instances, newest first."""

    @abstractmethod
    def insert_instances(self, records: Sequence[InstanceRecord]) -> None: ...

    @abstractmethod
    def update_instances(self, records: Sequence[InstanceRecord]) -> None: ...

    # -- element instances (live ones only) -----------------------------------------------
    @abstractmethod
    def element_instance(self, key: int) -> ElementInstanceRecord | None: ...

    @abstractmethod
    def element_instances(self, keys: Sequence[int]) -> list[ElementInstanceRecord]:
        """The live element instances among `keys` (one round trip for a scope chain)."""

    @abstractmethod
    def element_instances_in_scope(self, scope_key: int) -> list[ElementInstanceRecord]: ...

    @abstractmethod
    def element_instances_of(self, instance_key: int) -> list[ElementInstanceRecord]: ...

    @abstractmethod
    def insert_element_instances(self, records: Sequence[ElementInstanceRecord]) -> None: ...

    @abstractmethod
    def update_element_instances(self, records: Sequence[ElementInstanceRecord]) -> None: ...

    @abstractmethod
    def delete_element_instances(self, keys: Sequence[int]) -> None: ...

    # -- variables ------------------------------------------------------------------------
    @abstractmethod
    def variables(self, scope_keys: Sequence[int]) -> list[VariableRecord]: ...

    @abstractmethod
    def upsert_variables(self, records: Sequence[VariableRecord]) -> None: ...

    @abstractmethod
    def delete_scope_variables(self, scope_keys: Sequence[int]) -> None: ...

    # -- jobs -----------------------------------------------------------------------------
    @abstractmethod
    def job(self, key: int) -> JobRecord | None: ...

    @abstractmethod
    def jobs(
        self,
        instance_key: int | None = None,
        state: str | None = None,
        job_type: str | None = None,
        limit: int = 1000,
    ) -> list[JobRecord]: ...

    @abstractmethod
    def claim_jobs(self, job_type: str, now: int, limit: int) -> list[JobRecord]:
        """Jobs of this type that can be activated at `now` (ACTIVATABLE or with an expired
        lease, `due <= now`, retries left), oldest first."""

    @abstractmethod
    def insert_jobs(self, records: Sequence[JobRecord]) -> None: ...

    @abstractmethod
    def update_jobs(self, records: Sequence[JobRecord]) -> None: ...

    @abstractmethod
    def delete_jobs(self, keys: Sequence[int]) -> None:
        """Completed and canceled jobs leave the table (their story is in the history)."""

    # -- incidents ------------------------------------------------------------------------
    @abstractmethod
    def incident(self, key: int) -> IncidentRecord | None: ...

    @abstractmethod
    def incidents(
        self, state: str | None = None, instance_key: int | None = None, limit: int = 1000
    ) -> list[IncidentRecord]: ...

    @abstractmethod
    def incidents_of_element(
        self, element_instance_key: int, state: str | None = None
    ) -> list[IncidentRecord]: ...

    @abstractmethod
    def insert_incidents(self, records: Sequence[IncidentRecord]) -> None: ...

    @abstractmethod
    def update_incidents(self, records: Sequence[IncidentRecord]) -> None: ...

    # -- history --------------------------------------------------------------------------
    @abstractmethod
    def append_history(self, records: Iterable[HistoryRecord]) -> None: ...

    @abstractmethod
    def history(self, instance_key: int) -> list[HistoryRecord]:
        """The instance's history in the order it was written, `seq` numbered from 1."""

    # -- event subscriptions, buffered messages, timers -----------------------------------
    @abstractmethod
    def insert_subscriptions(self, records: Sequence[SubscriptionRecord]) -> None: ...

    @abstractmethod
    def delete_subscriptions(self, keys: Sequence[int]) -> None: ...

    @abstractmethod
    def subscriptions(
        self, event_type: str, name: str, correlation_key: str | None = None
    ) -> list[SubscriptionRecord]:
        """Subscriptions to an event, oldest first: for signals all of that name; for
        messages the start-event ones of that name plus those waiting for `correlation_key`."""

    @abstractmethod
    def subscriptions_of(
        self, instance_key: int | None = None, process_id: str | None = None
    ) -> list[SubscriptionRecord]:
        """An instance's subscriptions, or (instance None) the start-event subscriptions of
        a process id (of all processes when that is None too)."""

    @abstractmethod
    def delete_event_waits(self, element_instance_keys: Sequence[int]) -> None:
        """Drop the subscriptions and timers bound to these (ended) element instances."""

    @abstractmethod
    def insert_messages(self, records: Sequence[MessageRecord]) -> None: ...

    @abstractmethod
    def update_messages(self, records: Sequence[MessageRecord]) -> None:
        """Store the `correlated` list of these messages."""

    @abstractmethod
    def delete_messages(self, keys: Sequence[int]) -> None: ...

    @abstractmethod
    def buffered_messages(
        self, name: str, correlation_key: str | None, now: int, message_id: str | None = None
    ) -> list[MessageRecord]:
        """Messages of that name (and correlation key and message id, when given) that have
        not expired at `now`, oldest first."""

    @abstractmethod
    def expire_messages(self, now: int) -> int:
        """Delete the messages whose time to live has run out; returns how many."""

    @abstractmethod
    def insert_timers(self, records: Sequence[TimerRecord]) -> None: ...

    @abstractmethod
    def update_timers(self, records: Sequence[TimerRecord]) -> None:
        """Store `due` and `repetitions` of these timers (a cycle moved on)."""

    @abstractmethod
    def delete_timers(self, keys: Sequence[int]) -> None: ...

    @abstractmethod
    def timer(self, key: int) -> TimerRecord | None: ...

    @abstractmethod
    def due_timers(self, now: int, limit: int) -> list[TimerRecord]:
        """Timers due at `now`, earliest first."""

    @abstractmethod
    def timers_of(
        self, instance_key: int | None = None, process_id: str | None = None
    ) -> list[TimerRecord]:
        """An instance's timers, or (instance None) the timer start events of a process id
        (of all processes when that is None too), earliest first."""

    @abstractmethod
    def next_timer_due(self) -> int | None:
        """When the earliest timer is due (None: no timer)."""

    @abstractmethod
    def message_start_instance(self, process_id: str, correlation_key: str) -> int | None:
        """The ACTIVE instance of the process that a message with this correlation key
        started, if any."""

    @abstractmethod
    def set_message_start_instance(
        self, process_id: str, correlation_key: str, instance_key: int
    ) -> None: ...

    # -- searches (read-only) -------------------------------------------------------------
    @abstractmethod
    def search(self, spec: SearchSpec) -> SearchPage:
        """Count the rows of a search view (`search_query`) that match, and read one page of
        them in order, inside the database: a search never loads every row to show a few."""


class Store(ABC):
    """A durable home for deployments, instances, jobs, incidents and history."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[StoreTransaction]:
        """A write transaction: committed when the block ends, rolled back if it raises."""

    @abstractmethod
    def read(self) -> AbstractContextManager[StoreTransaction]:
        """A consistent read-only view (writes inside it are an error)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def chunks(items: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    """Split long key lists so `IN (...)` stays under the database's parameter limit."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
