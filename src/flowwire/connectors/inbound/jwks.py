"""JSON Web Key sets fetched from an issuer's JWK URL, cached, and JWT checks against them.

Keys are cached per URL for `ttl` seconds. A token signed with a key id the cache does not
know triggers one refetch (keys rotate), at most once per `refetch_interval`, so forged key
ids cannot make us hammer the issuer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

#: asymmetric algorithms only: a JWK URL publishes public keys, so HS*/none are never valid
ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
]


class TokenRejected(Exception):
    """The token is missing, malformed, expired or not signed by a published key (401)."""


@dataclass(slots=True)
class _Entry:
    keys: dict[str | None, jwt.PyJWK]
    fetched: float


class JwkCache:
    def __init__(
        self,
        client: Callable[[], httpx.AsyncClient],
        *,
        ttl: float = 300.0,
        refetch_interval: float = 10.0,
    ) -> None:
        """`client` gives the HTTP client when a key set is first fetched (webhooks without
        JWT never create one)."""
        self._client = client
        self._ttl = ttl
        self._refetch_interval = refetch_interval
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def _fetch(self, url: str) -> _Entry:
        try:
            response = await self._client().get(url, timeout=10.0)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as err:
            raise TokenRejected(f"the JWK set at {url} could not be fetched: {err}") from None
        keys: dict[str | None, jwt.PyJWK] = {}
        for item in document.get("keys", []) if isinstance(document, dict) else []:
            try:
                key = jwt.PyJWK(item)
            except (jwt.PyJWKError, jwt.InvalidKeyError):
                continue
            keys[item.get("kid")] = key
        entry = _Entry(keys, time.monotonic())
        self._entries[url] = entry
        return entry

    async def _keys(self, url: str, kid: str | None) -> dict[str | None, jwt.PyJWK]:
        lock = self._locks.setdefault(url, asyncio.Lock())
        async with lock:
            entry = self._entries.get(url)
            now = time.monotonic()
            stale = entry is None or now - entry.fetched > self._ttl
            unknown = entry is not None and kid not in entry.keys and kid is not None
            if stale or (
                unknown and entry is not None and now - entry.fetched > self._refetch_interval
            ):
                entry = await self._fetch(url)
            assert entry is not None
            return entry.keys

    async def verify(self, token: str, url: str) -> dict[str, Any]:
        """The token's claims, if its signature and expiry check out."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenRejected("the bearer token is not a JWT") from None
        kid = header.get("kid")
        keys = await self._keys(url, kid)
        key = keys.get(kid) if kid is not None else None
        candidates = [key] if key is not None else ([] if kid is not None else list(keys.values()))
        if not candidates:
            raise TokenRejected(f"no key with id '{kid}' at the JWK URL")
        last: Exception | None = None
        for candidate in candidates:
            try:
                claims: dict[str, Any] = jwt.decode(
                    token,
                    candidate.key,
                    algorithms=ALGORITHMS,
                    options={"verify_aud": False},
                )
                return claims
            except jwt.ExpiredSignatureError:
                raise TokenRejected("the token has expired") from None
            except jwt.PyJWTError as err:
                last = err
        raise TokenRejected(f"the token signature is not valid ({last})")
