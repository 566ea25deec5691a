"""Every authentication type of the REST connector, end to end against the loopback server
(the OAuth token endpoint lives there too)."""

from __future__ import annotations

import base64
import time

import pytest

from support.http_server import LoopbackServer, Recorded, Reply

from .models import connector_task, one_task_process
from .support import Harness


def auth_task(url: str, auth: dict[str, str], retries: str | None = None) -> str:
    inputs = [('="GET"', "method"), (f'="{url}"', "url")]
    inputs += [(f'="{value}"', f"authentication.{key}") for key, value in auth.items()]
    return connector_task(
        "task", inputs=inputs, headers={"resultVariable": "result"}, retries=retries
    )


def echo(request: Recorded) -> Reply:
    return Reply(
        200, {"authorization": request.headers.get("authorization"), "query": request.query}
    )


@pytest.fixture
def echoing(server: LoopbackServer) -> LoopbackServer:
    server.route("GET", "/echo", echo)
    return server


def run_one(harness: Harness, task: str) -> int:
    key = harness.start(one_task_process("auth", task))
    harness.drive()
    return key


def test_no_auth_sends_no_credentials(echoing: LoopbackServer) -> None:
    harness = Harness()
    key = run_one(harness, auth_task(f"{echoing.base}/echo", {"type": "noAuth"}))
    assert harness.variables(key)["result"]["body"]["authorization"] is None


def test_basic(echoing: LoopbackServer) -> None:
    harness = Harness(secrets={"PASSWORD": "p@ss:word"})
    task = auth_task(
        f"{echoing.base}/echo",
        {"type": "basic", "username": "ada", "password": "{{secrets.PASSWORD}}"},
    )
    key = run_one(harness, task)
    header = harness.variables(key)["result"]["body"]["authorization"]
    # the server's echo of the credential is masked on the way into the variables
    assert header == "Basic ***"
    raw = echoing.last("/echo").headers["authorization"]
    assert base64.b64decode(raw.split()[1]).decode() == "ada:p@ss:word"


def test_bearer(echoing: LoopbackServer) -> None:
    harness = Harness()
    task = auth_task(f"{echoing.base}/echo", {"type": "bearer", "token": "abc.def.ghi"})
    run_one(harness, task)
    assert echoing.last("/echo").headers["authorization"] == "Bearer abc.def.ghi"


def test_api_key_in_a_header(echoing: LoopbackServer) -> None:
    harness = Harness()
    task = auth_task(
        f"{echoing.base}/echo",
        {"type": "apiKey", "apiKeyLocation": "headers", "name": "X-API-Key", "value": "key-1"},
    )
    run_one(harness, task)
    assert echoing.last("/echo").headers["x-api-key"] == "key-1"


def test_api_key_in_the_query(echoing: LoopbackServer) -> None:
    harness = Harness()
    task = auth_task(
        f"{echoing.base}/echo?city=Berlin",
        {"type": "apiKey", "apiKeyLocation": "query", "name": "appid", "value": "key-2"},
    )
    run_one(harness, task)
    assert echoing.last("/echo").query == {"city": ["Berlin"], "appid": ["key-2"]}


@pytest.mark.parametrize("client_authentication", ["credentialsBody", "basicAuthHeader"])
def test_oauth_client_credentials_with_a_cached_token(
    server: LoopbackServer, client_authentication: str
) -> None:
    harness = Harness(secrets={"CLIENT_SECRET": server.oauth.client_secret})
    task = auth_task(
        f"{server.base}/oauth/protected",
        {
            "type": "oauth-client-credentials-flow",
            "oauthTokenEndpoint": f"{server.base}/oauth/token",
            "clientId": server.oauth.client_id,
            "clientSecret": "{{secrets.CLIENT_SECRET}}",
            "audience": "https://api.example.com",
            "scopes": "read:contacts write:contacts",
            "clientAuthentication": client_authentication,
        },
    )
    xml = one_task_process("oauth", task)
    keys = [harness.start(xml) for _ in range(3)]
    harness.drive()
    for key in keys:
        assert harness.state(key) == "COMPLETED"
        # the server echoes the access token: a credential, so masked in the variables
        assert harness.variables(key)["result"]["body"] == {"token": "***"}
    assert [r.headers["authorization"] for r in server.requests[1:]] == ["Bearer token-1"] * 3
    assert len(server.oauth.requests) == 1  # one token for all three calls
    form = {k: v[0] for k, v in server.oauth.requests[0].form().items()}
    assert form["grant_type"] == "client_credentials"
    assert form["audience"] == "https://api.example.com"
    assert form["scope"] == "read:contacts write:contacts"
    if client_authentication == "credentialsBody":
        assert form["client_id"] == server.oauth.client_id
        assert "authorization" not in server.oauth.requests[0].headers
    else:
        assert "client_secret" not in form
        assert server.oauth.requests[0].headers["authorization"].startswith("Basic ")


def test_oauth_token_is_fetched_again_when_it_expires(server: LoopbackServer) -> None:
    server.oauth.expires_in = 1  # refreshed at 90% of its lifetime: never reused here
    harness = Harness()
    task = auth_task(
        f"{server.base}/oauth/protected",
        {
            "type": "oauth-client-credentials-flow",
            "oauthTokenEndpoint": f"{server.base}/oauth/token",
            "clientId": server.oauth.client_id,
            "clientSecret": server.oauth.client_secret,
            "clientAuthentication": "credentialsBody",
        },
    )
    xml = one_task_process("oauth", task)
    harness.start(xml)
    harness.drive()
    time.sleep(0.95)
    harness.start(xml)
    harness.drive()
    assert server.last("/oauth/protected").headers["authorization"] == "Bearer token-2"


def test_oauth_with_wrong_credentials_fails_with_the_status_code(server: LoopbackServer) -> None:
    harness = Harness()
    task = auth_task(
        f"{server.base}/oauth/protected",
        {
            "type": "oauth-client-credentials-flow",
            "oauthTokenEndpoint": f"{server.base}/oauth/token",
            "clientId": server.oauth.client_id,
            "clientSecret": "wrong-secret-value",
            "clientAuthentication": "credentialsBody",
        },
        retries="1",
    )
    key = run_one(harness, task)
    incident = harness.incident(key)
    assert "OAuth token endpoint answered 401" in incident.message
    assert "invalid_client" in incident.message
    assert harness.task_variables(key)["error"]["code"] == "401"


def test_oauth_refresh_token(server: LoopbackServer) -> None:
    harness = Harness()
    task = auth_task(
        f"{server.base}/oauth/protected",
        {
            "type": "oauth-refresh-token",
            "oauthTokenEndpoint": f"{server.base}/oauth/token",
            "clientId": server.oauth.client_id,
            "refreshToken": server.oauth.refresh_token,
        },
    )
    key = run_one(harness, task)
    assert harness.state(key) == "COMPLETED"
    assert server.last("/oauth/protected").headers["authorization"] == "Bearer token-1"
    form = {k: v[0] for k, v in server.oauth.requests[0].form().items()}
    assert form["grant_type"] == "refresh_token"


def test_missing_credentials_are_named(server: LoopbackServer) -> None:
    harness = Harness()
    task = auth_task(f"{server.base}/echo", {"type": "basic", "username": "ada"})
    key = run_one(harness, task)
    assert "authentication.password: field required" in harness.incident(key).message
