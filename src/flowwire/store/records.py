"""The rows the engine keeps in a store, as plain mutable dataclasses.

The engine works on these objects directly inside a transaction (no second object model), so
they are deliberately simple: keys are int64, timestamps are integer milliseconds since the Unix
epoch (UTC), and structured columns (`data`, `path`, headers, history details) are Python objects
that each store serializes in its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class InstanceState(StrEnum):
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    TERMINATED = "TERMINATED"


class ElementState(StrEnum):
    """Lifecycle of an element instance; an incident leaves it in ACTIVATING or COMPLETING."""

    ACTIVATING = "ACTIVATING"
    ACTIVATED = "ACTIVATED"
    COMPLETING = "COMPLETING"
    COMPLETED = "COMPLETED"
    TERMINATING = "TERMINATING"
    TERMINATED = "TERMINATED"


class JobState(StrEnum):
    ACTIVATABLE = "ACTIVATABLE"
    ACTIVATED = "ACTIVATED"
    FAILED = "FAILED"
    ERROR_THROWN = "ERROR_THROWN"
    COMPLETED = "COMPLETED"
    CANCELED = "CANCELED"


class IncidentState(StrEnum):
    ACTIVE = "ACTIVE"
    RESOLVED = "RESOLVED"


@dataclass(slots=True)
class DeploymentRecord:
    key: int
    created_at: int


@dataclass(slots=True)
class DefinitionRecord:
    """One version of one deployed process; `xml` is the whole resource it came from.
    `deleted_at` is set once the version is deleted: it then starts no instance and is no
    longer listed, but stays readable by key for the instances still running on it."""

    key: int
    process_id: str
    version: int
    name: str
    resource_name: str
    checksum: str
    xml: bytes
    deployment_key: int
    deployed_at: int
    deleted_at: int | None = None


@dataclass(slots=True)
class InstanceRecord:
    """A process instance. `root_instance_key` is the top of a call-activity hierarchy."""

    key: int
    definition_key: int
    process_id: str
    version: int
    state: str
    parent_instance_key: int | None
    parent_element_instance_key: int | None
    root_instance_key: int
    created_at: int
    ended_at: int | None = None


@dataclass(slots=True)
class ElementInstanceRecord:
    """A live element instance (the process itself, a task, a subprocess, ...).

    `scope_key` is the flow scope's element instance key (None for the process), `path` the keys
    of all enclosing scopes from the process down to the flow scope, so the variable scopes an
    element sees are `path + (key,)` without walking the hierarchy. `tokens` counts what is still
    alive inside a scope (child element instances, flows in transit, tokens waiting at joins).
    `data` holds behaviour-specific state (job key, called instance key, join tokens, ...).
    """

    key: int
    instance_key: int
    element_id: str
    kind: str
    scope_key: int | None
    path: tuple[int, ...]
    state: str
    tokens: int
    data: dict[str, Any]
    created_at: int


@dataclass(slots=True)
class JobRecord:
    """A unit of work for a worker. `due` is when it can next be activated: its creation or
    backoff end while ACTIVATABLE, its lease deadline while ACTIVATED (so an expired lease makes
    it activatable again without a sweeper). `scopes` are the variable scopes it sees. A job
    that is completed or canceled is deleted; the history keeps its story."""

    key: int
    type: str
    state: str
    retries: int
    due: int | None
    worker: str | None
    deadline: int | None
    instance_key: int
    element_instance_key: int
    element_id: str
    definition_key: int
    process_id: str
    version: int
    custom_headers: dict[str, str]
    scopes: tuple[int, ...]
    error_message: str | None
    created_at: int
    ended_at: int | None = None


@dataclass(slots=True)
class IncidentRecord:
    key: int
    instance_key: int
    element_instance_key: int
    element_id: str
    error_type: str
    message: str
    state: str
    job_key: int | None
    created_at: int
    resolved_at: int | None = None


@dataclass(slots=True)
class HistoryRecord:
    """One entry of an instance's history; `seq` numbers an instance's entries from 1 in the
    order they were written (assigned when read)."""

    instance_key: int
    timestamp: int
    element_instance_key: int | None
    scope_key: int | None
    element_id: str | None
    element_kind: str | None
    transition: str
    details: dict[str, Any] | None = None
    seq: int = 0


@dataclass(slots=True)
class VariableRecord:
    """A variable as stored: its value is JSON text, decoded by the engine."""

    scope_key: int
    name: str
    instance_key: int
    value: str
    updated_at: int = 0


@dataclass(slots=True)
class SubscriptionRecord:
    """A message or signal subscription. `instance_key` None: the start event of a deployed
    process (it creates instances); else `element_instance_key` is the element instance whose
    lifetime bounds it (the catch event, the activity a boundary event is attached to, the scope
    of an event subprocess, an event-based gateway) and `element_id` the catching event."""

    key: int
    event_type: str
    name: str
    correlation_key: str | None
    definition_key: int
    process_id: str
    element_id: str
    instance_key: int | None
    element_instance_key: int | None
    interrupting: bool
    created_at: int


@dataclass(slots=True)
class MessageRecord:
    """A published message buffered until `expires_at`; `correlated` lists the process ids it
    was already correlated to (a buffered message reaches each process once)."""

    key: int
    name: str
    correlation_key: str
    variables: dict[str, Any]
    message_id: str | None
    expires_at: int
    correlated: list[str]
    created_at: int


@dataclass(slots=True)
class TimerRecord:
    """A timer due at `due`. `repetitions` counts the firings left including this one (-1:
    unbounded); `cycle_interval` is the ISO duration to the next firing of a cycle. Like a
    subscription, `instance_key` None marks a timer start event."""

    key: int
    due: int
    definition_key: int
    process_id: str
    element_id: str
    instance_key: int | None
    element_instance_key: int | None
    repetitions: int
    cycle_interval: str | None
    created_at: int
