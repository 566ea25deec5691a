"""Searches run in the store: cursor pages, ended scopes' variables, finished element
instances, and a page of ten out of 50,000 instances without reading them all."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from flowwire.api import create_api
from flowwire.engine import Engine
from flowwire.store import open_store, sqlite_search
from flowwire.store.records import InstanceRecord

from .serving import MODELS


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")))
    engine.deploy(
        [MODELS / "service-task.bpmn", MODELS / "user-task.bpmn", MODELS / "local-scope.bpmn"]
    )
    yield engine
    engine.close()


def _calls(engine: Engine, requests: list[tuple[str, str, Any]]) -> list[httpx.Response]:
    async def main() -> list[httpx.Response]:
        app = Starlette(routes=[Mount("/v2", app=create_api(engine))])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test/v2") as client:
            return [await client.request(m, p, json=body) for m, p, body in requests]

    return asyncio.run(main())


def _search(engine: Engine, resource: str, body: dict[str, Any]) -> dict[str, Any]:
    response = _calls(engine, [("POST", f"/{resource}/search", body)])[0]
    assert response.status_code == 200, response.text
    return dict(response.json())


def _problem(engine: Engine, resource: str, body: dict[str, Any]) -> str:
    response = _calls(engine, [("POST", f"/{resource}/search", body)])[0]
    assert response.status_code == 400, response.text
    return str(response.json()["detail"])


# -- cursor paging ----------------------------------------------------------------------------
def test_cursor_pages_walk_forward_and_back_in_a_stable_order(engine: Engine) -> None:
    for n in range(7):
        engine.create_instance("api-service" if n % 2 else "api-user", {"n": n})
    sort = [{"field": "processDefinitionId", "order": "DESC"}]
    everything = _search(engine, "process-instances", {"sort": sort})["items"]
    expected = [i["processInstanceKey"] for i in everything]
    # equal sort values come in key order: the tiebreak
    assert [i["processDefinitionId"] for i in everything] == ["api-user"] * 4 + ["api-service"] * 3
    assert expected[:4] == sorted(expected[:4], key=int)

    seen: list[str] = []
    page: dict[str, Any] = {"limit": 3}
    pages = []
    while True:
        answer = _search(engine, "process-instances", {"sort": sort, "page": page})
        assert answer["page"]["totalItems"] == 7
        assert answer["page"]["hasMoreTotalItems"] is False
        if not answer["items"]:
            assert answer["page"]["startCursor"] is None and answer["page"]["endCursor"] is None
            break
        pages.append(answer)
        seen += [i["processInstanceKey"] for i in answer["items"]]
        page = {"limit": 3, "after": answer["page"]["endCursor"]}
    assert seen == expected
    assert [len(p["items"]) for p in pages] == [3, 3, 1]

    back = _search(
        engine,
        "process-instances",
        {"sort": sort, "page": {"limit": 3, "before": pages[2]["page"]["startCursor"]}},
    )
    assert [i["processInstanceKey"] for i in back["items"]] == expected[3:6]
    offset = _search(engine, "process-instances", {"sort": sort, "page": {"from": 3, "limit": 3}})
    assert offset["items"] == back["items"]


def test_a_cursor_goes_with_its_own_sort_and_never_with_from(engine: Engine) -> None:
    engine.create_instance("api-service")
    answer = _search(engine, "process-instances", {"sort": [{"field": "startDate"}]})
    cursor = answer["page"]["endCursor"]
    other_sort = _problem(engine, "process-instances", {"page": {"after": cursor}})
    assert "same 'sort'" in other_sort
    assert "cursor" in _problem(engine, "process-instances", {"page": {"after": "nonsense!"}})
    both = _problem(engine, "process-instances", {"page": {"from": 1, "after": cursor}})
    assert "'from'" in both and "'after'" in both


def test_cursors_page_every_search(engine: Engine) -> None:
    for _ in range(3):
        engine.create_instance("api-scope", {"order": {"id": "o-1"}})
    for resource in ("element-instances", "variables", "process-definitions"):
        first = _search(engine, resource, {"page": {"limit": 2}})
        rest = _search(
            engine, resource, {"page": {"limit": 100, "after": first["page"]["endCursor"]}}
        )
        whole = _search(engine, resource, {})
        assert first["items"] + rest["items"] == whole["items"], resource
        assert whole["page"]["totalItems"] == len(whole["items"]) > 2, resource
        for page in ({"from": 1000}, {"limit": 0}):
            beyond = _search(engine, resource, {"page": page})
            assert beyond["items"] == [], resource
            assert beyond["page"]["totalItems"] == whole["page"]["totalItems"], resource


# -- variables of ended scopes --------------------------------------------------------------
def test_variables_of_ended_scopes_and_instances_are_found(engine: Engine) -> None:
    instance = engine.create_instance("api-scope", {"order": {"id": "o-7"}}).key
    task = next(e for e in engine.element_instances(instance) if e.element_id == "work").key
    updated = _calls(
        engine,
        [
            (
                "PUT",
                f"/element-instances/{task}/variables",
                {"variables": {"attempt": "second"}, "local": True},
            )
        ],
    )[0]
    assert updated.status_code == 204
    job = engine.activate_jobs("scope-work", "w")[0]
    engine.complete_job(job.key, {"result": 42})
    assert engine.get_instance(instance).state == "COMPLETED"

    found = _search(
        engine,
        "variables",
        {
            "filter": {"processInstanceKey": str(instance)},
            "sort": [{"field": "name"}],
        },
    )
    values = {(i["scopeKey"], i["name"]): i["value"] for i in found["items"]}
    assert values == {
        (str(task), "attempt"): '"second"',  # the last value the ended scope had
        (str(task), "orderId"): '"o-7"',
        (str(instance), "order"): '{"id":"o-7"}',
        (str(instance), "result"): "42",
    }
    assert found["page"]["totalItems"] == 4
    assert all(i["tenantId"] == "<default>" and i["isTruncated"] is False for i in found["items"])

    unsorted = _search(engine, "variables", {"filter": {"processInstanceKey": str(instance)}})
    assert [(i["scopeKey"], i["name"]) for i in unsorted["items"]] == sorted(
        values, key=lambda pair: (int(pair[0]), pair[1])
    )  # no sort: by scope, then name
    local = _search(engine, "variables", {"filter": {"scopeKey": str(task)}})
    assert sorted(i["name"] for i in local["items"]) == ["attempt", "orderId"]
    key = local["items"][0]["variableKey"]
    by_key = _search(engine, "variables", {"filter": {"variableKey": key}})
    assert [i["variableKey"] for i in by_key["items"]] == [key]
    by_value = _search(engine, "variables", {"filter": {"value": '"second"', "name": "attempt"}})
    assert [i["scopeKey"] for i in by_value["items"]] == [str(task)]
    like = _search(engine, "variables", {"filter": {"value": {"$like": "*o-7*"}}})
    assert sorted(i["name"] for i in like["items"]) == ["order", "orderId"]
    assert (
        _search(engine, "variables", {"filter": {"tenantId": "<default>"}})["page"]["totalItems"]
        == 4
    )


def test_long_values_are_truncated_unless_asked_not_to(engine: Engine) -> None:
    engine.create_instance("api-scope", {"order": {"id": "x" * 9000}})
    body = {"filter": {"name": "orderId", "isTruncated": True}}
    truncated = _search(engine, "variables", body)["items"]
    assert len(truncated) == 1 and len(truncated[0]["value"]) == 8191
    response = _calls(engine, [("POST", "/variables/search?truncateValues=false", body)])[0]
    assert response.json()["items"] == []
    whole = _calls(
        engine,
        [("POST", "/variables/search?truncateValues=false", {"filter": {"name": "orderId"}})],
    )[0].json()["items"]
    assert len(whole[0]["value"]) == 9002 and whole[0]["isTruncated"] is False


# -- element instances and user tasks from the history --------------------------------------
def test_finished_element_instances_have_their_state_names_and_types(engine: Engine) -> None:
    instance = engine.create_instance("api-service").key
    engine.complete_job(engine.activate_jobs("api-work", "w")[0].key)
    items = _search(engine, "element-instances", {"filter": {"processInstanceKey": str(instance)}})[
        "items"
    ]
    assert [(i["elementId"], i["type"], i["state"]) for i in items] == [
        ("start", "START_EVENT", "COMPLETED"),
        ("work", "SERVICE_TASK", "COMPLETED"),
        ("end", "END_EVENT", "COMPLETED"),
    ]
    assert all(i["endDate"] is not None for i in items)
    named = _search(
        engine,
        "element-instances",
        {"filter": {"elementName": {"$like": "Do the*"}}, "sort": [{"field": "elementName"}]},
    )["items"]
    assert [i["elementName"] for i in named] == ["Do the work"]
    typed = _search(engine, "element-instances", {"filter": {"type": "END_EVENT"}})["items"]
    assert [i["elementId"] for i in typed] == ["end"]
    unnamed = _search(engine, "element-instances", {"filter": {"elementName": "end"}})["items"]
    assert unnamed == []  # 'end' has the name "Done"
    assert "processInstanceKey" in _problem(
        engine, "element-instances", {"filter": {"processInstanceKey": "abc"}}
    )


def test_user_tasks_are_found_waiting_and_completed(engine: Engine) -> None:
    first = engine.create_instance("api-user", {"approver": "bob"}).key
    engine.create_instance("api-user", {"approver": "ann"})
    task = next(e for e in engine.element_instances(first) if e.element_kind == "userTask").key
    engine.complete_user_task(task)
    completed = _search(engine, "user-tasks", {"filter": {"state": "COMPLETED"}})["items"]
    assert [i["userTaskKey"] for i in completed] == [str(task)]
    assert completed[0]["completionDate"] is not None
    created = _search(engine, "user-tasks", {"filter": {"state": "CREATED"}})
    assert created["page"]["totalItems"] == 1


# -- a large store --------------------------------------------------------------------------
def test_a_page_of_ten_out_of_50000_instances_is_read_without_loading_them(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    definition = engine.create_instance("api-service").definition_key
    created = 1_700_000_000_000
    with engine.store.transaction() as tx:
        records = [
            InstanceRecord(
                key,
                definition,
                "api-service",
                1,
                "COMPLETED" if key % 5 == 0 else "ACTIVE",
                None,
                None,
                key,
                created + key % 1000,
                None,
            )
            for key in range(1, 50_001)
        ]
        tx.insert_instances(records)

    def no_full_load(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a search must not load every instance")

    monkeypatch.setattr(type(engine), "instances", no_full_load)
    started = time.perf_counter()
    answer = _search(
        engine,
        "process-instances",
        {
            "filter": {"state": "COMPLETED"},
            "sort": [{"field": "processInstanceKey", "order": "DESC"}],
            "page": {"limit": 10},
        },
    )
    elapsed = time.perf_counter() - started
    print(f"one page of 10 out of 50,000 instances: {elapsed * 1000:.0f} ms")
    assert answer["page"]["totalItems"] == 10_000
    assert [int(i["processInstanceKey"]) for i in answer["items"]] == list(
        range(50_000, 49_950 - 1, -5)
    )[:10]
    after = _search(
        engine,
        "process-instances",
        {
            "filter": {"state": "COMPLETED"},
            "sort": [{"field": "processInstanceKey", "order": "DESC"}],
            "page": {"limit": 10, "after": answer["page"]["endCursor"]},
        },
    )
    assert int(after["items"][0]["processInstanceKey"]) == 49_950
    assert after["page"]["totalItems"] == 10_000
    assert elapsed < 2.0, f"{elapsed:.2f} s for one page of ten"


def test_values_beyond_int64_and_forged_cursors_are_400s(engine: Engine) -> None:
    engine.create_instance("api-service")
    huge = _problem(engine, "process-instances", {"filter": {"processDefinitionVersion": 2**70}})
    assert "processDefinitionVersion" in huge
    answer = _search(engine, "process-instances", {"page": {"limit": 1}})
    cursor = answer["page"]["endCursor"]
    # Camunda's cursors are padded base64 (its SDKs check the pattern)
    assert re.fullmatch(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", cursor)
    payload = json.loads(base64.b64decode(cursor))
    payload["v"] = [2**70]
    forged = base64.b64encode(json.dumps(payload).encode()).decode()
    assert "damaged" in _problem(engine, "process-instances", {"page": {"after": forged}})
    assert "ISO 8601" in _problem(engine, "process-instances", {"filter": {"startDate": "today"}})


def test_incidents_mark_their_instance_and_element_until_resolved(engine: Engine) -> None:
    failing = engine.create_instance("api-service").key
    engine.create_instance("api-service")
    job = next(
        j for j in engine.activate_jobs("api-work", "w") if j.process_instance_key == failing
    )
    engine.fail_job(job.key, retries=0, error_message="boom")
    marked = _search(engine, "process-instances", {"filter": {"hasIncident": True}})["items"]
    assert [i["processInstanceKey"] for i in marked] == [str(failing)]
    incidents = _search(
        engine, "incidents", {"filter": {"errorType": "JOB_NO_RETRIES", "state": "ACTIVE"}}
    )["items"]
    assert [(i["processInstanceKey"], i["jobKey"], i["errorMessage"]) for i in incidents] == [
        (str(failing), str(job.key), "boom")
    ]
    element = _search(engine, "element-instances", {"filter": {"hasIncident": True}})["items"]
    assert [(e["elementId"], e["incidentKey"]) for e in element] == [
        ("work", incidents[0]["incidentKey"])
    ]
    one = _calls(engine, [("GET", f"/incidents/{incidents[0]['incidentKey']}", None)])[0]
    assert one.json() == incidents[0]
    engine.update_job_retries(job.key, 1)
    engine.resolve_incident(int(incidents[0]["incidentKey"]))
    assert _search(engine, "process-instances", {"filter": {"hasIncident": True}})["items"] == []
    resolved = _search(engine, "incidents", {"filter": {"state": "RESOLVED"}})["items"]
    assert [i["incidentKey"] for i in resolved] == [incidents[0]["incidentKey"]]
    assert engine.instances()[0].has_incident is False


@pytest.mark.parametrize(
    "value", [True, False, None, 'text "quoted"', 7, 1.5, {"a": [1]}, [1, "b"]]
)
def test_value_text_of_older_sqlite_matches_the_stored_json(
    value: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite before 3.38 has no `->`; the fallback expression gives the same JSON text."""
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 37, 2))
    expression = sqlite_search._json_text("?", "$[5].value")
    document = json.dumps([1, None, "task", "serviceTask", "VARIABLE_CREATED", {"value": value}])
    con = sqlite3.connect(":memory:")
    text = con.execute(f"SELECT {expression}", [document] * expression.count("?")).fetchone()[0]
    assert json.loads(text) == value
    assert text == json.dumps(value, separators=(",", ":"), ensure_ascii=False)
