"""Building the HTTP request from the REST connector's input: URL, query, headers and body.

The body is JSON unless the Content-Type header says otherwise: form-urlencoded and
multipart/form-data turn a context into form fields, any other type sends text as it is.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx

from flowwire.connectors.errors import ConnectorInputError
from flowwire.connectors.rest.model import HttpJsonRequest

_BODYLESS = {"GET", "DELETE"}


@dataclass(slots=True)
class PreparedRequest:
    method: str
    url: httpx.URL
    headers: dict[str, str]
    params: list[tuple[str, str]]
    content: bytes | None = None
    files: dict[str, tuple[None, str]] | None = None
    timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(20.0))
    #: with skipEncoding: the request target (path and query) exactly as written
    raw_target: str | None = None

    def extensions(self) -> dict[str, object]:
        """httpx request extensions: the unencoded target when encoding is skipped."""
        if self.raw_target is None:
            return {}
        target = self.raw_target
        if self.params:
            separator = "&" if "?" in target else "?"
            target += separator + urllib.parse.urlencode(self.params)
        return {"target": target.encode("utf-8")}


def prepare(request: HttpJsonRequest) -> PreparedRequest:
    headers = _header_values(request.headers or {})
    params = _query_values(request.queryParameters or {})
    prepared = PreparedRequest(
        method=request.method,
        url=_url(request.url),
        headers=headers,
        params=params,
        timeout=timeout_of(request),
        raw_target=(_raw_path_and_query(request.url) or "/") if request.skipEncoding else None,
    )
    _encode_body(request, prepared)
    return prepared


def timeout_of(request: HttpJsonRequest) -> httpx.Timeout:
    connect = _seconds(request.connectionTimeoutInSeconds)
    read = _seconds(request.readTimeoutInSeconds)
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


def _seconds(value: int | None) -> float | None:
    if value is None:
        return 20.0
    return None if value == 0 else float(value)


def _url(text: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ConnectorInputError(f"url: '{text}' is not a valid URL: {exc}") from None
    if not url.host:
        raise ConnectorInputError(f"url: '{text}' has no host name")
    return url


def _raw_path_and_query(text: str) -> str:
    """The path and query exactly as written (after scheme://authority, before #)."""
    rest = text.split("://", 1)[1] if "://" in text else text
    slash = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=-1)
    if slash < 0:
        return ""
    path = rest[slash:].split("#", 1)[0]
    return path if path.startswith("/") else "/" + path


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _header_values(headers: dict[str, Any]) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, value in headers.items():
        if value is None:
            continue
        if isinstance(value, list):
            result[str(name)] = ", ".join(_scalar_text(v) for v in value if v is not None)
        else:
            result[str(name)] = _scalar_text(value)
    return result


def _query_values(query: dict[str, Any]) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    for name, value in query.items():
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        params.extend((str(name), _scalar_text(v)) for v in values if v is not None)
    return params


def content_type(headers: dict[str, str]) -> tuple[str | None, str | None]:
    """The Content-Type header's name as given and its value (None, None when absent)."""
    for name, value in headers.items():
        if name.lower() == "content-type":
            return name, value
    return None, None


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value if v is not None]
    return value


def _encode_body(request: HttpJsonRequest, prepared: PreparedRequest) -> None:
    body = request.body
    if body is None or (request.method in _BODYLESS and body in ("", {})):
        return
    if request.ignoreNullValues:
        body = _without_nulls(body)
    header_name, header_value = content_type(prepared.headers)
    kind = (header_value or "").lower()
    if not kind or "json" in kind:
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        if header_name is None:
            prepared.headers["Content-Type"] = "application/json"
        prepared.content = text.encode("utf-8")
    elif "application/x-www-form-urlencoded" in kind:
        if isinstance(body, dict):
            pairs = _query_values(body)
            prepared.content = urllib.parse.urlencode(pairs).encode("ascii")
        else:
            prepared.content = _scalar_text(body).encode("utf-8")
    elif "multipart/form-data" in kind:
        if not isinstance(body, dict):
            raise ConnectorInputError(
                "body: a multipart/form-data body must be a context of field names to values"
            )
        assert header_name is not None
        del prepared.headers[header_name]  # httpx writes it with the boundary
        prepared.files = {
            str(name): (None, _scalar_text(value))
            for name, value in body.items()
            if value is not None
        }
    else:
        prepared.content = _scalar_text(body).encode("utf-8")
