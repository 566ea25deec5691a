"""Incidents: search, get, resolve (the failed step or job is retried)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import shapes
from flowwire.api.bodies import Fields, json_object
from flowwire.api.context import ApiContext, api_context, path_key
from flowwire.api.search import parse_search, run_search
from flowwire.engine import IncidentInfo, InstanceInfo, NotFound

SEARCH_FIELDS = (
    "processDefinitionId",
    "errorType",
    "errorMessage",
    "elementId",
    "creationTime",
    "state",
    "incidentKey",
    "processDefinitionKey",
    "processInstanceKey",
    "rootProcessInstanceKey",
    "elementInstanceKey",
    "jobKey",
)


def _items(context: ApiContext, incidents: list[IncidentInfo]) -> list[dict[str, Any]]:
    instances: dict[int, InstanceInfo | None] = {}
    items = []
    for incident in incidents:
        if incident.instance_key not in instances:
            try:
                instances[incident.instance_key] = context.engine.get_instance(
                    incident.instance_key
                )
            except NotFound:
                instances[incident.instance_key] = None
        items.append(shapes.incident(incident, instances[incident.instance_key]))
    return items


def _search(context: ApiContext, state: Any, instance: Any) -> list[dict[str, Any]]:
    instance_key = (
        int(instance) if isinstance(instance, int | str) and str(instance).isdigit() else None
    )
    found = context.engine.incidents(state if isinstance(state, str) else None, instance_key)
    return _items(context, found)


async def search_incidents(request: Request) -> Response:
    query = parse_search(
        await json_object(request, optional=True), filters=SEARCH_FIELDS, what="incident"
    )
    context = api_context(request)
    items = await context.call(
        _search, context, query.equals("state"), query.equals("processInstanceKey")
    )
    return JSONResponse(run_search(items, query))


def _one(context: ApiContext, key: int) -> dict[str, Any]:
    for incident in context.engine.incidents(None):
        if incident.key == key:
            return _items(context, [incident])[0]
    raise NotFound(f"no incident with key {key}")


async def get_incident(request: Request) -> Response:
    key = path_key(request, "incidentKey")
    context = api_context(request)
    return JSONResponse(await context.call(_one, context, key))


async def resolve_incident(request: Request) -> Response:
    key = path_key(request, "incidentKey")
    Fields(await json_object(request, optional=True), known=(), where="the incident resolution")
    context = api_context(request)
    await context.command(context.engine.resolve_incident, key)
    return Response(status_code=204)


routes = [
    Route("/incidents/search", search_incidents, methods=["POST"]),
    Route("/incidents/{incidentKey}", get_incident, methods=["GET"]),
    Route("/incidents/{incidentKey}/resolution", resolve_incident, methods=["POST"]),
]
