"""Messages and signals: publish (buffered with a time to live), correlate, broadcast.

The engine gains these commands with the BPMN events work; until an engine has them, the
endpoints answer 501 naming the missing capability rather than failing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api.bodies import DEFAULT_TENANT, Fields, json_object, key_text
from flowwire.api.context import api_context
from flowwire.api.problems import not_implemented

_BUSINESS_ID = {"businessId": "business ids are not implemented"}


def _command(request: Request, name: str) -> Any:
    command = getattr(api_context(request).engine, name, None)
    if command is None:
        raise not_implemented(
            f"this flowwire engine has no {name.replace('_', ' ')} yet "
            "(message and signal events are not available)"
        )
    return command


def _key(result: Any, *names: str) -> str | None:
    if isinstance(result, int) and not isinstance(result, bool):
        return str(result)
    for name in names:
        value = getattr(result, name, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None


async def publish_message(request: Request) -> Response:
    fields = Fields(
        await json_object(request),
        known=("name", "correlationKey", "timeToLive", "messageId", "variables"),
        unsupported=_BUSINESS_ID,
        where="the message publication",
    )
    name = fields.required_string("name")
    ttl = fields.duration_ms("timeToLive") or 0
    publish = _command(request, "publish_message")
    context = api_context(request)
    result = await context.command(
        publish,
        name,
        correlation_key=fields.string("correlationKey") or "",
        variables=fields.variables(),
        time_to_live=timedelta(milliseconds=ttl),
        message_id=fields.string("messageId") or None,
    )
    return JSONResponse(
        {"tenantId": DEFAULT_TENANT, "messageKey": _key(result, "key", "message_key")}
    )


async def correlate_message(request: Request) -> Response:
    fields = Fields(
        await json_object(request),
        known=("name", "correlationKey", "variables"),
        unsupported=_BUSINESS_ID,
        where="the message correlation",
    )
    name = fields.required_string("name")
    correlate = _command(request, "correlate_message")
    context = api_context(request)
    result = await context.command(
        correlate,
        name,
        correlation_key=fields.string("correlationKey") or "",
        variables=fields.variables(),
    )
    instance = getattr(result, "process_instance_key", None)
    return JSONResponse(
        {
            "tenantId": DEFAULT_TENANT,
            "messageKey": _key(result, "key", "message_key"),
            "processInstanceKey": key_text(instance if isinstance(instance, int) else None),
        }
    )


async def broadcast_signal(request: Request) -> Response:
    fields = Fields(
        await json_object(request),
        known=("signalName", "variables"),
        where="the signal broadcast",
    )
    name = fields.required_string("signalName")
    broadcast = _command(request, "broadcast_signal")
    context = api_context(request)
    result = await context.command(broadcast, name, variables=fields.variables())
    return JSONResponse({"tenantId": DEFAULT_TENANT, "signalKey": _key(result, "key")})


routes = [
    Route("/messages/publication", publish_message, methods=["POST"]),
    Route("/messages/correlation", correlate_message, methods=["POST"]),
    Route("/signals/broadcast", broadcast_signal, methods=["POST"]),
]
