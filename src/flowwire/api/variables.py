"""Variables: search across scopes, and set variables on an element instance's scope."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import shapes
from flowwire.api.bodies import DEFAULT_TENANT, Fields, json_object, parse_key
from flowwire.api.context import ApiContext, api_context, path_key
from flowwire.api.problems import bad_request
from flowwire.api.search import parse_search, run_search
from flowwire.engine.values import decode

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


def _variables(context: ApiContext, instance_key: Any, truncate: bool) -> list[dict[str, Any]]:
    """Variables of live scopes (ended scopes' local variables are gone in flowwire)."""
    items: list[dict[str, Any]] = []
    with context.engine.store.read() as tx:
        if instance_key is not None:
            record = tx.instance(instance_key)
            instances = [record] if record is not None else []
        else:
            instances = tx.instances(None, None, 1_000_000)
        for instance in instances:
            scopes = [instance.key] + [r.key for r in tx.element_instances_of(instance.key)]
            for row in sorted(tx.variables(scopes), key=lambda r: (r.scope_key, r.name)):
                text = shapes.variable_value(decode(row.value))
                cut = truncate and len(text) > TRUNCATE_AT
                items.append(
                    {
                        "value": text[:TRUNCATE_AT] if cut else text,
                        "isTruncated": cut,
                        "name": row.name,
                        "tenantId": DEFAULT_TENANT,
                        "variableKey": shapes.variable_key(row.scope_key, row.name),
                        "scopeKey": str(row.scope_key),
                        "processInstanceKey": str(instance.key),
                        "rootProcessInstanceKey": str(instance.root_instance_key),
                    }
                )
    return items


async def search_variables(request: Request) -> Response:
    query = parse_search(
        await json_object(request, optional=True), filters=SEARCH_FIELDS, what="variable"
    )
    truncate_param = request.query_params.get("truncateValues", "true").lower()
    if truncate_param not in ("true", "false"):
        raise bad_request(f"truncateValues must be true or false, got {truncate_param!r}")
    instance = query.equals("processInstanceKey")
    instance_key = parse_key(instance, "processInstanceKey") if instance is not None else None
    context = api_context(request)
    items = await context.call(_variables, context, instance_key, truncate_param == "true")
    return JSONResponse(run_search(items, query))


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
