"""Checking who sent a webhook request: HMAC signature, then BASIC / APIKEY / JWT auth.

Every failure raises `Rejected` with the status the caller gets (401, or 403 for a valid JWT
without the required permissions) and a reason that names what is wrong but never a secret.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any

from flowwire.connectors.inbound.config import AuthType, HmacScope, WebhookConfig
from flowwire.connectors.inbound.expressions import FeelFailure, evaluate
from flowwire.connectors.inbound.jwks import JwkCache, TokenRejected
from flowwire.connectors.inbound.request import IncomingRequest
from flowwire.connectors.inbound.signatures import signature_matches, signed_data


class Rejected(Exception):
    """The request is refused with `status`; `reason` is safe to show and to log."""

    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}


def _scopes(config: WebhookConfig) -> list[HmacScope]:
    assert config.hmac is not None
    if config.hmac.scopes is None:
        return [HmacScope.BODY]
    try:
        value = evaluate("inbound.hmacScopes", config.hmac.scopes, {})
    except FeelFailure as err:
        raise Rejected(422, str(err)) from None
    items = value if isinstance(value, list) else [value]
    try:
        return [HmacScope(str(item).upper()) for item in items]
    except ValueError:
        raise Rejected(
            422, "inbound.hmacScopes must be a list of BODY, URL and PARAMETERS"
        ) from None


def check_hmac(config: WebhookConfig, request: IncomingRequest) -> None:
    settings = config.hmac
    if settings is None:
        return
    value = request.header(settings.header)
    if not value:
        raise Rejected(401, f"the HMAC signature header '{settings.header}' is missing")
    data = signed_data(request, _scopes(config))
    if not signature_matches(value, settings.secret, settings.algorithm, data):
        raise Rejected(401, f"the HMAC signature in header '{settings.header}' does not match")


def _equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _basic(config: WebhookConfig, request: IncomingRequest) -> None:
    challenge = {"WWW-Authenticate": 'Basic realm="flowwire webhook"'}
    header = request.header("authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise Rejected(401, "BASIC credentials are missing", challenge)
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, ValueError):
        raise Rejected(401, "the BASIC credentials are not valid base64", challenge) from None
    ok_user = _equal(user, config.auth.username)
    ok_password = _equal(password, config.auth.password)
    if not (ok_user and ok_password):
        raise Rejected(401, "wrong BASIC username or password", challenge)


def _api_key(config: WebhookConfig, context: dict[str, Any]) -> None:
    try:
        given = evaluate(
            "inbound.auth.apiKeyLocator", config.auth.api_key_locator, {"request": context}
        )
    except FeelFailure:
        raise Rejected(401, "the API key is missing") from None
    if not isinstance(given, str) or not given:
        raise Rejected(401, "the API key is missing")
    if not _equal(given, config.auth.api_key):
        raise Rejected(401, "wrong API key")


async def _jwt(config: WebhookConfig, request: IncomingRequest, jwks: JwkCache) -> None:
    scheme, _, token = (request.header("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Rejected(401, "a bearer token (JWT) is missing", {"WWW-Authenticate": "Bearer"})
    url = config.auth.jwk_url
    if url.startswith("="):
        try:
            url = str(evaluate("inbound.auth.jwt.jwkUrl", url, {}))
        except FeelFailure as err:
            raise Rejected(422, str(err)) from None
    try:
        claims = await jwks.verify(token.strip(), url)
    except TokenRejected as err:
        raise Rejected(401, str(err), {"WWW-Authenticate": "Bearer"}) from None
    required_text = config.auth.required_permissions
    if not required_text:
        return
    try:
        required = evaluate("inbound.auth.jwt.requiredPermissions", required_text, claims)
        granted = (
            evaluate(
                "inbound.auth.jwt.permissionsExpression", config.auth.permissions_expression, claims
            )
            if config.auth.permissions_expression
            else []
        )
    except FeelFailure as err:
        raise Rejected(403, f"the token's permissions cannot be read: {err}") from None
    need = set(map(str, required if isinstance(required, list) else [required]))
    have = set(map(str, granted if isinstance(granted, list) else [granted]))
    missing = sorted(need - have)
    if missing:
        raise Rejected(403, f"the token lacks the permissions {', '.join(missing)}")


async def check_auth(
    config: WebhookConfig, request: IncomingRequest, context: dict[str, Any], jwks: JwkCache
) -> None:
    kind = config.auth.type
    if kind is AuthType.BASIC:
        _basic(config, request)
    elif kind is AuthType.APIKEY:
        _api_key(config, context)
    elif kind is AuthType.JWT:
        await _jwt(config, request, jwks)
