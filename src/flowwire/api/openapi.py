"""The OpenAPI 3.0 description of exactly the endpoints flowwire serves (`/v2/openapi.json`).

Field names and shapes follow Camunda's Orchestration Cluster API; request schemas list the
fields flowwire accepts (with `additionalProperties: false`, as the API rejects others).
"""

from __future__ import annotations

from typing import Any

from flowwire import __version__
from flowwire.api.bodies import MAX_DURATION_MS

Schema = dict[str, Any]

KEY: Schema = {"type": "string", "pattern": "^[0-9]{1,19}$", "description": "int64 key"}
NULLABLE_KEY: Schema = {**KEY, "nullable": True}
STRING: Schema = {"type": "string"}
NULLABLE_STRING: Schema = {"type": "string", "nullable": True}
INTEGER: Schema = {"type": "integer", "format": "int64"}
BOOLEAN: Schema = {"type": "boolean"}
DATE: Schema = {"type": "string", "format": "date-time"}
NULLABLE_DATE: Schema = {**DATE, "nullable": True}
VARIABLES: Schema = {"type": "object", "additionalProperties": True}
TENANT: Schema = {"type": "string", "enum": ["<default>"]}
DURATION: Schema = {"type": "integer", "minimum": 0, "maximum": MAX_DURATION_MS}


