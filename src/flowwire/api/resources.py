"""POST /v2/resources/{resourceKey}/deletion: delete a deployed process version.

Camunda's resource deletion for process definitions (flowwire deploys no other resource):
the version starts no new instance and its start events stop; instances running on it finish.
`flowwire serve` routes it through its inbound manager, so the version's start webhooks stop
at once and the previous version's start again (see `create_api(delete=...)`).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api.bodies import Fields, json_object
from flowwire.api.context import api_context, path_key
from flowwire.engine.deletion import DefinitionDeletion

#: what flowwire cannot do on deletion, accepted only when false or absent
_UNSUPPORTED = {
    "deleteHistory": (
        "flowwire keeps the history of instances that ran on a deleted version; "
        "leave it out or set it to false"
    )
}


async def delete_resource(request: Request) -> Response:
    key = path_key(request, "resourceKey")
    Fields(
        await json_object(request, optional=True),
        known=("deleteHistory",),
        unsupported=_UNSUPPORTED,
        where="the resource deletion",
    )
    context = api_context(request)
    delete: Callable[[int], DefinitionDeletion] = request.app.state.delete_definition
    deletion = await context.command(delete, key)
    context.refresh_definitions()
    return JSONResponse({"resourceKey": str(deletion.deleted.key)})


routes = [Route("/resources/{resourceKey}/deletion", delete_resource, methods=["POST"])]
