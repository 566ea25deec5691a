"""Answering one webhook request, step by step, as Camunda's webhook connector does:

signature (HMAC) -> authentication -> verification expression (handshakes) -> activation
condition of each element sharing the id -> variable mapping -> correlation (start an
instance or publish a message) -> response expression.

Each step that refuses raises `Rejected` with the status the issue lists; `handle` turns it
into a `Reply` and logs the webhook id with the reason (never a secret, never a stack trace).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from flowwire.connectors.inbound.config import WebhookConfig
from flowwire.connectors.inbound.expressions import (
    FeelFailure,
    evaluate,
    evaluate_lenient,
    to_json_bytes,
)
from flowwire.connectors.inbound.jwks import JwkCache
from flowwire.connectors.inbound.registry import Activation, Endpoint
from flowwire.connectors.inbound.request import IncomingRequest, MalformedBody, request_context
from flowwire.connectors.inbound.security import Rejected, check_auth, check_hmac
from flowwire.connectors.secrets.masking import mask_text
from flowwire.connectors.values import to_plain

log = logging.getLogger("flowwire.inbound")

#: correlate(activation, variables, request context) -> the `correlation` context
Correlate = Callable[[Activation, dict[str, Any], dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, value: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status, to_json_bytes(value), {"content-type": "application/json", **(headers or {})}
    )


def rejection(
    webhook_id: str, status: int, reason: str, headers: dict[str, str] | None = None
) -> Reply:
    """The reply to a refused request, logged with the webhook id and the (masked) reason."""
    safe = mask_text(reason)
    log.warning("webhook '%s' rejected a request with %d: %s", webhook_id, status, safe)
    return json_reply(status, {"error": safe, "webhookId": webhook_id}, headers)


def method_allowed(config: WebhookConfig, method: str) -> bool:
    return config.method == "any" or config.method == method.lower()


def _response(value: Any) -> Reply:
    """A response expression's (or verification expression's) result as a reply."""
    if not isinstance(value, dict) or not ({"body", "statusCode", "headers"} & value.keys()):
        return json_reply(200, value)
    status = value.get("statusCode")
    try:
        code = int(status) if status is not None else 200
    except (TypeError, ValueError):
        raise FeelFailure(f"statusCode must be a number, got {status!r}") from None
    if not 100 <= code <= 599:
        raise FeelFailure(f"statusCode {code} is not an HTTP status")
    headers = {str(k).lower(): str(v) for k, v in (value.get("headers") or {}).items()}
    body = value.get("body")
    if body is None:
        return Reply(code, b"", headers)
    if isinstance(body, str):
        headers.setdefault("content-type", "text/plain; charset=utf-8")
        return Reply(code, body.encode(), headers)
    headers.setdefault("content-type", "application/json")
    return Reply(code, to_json_bytes(body), headers)


def _condition_met(activation: Activation, context: dict[str, Any]) -> bool:
    text = activation.config.activation_condition
    if not text:
        return True
    value = evaluate_lenient(text, {"request": context})
    if value is None or isinstance(value, bool):
        return value is True
    raise FeelFailure(f"activationCondition must give true or false, got {value!r}")


def map_variables(config: WebhookConfig, context: dict[str, Any]) -> dict[str, Any]:
    """The variables the element receives: `resultVariable` gets the connector output
    ({request}), `resultExpression` maps it to several variables; neither maps nothing."""
    output = {"request": context}
    variables: dict[str, Any] = {}
    if config.result_variable:
        variables[config.result_variable] = output
    if config.result_expression:
        mapped = evaluate("resultExpression", config.result_expression, output)
        if mapped is not None and not isinstance(mapped, dict):
            raise FeelFailure(
                f"resultExpression must give a context of variables, got {type(mapped).__name__}"
            )
        variables.update(mapped or {})
    return variables


async def handle(
    endpoint: Endpoint, request: IncomingRequest, jwks: JwkCache, correlate: Correlate
) -> Reply:
    """The reply to a request for `endpoint` (method and size already checked)."""
    webhook_id = endpoint.webhook_id
    try:
        return await _handle(endpoint, request, jwks, correlate)
    except Rejected as err:
        return rejection(webhook_id, err.status, err.reason, err.headers)
    except MalformedBody as err:
        return rejection(webhook_id, 400, str(err))
    except FeelFailure as err:
        return rejection(webhook_id, 422, str(err))


async def _handle(
    endpoint: Endpoint, request: IncomingRequest, jwks: JwkCache, correlate: Correlate
) -> Reply:
    primary = endpoint.primary
    if endpoint.problem is not None:
        raise Rejected(503, f"the webhook is not ready: {endpoint.problem}")
    config = primary.config
    context = request_context(request)
    check_hmac(config, request)
    await check_auth(config, request, context, jwks)
    if config.verification_expression:
        answer = evaluate_lenient(config.verification_expression, {"request": context})
        if answer is not None:
            log.info("webhook '%s' answered a verification request", endpoint.webhook_id)
            return _response(answer)
    chosen = next((a for a in endpoint.activations if _condition_met(a, context)), None)
    if chosen is None:
        if any(a.config.consume_unmatched_events for a in endpoint.activations):
            log.info(
                "webhook '%s' consumed a request that matched no activation condition",
                endpoint.webhook_id,
            )
            return Reply(200)
        raise Rejected(422, "Activation condition not met")
    variables = to_plain(map_variables(chosen.config, context))
    correlation = await correlate(chosen, variables, context)
    if config.response_expression:
        answer = evaluate(
            "inbound.responseExpression",
            config.response_expression,
            {"request": context, "correlation": correlation},
        )
        return _response(answer) if answer is not None else Reply(200)
    if config.response_body_expression:
        body = evaluate(
            "inbound.responseBodyExpression",
            config.response_body_expression,
            {"request": context, "correlation": correlation},
        )
        return _response({"body": body})
    return Reply(200)
