"""REST responses as process data (`{status, headers, body}`) and failures as connector errors.

HTTP status >= 400 becomes `ConnectorError(code="404", message="Not Found",
variables={"response": {"headers": ..., "body": ...}})`, so an error expression such as
`if error.code = "404" then bpmnError("404", "Got a 404") else null` routes it. Transport
failures (refused, unknown host, timeouts) become code "500" with a message naming the cause.
"""

from __future__ import annotations

import http
import json
from typing import Any

import httpx

from flowwire.connectors.errors import ConnectorError, ConnectorInputError

TRANSPORT_ERROR_CODE = "500"


def flat_headers(headers: httpx.Headers) -> dict[str, Any]:
    """Header names in lower case; one value as a string, repeated headers as a list."""
    result: dict[str, Any] = {}
    for name, value in headers.multi_items():
        if name in result:
            existing = result[name]
            result[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            result[name] = value
    return result


def parse_body(
    response: httpx.Response, return_format: str = "JSON", encoding: str = "UTF-8"
) -> Any:
    """JSON bodies parsed, anything else as text; an empty body is null."""
    raw = response.content
    if not raw:
        return None
    if return_format == "TEXT":
        return raw.decode(encoding or "utf-8", errors="replace")
    content_type = response.headers.get("content-type", "").lower()
    text = raw.decode(response.encoding or "utf-8", errors="replace")
    looks_json = "json" in content_type or (not content_type and text.lstrip()[:1] in ("{", "["))
    if looks_json:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def as_result(
    response: httpx.Response, return_format: str = "JSON", encoding: str = "UTF-8"
) -> dict[str, Any]:
    return {
        "status": response.status_code,
        "headers": flat_headers(response.headers),
        "body": parse_body(response, return_format, encoding),
    }


def reason_phrase(response: httpx.Response) -> str:
    if response.reason_phrase:
        return response.reason_phrase
    try:
        return http.HTTPStatus(response.status_code).phrase
    except ValueError:
        return f"HTTP {response.status_code}"


def http_error(
    response: httpx.Response, return_format: str = "JSON", encoding: str = "UTF-8"
) -> ConnectorError:
    result = as_result(response, return_format, encoding)
    return ConnectorError(
        str(response.status_code),
        reason_phrase(response),
        {"response": {"headers": result["headers"], "body": result["body"]}},
    )


def transport_error(exc: httpx.HTTPError, url: str, what: str = "the HTTP request") -> Exception:
    """A connector error naming why no response came (or an input error for a bad URL)."""
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return ConnectorInputError(f"url: '{url}' cannot be requested: {exc}")
    cause = _root_cause(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        message = f"{what} to {url} timed out while connecting (connectionTimeoutInSeconds)"
    elif isinstance(exc, httpx.ReadTimeout):
        message = f"{what} to {url} timed out waiting for the response (readTimeoutInSeconds)"
    elif isinstance(exc, httpx.TimeoutException):
        message = f"{what} to {url} timed out"
    elif isinstance(exc, httpx.ConnectError):
        message = f"{what} to {url} could not connect: {cause}"
    elif isinstance(exc, httpx.TooManyRedirects):
        message = f"{what} to {url} was redirected too many times"
    else:
        message = f"{what} to {url} failed: {cause}"
    return ConnectorError(TRANSPORT_ERROR_CODE, message)


def _root_cause(exc: BaseException) -> str:
    """The innermost error text, e.g. '[Errno 111] Connection refused'."""
    seen = exc
    while seen.__cause__ is not None or seen.__context__ is not None:
        nxt = seen.__cause__ or seen.__context__
        assert nxt is not None
        if str(nxt):
            seen = nxt
        else:
            break
    return str(seen) or type(seen).__name__
