"""Element instances (Camunda's flow node instances): search, live and past."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import shapes
from flowwire.api.bodies import json_object, parse_key
from flowwire.api.context import ApiContext, api_context
from flowwire.api.search import parse_search, run_search
from flowwire.engine import NotFound
from flowwire.engine.models import PROCESS_KIND

SEARCH_FIELDS = (
    "processDefinitionId",
    "startDate",
    "endDate",
    "elementId",
    "elementName",
    "type",
    "state",
    "hasIncident",
    "elementInstanceKey",
    "processInstanceKey",
    "rootProcessInstanceKey",
    "processDefinitionKey",
    "incidentKey",
)


def element_items(context: ApiContext, instance_key: int | None) -> list[dict[str, Any]]:
    engine = context.engine
    if instance_key is not None:
        try:
            instances = [engine.get_instance(instance_key)]
        except NotFound:
            return []
    else:
        instances = engine.instances(limit=1_000_000)
    items: list[dict[str, Any]] = []
    for instance in instances:
        incidents = {
            i.element_instance_key: i.key for i in engine.incidents("ACTIVE", instance.key)
        }
        names = context.element_names(instance.definition_key)
        for info in engine.element_instances(instance.key):
            if info.element_kind == PROCESS_KIND or info.key == instance.key:
                continue
            items.append(shapes.element_instance(info, instance, names, incidents.get(info.key)))
    return items


async def search_element_instances(request: Request) -> Response:
    query = parse_search(
        await json_object(request, optional=True),
        filters=SEARCH_FIELDS,
        what="element instance",
    )
    instance = query.equals("processInstanceKey")
    instance_key = parse_key(instance, "processInstanceKey") if instance is not None else None
    context = api_context(request)
    items = await context.call(element_items, context, instance_key)
    return JSONResponse(run_search(items, query))


routes = [Route("/element-instances/search", search_element_instances, methods=["POST"])]
