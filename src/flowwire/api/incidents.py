"""Incidents: search, get, resolve (the failed step or job is retried)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import search
from flowwire.api.bodies import DEFAULT_TENANT, Fields, json_object
from flowwire.api.context import api_context, path_key
from flowwire.engine import Engine, NotFound
from flowwire.store.search_query import Condition, SearchSpec

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


def _item(row: dict[str, Any]) -> dict[str, Any]:
    return {**search.api_values(row), "tenantId": DEFAULT_TENANT}


async def search_incidents(request: Request) -> Response:
    query = search.parse_search(
        await json_object(request, optional=True), filters=SEARCH_FIELDS, what="incident"
    )
    spec = search.spec_for(query, "incident")
    context = api_context(request)
    page = await context.call(search.run, context.engine, spec)
    return JSONResponse(search.answer(spec, page, _item))


def _one(engine: Engine, key: int) -> dict[str, Any]:
    page = search.run(
        engine, SearchSpec("incident", [Condition("incidentKey", "eq", key)], limit=1)
    )
    if not page.rows:
        raise NotFound(f"no incident with key {key}")
    return _item(page.rows[0])


async def get_incident(request: Request) -> Response:
    key = path_key(request, "incidentKey")
    context = api_context(request)
    return JSONResponse(await context.call(_one, context.engine, key))


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
