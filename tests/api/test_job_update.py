"""`PATCH /v2/jobs/{key}`: a worker extends its lease (timeout) or an operator raises the
retries; a job in the wrong state is a 409, an unknown one a 404, a priority a clear 501."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from flowwire.api import create_api
from flowwire.engine import Engine
from flowwire.engine.clock import ManualClock
from flowwire.store import open_store

from .serving import MODELS

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def engine(tmp_path: Path, clock: ManualClock) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")), clock)
    engine.deploy([MODELS / "service-task.bpmn"])
    yield engine
    engine.close()


def _patch(engine: Engine, key: Any, body: Any) -> httpx.Response:
    async def main() -> httpx.Response:
        app = Starlette(routes=[Mount("/v2", app=create_api(engine))])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test/v2") as client:
            return await client.patch(f"/jobs/{key}", json=body)

    return asyncio.run(main())


def _activated(engine: Engine, clock: ManualClock) -> int:
    engine.create_instance("api-service")
    return engine.activate_jobs("api-work", "w1", timeout=timedelta(seconds=10))[0].key


def test_a_new_timeout_moves_the_deadline_to_now_plus_the_timeout(
    engine: Engine, clock: ManualClock
) -> None:
    key = _activated(engine, clock)
    clock.advance(timedelta(seconds=8))
    response = _patch(engine, key, {"changeset": {"timeout": 60_000}})
    assert response.status_code == 204, response.text
    assert engine.jobs()[0].deadline == START + timedelta(seconds=68)
    # the old lease (10 s) has run out, the new one (68 s) has not: nobody else gets the job
    clock.advance(timedelta(seconds=30))
    assert engine.activate_jobs("api-work", "w2") == []
    clock.advance(timedelta(seconds=31))
    assert [job.key for job in engine.activate_jobs("api-work", "w2")] == [key]


def test_retries_and_timeout_change_together(engine: Engine, clock: ManualClock) -> None:
    key = _activated(engine, clock)
    response = _patch(engine, key, {"changeset": {"retries": 7, "timeout": 1000}})
    assert response.status_code == 204, response.text
    job = engine.jobs()[0]
    assert (job.retries, job.deadline) == (7, START + timedelta(seconds=1))


def test_the_timeout_of_a_job_nobody_holds_is_a_409(engine: Engine, clock: ManualClock) -> None:
    engine.create_instance("api-service")
    key = engine.jobs()[0].key
    response = _patch(engine, key, {"changeset": {"timeout": 1000, "retries": 9}})
    assert response.status_code == 409
    assert "not activated" in response.json()["detail"]
    assert engine.jobs()[0].retries == 2  # refused as a whole: retries unchanged


def test_the_timeout_of_a_job_whose_lease_ran_out_is_a_409(
    engine: Engine, clock: ManualClock
) -> None:
    key = _activated(engine, clock)
    clock.advance(timedelta(seconds=11))
    response = _patch(engine, key, {"changeset": {"timeout": 1000}})
    assert response.status_code == 409
    assert "timed out" in response.json()["detail"]


def test_an_unknown_job_is_a_404(engine: Engine) -> None:
    response = _patch(engine, 2251799813685249 + 999, {"changeset": {"timeout": 1000}})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        ({"changeset": {"priority": 5}}, 501, "changeset.priority"),
        ({"changeset": {}}, 400, "'retries'"),
        ({"changeset": {"timeout": -1}}, 400, "'timeout'"),
        ({"changeset": {"retries": 0}}, 400, "'retries'"),
        ({"changeset": {"colour": 1}}, 400, "colour"),
        ({}, 400, "changeset"),
    ],
)  # fmt: skip
def test_bad_changesets_name_what_to_change(
    engine: Engine, clock: ManualClock, body: dict[str, Any], status: int, named: str
) -> None:
    key = _activated(engine, clock)
    response = _patch(engine, key, body)
    assert response.status_code == status
    assert named in response.json()["detail"]
    assert engine.jobs()[0].retries == 2
