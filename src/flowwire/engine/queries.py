"""Read-side views of the store for the API (and later the CLI, REST API and web UI)."""

from __future__ import annotations

from typing import Any

from flowwire.engine.clock import from_millis
from flowwire.engine.results import (
    ElementInstanceInfo,
    HistoryEntry,
    IncidentInfo,
    InstanceInfo,
    JobInfo,
)
from flowwire.engine.values import decode
from flowwire.store.base import StoreTransaction
from flowwire.store.records import IncidentRecord, InstanceRecord, JobRecord
from flowwire.store.search_query import Condition, SearchSpec

_ENDINGS = {"COMPLETED": "COMPLETED", "TERMINATED": "TERMINATED"}


def _instance_info(record: InstanceRecord, has_incident: bool) -> InstanceInfo:
    return InstanceInfo(
        key=record.key,
        definition_key=record.definition_key,
        process_id=record.process_id,
        version=record.version,
        state=record.state,
        parent_instance_key=record.parent_instance_key,
        parent_element_instance_key=record.parent_element_instance_key,
        root_instance_key=record.root_instance_key,
        created_at=from_millis(record.created_at),
        ended_at=from_millis(record.ended_at) if record.ended_at is not None else None,
        has_incident=has_incident,
    )


def instance(tx: StoreTransaction, key: int) -> InstanceInfo | None:
    record = tx.instance(key)
    if record is None:
        return None
    return _instance_info(record, bool(tx.incidents("ACTIVE", key, limit=1)))


def instances(
    tx: StoreTransaction, state: str | None, process_id: str | None, limit: int
) -> list[InstanceInfo]:
    """The newest instances; whether each has an open incident comes from the same store
    search (not from reading every open incident)."""
    conditions = [
        Condition(name, "eq", value)
        for name, value in (("state", state), ("processDefinitionId", process_id))
        if value is not None
    ]
    spec = SearchSpec("process_instance", conditions, [("processInstanceKey", True)], limit=limit)
    return [
        InstanceInfo(
            key=row["processInstanceKey"],
            definition_key=row["processDefinitionKey"],
            process_id=row["processDefinitionId"],
            version=row["processDefinitionVersion"],
            state=row["state"],
            parent_instance_key=row["parentProcessInstanceKey"],
            parent_element_instance_key=row["parentElementInstanceKey"],
            root_instance_key=row["rootProcessInstanceKey"],
            created_at=from_millis(row["startDate"]),
            ended_at=from_millis(row["endDate"]) if row["endDate"] is not None else None,
            has_incident=bool(row["hasIncident"]),
        )
        for row in tx.search(spec).rows
    ]


def element_instances(tx: StoreTransaction, instance_key: int) -> list[ElementInstanceInfo]:
    """Every element instance the instance ever had, in activation order, with live state."""
    live = {r.key: r for r in tx.element_instances_of(instance_key)}
    incident_keys = {i.element_instance_key for i in tx.incidents("ACTIVE", instance_key)}
    found: dict[int, dict[str, Any]] = {}
    for entry in tx.history(instance_key):
        key = entry.element_instance_key
        if key is None:
            continue
        if entry.transition == "ACTIVATED":
            found[key] = {
                "element_id": entry.element_id,
                "kind": entry.element_kind,
                "scope_key": entry.scope_key,
                "started": entry.timestamp,
                "state": "ACTIVE",
                "ended": None,
            }
        elif entry.transition in _ENDINGS and key in found:
            found[key]["state"] = _ENDINGS[entry.transition]
            found[key]["ended"] = entry.timestamp
    result = []
    for key, item in found.items():
        record = live.get(key)
        lifecycle = record.state if record is not None else item["state"]
        result.append(
            ElementInstanceInfo(
                key=key,
                instance_key=instance_key,
                element_id=item["element_id"],
                element_kind=item["kind"],
                state=item["state"],
                lifecycle=lifecycle,
                scope_key=item["scope_key"],
                started_at=from_millis(item["started"]),
                ended_at=from_millis(item["ended"]) if item["ended"] is not None else None,
                has_incident=key in incident_keys,
                details=dict(record.data) if record is not None else {},
            )
        )
    return result


