"""Process instances: create (optionally awaiting completion), cancel, get, search."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import search, shapes
from flowwire.api.bodies import DEFAULT_TENANT, Fields, json_object
from flowwire.api.context import RECHECK_SECONDS, ApiContext, api_context, path_key
from flowwire.api.problems import ApiProblem, bad_request
from flowwire.engine import InstanceInfo, NotFound

#: how long awaitCompletion waits when the request gives no requestTimeout (as Camunda)
DEFAULT_AWAIT_MS = 10_000

_CREATE_FIELDS = (
    "processDefinitionId",
    "processDefinitionVersion",
    "processDefinitionKey",
    "variables",
    "awaitCompletion",
    "fetchVariables",
    "requestTimeout",
)
_CREATE_UNSUPPORTED = {
    "startInstructions": "instances always begin at the none start event",
    "runtimeInstructions": "runtime instructions are not implemented",
    "tags": "process instance tags are not implemented",
    "businessId": "business ids are not implemented",
    "processDefinitionVersionTag": "version tags are not implemented; use processDefinitionVersion",
}
SEARCH_FIELDS = (
    "processDefinitionId",
    "processDefinitionName",
    "processDefinitionVersion",
    "startDate",
    "endDate",
    "state",
    "hasIncident",
    "processInstanceKey",
    "processDefinitionKey",
    "parentProcessInstanceKey",
    "parentElementInstanceKey",
    "rootProcessInstanceKey",
)


async def create_instance(request: Request) -> Response:
    fields = Fields(
        await json_object(request),
        known=_CREATE_FIELDS,
        unsupported=_CREATE_UNSUPPORTED,
        where="the process instance creation",
    )
    process_id = fields.string("processDefinitionId", allow_empty=False)
    definition_key = fields.key("processDefinitionKey")
    version = fields.integer("processDefinitionVersion", minimum=-1)
    if version == -1:
        version = None  # Camunda's "latest"
    if version == 0:
        raise bad_request("'processDefinitionVersion' starts at 1 (or -1 for the latest)")
    if (process_id is None) == (definition_key is None):
        raise bad_request(
            "name the process to start with either 'processDefinitionId' or "
            "'processDefinitionKey' (exactly one)"
        )
    if definition_key is not None and version is not None:
        raise bad_request("'processDefinitionVersion' goes with 'processDefinitionId' only")
    variables = fields.variables()
    await_completion = fields.boolean("awaitCompletion")
    fetch = fields.string_list("fetchVariables")
    timeout_ms = fields.integer("requestTimeout", minimum=0) or DEFAULT_AWAIT_MS

    context = api_context(request)
    timeout_ms = min(timeout_ms, context.max_wait_ms)
    created = await context.command(
        context.engine.create_instance,
        process_id,
        variables,
        version=version,
        definition_key=definition_key,
    )
    result_variables: dict[str, Any] = {}
    if await_completion:
        result_variables = await _await_completion(context, created.key, timeout_ms)
        if fetch is not None:
            result_variables = {k: v for k, v in result_variables.items() if k in fetch}
    return JSONResponse(
        {
            "processDefinitionId": created.process_id,
            "processDefinitionVersion": created.version,
            "processDefinitionKey": str(created.definition_key),
            "processInstanceKey": str(created.key),
            "tenantId": DEFAULT_TENANT,
            "variables": result_variables,
            "tags": [],
            "businessId": None,
        }
    )


async def _await_completion(context: ApiContext, key: int, timeout_ms: int) -> dict[str, Any]:
    """Wait (without holding a thread) until the instance ends; its root variables."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_ms / 1000
    while True:
        info = await context.call(context.engine.get_instance, key)
        if info.state == "COMPLETED":
            return await context.call(context.engine.variables, key)
        if info.state != "ACTIVE":
            raise ApiProblem(
                409,
                f"process instance {key} was {info.state.lower()} before it completed",
            )
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise ApiProblem(
                504,
                f"process instance {key} did not complete within {timeout_ms} ms "
                "(requestTimeout); it keeps running",
                title="DEADLINE_EXCEEDED",
            )
        await context.wait_for_change(min(RECHECK_SECONDS, remaining))


async def cancel_instance(request: Request) -> Response:
    key = path_key(request, "processInstanceKey")
    Fields(await json_object(request, optional=True), known=(), where="the cancellation")
    context = api_context(request)
    await context.command(context.engine.cancel_instance, key)
    return Response(status_code=204)


async def get_instance(request: Request) -> Response:
    key = path_key(request, "processInstanceKey")
    context = api_context(request)
    info = await context.call(context.engine.get_instance, key)
    return JSONResponse(_item(context, info))


def _item(context: ApiContext, info: InstanceInfo) -> dict[str, Any]:
    try:
        definition = context.definition(info.definition_key)
    except NotFound:
        definition = None
    return shapes.process_instance(info, definition)


def _search_item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **search.api_values(row),
        "processDefinitionVersionTag": None,
        "suspendedDate": None,
        "tenantId": DEFAULT_TENANT,
        "tags": [],
        "businessId": None,
    }


async def search_instances(request: Request) -> Response:
    query = search.parse_search(
        await json_object(request, optional=True), filters=SEARCH_FIELDS, what="process instance"
    )
    spec = search.spec_for(query, "process_instance")
    context = api_context(request)
    page = await context.call(search.run, context.engine, spec)
    return JSONResponse(search.answer(spec, page, _search_item))


routes = [
    Route("/process-instances", create_instance, methods=["POST"]),
    Route("/process-instances/search", search_instances, methods=["POST"]),
    Route("/process-instances/{processInstanceKey}", get_instance, methods=["GET"]),
    Route(
        "/process-instances/{processInstanceKey}/cancellation", cancel_instance, methods=["POST"]
    ),
]
