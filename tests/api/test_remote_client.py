"""`RemoteJobClient`, the connector runtime's job contract over the REST API: activation,
completion, failure with backoff, BPMN errors, refusals mapped to the engine's problem types,
and OAuth client credentials (token fetched, cached, renewed after a 401)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from flowwire.api import create_api
from flowwire.cli.main import main
from flowwire.connectors.remote import (
    OAuthClientCredentials,
    RemoteApiError,
    RemoteJobClient,
    api_base,
)
from flowwire.engine import Engine
from flowwire.store import open_store

from .serving import MODELS


class TokenServer:
    """An OAuth token endpoint that hands out numbered tokens; only the newest is valid."""

    def __init__(self) -> None:
        self.issued: list[dict[str, str]] = []

    async def token(self, request: Request) -> JSONResponse:
        form = dict(await request.form())
        if form.get("client_secret") != "s3cret":
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        self.issued.append({k: str(v) for k, v in form.items()})
        return JSONResponse({"access_token": self.current, "expires_in": 300})

    @property
    def current(self) -> str:
        return f"token-{len(self.issued)}"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")))
    engine.deploy([MODELS / "service-task.bpmn", MODELS / "error-catch.bpmn"])
    yield engine
    engine.close()


def _client(
    engine: Engine, tokens: TokenServer, secret: str = "s3cret", api_token: str = "token-1"
) -> RemoteJobClient:
    api = create_api(engine, token=api_token)
    app = Starlette(
        routes=[
            Route("/oauth/token", tokens.token, methods=["POST"]),
            Mount("/v2", app=api),
        ]
    )
    auth = OAuthClientCredentials(
        "http://cluster/oauth/token", "connectors", secret, audience="orchestration-api"
    )
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), auth=auth)
    return RemoteJobClient("http://cluster", http_client=http, request_timeout=timedelta(0))


def _run(scenario: Any) -> Any:
    return asyncio.run(scenario)


def test_jobs_are_activated_completed_failed_and_thrown_remotely(engine: Engine) -> None:
    tokens = TokenServer()
    done = engine.create_instance("api-service", {"n": 1}).key
    failing = engine.create_instance("api-service", {"n": 2}).key
    thrown = engine.create_instance("api-error").key

    async def scenario() -> None:
        client = _client(engine, tokens)
        jobs = {job.process_instance_key: job for job in await client.activate_jobs(
            "api-work", "remote", 10, timedelta(minutes=1)
        )}  # fmt: skip
        assert jobs[done].custom_headers == {"mode": "fast"}
        assert jobs[done].variables == {"n": 1}
        assert jobs[done].deadline is not None
        await client.complete_job(jobs[done].key, {"ok": True})
        await client.fail_job(jobs[failing].key, 1, "try later", timedelta(minutes=5), None)
        [check] = await client.activate_jobs("api-check", "remote", 10, timedelta(minutes=1))
        await client.throw_error(check.key, "REJECTED", "no", {"why": "test"})
        with pytest.raises(RemoteApiError) as refused:
            await client.complete_job(jobs[done].key, {})
        assert refused.value.problem_type == "NOT_FOUND"
        assert await client.activate_jobs("api-work", "remote", 10, timedelta(minutes=1)) == []
        await client.aclose()

    _run(scenario())
    assert engine.get_instance(done).state == "COMPLETED"
    assert engine.variables(done)["ok"] is True
    assert engine.get_instance(thrown).state == "COMPLETED"
    assert engine.get_instance(failing).state == "ACTIVE"
    [job] = engine.jobs(instance_key=failing)
    assert (job.retries, job.error_message) == (1, "try later")
    assert len(tokens.issued) == 1  # one token for all requests
    assert tokens.issued[0]["audience"] == "orchestration-api"
    assert tokens.issued[0]["grant_type"] == "client_credentials"


def test_a_refused_token_is_renewed_once_after_a_401(engine: Engine) -> None:
    tokens = TokenServer()  # hands out token-1 first; the API has moved on to token-2

    async def scenario() -> list[Any]:
        client = _client(engine, tokens, api_token="token-2")
        jobs = await client.activate_jobs("api-work", "remote", 10, timedelta(minutes=1))
        await client.aclose()
        return jobs

    assert _run(scenario()) == []
    assert len(tokens.issued) == 2


def test_wrong_client_credentials_say_what_to_check(engine: Engine) -> None:
    async def scenario() -> None:
        client = _client(engine, TokenServer(), secret="wrong")
        with pytest.raises(RemoteApiError, match="client id, secret and audience"):
            await client.complete_job(1, {})
        await client.aclose()

    _run(scenario())


def test_an_unreachable_api_backs_off_instead_of_failing() -> None:
    async def scenario() -> list[Any]:
        client = RemoteJobClient("http://127.0.0.1:9", max_backoff=timedelta(milliseconds=50))
        try:
            return await client.activate_jobs("any", "remote", 1, timedelta(seconds=1))
        finally:
            await client.aclose()

    assert _run(scenario()) == []


def test_rest_addresses_are_normalised_to_the_v2_base() -> None:
    assert api_base("http://host:8080") == "http://host:8080/v2"
    assert api_base("https://host/v2/") == "https://host/v2"
    with pytest.raises(ValueError, match="http"):
        api_base("host:8080")


def test_connectors_command_names_missing_settings() -> None:
    runner = CliRunner()
    bad_address = runner.invoke(main, ["connectors", "--rest-address", "host:8080"])
    assert bad_address.exit_code == 2
    assert "http://" in bad_address.output
    no_secret = runner.invoke(
        main,
        ["connectors", "--rest-address", "http://host", "--auth", "oauth", "--client-id", "c"],
        env={"CAMUNDA_OAUTH_URL": "", "CAMUNDA_CLIENT_SECRET": ""},
    )
    assert no_secret.exit_code == 2
    assert "--oauth-url" in no_secret.output
    assert "--client-secret" in no_secret.output
    no_token = runner.invoke(
        main,
        ["connectors", "--rest-address", "http://host", "--auth", "token"],
        env={"FLOWWIRE_API_TOKEN": ""},
    )
    assert no_token.exit_code == 2
    assert "--token" in no_token.output
