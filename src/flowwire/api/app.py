"""`create_api(engine)`: the Camunda 8 REST API (v2) as an ASGI app, mounted at `/v2`."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from flowwire.api import (
    clock_control,
    deployments,
    element_instances,
    incidents,
    jobs,
    messages,
    process_definitions,
    process_instances,
    resources,
    topology,
    user_tasks,
    variables,
)
from flowwire.api.auth import RequireCredentials
from flowwire.api.clock_control import PinnableClock
from flowwire.api.context import MAX_WAIT_MS, ApiContext
from flowwire.api.openapi import openapi_document
from flowwire.api.problems import (
    ApiProblem,
    handle_api_problem,
    handle_engine_error,
    handle_http_exception,
    handle_unexpected,
)
from flowwire.engine import Deployment, Engine, EngineError
from flowwire.engine.deletion import DefinitionDeletion
from flowwire.engine.group_commit import GroupCommitter

#: where `flowwire serve` mounts the API
MOUNT_PATH = "/v2"


async def _openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(MOUNT_PATH))


def api_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = [Route("/openapi.json", _openapi, methods=["GET"])]
    for module in (
        topology,
        deployments,
        process_instances,
        jobs,
        messages,
        incidents,
        variables,
        element_instances,
        process_definitions,
        user_tasks,
        resources,
        clock_control,
    ):
        routes.extend(module.routes)
    return routes


def create_api(
    engine: Engine,
    *,
    clock_control: bool = False,
    token: str | None = None,
    basic_credentials: tuple[str, str] | None = None,
    max_wait_ms: int = MAX_WAIT_MS,
    deploy: Callable[..., Deployment] | None = None,
    delete: Callable[[int], DefinitionDeletion] | None = None,
    commands: GroupCommitter | None = None,
) -> Starlette:
    """The API app (paths relative to its mount point, normally `/v2`).

    With `clock_control` the engine's clock becomes pinnable through `PUT /clock` (for
    process tests); with `token` or `basic_credentials` every request must carry them.
    `max_wait_ms` caps how long a job activation long-polls or awaitCompletion waits.
    `deploy` replaces `engine.deploy` for `POST /deployments`: `flowwire serve` passes its
    inbound manager's, so a deployment with a bad webhook is rejected like any invalid model.
    `delete` replaces `engine.delete_definition` for resource deletion (serve: the manager's,
    so the deleted version's webhooks stop).
    `commands` runs engine commands in group commits; `flowwire serve` shares its webhooks'
    so that API and webhook requests arriving together commit together.
    """
    if clock_control and not isinstance(engine.clock, PinnableClock):
        engine.clock = PinnableClock(engine.clock)
    middleware = []
    if token or basic_credentials:
        middleware.append(Middleware(RequireCredentials, token=token, basic=basic_credentials))
    app = Starlette(
        routes=api_routes(),
        middleware=middleware,
        exception_handlers={
            ApiProblem: handle_api_problem,
            EngineError: handle_engine_error,
            HTTPException: handle_http_exception,
            Exception: handle_unexpected,
        },
    )
    app.state.delete_definition = delete or engine.delete_definition
    app.state.api = ApiContext(
        engine,
        clock_control=clock_control,
        max_wait_ms=max_wait_ms,
        deploy=deploy,
        commands=commands,
    )
    return app
