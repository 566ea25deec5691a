"""Process definitions: search, get, and the deployed BPMN XML."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import search, shapes
from flowwire.api.bodies import DEFAULT_TENANT, json_object
from flowwire.api.context import api_context, path_key
from flowwire.api.problems import bad_request
from flowwire.store.search_query import Condition

SEARCH_FIELDS = (
    "name",
    "resourceName",
    "version",
    "processDefinitionId",
    "processDefinitionKey",
    "hasStartForm",
    "state",
)


def _item(row: dict[str, Any]) -> dict[str, Any]:
    item = search.api_values(row)
    del item["isLatestVersion"]
    return {**item, "versionTag": None, "tenantId": DEFAULT_TENANT}


async def search_definitions(request: Request) -> Response:
    body = await json_object(request, optional=True)
    latest: Any = None
    raw_filter = body.get("filter")
    if isinstance(raw_filter, dict) and "isLatestVersion" in raw_filter:
        raw_filter = dict(raw_filter)
        latest = raw_filter.pop("isLatestVersion")
        body = {**body, "filter": raw_filter}
        if latest is not None and not isinstance(latest, bool):
            raise bad_request(f"filter 'isLatestVersion' must be true or false, got {latest!r}")
    query = search.parse_search(body, filters=SEARCH_FIELDS, what="process definition")
    spec = search.spec_for(query, "process_definition")
    if latest is not None:
        spec.conditions.append(Condition("isLatestVersion", "eq", int(latest)))
    context = api_context(request)
    page = await context.call(search.run, context.engine, spec)
    return JSONResponse(search.answer(spec, page, _item))


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
