"""Incidents: a step that cannot go on waits for a human, who fixes the cause and resolves it.

A behaviour signals such a step by raising `StepFailure`; the step loop turns it into an
incident on the element instance, which stays in the lifecycle state it failed in (ACTIVATING
or COMPLETING). Resolving the incident re-runs that step.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from flowwire.store.records import ElementInstanceRecord, IncidentRecord, IncidentState

if TYPE_CHECKING:
    from flowwire.engine.state import UnitOfWork


class ErrorType(StrEnum):
    """Camunda's incident error types (the ones the engine raises today)."""

    JOB_NO_RETRIES = "JOB_NO_RETRIES"
    UNHANDLED_ERROR_EVENT = "UNHANDLED_ERROR_EVENT"
    IO_MAPPING_ERROR = "IO_MAPPING_ERROR"
    CONDITION_ERROR = "CONDITION_ERROR"
    EXTRACT_VALUE_ERROR = "EXTRACT_VALUE_ERROR"
    CALLED_ELEMENT_ERROR = "CALLED_ELEMENT_ERROR"
    UNKNOWN = "UNKNOWN"


class StepFailure(Exception):
    """A step of an element instance cannot continue; becomes an incident of `error_type`."""

    def __init__(self, error_type: ErrorType, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def create_incident(
    uow: UnitOfWork,
    element: ElementInstanceRecord,
    error_type: str,
    message: str,
    job_key: int | None = None,
) -> IncidentRecord:
    incident = IncidentRecord(
        key=uow.next_key(),
        instance_key=element.instance_key,
        element_instance_key=element.key,
        element_id=element.element_id,
        error_type=str(error_type),
        message=message,
        state=IncidentState.ACTIVE,
        job_key=job_key,
        created_at=uow.now,
    )
    uow.add_incident(incident)
    uow.record(
        element,
        "INCIDENT_CREATED",
        {"incident_key": incident.key, "error_type": incident.error_type, "message": message},
    )
    return incident


def mark_resolved(
    uow: UnitOfWork, incident: IncidentRecord, element: ElementInstanceRecord | None
) -> None:
    incident.state = IncidentState.RESOLVED
    incident.resolved_at = uow.now
    uow.incident_changed(incident)
    if element is not None:
        uow.record(
            element,
            "INCIDENT_RESOLVED",
            {"incident_key": incident.key, "error_type": incident.error_type},
        )
