"""``flowwire connectors``: only the outbound connector runtime, as a job worker against a
Camunda 8 REST API (another ``flowwire serve``, or a Camunda 8 cluster).

It runs every built-in and installed connector (plus ``--connector MODULE:FUNCTION``), long-
polls for their jobs and completes, fails or throws on them exactly as the in-process runtime
does. SIGTERM or Ctrl-C stop activating jobs and let running ones finish.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

import click
import httpx

from flowwire.connectors.remote import (
    BearerToken,
    OAuthClientCredentials,
    RemoteJobClient,
    api_base,
)
from flowwire.connectors.runtime import DEFAULT_WORKER, ConnectorRuntime
from flowwire.connectors.sdk import ConnectorRegistry, discover

log = logging.getLogger("flowwire.connectors")


@click.command(name="connectors")
@click.option(
    "--rest-address",
    envvar="CAMUNDA_REST_ADDRESS",
    required=True,
    help="The REST API to work for, e.g. http://127.0.0.1:8080 (or env CAMUNDA_REST_ADDRESS).",
)
@click.option(
    "--auth",
    type=click.Choice(["none", "token", "basic", "oauth"]),
    default="none",
    show_default=True,
    help="How to authenticate: a bearer token, basic credentials or OAuth client credentials.",
)
@click.option("--token", envvar="FLOWWIRE_API_TOKEN", help="Bearer token (--auth token).")
@click.option("--username", envvar="CAMUNDA_BASIC_AUTH_USERNAME", help="User (--auth basic).")
@click.option("--password", envvar="CAMUNDA_BASIC_AUTH_PASSWORD", help="Password (--auth basic).")
@click.option("--oauth-url", envvar="CAMUNDA_OAUTH_URL", help="Token endpoint (--auth oauth).")
@click.option("--client-id", envvar="CAMUNDA_CLIENT_ID", help="OAuth client id.")
@click.option("--client-secret", envvar="CAMUNDA_CLIENT_SECRET", help="OAuth client secret.")
@click.option(
    "--audience", envvar="CAMUNDA_TOKEN_AUDIENCE", help="OAuth audience, e.g. orchestration-api."
)
@click.option(
    "--connector",
    "connectors",
    multiple=True,
    metavar="MODULE:FUNCTION",
    help="An extra outbound connector to run, besides built-in and installed ones (repeatable).",
)
@click.option("--worker", default=DEFAULT_WORKER, show_default=True, help="Worker name.")
@click.option(
    "--request-timeout",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.1, 300),
    help="Seconds an activation request long-polls for jobs.",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["debug", "info", "warning", "error"]),
)
def command(
    rest_address: str,
    auth: str,
    token: str | None,
    username: str | None,
    password: str | None,
    oauth_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    audience: str | None,
    connectors: tuple[str, ...],
    worker: str,
    request_timeout: float,
    log_level: str,
) -> None:
    """Run the outbound connectors as a job worker against a Camunda 8 REST API."""
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)-7s %(name)s: %(message)s"
    )
    try:
        base = api_base(rest_address)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--rest-address") from error
    credentials = _auth(
        auth, token, username, password, oauth_url, client_id, client_secret, audience
    )
    try:
        registry = discover(connectors)
    except Exception as error:
        raise click.ClickException(f"cannot load the connectors: {error}") from error
    types = ", ".join(c.type for c in registry)
    click.echo(f"flowwire connectors working for {base} ({types})")
    asyncio.run(_serve(base, credentials, registry, worker, request_timeout))
    click.echo("stopped: running connector jobs finished")


def _auth(
    kind: str,
    token: str | None,
    username: str | None,
    password: str | None,
    oauth_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    audience: str | None,
) -> httpx.Auth | None:
    if kind == "token":
        if not token:
            raise click.UsageError("--auth token needs --token (or FLOWWIRE_API_TOKEN)")
        return BearerToken(token)
    if kind == "basic":
        if not username or not password:
            raise click.UsageError("--auth basic needs --username and --password")
        return httpx.BasicAuth(username, password)
    if kind == "oauth":
        missing = [
            name
            for name, value in (
                ("--oauth-url", oauth_url),
                ("--client-id", client_id),
                ("--client-secret", client_secret),
            )
            if not value
        ]
        if missing:
            raise click.UsageError(f"--auth oauth needs {', '.join(missing)}")
        assert oauth_url and client_id and client_secret
        return OAuthClientCredentials(oauth_url, client_id, client_secret, audience=audience)
    return None


async def _serve(
    base: str,
    credentials: httpx.Auth | None,
    registry: ConnectorRegistry,
    worker: str,
    request_timeout: float,
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with (
        RemoteJobClient(
            base, auth=credentials, request_timeout=timedelta(seconds=request_timeout)
        ) as client,
        ConnectorRuntime(client, registry, worker=worker) as runtime,
    ):
        await runtime.serve(stop)