def _obj(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def _result(properties: dict[str, Schema]) -> Schema:
    return {"type": "object", "properties": properties, "required": list(properties)}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _search_request(filter_fields: dict[str, Schema]) -> Schema:
    return _obj(
        {
            "filter": _obj({**filter_fields, "tenantId": TENANT}),
            "sort": {
                "type": "array",
                "items": _obj(
                    {
                        "field": {"type": "string", "enum": sorted(filter_fields)},
                        "order": {"type": "string", "enum": ["ASC", "DESC"]},
                    },
                    ("field",),
                ),
            },
            "page": _obj(
                {
                    "limit": {"type": "integer", "minimum": 0, "maximum": 10000},
                    "from": {"type": "integer", "minimum": 0},
                    "after": {"type": "string", "description": "an endCursor: the next page"},
                    "before": {
                        "type": "string",
                        "description": "a startCursor: the previous page",
                    },
                }
            ),
        }
    )


def _search_result(item: str) -> Schema:
    return _result(
        {
            "items": {"type": "array", "items": _ref(item)},
            "page": _result(
                {
                    "totalItems": INTEGER,
                    "hasMoreTotalItems": BOOLEAN,
                    "startCursor": NULLABLE_STRING,
                    "endCursor": NULLABLE_STRING,
                }
            ),
        }
    )


_PROCESS_INSTANCE = {
    "processDefinitionId": STRING,
    "processDefinitionName": NULLABLE_STRING,
    "processDefinitionVersion": INTEGER,
    "processDefinitionVersionTag": NULLABLE_STRING,
    "startDate": DATE,
    "endDate": NULLABLE_DATE,
    "state": {"type": "string", "enum": ["ACTIVE", "COMPLETED", "TERMINATED"]},
    "suspendedDate": NULLABLE_DATE,
    "hasIncident": BOOLEAN,
    "tenantId": TENANT,
    "processInstanceKey": KEY,
    "processDefinitionKey": KEY,
    "parentProcessInstanceKey": NULLABLE_KEY,
    "parentElementInstanceKey": NULLABLE_KEY,
    "rootProcessInstanceKey": KEY,
    "tags": {"type": "array", "items": STRING},
    "businessId": NULLABLE_STRING,
}
_INCIDENT = {
    "processDefinitionId": NULLABLE_STRING,
    "errorType": STRING,
    "errorMessage": STRING,
    "elementId": STRING,
    "creationTime": DATE,
    "state": {"type": "string", "enum": ["ACTIVE", "RESOLVED"]},
    "tenantId": TENANT,
    "incidentKey": KEY,
    "processDefinitionKey": NULLABLE_KEY,
    "processInstanceKey": KEY,
    "rootProcessInstanceKey": NULLABLE_KEY,
    "elementInstanceKey": KEY,
    "jobKey": NULLABLE_KEY,
}
_VARIABLE = {
    "value": STRING,
    "isTruncated": BOOLEAN,
    "name": STRING,
    "tenantId": TENANT,
    "variableKey": KEY,
    "scopeKey": KEY,
    "processInstanceKey": KEY,
    "rootProcessInstanceKey": KEY,
}
_ELEMENT_INSTANCE = {
    "processDefinitionId": STRING,
    "startDate": DATE,
    "endDate": NULLABLE_DATE,
    "elementId": STRING,
    "elementName": STRING,
    "type": STRING,
    "state": {"type": "string", "enum": ["ACTIVE", "COMPLETED", "TERMINATED"]},
    "hasIncident": BOOLEAN,
    "tenantId": TENANT,
    "elementInstanceKey": KEY,
    "processInstanceKey": KEY,
    "rootProcessInstanceKey": KEY,
    "processDefinitionKey": KEY,
    "incidentKey": NULLABLE_KEY,
}
_PROCESS_DEFINITION = {
    "name": NULLABLE_STRING,
    "resourceName": STRING,
    "version": INTEGER,
    "versionTag": NULLABLE_STRING,
    "processDefinitionId": STRING,
    "tenantId": TENANT,
    "processDefinitionKey": KEY,
    "hasStartForm": BOOLEAN,
    "state": STRING,
}
_USER_TASK = {
    "name": STRING,
    "state": {"type": "string", "enum": ["CREATED", "COMPLETED", "CANCELED"]},
    "assignee": NULLABLE_STRING,
    "elementId": STRING,
    "candidateGroups": {"type": "array", "items": STRING},
    "candidateUsers": {"type": "array", "items": STRING},
    "processDefinitionId": STRING,
    "creationDate": DATE,
    "completionDate": NULLABLE_DATE,
    "followUpDate": NULLABLE_STRING,
    "dueDate": NULLABLE_STRING,
    "tenantId": TENANT,
    "externalFormReference": NULLABLE_STRING,
    "processDefinitionVersion": INTEGER,
    "customHeaders": {"type": "object", "additionalProperties": STRING},
    "priority": INTEGER,
    "userTaskKey": KEY,
    "elementInstanceKey": KEY,
    "processName": NULLABLE_STRING,
    "processDefinitionKey": KEY,
    "processInstanceKey": KEY,
    "rootProcessInstanceKey": NULLABLE_KEY,
    "businessId": NULLABLE_STRING,
    "formKey": NULLABLE_STRING,
    "tags": {"type": "array", "items": STRING},
}
_JOB = {
    "type": STRING,
    "processDefinitionId": STRING,
    "processDefinitionVersion": INTEGER,
    "elementId": STRING,
    "customHeaders": {"type": "object", "additionalProperties": STRING},
    "worker": STRING,
    "retries": INTEGER,
    "deadline": INTEGER,
    "variables": VARIABLES,
    "tenantId": TENANT,
    "physicalTenantId": STRING,
    "jobKey": KEY,
    "processInstanceKey": KEY,
    "processDefinitionKey": KEY,
    "elementInstanceKey": KEY,
    "kind": STRING,
    "listenerEventType": STRING,
    "userTask": {"type": "object", "nullable": True},
    "tags": {"type": "array", "items": STRING},
    "rootProcessInstanceKey": KEY,
    "businessId": NULLABLE_STRING,
    "priority": INTEGER,
}


def _filters(item: dict[str, Schema], names: tuple[str, ...]) -> dict[str, Schema]:
    return {name: item[name] for name in names}


def _components() -> dict[str, Schema]:
    from flowwire.api import (
        element_instances,
        incidents,
        process_definitions,
        process_instances,
        user_tasks,
        variables,
    )

    return {
        "ProblemDetail": {
            "type": "object",
            "properties": {
                "type": STRING,
                "title": STRING,
                "status": INTEGER,
                "detail": STRING,
                "instance": STRING,
            },
        },
        "ProcessInstanceResult": _result(_PROCESS_INSTANCE),
        "IncidentResult": _result(_INCIDENT),
        "VariableResult": _result(_VARIABLE),
        "ElementInstanceResult": _result(_ELEMENT_INSTANCE),
        "ProcessDefinitionResult": _result(_PROCESS_DEFINITION),
        "UserTaskResult": _result(_USER_TASK),
        "ActivatedJobResult": _result(_JOB),
        "ProcessInstanceSearchQuery": _search_request(
            _filters(_PROCESS_INSTANCE, process_instances.SEARCH_FIELDS)
        ),
        "IncidentSearchQuery": _search_request(_filters(_INCIDENT, incidents.SEARCH_FIELDS)),
        "VariableSearchQuery": _search_request(_filters(_VARIABLE, variables.SEARCH_FIELDS)),
        "ElementInstanceSearchQuery": _search_request(
            _filters(_ELEMENT_INSTANCE, element_instances.SEARCH_FIELDS)
        ),
        "ProcessDefinitionSearchQuery": _search_request(
            _filters(_PROCESS_DEFINITION, process_definitions.SEARCH_FIELDS)
        ),
        "UserTaskSearchQuery": _search_request(_filters(_USER_TASK, user_tasks.SEARCH_FIELDS)),
        "ProcessInstanceSearchQueryResult": _search_result("ProcessInstanceResult"),
        "IncidentSearchQueryResult": _search_result("IncidentResult"),
        "VariableSearchQueryResult": _search_result("VariableResult"),
        "ElementInstanceSearchQueryResult": _search_result("ElementInstanceResult"),
        "ProcessDefinitionSearchQueryResult": _search_result("ProcessDefinitionResult"),
        "UserTaskSearchQueryResult": _search_result("UserTaskResult"),
    }


_PROBLEM = {"application/problem+json": {"schema": _ref("ProblemDetail")}}


def _op(
    operation_id: str,
    summary: str,
    *,
    body: Schema | None = None,
    body_required: bool = True,
    ok: Schema | None = None,
    ok_status: str = "200",
    errors: tuple[str, ...] = ("400",),
    params: tuple[str, ...] = (),
    content_type: str = "application/json",
) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary}
    if params:
        operation["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": KEY} for name in params
        ]
    if body is not None:
        operation["requestBody"] = {
            "required": body_required,
            "content": {content_type: {"schema": body}},
        }
    responses: dict[str, Any] = {}
    if ok is None:
        responses[ok_status] = {"description": "done"}
    else:
        responses[ok_status] = {
            "description": "ok",
            "content": {"application/json": {"schema": ok}},
        }
    for status in errors:
        responses[status] = {"description": "a problem", "content": _PROBLEM}
    operation["responses"] = responses
    return operation


