"""What the engine API returns: immutable snapshots with plain values and aware datetimes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ProcessDefinition:
    key: int
    process_id: str
    version: int
    resource_name: str
    name: str
    checksum: str
    deployed_at: datetime


@dataclass(frozen=True, slots=True)
class Deployment:
    key: int
    processes: list[ProcessDefinition]


@dataclass(frozen=True, slots=True)
class InstanceResult:
    """The answer to create_instance; `variables` only when the instance already completed."""

    key: int
    definition_key: int
    process_id: str
    version: int
    state: str
    variables: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class InstanceInfo:
    """A process instance; `state` is ACTIVE, COMPLETED or TERMINATED."""

    key: int
    definition_key: int
    process_id: str
    version: int
    state: str
    parent_instance_key: int | None
    parent_element_instance_key: int | None
    root_instance_key: int
    created_at: datetime
    ended_at: datetime | None
    has_incident: bool = False


@dataclass(frozen=True, slots=True)
class ElementInstanceInfo:
    """An element instance, live or past. `state` is ACTIVE, COMPLETED or TERMINATED;
    `lifecycle` is the engine's detailed state (ACTIVATING, ACTIVATED, COMPLETING, ...)."""

    key: int
    instance_key: int
    element_id: str
    element_kind: str
    state: str
    lifecycle: str
    scope_key: int | None
    started_at: datetime
    ended_at: datetime | None
    has_incident: bool = False
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ActivatedJob:
    key: int
    type: str
    process_instance_key: int
    process_id: str
    process_version: int
    definition_key: int
    element_id: str
    element_instance_key: int
    custom_headers: dict[str, str]
    worker: str
    retries: int
    deadline: datetime
    variables: dict[str, Any]


@dataclass(frozen=True, slots=True)
class JobInfo:
    key: int
    type: str
    state: str
    retries: int
    worker: str | None
    deadline: datetime | None
    process_instance_key: int
    element_id: str
    element_instance_key: int
    custom_headers: dict[str, str]
    error_message: str | None
    created_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class IncidentInfo:
    key: int
    instance_key: int
    element_instance_key: int
    element_id: str
    error_type: str
    message: str
    state: str
    job_key: int | None
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One step of an instance's history.

    `transition` is ACTIVATED / COMPLETED / TERMINATED for element instances, TAKEN for
    sequence flows (element_kind "sequenceFlow"), VARIABLE_CREATED / VARIABLE_UPDATED (details:
    name, value; the element is the variable's scope), INCIDENT_CREATED / INCIDENT_RESOLVED,
    and JOB_* for the job of a task.
    """

    seq: int
    timestamp: datetime
    element_instance_key: int | None
    element_id: str | None
    element_kind: str | None
    transition: str
    details: dict[str, Any] | None
    scope_key: int | None = None
