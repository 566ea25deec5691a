"""`GET /inbound` (the active webhooks and HTTP polling elements with their health) and
`/inbound/{id}`.

The route checks what needs no body first (unknown id 404, wrong method 405), then reads the
body up to the size limit (413), then hands a framework-free `IncomingRequest` to the
webhook pipeline. Anything unexpected is logged with its stack trace and answered with a
plain 500 — the caller never sees a trace.
"""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from flowwire.connectors.inbound import (
    InboundManager,
    IncomingRequest,
    Reply,
    handle,
    method_allowed,
    rejection,
)
from flowwire.connectors.inbound.polling import HttpPoller

log = logging.getLogger("flowwire.inbound")

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _url(request: Request) -> str:
    """The URL as the caller addressed it (for HMAC's URL scope), without building
    Starlette's URL object on every request."""
    scope = request.scope
    host = request.headers.get("host")
    if host is None:
        server = scope.get("server") or ("localhost", 80)
        host = f"{server[0]}:{server[1]}"
    query = scope.get("query_string", b"")
    path = scope.get("root_path", "") + scope["path"]
    return f"{scope.get('scheme', 'http')}://{host}{path}" + (
        f"?{query.decode('latin-1')}" if query else ""
    )


def to_response(reply: Reply) -> Response:
    return Response(reply.body, reply.status, reply.headers)


async def list_inbound(request: Request) -> JSONResponse:
    """The webhooks, then the HTTP polling elements (once the server's poller runs)."""
    manager: InboundManager = request.app.state.inbound
    poller: HttpPoller | None = getattr(request.app.state, "poller", None)
    polling = poller.describe() if poller is not None else []
    return JSONResponse(manager.describe() + polling)


async def webhook(request: Request) -> Response:
    manager: InboundManager = request.app.state.inbound
    webhook_id = request.path_params["webhook_id"]
    endpoint = manager.endpoint(webhook_id)
    if endpoint is None:
        return to_response(rejection(webhook_id, 404, f"no active webhook with id '{webhook_id}'"))
    config = endpoint.primary.config
    if not method_allowed(config, request.method):
        allowed = "GET, POST, PUT, DELETE" if config.method == "any" else config.method.upper()
        return to_response(
            rejection(
                webhook_id,
                405,
                f"this webhook accepts {allowed} requests, not {request.method}",
                {"Allow": allowed},
            )
        )
    limit: int = request.app.state.max_body_bytes
    try:
        body = await read_body(request, limit)
    except BodyTooLarge:
        return to_response(
            rejection(webhook_id, 413, f"the request body is larger than {limit} bytes")
        )
    except ClientDisconnect:
        log.info("webhook '%s': the caller disconnected before sending its body", webhook_id)
        return Response(status_code=400)
    incoming = IncomingRequest(
        method=request.method,
        url=_url(request),
        headers=request.headers.items(),
        query=request.query_params.multi_items(),
        body=body,
    )
    try:
        reply = await handle(endpoint, incoming, manager.jwks, manager.correlate)
    except Exception:
        log.exception("webhook '%s' failed on an unexpected error", webhook_id)
        return JSONResponse(
            {"error": "internal error; the server log has the details", "webhookId": webhook_id},
            500,
        )
    return to_response(reply)
