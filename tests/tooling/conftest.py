"""The tooling tests load flowwire.testing the way a user's conftest would (its fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowwire.testing import flowwire_clock, flowwire_engine

__all__ = ["flowwire_clock", "flowwire_engine"]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MODELS = Path(__file__).resolve().parent / "models"


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def models_dir() -> Path:
    return MODELS
