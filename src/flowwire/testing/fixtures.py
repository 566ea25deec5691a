"""The pytest fixtures: a fresh engine per test on a SQLite file in the test's temporary dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowwire.engine import ManualClock
from flowwire.testing.harness import DEFAULT_START, EngineHarness, engine_harness


@pytest.fixture
def flowwire_clock() -> ManualClock:
    """The engine's clock, starting at `DEFAULT_START`; override this fixture to start elsewhere."""
    return ManualClock(DEFAULT_START)


@pytest.fixture
def flowwire_engine(tmp_path: Path, flowwire_clock: ManualClock) -> Iterator[EngineHarness]:
    """An `EngineHarness` on a fresh store file (``tmp_path / "flowwire.db"``)."""
    with engine_harness(tmp_path / "flowwire.db", clock=flowwire_clock) as harness:
        yield harness
