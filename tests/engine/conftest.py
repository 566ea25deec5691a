"""Fixtures: an engine on a real SQLite file in the test's temporary directory, with a clock
the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flowwire.engine import Engine, ManualClock
from flowwire.store import open_store

START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "flowwire.db"


@pytest.fixture
def engine(store_path: Path, clock: ManualClock) -> Iterator[Engine]:
    engine = Engine(open_store(store_path), clock=clock)
    yield engine
    engine.close()
