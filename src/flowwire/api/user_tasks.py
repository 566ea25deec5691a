"""User tasks (Camunda user tasks; flowwire's key for one is its element instance key)."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import search
from flowwire.api.bodies import DEFAULT_TENANT, Fields, json_object
from flowwire.api.context import ApiContext, api_context, path_key
from flowwire.api.element_instances import element_names, named_search
from flowwire.api.problems import bad_request
from flowwire.api.search import SearchQuery

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


def _item(row: dict[str, Any]) -> dict[str, Any]:
    item = search.api_values(row)
    for name in ("candidateGroups", "candidateUsers"):
        item[name] = json.loads(row[name]) if row[name] else []
    return {
        **item,
        "tenantId": DEFAULT_TENANT,
        "externalFormReference": None,
        "customHeaders": {},
        "priority": 50,
        "processName": None,
        "businessId": None,
        "tags": [],
    }


def _search(context: ApiContext, query: SearchQuery) -> dict[str, Any]:
    spec = search.spec_for(query, "user_task", element_names=element_names(context, query, "name"))
    return search.answer(spec, named_search(context, spec, "name"), _item)


async def search_user_tasks(request: Request) -> Response:
    query = search.parse_search(
        await json_object(request, optional=True), filters=SEARCH_FIELDS, what="user task"
    )
    context = api_context(request)
    return JSONResponse(await context.call(_search, context, query))


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
