"""The ASGI app of `flowwire serve`.

`create_app(engine)` wires the inbound manager and, unless told otherwise, the outbound
connector runtime into the app's lifespan: on start-up the stored processes' webhooks are
re-activated, the runtime starts polling for connector jobs, and a housekeeping task fires
due timers and activates webhooks of versions deployed by other means, and an HTTP poller polls
for instances waiting at `io.camunda:http-polling:1` elements; on shutdown (after the server
has finished in-flight requests) the runtime stops activating jobs and lets running ones
finish, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Mount, Route

from flowwire.api import MOUNT_PATH, create_api
from flowwire.connectors.inbound import InboundManager
from flowwire.connectors.inbound.polling import HttpPoller
from flowwire.connectors.runtime import ConnectorRuntime, ReportCallback
from flowwire.connectors.secrets.providers import SecretResolver
from flowwire.engine import Engine
from flowwire.server.background import housekeeping
from flowwire.server.health import health, live, ready
from flowwire.server.inbound_routes import METHODS, list_inbound, webhook

log = logging.getLogger("flowwire.server")

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024


def create_app(
    engine: Engine,
    *,
    inbound: InboundManager | None = None,
    connectors: Iterable[Any] | None = None,
    secrets: SecretResolver | None = None,
    run_connectors: bool = True,
    restore: bool = True,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    on_report: ReportCallback | None = None,
    rest_api: bool = True,
    clock_control: bool = False,
    api_token: str | None = None,
    api_basic: tuple[str, str] | None = None,
) -> Starlette:
    """The app; `connectors` as for `ConnectorRuntime` (None discovers installed ones).
    `rest_api` mounts the Camunda REST API at /v2 (`flowwire.api.create_api` options)."""
    manager = inbound or InboundManager(engine, secrets=secrets)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if restore:
            count = manager.restore()
            log.info("%d webhook element(s) active", count)
        stop = asyncio.Event()
        runtime: ConnectorRuntime | None = None
        task: asyncio.Task[None] | None = None
        if run_connectors:
            runtime = ConnectorRuntime(
                engine,
                connectors,
                secrets=manager.secrets,
                on_report=on_report,
                commands=manager.commands,
            )
            await runtime.start()
            task = asyncio.create_task(runtime.serve(stop), name="connector runtime")
        chores = asyncio.create_task(housekeeping(engine, manager, stop), name="housekeeping")
        poller = HttpPoller(engine, secrets=manager.secrets)
        app.state.poller = poller  # GET /inbound lists its elements
        polling = asyncio.create_task(poller.serve(stop), name="http polling")
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            stop.set()
            await chores
            await polling
            await poller.aclose()
            if task is not None:
                await task
            if runtime is not None:
                await runtime.aclose()
            await manager.aclose()
            log.info("stopped: connector jobs finished, webhooks closed")

    app = Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/health/live", live, methods=["GET"]),
            Route("/health/ready", ready, methods=["GET"]),
            Route("/inbound", list_inbound, methods=["GET"]),
            Route("/inbound/{webhook_id}", webhook, methods=METHODS),
        ]
        + (
            [
                Mount(
                    MOUNT_PATH,
                    app=create_api(
                        engine,
                        clock_control=clock_control,
                        token=api_token,
                        basic_credentials=api_basic,
                        deploy=manager.deploy,
                        delete=manager.delete_definition,
                        commands=manager.commands,
                    ),
                )
            ]
            if rest_api
            else []
        ),
        lifespan=lifespan,
    )
    app.state.inbound = manager
    app.state.engine = engine
    app.state.max_body_bytes = max_body_bytes
    app.state.ready = False
    app.state.poller = None
    return app
