"""User tasks (Camunda user tasks; flowwire's key for one is its element instance key)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import shapes
from flowwire.api.bodies import DEFAULT_TENANT, Fields, json_object, key_text, parse_key
from flowwire.api.context import ApiContext, api_context, path_key
from flowwire.api.problems import bad_request
from flowwire.api.search import parse_search, run_search
from flowwire.bpmn import ElementKind
from flowwire.engine import ElementInstanceInfo, InstanceInfo, NotFound

SEARCH_FIELDS = (
    "name",
    "state",
    "assignee",
    "elementId",
    "processDefinitionId",
    "creationDate",
    "completionDate",
    "dueDate",
    "followUpDate",
    "processDefinitionVersion",
    "userTaskKey",
    "elementInstanceKey",
    "processDefinitionKey",
    "processInstanceKey",
    "formKey",
)
_STATES = {"ACTIVE": "CREATED", "COMPLETED": "COMPLETED", "TERMINATED": "CANCELED"}


def _item(
    info: ElementInstanceInfo, instance: InstanceInfo, names: dict[str, str]
) -> dict[str, Any]:
    task = info.details.get("user_task") or {}
    return {
        "name": names.get(info.element_id, info.element_id),
        "state": _STATES.get(info.state, info.state),
        "assignee": task.get("assignee"),
        "elementId": info.element_id,
        "candidateGroups": task.get("candidate_groups") or [],
        "candidateUsers": task.get("candidate_users") or [],
        "processDefinitionId": instance.process_id,
        "creationDate": shapes.iso(info.started_at),
        "completionDate": shapes.iso(info.ended_at),
        "followUpDate": task.get("follow_up_date"),
        "dueDate": task.get("due_date"),
        "tenantId": DEFAULT_TENANT,
        "externalFormReference": None,
        "processDefinitionVersion": instance.version,
        "customHeaders": {},
        "priority": 50,
        "userTaskKey": str(info.key),
        "elementInstanceKey": str(info.key),
        "processName": None,
        "processDefinitionKey": str(instance.definition_key),
        "processInstanceKey": str(instance.key),
        "rootProcessInstanceKey": key_text(instance.root_instance_key),
        "businessId": None,
        "formKey": task.get("form_key"),
        "tags": [],
    }


def _tasks(context: ApiContext, instance_key: int | None) -> list[dict[str, Any]]:
    engine = context.engine
    if instance_key is not None:
        try:
            instances = [engine.get_instance(instance_key)]
        except NotFound:
            return []
    else:
        instances = engine.instances(limit=1_000_000)
    items = []
    for instance in instances:
        names = context.element_names(instance.definition_key)
        for info in engine.element_instances(instance.key):
            if info.element_kind == ElementKind.USER_TASK:
                items.append(_item(info, instance, names))
    return items


async def search_user_tasks(request: Request) -> Response:
    query = parse_search(
        await json_object(request, optional=True), filters=SEARCH_FIELDS, what="user task"
    )
    instance = query.equals("processInstanceKey")
    instance_key = parse_key(instance, "processInstanceKey") if instance is not None else None
    context = api_context(request)
    items = await context.call(_tasks, context, instance_key)
    return JSONResponse(run_search(items, query))


async def complete_user_task(request: Request) -> Response:
    key = path_key(request, "userTaskKey")
    fields = Fields(
        await json_object(request, optional=True),
        known=("variables", "action"),
        where="the user task completion",
    )
    action = fields.string("action")
    if action not in (None, "", "complete"):
        raise bad_request(f"flowwire records no custom completion actions; got {action!r}")
    context = api_context(request)
    await context.command(context.engine.complete_user_task, key, fields.variables())
    return Response(status_code=204)


routes = [
    Route("/user-tasks/search", search_user_tasks, methods=["POST"]),
    Route("/user-tasks/{userTaskKey}/completion", complete_user_task, methods=["POST"]),
]
