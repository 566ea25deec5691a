"""Authentication of REST requests, including OAuth 2.0 tokens cached until shortly before
they expire (one token request at a time per credential, however many jobs wait for it)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from dataclasses import dataclass
from typing import Any

import httpx

from flowwire.connectors.errors import ConnectorError
from flowwire.connectors.rest.model import (
    ApiKeyAuthentication,
    BasicAuthentication,
    BearerAuthentication,
    NoAuthentication,
    OAuthClientCredentials,
    OAuthRefreshToken,
)
from flowwire.connectors.rest.response import http_error, parse_body, transport_error
from flowwire.connectors.secrets.masking import remember_credential

#: refresh a token this long before it expires (or at 90% of a shorter lifetime)
REFRESH_MARGIN_SECONDS = 30.0


@dataclass(slots=True)
class _Token:
    value: str
    refresh_at: float | None  # time.monotonic(); None: do not reuse


class TokenCache:
    """OAuth access tokens by credential, for the life of one runtime."""

    def __init__(self) -> None:
        self._tokens: dict[str, _Token] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.requests = 0  # token requests sent, for diagnostics

    async def token(
        self,
        client: httpx.AsyncClient,
        auth: OAuthClientCredentials | OAuthRefreshToken,
        timeout: httpx.Timeout,
    ) -> str:
        key = _cache_key(auth)
        cached = self._fresh(key)
        if cached is not None:
            return cached
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._fresh(key)
            if cached is not None:
                return cached
            token = await self._request(client, auth, timeout)
            self._tokens[key] = token
            return token.value

    def _fresh(self, key: str) -> str | None:
        token = self._tokens.get(key)
        if token is None or token.refresh_at is None or time.monotonic() >= token.refresh_at:
            return None
        return token.value

    async def _request(
        self,
        client: httpx.AsyncClient,
        auth: OAuthClientCredentials | OAuthRefreshToken,
        timeout: httpx.Timeout,
    ) -> _Token:
        form: dict[str, str] = {}
        headers = {"Accept": "application/json"}
        for credential in (auth.clientSecret, getattr(auth, "refreshToken", None)):
            if credential:
                remember_credential(credential)
        if isinstance(auth, OAuthClientCredentials):
            form["grant_type"] = "client_credentials"
            if auth.audience:
                form["audience"] = auth.audience
            if auth.clientAuthentication == "basicAuthHeader":
                headers["Authorization"] = _basic(auth.clientId, auth.clientSecret)
            else:
                form["client_id"] = auth.clientId
                form["client_secret"] = auth.clientSecret
        else:
            form["grant_type"] = "refresh_token"
            form["refresh_token"] = auth.refreshToken
            form["client_id"] = auth.clientId
            if auth.clientSecret:
                form["client_secret"] = auth.clientSecret
        if auth.scopes:
            form["scope"] = auth.scopes
        self.requests += 1
        try:
            response = await client.post(
                auth.oauthTokenEndpoint, data=form, headers=headers, timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc, auth.oauthTokenEndpoint, "the OAuth token request") from exc
        if response.status_code >= 400:
            error = http_error(response)
            error.message = (
                f"the OAuth token endpoint answered {response.status_code} {error.message}"
                + _oauth_reason(error.variables["response"]["body"])
            )
            raise error
        payload = parse_body(response, "JSON")
        access_token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(access_token, str) or not access_token:
            raise ConnectorError(
                "500",
                "the OAuth token endpoint's answer has no access_token; check the token "
                "endpoint URL",
            )
        return _Token(access_token, _refresh_at(payload.get("expires_in")))


def _oauth_reason(body: Any) -> str:
    if isinstance(body, dict) and body.get("error"):
        description = body.get("error_description")
        return f" ({body['error']}{': ' + str(description) if description else ''})"
    return ""


def _refresh_at(expires_in: Any) -> float | None:
    try:
        lifetime = float(expires_in)
    except (TypeError, ValueError):
        return None
    if lifetime <= 0:
        return None
    margin = min(REFRESH_MARGIN_SECONDS, lifetime * 0.1)
    return time.monotonic() + lifetime - margin


def _cache_key(auth: OAuthClientCredentials | OAuthRefreshToken) -> str:
    parts = [
        auth.type,
        auth.oauthTokenEndpoint,
        auth.clientId,
        auth.clientSecret or "",
        auth.scopes or "",
    ]
    if isinstance(auth, OAuthClientCredentials):
        parts += [auth.audience or "", auth.clientAuthentication]
    else:
        parts.append(auth.refreshToken)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _basic(username: str, password: str) -> str:
    raw = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


async def apply_authentication(
    auth: Any,
    headers: dict[str, Any],
    params: list[tuple[str, str]],
    *,
    client: httpx.AsyncClient,
    tokens: TokenCache,
    timeout: httpx.Timeout,
) -> None:
    """Add the credentials of `auth` to the request's headers or query parameters."""
    if isinstance(auth, NoAuthentication):
        return
    if isinstance(auth, BasicAuthentication):
        header = _basic(auth.username, auth.password)
        remember_credential(header.removeprefix("Basic "))
        _set_header(headers, "Authorization", header)
    elif isinstance(auth, BearerAuthentication):
        remember_credential(auth.token)
        _set_header(headers, "Authorization", f"Bearer {auth.token}")
    elif isinstance(auth, ApiKeyAuthentication):
        remember_credential(auth.value)
        if auth.apiKeyLocation == "query":
            params.append((auth.name, auth.value))
        else:
            _set_header(headers, auth.name, auth.value)
    elif isinstance(auth, OAuthClientCredentials | OAuthRefreshToken):
        token = await tokens.token(client, auth, timeout)
        remember_credential(token)
        _set_header(headers, "Authorization", f"Bearer {token}")


def _set_header(headers: dict[str, Any], name: str, value: str) -> None:
    for existing in [k for k in headers if k.lower() == name.lower()]:
        del headers[existing]
    headers[name] = value
