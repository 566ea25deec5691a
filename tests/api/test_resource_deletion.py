"""POST /v2/resources/{resourceKey}/deletion on the REST API app (ASGI, in process): status
codes, problems, and what a deleted process version looks like to the other endpoints."""

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
from flowwire.store import open_store

from .serving import MODELS

PROBLEM = "application/problem+json"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")))
    yield engine
    engine.close()


def _versions(engine: Engine) -> tuple[int, int]:
    """Two versions of the `api-user` process (the second differs in its name only)."""
    xml = (MODELS / "user-task.bpmn").read_bytes()
    first = engine.deploy(xml, "user-task.bpmn").processes[0].key
    changed = xml.replace(b'name="API user task"', b'name="API user task v2"')
    second = engine.deploy(changed, "user-task.bpmn").processes[0].key
    return first, second


def _run(engine: Engine, *requests: tuple[str, str, dict[str, Any]]) -> list[httpx.Response]:
    """Send the requests one after the other to the API mounted at /v2."""

    async def main() -> list[httpx.Response]:
        app = Starlette(routes=[Mount("/v2", app=create_api(engine))])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test/v2") as client:
            return [await client.request(m, path, **kw) for m, path, kw in requests]

    return asyncio.run(main())


def _delete(key: int | str, **kwargs: Any) -> tuple[str, str, dict[str, Any]]:
    return ("POST", f"/resources/{key}/deletion", kwargs)


def test_a_deleted_version_is_gone_from_the_api_and_the_previous_one_is_latest(
    engine: Engine,
) -> None:
    first, second = _versions(engine)
    deleted, get, search, by_key, by_id = _run(
        engine,
        _delete(second),
        ("GET", f"/process-definitions/{second}", {}),
        ("POST", "/process-definitions/search", {"json": {"filter": {"isLatestVersion": True}}}),
        ("POST", "/process-instances", {"json": {"processDefinitionKey": str(second)}}),
        ("POST", "/process-instances", {"json": {"processDefinitionId": "api-user"}}),
    )
    assert deleted.status_code == 200
    assert deleted.json() == {"resourceKey": str(second)}
    assert get.status_code == 404
    assert [item["processDefinitionKey"] for item in search.json()["items"]] == [str(first)]
    assert by_key.status_code == 404
    assert by_key.headers["content-type"] == PROBLEM
    assert by_id.status_code == 200
    assert by_id.json()["processDefinitionKey"] == str(first)
    assert by_id.json()["processDefinitionVersion"] == 1


def test_an_instance_of_a_deleted_version_can_still_be_read_and_finished(engine: Engine) -> None:
    _, second = _versions(engine)
    instance = engine.create_instance("api-user", {"approver": "ann"}).key
    [task] = [e.key for e in engine.element_instances(instance) if e.element_id == "approve"]
    deleted, get, complete = _run(
        engine,
        _delete(second, json={"deleteHistory": False, "operationReference": 7}),
        ("GET", f"/process-instances/{instance}", {}),
        ("POST", f"/user-tasks/{task}/completion", {"json": {}}),
    )
    assert deleted.status_code == 200
    assert get.status_code == 200
    assert get.json()["processDefinitionKey"] == str(second)
    assert complete.status_code == 204
    assert engine.get_instance(instance).state == "COMPLETED"


def test_unknown_and_already_deleted_keys_are_404_problems(engine: Engine) -> None:
    _, second = _versions(engine)
    unknown, first_time, second_time = _run(
        engine, _delete(second + 999), _delete(second), _delete(second)
    )
    assert first_time.status_code == 200
    for response in (unknown, second_time):
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["title"] == "NOT_FOUND"
    assert "already deleted" in second_time.json()["detail"]
    assert f"/v2/resources/{second}/deletion" == second_time.json()["instance"]


@pytest.mark.parametrize(
    ("key", "body", "detail"),
    [
        ("not-a-key", None, "must be a key"),
        ("99999999999999999999", None, "resourceKey"),
        ("1", {"deleteHistory": True}, "deleteHistory"),
        ("1", {"cascade": True}, "unknown field 'cascade'"),
        ("1", {"operationReference": 0}, "operationReference"),
    ],
)
def test_bad_requests_are_400_problems_saying_what_to_change(
    engine: Engine, key: str, body: dict[str, Any] | None, detail: str
) -> None:
    _, second = _versions(engine)
    [response] = _run(engine, _delete(key, **({"json": body} if body is not None else {})))
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["title"] == "INVALID_ARGUMENT"
    assert detail in response.json()["detail"]
    assert [d.key for d in engine.definitions()][-1] == second  # nothing was deleted
