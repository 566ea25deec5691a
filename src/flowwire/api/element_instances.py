"""Element instances (Camunda's flow node instances): search, live and past."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import search
from flowwire.api.bodies import DEFAULT_TENANT, json_object
from flowwire.api.context import ApiContext, api_context
from flowwire.api.search import SearchQuery
from flowwire.store.search_query import SearchPage, SearchSpec

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


def element_names(context: ApiContext, query: SearchQuery, name_field: str) -> Any:
    """The (definition key, element id, name) rows of every deployed process, when the
    search filters or sorts by the element's name (names are in the XML, not the tables)."""
    if not query.uses(name_field):
        return None
    return [
        (definition.key, element_id, name)
        for definition in context.refresh_definitions()
        for element_id, name in context.element_names(definition.key).items()
    ]


def named_search(context: ApiContext, spec: SearchSpec, name_field: str) -> SearchPage:
    """Run the search and give each row its element's name (the id when it has none)."""
    page = search.run(context.engine, spec)
    for row in page.rows:
        names = context.element_names(row["processDefinitionKey"])
        row[name_field] = names.get(row["elementId"], row["elementId"])
    return page


def _item(row: dict[str, Any]) -> dict[str, Any]:
    return {**search.api_values(row), "tenantId": DEFAULT_TENANT}


def _search(context: ApiContext, query: SearchQuery) -> dict[str, Any]:
    spec = search.spec_for(
        query,
        "element_instance",
        element_names=element_names(context, query, "elementName"),
    )
    return search.answer(spec, named_search(context, spec, "elementName"), _item)


async def search_element_instances(request: Request) -> Response:
    query = search.parse_search(
        await json_object(request, optional=True),
        filters=SEARCH_FIELDS,
        what="element instance",
    )
    context = api_context(request)
    return JSONResponse(await context.call(_search, context, query))


routes = [Route("/element-instances/search", search_element_instances, methods=["POST"])]
