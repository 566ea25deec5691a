"""Variables: search across scopes (live and ended), and set variables on an element instance's scope."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import search
from flowwire.api.bodies import DEFAULT_TENANT, Fields, json_object
from flowwire.api.context import api_context, path_key
from flowwire.api.problems import bad_request

SEARCH_FIELDS = (
    "name",
    "value",
    "isTruncated",
    "variableKey",
    "scopeKey",
    "processInstanceKey",
    "rootProcessInstanceKey",
)
#: values longer than this are cut in search results unless truncateValues=false (as Camunda)
TRUNCATE_AT = 8191


def _item(row: dict[str, Any]) -> dict[str, Any]:
    item = search.api_values(row)
    if item["isTruncated"]:
        item["value"] = item["value"][:TRUNCATE_AT]
    return {**item, "tenantId": DEFAULT_TENANT}


async def search_variables(request: Request) -> Response:
    query = search.parse_search(
        await json_object(request, optional=True), filters=SEARCH_FIELDS, what="variable"
    )
    truncate_param = request.query_params.get("truncateValues", "true").lower()
    if truncate_param not in ("true", "false"):
        raise bad_request(f"truncateValues must be true or false, got {truncate_param!r}")
    truncate_at = TRUNCATE_AT if truncate_param == "true" else None
    spec = search.spec_for(query, "variable", truncate_at=truncate_at)
    context = api_context(request)
    page = await context.call(search.run, context.engine, spec)
    return JSONResponse(search.answer(spec, page, _item))


async def set_variables(request: Request) -> Response:
    key = path_key(request, "elementInstanceKey")
    fields = Fields(
        await json_object(request), known=("variables", "local"), where="the variables update"
    )
    variables = fields.variables()
    if variables is None:
        raise bad_request("the variables update needs 'variables': a JSON object")
    context = api_context(request)
    await context.command(
        context.engine.set_variables, key, variables, local=fields.boolean("local")
    )
    return Response(status_code=204)


routes = [
    Route("/variables/search", search_variables, methods=["POST"]),
    Route("/element-instances/{elementInstanceKey}/variables", set_variables, methods=["PUT"]),
]
