"""Shared test settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: the read-only material beside the project (DMN TCK, FEEL cases, templates)
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def require_services() -> bool:
    """True when a test must fail rather than skip if its local service is unreachable."""
    return os.environ.get("FLOWWIRE_REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        if require_services():
            pytest.fail(f"{SHARED} is missing: CI must lay ../shared beside the project")
        pytest.skip(f"{SHARED} is not present beside the project")
    return SHARED
