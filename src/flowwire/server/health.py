"""`GET /health` (and `/health/live`, `/health/ready`): live while the process answers,
ready once the webhooks are restored and the connector runtime runs."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse


async def health(request: Request) -> JSONResponse:
    ready = bool(getattr(request.app.state, "ready", False))
    status = "UP" if ready else "STARTING"
    return JSONResponse({"status": status, "live": True, "ready": ready}, 200 if ready else 503)


async def live(request: Request) -> JSONResponse:
    return JSONResponse({"status": "UP"})


async def ready(request: Request) -> JSONResponse:
    ok = bool(getattr(request.app.state, "ready", False))
    return JSONResponse({"status": "UP" if ok else "STARTING"}, 200 if ok else 503)
