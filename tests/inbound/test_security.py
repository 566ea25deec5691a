"""Who may call a webhook: HMAC signatures (GitHub style) and BASIC / APIKEY / JWT auth."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

import pytest

from .conftest import SECRETS
from .jwk_server import jwk_server, new_key
from .models import start_process, webhook_properties

GITHUB_SECRET = SECRETS["HMAC_KEY"]


def _github_hook(**extra: str) -> dict[str, str]:
    return webhook_properties(
        "github",
        inbound__shouldValidateHmac="enabled",
        inbound__hmacSecret="{{secrets.HMAC_KEY}}",
        inbound__hmacHeader="X-Hub-Signature-256",
        inbound__hmacAlgorithm="sha_256",
        resultExpression="={action: request.body.action}",
        **extra,
    )


def _sign(body: bytes, secret: str = GITHUB_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


BODY = json.dumps({"action": "opened", "number": 7}).encode()


def test_github_signature_valid_starts_an_instance(engine, inbound, serve):
    inbound.deploy(start_process("gh", _github_hook()))
    response = serve().post(
        "/inbound/github",
        content=BODY,
        headers={
            "content-type": "application/json",
            "X-Hub-Signature-256": "sha256=" + _sign(BODY),
        },
    )
    assert response.status_code == 200
    [instance] = engine.instances()
    assert engine.variables(instance.key) == {"action": "opened"}


def test_github_signature_invalid_is_401_and_logged_without_the_secret(
    engine, inbound, serve, caplog
):
    inbound.deploy(start_process("gh", _github_hook()))
    client = serve()
    with caplog.at_level(logging.WARNING, logger="flowwire.inbound"):
        response = client.post(
            "/inbound/github",
            content=BODY,
            headers={
                "content-type": "application/json",
                "X-Hub-Signature-256": "sha256=" + _sign(BODY, "wrong secret"),
            },
        )
    assert response.status_code == 401
    assert "does not match" in response.json()["error"]
    assert engine.instances() == []
    assert "webhook 'github' rejected a request with 401" in caplog.text
    assert GITHUB_SECRET not in caplog.text
    assert GITHUB_SECRET not in response.text


def test_github_signature_missing_is_401(engine, inbound, serve):
    inbound.deploy(start_process("gh", _github_hook()))
    response = serve().post(
        "/inbound/github", content=BODY, headers={"content-type": "application/json"}
    )
    assert response.status_code == 401
    assert "X-Hub-Signature-256" in response.json()["error"]
    assert engine.instances() == []


def test_signature_over_a_tampered_body_is_401(inbound, serve):
    inbound.deploy(start_process("gh", _github_hook()))
    response = serve().post(
        "/inbound/github",
        content=BODY.replace(b"7", b"8"),
        headers={
            "content-type": "application/json",
            "X-Hub-Signature-256": "sha256=" + _sign(BODY),
        },
    )
    assert response.status_code == 401


@pytest.mark.parametrize("spelling", ["hex", "base64"])
def test_signature_as_plain_hex_or_base64_sha512(engine, inbound, serve, spelling):
    properties = webhook_properties(
        "signed",
        inbound__shouldValidateHmac="enabled",
        inbound__hmacSecret="plain-secret",
        inbound__hmacHeader="X-Signature",
        inbound__hmacAlgorithm="sha_512",
    )
    inbound.deploy(start_process("signed", properties))
    digest = hmac.new(b"plain-secret", BODY, hashlib.sha512).digest()
    value = digest.hex() if spelling == "hex" else base64.b64encode(digest).decode()
    response = serve().post("/inbound/signed", content=BODY, headers={"X-Signature": value})
    assert response.status_code == 200
    assert len(engine.instances()) == 1


def test_signature_scopes_url_and_parameters(engine, inbound, serve):
    properties = webhook_properties(
        "twilio-like",
        inbound__shouldValidateHmac="enabled",
        inbound__hmacSecret="scoped",
        inbound__hmacHeader="X-Signature",
        inbound__hmacAlgorithm="sha_1",
        inbound__hmacScopes='=["URL", "PARAMETERS"]',
    )
    inbound.deploy(start_process("scoped", properties))
    client = serve()
    url = "http://testserver/inbound/twilio-like?b=2&a=1"
    data = (url + "From+1555" + "a1" + "b2").encode()  # parameters sorted by name
    signature = base64.b64encode(hmac.new(b"scoped", data, hashlib.sha1).digest()).decode()
    form = {"content-type": "application/x-www-form-urlencoded", "X-Signature": signature}

    assert client.post(url, content=b"From=%2B1555", headers=form).status_code == 200
    assert client.post(url, content=b"From=%2B1666", headers=form).status_code == 401
    assert len(engine.instances()) == 1


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_basic_auth(engine, inbound, serve):
    properties = webhook_properties(
        "basic",
        inbound__auth__type="BASIC",
        inbound__auth__username="hook-user",
        inbound__auth__password="{{secrets.HOOK_PASSWORD}}",
    )
    inbound.deploy(start_process("basic", properties))
    client = serve()

    assert (
        client.post(
            "/inbound/basic", json={}, headers=_basic("hook-user", "s3cret-pass")
        ).status_code
        == 200
    )
    wrong = client.post("/inbound/basic", json={}, headers=_basic("hook-user", "guess"))
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Basic")
    assert client.post("/inbound/basic", json={}).status_code == 401
    assert len(engine.instances()) == 1


def test_api_key_with_default_and_custom_locator(engine, inbound, serve):
    inbound.deploy(
        start_process(
            "apikey",
            webhook_properties(
                "apikey", inbound__auth__type="APIKEY", inbound__auth__apiKey="{{secrets.HOOK_KEY}}"
            ),
        )
    )
    inbound.deploy(
        start_process(
            "apikey-param",
            webhook_properties(
                "apikey-param",
                inbound__auth__type="APIKEY",
                inbound__auth__apiKey="secrets.HOOK_KEY",
                inbound__auth__apiKeyLocator="=request.params.key",
            ),
        )
    )
    client = serve()

    assert (
        client.post(
            "/inbound/apikey", json={}, headers={"Authorization": "Bearer k-123"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/inbound/apikey", json={}, headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    assert client.post("/inbound/apikey", json={}).status_code == 401
    assert client.post("/inbound/apikey-param?key=k-123", json={}).status_code == 200
    assert client.post("/inbound/apikey-param?key=k-12", json={}).status_code == 401
    assert len(engine.instances()) == 2


def test_jwt_signature_expiry_and_permissions(engine, inbound, serve):
    with jwk_server() as issuer:
        properties = webhook_properties(
            "jwt",
            inbound__auth__type="JWT",
            inbound__auth__jwt__jwkUrl=issuer.url,
            inbound__auth__jwt__permissionsExpression='=if admin = true then ["read", "write"] else roles',
            inbound__auth__jwt__requiredPermissions='=["write"]',
        )
        inbound.deploy(start_process("jwt", properties))
        client = serve()

        def call(token: str | None) -> int:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return client.post("/inbound/jwt", json={}, headers=headers).status_code

        assert call(issuer.token({"roles": ["read", "write"]})) == 200
        assert call(issuer.token({"admin": True})) == 200
        assert call(issuer.token({"roles": ["read"]})) == 403
        assert call(issuer.token({"roles": ["write"]}, expires_in=-60)) == 401
        assert call(issuer.token({"roles": ["write"]}, key=new_key())) == 401
        assert call("not-a-jwt") == 401
        assert call(None) == 401
        assert len(engine.instances()) == 2
        assert len(issuer.fetches) == 1  # the key set is cached
