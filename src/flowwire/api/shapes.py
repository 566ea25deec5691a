"""The JSON shapes of Camunda's Orchestration Cluster API, built from engine results.

Keys are int64 serialised as strings, dates ISO 8601 in UTC with milliseconds, and flowwire
has a single tenant, `<default>`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flowwire.api.bodies import DEFAULT_TENANT, key_text
from flowwire.engine import (
    ElementInstanceInfo,
    IncidentInfo,
    InstanceInfo,
    ProcessDefinition,
)
from flowwire.store import search_query

_INCIDENT_TYPES = frozenset(search_query.INCIDENT_TYPES)


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def element_type(kind: str | None) -> str:
    """Engine element kind (BPMN tag, e.g. serviceTask) -> Camunda type (SERVICE_TASK)."""
    return search_query.element_type(kind)


def variable_key(scope_key: int, name: str) -> str:
    """A variable's key, derived from its scope and name (see `search_query.variable_key`)."""
    return str(search_query.variable_key(scope_key, name))


def variable_value(value: Any) -> str:
    """Variable values travel as JSON text, as in Camunda's search results."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def deployed_process(definition: ProcessDefinition) -> dict[str, Any]:
    return {
        "processDefinitionId": definition.process_id,
        "processDefinitionVersion": definition.version,
        "processDefinitionKey": str(definition.key),
        "resourceName": definition.resource_name,
        "tenantId": DEFAULT_TENANT,
    }


def process_definition(definition: ProcessDefinition) -> dict[str, Any]:
    return {
        "name": definition.name or None,
        "resourceName": definition.resource_name,
        "version": definition.version,
        "versionTag": None,
        "processDefinitionId": definition.process_id,
        "tenantId": DEFAULT_TENANT,
        "processDefinitionKey": str(definition.key),
        "hasStartForm": False,
        "state": "ACTIVE",
    }


def process_instance(info: InstanceInfo, definition: ProcessDefinition | None) -> dict[str, Any]:
    return {
        "processDefinitionId": info.process_id,
        "processDefinitionName": (definition.name or None) if definition else None,
        "processDefinitionVersion": info.version,
        "processDefinitionVersionTag": None,
        "startDate": iso(info.created_at),
        "endDate": iso(info.ended_at),
        "state": info.state,
        "suspendedDate": None,
        "hasIncident": info.has_incident,
        "tenantId": DEFAULT_TENANT,
        "processInstanceKey": str(info.key),
        "processDefinitionKey": str(info.definition_key),
        "parentProcessInstanceKey": key_text(info.parent_instance_key),
        "parentElementInstanceKey": key_text(info.parent_element_instance_key),
        "rootProcessInstanceKey": str(info.root_instance_key),
        "tags": [],
        "businessId": None,
    }


def incident(info: IncidentInfo, instance: InstanceInfo | None) -> dict[str, Any]:
    return {
        "processDefinitionId": instance.process_id if instance else None,
        "errorType": info.error_type if info.error_type in _INCIDENT_TYPES else "UNKNOWN",
        "errorMessage": info.message,
        "elementId": info.element_id,
        "creationTime": iso(info.created_at),
        "state": info.state,
        "tenantId": DEFAULT_TENANT,
        "incidentKey": str(info.key),
        "processDefinitionKey": str(instance.definition_key) if instance else None,
        "processInstanceKey": str(info.instance_key),
        "rootProcessInstanceKey": str(instance.root_instance_key) if instance else None,
        "elementInstanceKey": str(info.element_instance_key),
        "jobKey": key_text(info.job_key),
    }


def element_instance(
    info: ElementInstanceInfo,
    instance: InstanceInfo,
    names: dict[str, str],
    incident_key: int | None,
) -> dict[str, Any]:
    return {
        "processDefinitionId": instance.process_id,
        "startDate": iso(info.started_at),
        "endDate": iso(info.ended_at),
        "elementId": info.element_id,
        "elementName": names.get(info.element_id, info.element_id),
        "type": element_type(info.element_kind),
        "state": info.state,
        "hasIncident": info.has_incident,
        "tenantId": DEFAULT_TENANT,
        "elementInstanceKey": str(info.key),
        "processInstanceKey": str(info.instance_key),
        "rootProcessInstanceKey": str(instance.root_instance_key),
        "processDefinitionKey": str(instance.definition_key),
        "incidentKey": key_text(incident_key),
    }
