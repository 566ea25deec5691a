"""Fixtures for connector tests: a loopback HTTP server, an engine, a connector runtime."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from flowwire.connectors.secrets import KNOWN_SECRETS, MappingSecretProvider, SecretResolver
from support.http_server import LoopbackServer


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    running = LoopbackServer()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests must not be sent through a proxy configured on the machine."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    yield
    KNOWN_SECRETS.clear()


def resolver(**secrets: str) -> SecretResolver:
    return SecretResolver([MappingSecretProvider(secrets)])


def run(coro: Any) -> Any:
    return asyncio.run(coro)


START = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
