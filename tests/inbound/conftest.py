"""Fixtures: an engine on a temporary SQLite store, and the serve app on it (lifespan run,
no outbound connector runtime) with secrets from a mapping."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from flowwire.connectors.inbound import InboundManager
from flowwire.connectors.secrets import MappingSecretProvider, SecretResolver
from flowwire.engine import Engine
from flowwire.server import create_app
from flowwire.store import open_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SECRETS = {
    "HMAC_KEY": "It's a Secret to Everybody",
    "HOOK_PASSWORD": "s3cret-pass",
    "HOOK_KEY": "k-123",
}

#: the largest body the test app accepts
BODY_LIMIT = 64 * 1024


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")))
    yield engine
    engine.close()


@pytest.fixture
def inbound(engine: Engine) -> InboundManager:
    return InboundManager(engine, secrets=SecretResolver([MappingSecretProvider(SECRETS)]))


@pytest.fixture
def serve(engine: Engine, inbound: InboundManager) -> Iterator[Callable[[], TestClient]]:
    """Opens the app (running its lifespan) when called, after the test has deployed."""
    clients: list[TestClient] = []

    def open_client() -> TestClient:
        app = create_app(engine, inbound=inbound, run_connectors=False, max_body_bytes=BODY_LIMIT)
        test_client = TestClient(app, raise_server_exceptions=False)
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield open_client
    for test_client in clients:
        test_client.__exit__(None, None, None)
