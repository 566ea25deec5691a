"""Fixtures: an engine on a temporary SQLite store, and the serve app on it (lifespan run,
no outbound connector runtime) with secrets from a mapping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from flowwire.connectors.inbound import InboundManager
from flowwire.connectors.secrets import MappingSecretProvider, SecretResolver
from flowwire.engine import Engine
from flowwire.server import create_app
from flowwire.store import open_store

SECRETS = {
    "HMAC_KEY": "It's a Secret to Everybody",
    "HOOK_PASSWORD": "s3cret-pass",
    "HOOK_KEY": "k-123",
}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")))
    yield engine
    engine.close()


@pytest.fixture
def inbound(engine: Engine) -> InboundManager:
    return InboundManager(engine, secrets=SecretResolver([MappingSecretProvider(SECRETS)]))


@pytest.fixture
def client(engine: Engine, inbound: InboundManager) -> Iterator[TestClient]:
    app = create_app(engine, inbound=inbound, run_connectors=False, max_body_bytes=64 * 1024)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
