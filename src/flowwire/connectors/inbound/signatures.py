"""HMAC signatures of webhook requests (GitHub, Stripe-like, Twilio-like callers).

The signed data is the request's scopes, concatenated in the fixed order URL, PARAMETERS,
BODY: the full URL as received, the query and form parameters sorted by name as
`name` + `value`, and the raw body bytes. The default scope is the body alone, which is what
GitHub signs. The header value may be hex, `algorithm=hex` (GitHub's `sha256=...`) or base64;
every comparison runs in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import parse_qsl

from flowwire.connectors.inbound.config import HmacScope
from flowwire.connectors.inbound.request import IncomingRequest

_PREFIXES = ("sha1", "sha256", "sha512", "sha_1", "sha_256", "sha_512", "sha-1", "sha-256")


def signed_data(request: IncomingRequest, scopes: Iterable[HmacScope]) -> bytes:
    wanted = set(scopes)
    parts: list[bytes] = []
    if HmacScope.URL in wanted:
        parts.append(request.url.encode())
    if HmacScope.PARAMETERS in wanted:
        params = list(request.query)
        if request.content_type == "application/x-www-form-urlencoded":
            params.extend(parse_qsl(request.body.decode("latin-1"), keep_blank_values=True))
        parts.extend((name + value).encode() for name, value in sorted(params))
    if HmacScope.BODY in wanted:
        parts.append(request.body)
    return b"".join(parts)


def signature_matches(header_value: str, secret: str, algorithm: str, data: bytes) -> bool:
    """Whether `header_value` is the HMAC of `data`, in any of the accepted spellings."""
    digest = hmac.new(secret.encode(), data, getattr(hashlib, algorithm)).digest()
    value = header_value.strip()
    candidates = [value]
    prefix, sep, rest = value.partition("=")
    if sep and prefix.lower() in _PREFIXES:
        candidates.append(rest)
    matched = False
    for candidate in candidates:
        matched |= hmac.compare_digest(candidate.lower().encode(), digest.hex().encode())
        try:
            decoded = base64.b64decode(candidate, validate=True)
        except (binascii.Error, ValueError):
            continue
        matched |= hmac.compare_digest(decoded, digest)
    return matched
