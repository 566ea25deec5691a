"""The REST connector, `io.camunda:http-json:1`: one HTTP request per job."""

from __future__ import annotations

from typing import Any

import httpx

from flowwire.connectors.context import OutboundContext
from flowwire.connectors.rest.auth import TokenCache, apply_authentication
from flowwire.connectors.rest.model import HttpJsonRequest
from flowwire.connectors.rest.request import prepare
from flowwire.connectors.rest.response import as_result, http_error, transport_error
from flowwire.connectors.rest.tls import tls_client
from flowwire.connectors.sdk import outbound_connector

TYPE = "io.camunda:http-json:1"
TEMPLATE_ID = "io.camunda.connectors.HttpJson.v2"

GROUPS = (
    ("authentication", "Authentication"),
    ("endpoint", "HTTP endpoint"),
    ("timeout", "Connection timeout"),
    ("payload", "Payload"),
)


@outbound_connector(
    type=TYPE,
    name="REST Connector",
    description="Invoke REST API",
    template_id="io.flowwire.connectors.HttpJson.v1",
    groups=GROUPS,
    documentation_ref="https://docs.camunda.io/docs/components/connectors/protocol/rest/",
    keywords=("HTTP", "REST", "API call", "web request", "GET", "POST", "PUT", "PATCH", "DELETE"),
    max_in_flight=64,
)
async def http_json(request: HttpJsonRequest, ctx: OutboundContext) -> dict[str, Any]:
    """Send the request; the response becomes `{status, headers, body}`.

    Status >= 400 raises a connector error with the status as its code; transport failures
    raise code "500" naming the cause.
    """
    prepared = prepare(request)
    client = ctx.http_client
    if request.clientTls is not None and not request.clientTls.is_empty():
        client = tls_client(ctx.resources, request.clientTls)
    tokens = ctx.resources.get_or_create("flowwire.rest.oauth-tokens", TokenCache)
    await apply_authentication(
        request.authentication,
        prepared.headers,
        prepared.params,
        client=client,
        tokens=tokens,
        timeout=prepared.timeout,
    )
    url = prepared.url
    if prepared.params:
        url = url.copy_merge_params(httpx.QueryParams(tuple(prepared.params)))
    ctx.logger.debug("%s %s", prepared.method, url)
    try:
        response = await client.request(
            prepared.method,
            url,
            headers=prepared.headers,
            content=prepared.content,
            files=prepared.files,
            timeout=prepared.timeout,
            follow_redirects=request.followRedirects,
            extensions=prepared.extensions(),
        )
    except httpx.HTTPError as exc:
        raise transport_error(exc, request.url) from exc
    return_format = request.documentReturnFormat
    if response.status_code >= 400:
        raise http_error(response, return_format.choice, return_format.encoding)
    return as_result(response, return_format.choice, return_format.encoding)
