"""REST commands through the group committer: concurrent requests share transactions and each
still gets its own answer; when too many commands wait, the API answers 503
RESOURCE_EXHAUSTED (Camunda's backpressure answer) and stores nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from flowwire.api import create_api
from flowwire.engine import Engine
from flowwire.engine.group_commit import GroupCommitter
from flowwire.store import open_store

from .serving import MODELS


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")))
    engine.deploy([MODELS / "service-task.bpmn"])
    yield engine
    engine.close()


def _send_all(engine: Engine, commands: GroupCommitter, bodies: list[Any]) -> list[httpx.Response]:
    async def main() -> list[httpx.Response]:
        app = Starlette(routes=[Mount("/v2", app=create_api(engine, commands=commands))])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test/v2") as client:
            return await asyncio.gather(
                *(client.post("/process-instances", json=body) for body in bodies)
            )

    return asyncio.run(main())


def test_concurrent_creations_share_transactions_and_get_their_own_answers(
    engine: Engine,
) -> None:
    commands = GroupCommitter(engine)
    bodies: list[Any] = [
        {"processDefinitionId": "api-service", "variables": {"n": n}} for n in range(10)
    ]
    bodies.insert(5, {"processDefinitionId": "no-such-process"})

    responses = _send_all(engine, commands, bodies)

    statuses = [r.status_code for r in responses]
    assert statuses == [200] * 5 + [404] + [200] * 5
    assert "no-such-process" in responses[5].json()["detail"]
    keys = [int(r.json()["processInstanceKey"]) for r in responses if r.status_code == 200]
    assert [engine.variables(k) for k in keys] == [{"n": n} for n in range(10)]
    # the rejected creation made its batch run one by one; nothing else was lost
    assert commands.batched + commands.single == 11


def test_too_many_waiting_commands_answer_503_and_store_nothing(engine: Engine) -> None:
    commands = GroupCommitter(engine, max_pending=0)
    [response] = _send_all(engine, commands, [{"processDefinitionId": "api-service"}])
    assert response.status_code == 503
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["title"] == "RESOURCE_EXHAUSTED"
    assert "retry later" in problem["detail"]
    assert engine.instances() == []
