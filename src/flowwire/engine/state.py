"""The state one command works on: loaded lazily, changed in memory, written once.

A `UnitOfWork` lives for exactly one store transaction. It keeps an identity map of the rows
the command touched (instances, element instances, jobs, incidents), buffers history, and
`flush()` writes all changes in a handful of batched statements at the end. An element instance
that starts and ends inside one command (a gateway, a start event) never reaches the table;
its trace is in the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flowwire.engine.models import DeployedProcess, ModelCache
from flowwire.engine.subscriptions import WAITS, EventWaits
from flowwire.engine.variables import Variables
from flowwire.store.base import StoreTransaction
from flowwire.store.records import (
    ElementInstanceRecord,
    ElementState,
    HistoryRecord,
    IncidentRecord,
    InstanceRecord,
    JobRecord,
    JobState,
)

ENDED = frozenset({ElementState.COMPLETED, ElementState.TERMINATED})
_FINISHED_JOBS = frozenset({JobState.COMPLETED, JobState.CANCELED})


class UnitOfWork:
    """Identity maps and write buffers for one transaction."""

    def __init__(
        self, tx: StoreTransaction, models: ModelCache, now: int, now_datetime: datetime
    ) -> None:
        self.tx = tx
        self.models = models
        self.now = now
        self.now_datetime = now_datetime
        self.elements: dict[int, ElementInstanceRecord] = {}
        self._new_elements: dict[int, ElementInstanceRecord] = {}
        self._dirty_elements: set[int] = set()
        self._deleted_elements: list[int] = []
        self.instances: dict[int, InstanceRecord] = {}
        self._new_instances: list[InstanceRecord] = []
        self._dirty_instances: set[int] = set()
        self.jobs: dict[int, JobRecord] = {}
        self._new_jobs: list[JobRecord] = []
        self._dirty_jobs: set[int] = set()
        self.incidents: dict[int, IncidentRecord] = {}
        self._new_incidents: list[IncidentRecord] = []
        self._dirty_incidents: set[int] = set()
        self.history: list[HistoryRecord] = []
        self.variables = Variables(self)
        self.waits = EventWaits(self)

    def clock(self) -> datetime:
        """The command's time, for FEEL's now() and today()."""
        return self.now_datetime

    def next_key(self) -> int:
        return self.tx.next_key()

    def model(self, definition_key: int) -> DeployedProcess:
        deployed = self.models.get(self.tx, definition_key)
        if deployed is None:
            raise LookupError(f"process definition {definition_key} is missing from the store")
        return deployed

    def model_of(self, record: ElementInstanceRecord) -> DeployedProcess:
        """The deployed process an element instance belongs to."""
        instance = self.instance(record.instance_key)
        if instance is None:
            raise LookupError(f"process instance {record.instance_key} is missing from the store")
        return self.model(instance.definition_key)

    # -- process instances ----------------------------------------------------------------
    def instance(self, key: int) -> InstanceRecord | None:
        record = self.instances.get(key)
        if record is None:
            record = self.tx.instance(key)
            if record is not None:
                self.instances[key] = record
        return record

    def lock(self, instance_key: int) -> None:
        """Serialize this command with others on the same instance hierarchy (a no-op on
        SQLite, row locks on a shared database)."""
        instance = self.instance(instance_key)
        self.tx.lock_instance(instance.root_instance_key if instance else instance_key)

    def add_instance(self, record: InstanceRecord) -> None:
        self.instances[record.key] = record
        self._new_instances.append(record)

    def instance_changed(self, record: InstanceRecord) -> None:
        self._dirty_instances.add(record.key)

    # -- element instances ----------------------------------------------------------------
    def element(self, key: int) -> ElementInstanceRecord | None:
        """A live (or ended in this command) element instance, or None."""
        record = self.elements.get(key)
        if record is None:
            record = self.tx.element_instance(key)
            if record is not None:
                self.elements[key] = record
        return record

    def preload_elements(self, keys: Sequence[int]) -> None:
        """Load several element instances (e.g. a job's scope chain) in one query."""
        missing = [k for k in keys if k not in self.elements]
        if len(missing) > 1:
            for row in self.tx.element_instances(missing):
                self.elements.setdefault(row.key, row)

    def new_element(
        self,
        element_id: str,
        kind: str,
        instance_key: int,
        scope: ElementInstanceRecord | None,
        key: int | None = None,
    ) -> ElementInstanceRecord:
        if key is None:
            key = self.tx.next_key()
        if scope is None:
            path: tuple[int, ...] = ()
            scope_key = None
        else:
            path = (*scope.path, scope.key)
            scope_key = scope.key
        record = ElementInstanceRecord(
            key,
            instance_key,
            element_id,
            kind,
            scope_key,
            path,
            ElementState.ACTIVATING,
            0,
            {},
            self.now,
        )
        self.elements[key] = record
        self._new_elements[key] = record
        self.variables.new_scope(key)
        return record

    def changed(self, record: ElementInstanceRecord) -> None:
        """Mark an element instance for writing (state, tokens or data changed)."""
        self._dirty_elements.add(record.key)

    def ended(self, record: ElementInstanceRecord, state: ElementState) -> None:
        """The element instance completed or terminated: it leaves the live table, and its
        local variables go with it (the process instance keeps its variables)."""
        record.state = state
        persisted = record.key not in self._new_elements
        if persisted:
            self._deleted_elements.append(record.key)
        else:
            del self._new_elements[record.key]
        if record.scope_key is not None:
            self.variables.drop_scope(record.key, persisted=persisted)
        self._dirty_elements.discard(record.key)
        if record.data.get(WAITS):
            self.waits.element_ended(record.key)

    def children(self, scope_key: int) -> list[ElementInstanceRecord]:
        """The live element instances directly inside a scope, oldest first."""
        result: dict[int, ElementInstanceRecord] = {}
        for row in self.tx.element_instances_in_scope(scope_key):
            known = self.elements.get(row.key)
            if known is None:
                self.elements[row.key] = row
                known = row
            result[row.key] = known
        for key, record in self._new_elements.items():
            if record.scope_key == scope_key:
                result[key] = record
        return [r for _, r in sorted(result.items()) if r.state not in ENDED]

    # -- jobs and incidents ---------------------------------------------------------------
    def job(self, key: int) -> JobRecord | None:
        record = self.jobs.get(key)
        if record is None:
            record = self.tx.job(key)
            if record is not None:
                self.jobs[key] = record
        return record

    def add_job(self, record: JobRecord) -> None:
        self.jobs[record.key] = record
        self._new_jobs.append(record)

    def job_changed(self, record: JobRecord) -> None:
        self._dirty_jobs.add(record.key)

    def incident(self, key: int) -> IncidentRecord | None:
        record = self.incidents.get(key)
        if record is None:
            record = self.tx.incident(key)
            if record is not None:
                self.incidents[key] = record
        return record

    def add_incident(self, record: IncidentRecord) -> None:
        self.incidents[record.key] = record
        self._new_incidents.append(record)

    def incident_changed(self, record: IncidentRecord) -> None:
        self._dirty_incidents.add(record.key)

    def open_incidents_of(self, element_instance_key: int) -> list[IncidentRecord]:
        found = {i.key: i for i in self.tx.incidents_of_element(element_instance_key, "ACTIVE")}
        for incident in self.incidents.values():
            if incident.element_instance_key == element_instance_key:
                found[incident.key] = incident
        result = []
        for key in sorted(found):
            record = self.incidents.setdefault(key, found[key])
            if record.state == "ACTIVE":
                result.append(record)
        return result

    # -- history --------------------------------------------------------------------------
    def record(
        self,
        record: ElementInstanceRecord,
        transition: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Append a history entry about an element instance."""
        self.history.append(
            HistoryRecord(
                record.instance_key,
                self.now,
                record.key,
                record.scope_key,
                record.element_id,
                record.kind,
                transition,
                details,
            )
        )

    def record_flow(self, scope: ElementInstanceRecord, flow_id: str) -> None:
        self.history.append(
            HistoryRecord(
                scope.instance_key,
                self.now,
                None,
                scope.key,
                flow_id,
                "sequenceFlow",
                "TAKEN",
                None,
            )
        )

    def created_job_types(self) -> frozenset[str]:
        """The types of the jobs this unit of work created that are still open."""
        return frozenset(j.type for j in self._new_jobs if j.state not in _FINISHED_JOBS)

    # -- writing --------------------------------------------------------------------------
    def flush(self) -> None:
        tx = self.tx
        if self._new_instances:
            tx.insert_instances(self._new_instances)
        new_keys = {r.key for r in self._new_instances}
        dirty = [self.instances[k] for k in self._dirty_instances if k not in new_keys]
        if dirty:
            tx.update_instances(dirty)
        if self._new_elements:
            tx.insert_element_instances(list(self._new_elements.values()))
        changed = [self.elements[k] for k in self._dirty_elements if k not in self._new_elements]
        if changed:
            tx.update_element_instances(changed)
        if self._deleted_elements:
            tx.delete_element_instances(self._deleted_elements)
        self.variables.flush(tx)
        new_jobs = {j.key for j in self._new_jobs}
        inserted = [j for j in self._new_jobs if j.state not in _FINISHED_JOBS]
        if inserted:
            tx.insert_jobs(inserted)
        changed_jobs = [self.jobs[k] for k in self._dirty_jobs if k not in new_jobs]
        finished = [j.key for j in changed_jobs if j.state in _FINISHED_JOBS]
        if finished:
            tx.delete_jobs(finished)
        updated = [j for j in changed_jobs if j.state not in _FINISHED_JOBS]
        if updated:
            tx.update_jobs(updated)
        if self._new_incidents:
            tx.insert_incidents(self._new_incidents)
        new_incidents = {i.key for i in self._new_incidents}
        changed_incidents = [
            self.incidents[k] for k in self._dirty_incidents if k not in new_incidents
        ]
        if changed_incidents:
            tx.update_incidents(changed_incidents)
        self.waits.flush(tx)
        if self.history:
            tx.append_history(self.history)
