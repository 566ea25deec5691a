"""Fixtures for REST API tests: a real `flowwire serve` process per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .serving import Served, start_serve, stop_serve


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One serve process per test module (no in-process connectors, clock control on)."""
    store = tmp_path_factory.mktemp("serve") / "flowwire.db"
    server = start_serve(store, "--no-connectors", "--allow-clock-control")
    try:
        yield server
    finally:
        output = stop_serve(server)
        assert "Traceback" not in output, output
