"""Process definitions: search, get, and the deployed BPMN XML."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import shapes
from flowwire.api.bodies import json_object
from flowwire.api.context import api_context, path_key
from flowwire.api.search import parse_search, run_search

SEARCH_FIELDS = (
    "name",
    "resourceName",
    "version",
    "processDefinitionId",
    "processDefinitionKey",
    "hasStartForm",
    "state",
)


async def search_definitions(request: Request) -> Response:
    body = await json_object(request, optional=True)
    latest_only = False
    raw_filter = body.get("filter")
    if isinstance(raw_filter, dict) and "isLatestVersion" in raw_filter:
        raw_filter = dict(raw_filter)
        latest_only = raw_filter.pop("isLatestVersion") is True
        body = {**body, "filter": raw_filter}
    query = parse_search(body, filters=SEARCH_FIELDS, what="process definition")
    context = api_context(request)
    definitions = await context.call(context.refresh_definitions)
    if latest_only:
        newest: dict[str, int] = {}
        for d in definitions:
            newest[d.process_id] = max(newest.get(d.process_id, 0), d.version)
        definitions = [d for d in definitions if d.version == newest[d.process_id]]
    items = [shapes.process_definition(d) for d in definitions]
    return JSONResponse(run_search(items, query))


async def get_definition(request: Request) -> Response:
    key = path_key(request, "processDefinitionKey")
    context = api_context(request)
    definition = await context.call(context.definition, key)
    return JSONResponse(shapes.process_definition(definition))


async def get_definition_xml(request: Request) -> Response:
    key = path_key(request, "processDefinitionKey")
    context = api_context(request)
    xml = await context.call(context.definition_xml, key)
    return Response(xml, media_type="text/xml")


routes = [
    Route("/process-definitions/search", search_definitions, methods=["POST"]),
    Route("/process-definitions/{processDefinitionKey}", get_definition, methods=["GET"]),
    Route("/process-definitions/{processDefinitionKey}/xml", get_definition_xml, methods=["GET"]),
]
