"""An incoming webhook request and the FEEL `request` context built from it.

FEEL sees `request = {body, headers, params}`: the body parsed by its Content-Type (JSON;
form-urlencoded as a context; any other type as text; an empty body as `{}`), header names
lower-cased, query parameters as a context. A repeated header is joined with ", " and a
repeated parameter becomes a list, so nothing the caller sent is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


class MalformedBody(ValueError):
    """The body does not parse as its Content-Type says (answered with 400)."""


@dataclass(frozen=True, slots=True)
class IncomingRequest:
    """What the server hands the webhook pipeline: no framework types, easy to build in tests."""

    method: str
    url: str
    headers: Sequence[tuple[str, str]] = ()
    query: Sequence[tuple[str, str]] = ()
    body: bytes = b""
    _headers: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        joined: dict[str, str] = {}
        for name, value in self.headers:
            key = name.lower()
            joined[key] = f"{joined[key]}, {value}" if key in joined else value
        object.__setattr__(self, "_headers", joined)

    def header(self, name: str) -> str | None:
        return self._headers.get(name.lower())

    @property
    def header_map(self) -> dict[str, str]:
        """Lower-cased header names to values."""
        return dict(self._headers)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()


def _multi(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name not in result:
            result[name] = value
        elif isinstance(result[name], list):
            result[name].append(value)
        else:
            result[name] = [result[name], value]
    return result


def _charset(request: IncomingRequest) -> str:
    for part in (request.header("content-type") or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return "utf-8"


def parse_body(request: IncomingRequest) -> Any:
    """The body as FEEL should see it; raises MalformedBody for a body that contradicts its
    Content-Type."""
    raw = request.body
    if not raw.strip():
        return {}
    kind = request.content_type
    try:
        text = raw.decode(_charset(request))
    except (UnicodeDecodeError, LookupError):
        if kind == "application/json" or kind.endswith("+json"):
            raise MalformedBody("the JSON body is not valid UTF-8 text") from None
        return raw.decode("latin-1")
    if kind == "application/json" or kind.endswith("+json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise MalformedBody(
                f"the body is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
            ) from None
    if kind == "application/x-www-form-urlencoded":
        return _multi(parse_qsl(text, keep_blank_values=True))
    if not kind:
        # no Content-Type: JSON when it parses as JSON, else text (curl -d without -H)
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def request_context(request: IncomingRequest) -> dict[str, Any]:
    """The FEEL `request` context."""
    return {
        "body": parse_body(request),
        "headers": request.header_map,
        "params": _multi(request.query),
    }