def _search_op(operation_id: str, summary: str, stem: str) -> dict[str, Any]:
    """`POST /<resource>/search` with the `<stem>SearchQuery` body (optional) and result."""
    return _op(
        operation_id,
        summary,
        body=_ref(f"{stem}SearchQuery"),
        body_required=False,
        ok=_ref(f"{stem}SearchQueryResult"),
    )


def _get_op(operation_id: str, summary: str, key: str, result: str) -> dict[str, Any]:
    """`GET /<resource>/{key}`: the item, or 404."""
    return _op(operation_id, summary, params=(key,), ok=_ref(result), errors=("400", "404"))


def _action_op(operation_id: str, summary: str, key: str, body: Schema) -> dict[str, Any]:
    """`POST /<resource>/{key}/<action>`: 204, or 404 / 409 for the wrong key or state."""
    return _op(
        operation_id,
        summary,
        params=(key,),
        body=body,
        body_required=False,
        ok_status="204",
        errors=("400", "404", "409"),
    )


def _paths() -> dict[str, Any]:
    creation = _obj(
        {
            "processDefinitionId": {"type": "string", "minLength": 1},
            "processDefinitionVersion": {"type": "integer", "minimum": -1},
            "processDefinitionKey": KEY,
            "variables": VARIABLES,
            "awaitCompletion": BOOLEAN,
            "fetchVariables": {"type": "array", "items": STRING},
            "requestTimeout": {"type": "integer", "minimum": 0},
            "tenantId": TENANT,
            "operationReference": {"type": "integer", "minimum": 1},
        }
    )
    creation_result = _result(
        {
            "processDefinitionId": STRING,
            "processDefinitionVersion": INTEGER,
            "processDefinitionKey": KEY,
            "processInstanceKey": KEY,
            "tenantId": TENANT,
            "variables": VARIABLES,
            "tags": {"type": "array", "items": STRING},
            "businessId": NULLABLE_STRING,
        }
    )
    activation = _obj(
        {
            "type": {"type": "string", "minLength": 1},
            "worker": STRING,
            "timeout": {"type": "integer", "minimum": 1, "maximum": MAX_DURATION_MS},
            "maxJobsToActivate": {"type": "integer", "minimum": 1, "maximum": 10000},
            "fetchVariable": {"type": "array", "items": STRING},
            "requestTimeout": INTEGER,
            "tenantIds": {"type": "array", "items": TENANT},
            "tenantFilter": {"type": "string", "enum": ["PROVIDED", "ASSIGNED"]},
        },
        ("type", "timeout", "maxJobsToActivate"),
    )
    variables_only = _obj({"variables": VARIABLES})
    empty = _obj({"operationReference": {"type": "integer", "minimum": 1}})
    message = {"name": {"type": "string", "minLength": 1}, "correlationKey": STRING}
    deployment_result = _result(
        {
            "deploymentKey": KEY,
            "tenantId": TENANT,
            "deployments": {
                "type": "array",
                "items": _result(
                    {
                        "processDefinition": _result(
                            {
                                "processDefinitionId": STRING,
                                "processDefinitionVersion": INTEGER,
                                "processDefinitionKey": KEY,
                                "resourceName": STRING,
                                "tenantId": TENANT,
                            }
                        )
                    }
                ),
            },
        }
    )
    search = _ref
    return {
        "/topology": {"get": _op("getTopology", "One broker, one healthy partition", errors=())},
        "/deployments": {
            "post": _op(
                "createDeployment",
                "Deploy BPMN resources (all or nothing)",
                body={
                    "type": "object",
                    "properties": {
                        "resources": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        },
                        "tenantId": TENANT,
                    },
                    "required": ["resources"],
                },
                content_type="multipart/form-data",
                ok=deployment_result,
                errors=("400", "415"),
            )
        },
        "/process-instances": {
            "post": _op(
                "createProcessInstance",
                "Create a process instance, optionally awaiting its completion",
                body=creation,
                ok=creation_result,
                errors=("400", "404", "409", "504"),
            )
        },
        "/process-instances/search": {
            "post": _search_op(
                "searchProcessInstances", "Search process instances", "ProcessInstance"
            )
        },
        "/process-instances/{processInstanceKey}": {
            "get": _get_op(
                "getProcessInstance",
                "Get a process instance",
                "processInstanceKey",
                "ProcessInstanceResult",
            )
        },
        "/process-instances/{processInstanceKey}/cancellation": {
            "post": _action_op(
                "cancelProcessInstance", "Cancel a process instance", "processInstanceKey", empty
            )
        },
        "/jobs/activation": {
            "post": _op(
                "activateJobs",
                "Activate jobs (long polling up to requestTimeout)",
                body=activation,
                ok=_result({"jobs": {"type": "array", "items": search("ActivatedJobResult")}}),
            )
        },
        "/jobs/{jobKey}/completion": {
            "post": _action_op("completeJob", "Complete a job", "jobKey", variables_only)
        },
        "/jobs/{jobKey}/failure": {
            "post": _op(
                "failJob",
                "Fail a job (retry after a backoff, or an incident with no retries left)",
                params=("jobKey",),
                body=_obj(
                    {
                        "retries": {"type": "integer", "minimum": 0},
                        "errorMessage": STRING,
                        "retryBackOff": DURATION,
                        "variables": VARIABLES,
                    }
                ),
                body_required=False,
                ok_status="204",
                errors=("400", "404", "409"),
            )
        },
        "/jobs/{jobKey}/error": {
            "post": _op(
                "throwJobError",
                "Throw a BPMN error from a job",
                params=("jobKey",),
                body=_obj(
                    {
                        "errorCode": {"type": "string", "minLength": 1},
                        "errorMessage": NULLABLE_STRING,
                        "variables": VARIABLES,
                    },
                    ("errorCode",),
                ),
                ok_status="204",
                errors=("400", "404", "409"),
            )
        },
        "/jobs/{jobKey}": {
            "patch": _op(
                "updateJob",
                "Update a job's retries and/or timeout (a new deadline, ms from now)",
                params=("jobKey",),
                body=_obj(
                    {
                        "changeset": _obj(
                            {
                                "retries": {"type": "integer", "minimum": 1},
                                "timeout": {"type": "integer", "minimum": 0},
                            }
                        ),
                        "operationReference": {"type": "integer", "minimum": 1},
                    },
                    ("changeset",),
                ),
                ok_status="204",
                errors=("400", "404", "409", "501"),
            )
        },
        "/messages/publication": {
            "post": _op(
                "publishMessage",
                "Publish a message (buffered for timeToLive ms)",
                body=_obj(
                    {
                        **message,
                        "timeToLive": DURATION,
                        "messageId": STRING,
                        "variables": VARIABLES,
                        "tenantId": TENANT,
                    },
                    ("name",),
                ),
                ok=_result({"tenantId": TENANT, "messageKey": NULLABLE_KEY}),
                errors=("400", "409", "501"),
            )
        },
        "/messages/correlation": {
            "post": _op(
                "correlateMessage",
                "Correlate a message to a waiting subscription",
                body=_obj({**message, "variables": VARIABLES, "tenantId": TENANT}, ("name",)),
                ok=_result(
                    {
                        "tenantId": TENANT,
                        "messageKey": NULLABLE_KEY,
                        "processInstanceKey": NULLABLE_KEY,
                    }
                ),
                errors=("400", "404", "501"),
            )
        },
        "/signals/broadcast": {
            "post": _op(
                "broadcastSignal",
                "Broadcast a signal",
                body=_obj(
                    {
                        "signalName": {"type": "string", "minLength": 1},
                        "variables": VARIABLES,
                        "tenantId": TENANT,
                    },
                    ("signalName",),
                ),
                ok=_result({"tenantId": TENANT, "signalKey": NULLABLE_KEY}),
                errors=("400", "501"),
            )
        },
        "/incidents/search": {
            "post": _search_op("searchIncidents", "Search incidents", "Incident")
        },
        "/incidents/{incidentKey}": {
            "get": _get_op("getIncident", "Get an incident", "incidentKey", "IncidentResult")
        },
        "/incidents/{incidentKey}/resolution": {
            "post": _action_op(
                "resolveIncident",
                "Resolve an incident (the failed job or step is retried)",
                "incidentKey",
                empty,
            )
        },
        "/resources/{resourceKey}/deletion": {
            "post": _op(
                "deleteResource",
                "Delete a deployed process version: it starts no new instance, its start "
                "events stop, instances running on it finish",
                params=("resourceKey",),
                body=_obj(
                    {
                        "operationReference": {"type": "integer", "minimum": 1},
                        "deleteHistory": {"type": "boolean", "enum": [False]},
                    }
                ),
                body_required=False,
                ok=_result({"resourceKey": KEY}),
                errors=("400", "404"),
            )
        },
        "/variables/search": {
            "post": _search_op("searchVariables", "Search variables of live scopes", "Variable")
        },
        "/element-instances/search": {
            "post": _search_op(
                "searchElementInstances", "Search element instances", "ElementInstance"
            )
        },
        "/element-instances/{elementInstanceKey}/variables": {
            "put": _op(
                "createElementInstanceVariables",
                "Set variables on a process or element instance scope",
                params=("elementInstanceKey",),
                body=_obj({"variables": VARIABLES, "local": BOOLEAN}, ("variables",)),
                ok_status="204",
                errors=("400", "404"),
            )
        },
        "/process-definitions/search": {
            "post": _search_op(
                "searchProcessDefinitions", "Search process definitions", "ProcessDefinition"
            )
        },
        "/process-definitions/{processDefinitionKey}": {
            "get": _get_op(
                "getProcessDefinition",
                "Get a process definition",
                "processDefinitionKey",
                "ProcessDefinitionResult",
            )
        },
        "/process-definitions/{processDefinitionKey}/xml": {
            "get": {
                **_op(
                    "getProcessDefinitionXml",
                    "The deployed BPMN XML",
                    params=("processDefinitionKey",),
                    errors=("400", "404"),
                ),
            }
        },
        "/user-tasks/search": {
            "post": _search_op("searchUserTasks", "Search user tasks", "UserTask")
        },
        "/user-tasks/{userTaskKey}/completion": {
            "post": _op(
                "completeUserTask",
                "Complete a user task",
                params=("userTaskKey",),
                body=_obj({"variables": VARIABLES, "action": NULLABLE_STRING}),
                body_required=False,
                ok_status="204",
                errors=("400", "404", "409"),
            )
        },
        "/clock": {
            "put": _op(
                "pinClock",
                "Pin the engine clock (needs --allow-clock-control)",
                body=_obj({"timestamp": {"type": "integer", "minimum": 0}}, ("timestamp",)),
                ok_status="204",
                errors=("400", "403"),
            )
        },
        "/clock/reset": {
            "post": _op(
                "resetClock",
                "Return the engine clock to real time (needs --allow-clock-control)",
                ok_status="204",
                errors=("403",),
            )
        },
    }


def openapi_document(mount_path: str = "/v2") -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "flowwire REST API (Camunda 8 Orchestration Cluster API subset)",
            "version": __version__,
        },
        "servers": [{"url": mount_path}],
        "paths": _paths(),
        "components": {
            "schemas": _components(),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "basicAuth": {"type": "http", "scheme": "basic"},
            },
        },
    }