def variables(tx: StoreTransaction, instance_key: int, scope_key: int | None) -> dict[str, Any]:
    scope = instance_key if scope_key is None else scope_key
    return {
        row.name: decode(row.value) for row in sorted(tx.variables([scope]), key=lambda r: r.name)
    }


def _incident_info(record: IncidentRecord) -> IncidentInfo:
    return IncidentInfo(
        key=record.key,
        instance_key=record.instance_key,
        element_instance_key=record.element_instance_key,
        element_id=record.element_id,
        error_type=record.error_type,
        message=record.message,
        state=record.state,
        job_key=record.job_key,
        created_at=from_millis(record.created_at),
        resolved_at=from_millis(record.resolved_at) if record.resolved_at is not None else None,
    )


def incidents(
    tx: StoreTransaction, state: str | None, instance_key: int | None
) -> list[IncidentInfo]:
    return [_incident_info(r) for r in tx.incidents(state, instance_key, limit=1_000_000)]


def _job_info(record: JobRecord) -> JobInfo:
    return JobInfo(
        key=record.key,
        type=record.type,
        state=record.state,
        retries=record.retries,
        worker=record.worker,
        deadline=from_millis(record.deadline) if record.deadline is not None else None,
        process_instance_key=record.instance_key,
        element_id=record.element_id,
        element_instance_key=record.element_instance_key,
        custom_headers=dict(record.custom_headers),
        error_message=record.error_message,
        created_at=from_millis(record.created_at),
        ended_at=from_millis(record.ended_at) if record.ended_at is not None else None,
    )


def jobs(
    tx: StoreTransaction, instance_key: int | None, state: str | None, job_type: str | None
) -> list[JobInfo]:
    return [_job_info(r) for r in tx.jobs(instance_key, state, job_type, limit=1_000_000)]


def history(tx: StoreTransaction, instance_key: int) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            seq=r.seq,
            timestamp=from_millis(r.timestamp),
            element_instance_key=r.element_instance_key,
            element_id=r.element_id,
            element_kind=r.element_kind,
            transition=r.transition,
            details=r.details,
            scope_key=r.scope_key,
        )
        for r in tx.history(instance_key)
    ]


def visible_variables(tx: StoreTransaction, element_instance_key: int) -> dict[str, Any] | None:
    """The variables a live element instance sees: its own scope and every enclosing one (the
    inner one wins), as its expressions do; None when the element instance has ended."""
    record = tx.element_instance(element_instance_key)
    if record is None:
        return None
    keys = (*record.path, record.key)
    by_scope: dict[int, dict[str, Any]] = {key: {} for key in keys}
    for row in tx.variables(keys):
        by_scope[row.scope_key][row.name] = decode(row.value)
    merged: dict[str, Any] = {}
    for key in keys:
        merged.update(by_scope[key])
    return merged


def waits_at(
    tx: StoreTransaction,
    process_id: str,
    definition_key: int,
    element_id: str,
    message_name: str | None = None,
) -> bool:
    """Whether an instance of this process version waits at this element (an open message
    subscription). With the message's name (not an expression) it reads the subscriptions of
    that name; otherwise it looks through the version's active instances."""
    if message_name and not message_name.startswith("="):
        return any(
            sub.instance_key is not None
            and sub.definition_key == definition_key
            and sub.element_id == element_id
            for sub in tx.subscriptions("message", message_name)
        )
    for instance in tx.instances("ACTIVE", process_id, limit=1_000_000_000):
        if instance.definition_key != definition_key:
            continue
        if any(sub.element_id == element_id for sub in tx.subscriptions_of(instance.key)):
            return True
    return False
