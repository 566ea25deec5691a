"""The REST API in-process (ASGI): problems, unsupported fields, long polling, awaiting
completion, search filters and paging, clock control, authentication and the OpenAPI
document."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from flowwire.api import InsecureBinding, check_exposure, create_api
from flowwire.api.openapi import openapi_document
from flowwire.cli.main import main
from flowwire.engine import Engine
from flowwire.store import open_store

from .serving import MODELS

PROBLEM = "application/problem+json"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "flowwire.db")))
    engine.deploy([MODELS / "service-task.bpmn", MODELS / "user-task.bpmn"])
    yield engine
    engine.close()


def _app(engine: Engine, **options: Any) -> Starlette:
    return Starlette(routes=[Mount("/v2", app=create_api(engine, **options))])


def _run(engine: Engine, scenario: Any, **options: Any) -> Any:
    async def main() -> Any:
        transport = httpx.ASGITransport(app=_app(engine, **options))
        async with httpx.AsyncClient(transport=transport, base_url="http://test/v2") as client:
            return await scenario(client)

    return asyncio.run(main())


def _call(engine: Engine, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def scenario(client: httpx.AsyncClient) -> httpx.Response:
        return await client.request(method, path, **kwargs)

    response: httpx.Response = _run(engine, scenario)
    return response


def _activation(**extra: Any) -> dict[str, Any]:
    return {"type": "api-work", "worker": "t", "timeout": 60_000, "maxJobsToActivate": 5, **extra}


# -- problems -------------------------------------------------------------------------------
def test_unknown_job_is_a_404_problem(engine: Engine) -> None:
    response = _call(engine, "POST", "/jobs/12345/completion", json={})
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["title"] == "NOT_FOUND"
    assert body["status"] == 404
    assert body["instance"] == "/v2/jobs/12345/completion"
    assert "12345" in body["detail"]


def test_a_finished_job_is_gone_and_an_ended_instance_cannot_be_cancelled(
    engine: Engine,
) -> None:
    engine.create_instance("api-service")

    async def scenario(client: httpx.AsyncClient) -> list[httpx.Response]:
        jobs = (await client.post("/jobs/activation", json=_activation())).json()["jobs"]
        key, instance = jobs[0]["jobKey"], jobs[0]["processInstanceKey"]
        first = await client.post(f"/jobs/{key}/completion", json={"variables": {"a": 1}})
        second = await client.post(f"/jobs/{key}/completion", json={})
        cancel = await client.post(f"/process-instances/{instance}/cancellation")
        return [first, second, cancel]

    first, second, cancel = _run(engine, scenario)
    assert first.status_code == 204
    assert second.status_code == 404  # as in Zeebe: a completed job no longer exists
    assert cancel.status_code == 409
    assert cancel.json()["title"] == "INVALID_STATE"
    assert "completed" in cancel.json()["detail"]


def test_an_invalid_deployment_lists_every_problem_and_deploys_nothing(engine: Engine) -> None:
    broken = (MODELS.parent.parent / "bpmn" / "models" / "invalid.bpmn").read_bytes()
    files = [
        ("resources", ("good.bpmn", (MODELS / "error-catch.bpmn").read_bytes())),
        ("resources", ("invalid.bpmn", broken)),
    ]
    response = _call(engine, "POST", "/deployments", files=files)
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "INVALID_ARGUMENT"
    assert len(body["problems"]) >= 2
    assert all(problem.startswith("invalid.bpmn") for problem in body["problems"])
    assert [d.process_id for d in engine.definitions("api-error")] == []


def test_a_deployment_must_be_multipart(engine: Engine) -> None:
    response = _call(engine, "POST", "/deployments", json={"resources": []})
    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"processDefinitionId": "api-service", "startInstructions": [{"elementId": "x"}]},
         "startInstructions"),
        ({"processDefinitionId": "api-service", "colour": "red"}, "colour"),
        ({"processDefinitionId": "api-service", "tenantId": "acme"}, "acme"),
        ({"processDefinitionId": "api-service", "processDefinitionKey": "1"}, "exactly one"),
        ({"processDefinitionId": "api-service", "variables": [1]}, "variables"),
    ],
)  # fmt: skip
def test_what_flowwire_cannot_do_is_a_400_naming_it(
    engine: Engine, body: dict[str, Any], named: str
) -> None:
    response = _call(engine, "POST", "/process-instances", json=body)
    assert response.status_code == 400
    assert named in response.json()["detail"]


def test_unknown_paths_are_problems(engine: Engine) -> None:
    response = _call(engine, "GET", "/decision-definitions/1")
    assert response.status_code == 404
    assert "openapi.json" in response.json()["detail"]
    assert _call(engine, "DELETE", "/topology").status_code == 405
    bad_key = _call(engine, "GET", "/process-instances/search")
    assert bad_key.status_code == 400
    assert "processInstanceKey" in bad_key.json()["detail"]


# -- long polling and awaiting --------------------------------------------------------------
def test_activation_answers_as_soon_as_a_job_exists(engine: Engine) -> None:
    async def scenario(client: httpx.AsyncClient) -> tuple[float, list[Any]]:
        started = time.monotonic()
        poll = asyncio.create_task(
            client.post("/jobs/activation", json=_activation(requestTimeout=20_000))
        )
        await asyncio.sleep(0.3)
        await client.post("/process-instances", json={"processDefinitionId": "api-service"})
        jobs = (await poll).json()["jobs"]
        return time.monotonic() - started, jobs

    elapsed, jobs = _run(engine, scenario)
    assert [job["elementId"] for job in jobs] == ["work"]
    assert elapsed < 5


def test_activation_without_jobs_answers_empty_after_the_request_timeout(engine: Engine) -> None:
    started = time.monotonic()
    response = _call(engine, "POST", "/jobs/activation", json=_activation(requestTimeout=300))
    assert response.json() == {"jobs": []}
    assert 0.25 < time.monotonic() - started < 5


def test_await_completion_that_times_out_is_a_504(engine: Engine) -> None:
    response = _call(
        engine,
        "POST",
        "/process-instances",
        json={"processDefinitionId": "api-service", "awaitCompletion": True, "requestTimeout": 200},
    )
    assert response.status_code == 504
    assert "keeps running" in response.json()["detail"]
    assert engine.instances(state="ACTIVE")


def test_await_completion_returns_the_fetched_variables(engine: Engine) -> None:
    async def scenario(client: httpx.AsyncClient) -> dict[str, Any]:
        create = asyncio.create_task(
            client.post(
                "/process-instances",
                json={
                    "processDefinitionId": "api-service",
                    "variables": {"a": 1, "b": 2},
                    "awaitCompletion": True,
                    "fetchVariables": ["a", "result"],
                },
            )
        )
        jobs = (await client.post("/jobs/activation", json=_activation())).json()["jobs"]
        await client.post(
            f"/jobs/{jobs[0]['jobKey']}/completion", json={"variables": {"result": "ok"}}
        )
        return dict((await create).json())

    created = _run(engine, scenario)
    assert created["variables"] == {"a": 1, "result": "ok"}


# -- search -----------------------------------------------------------------------------------
def test_search_filters_sorts_and_pages(engine: Engine) -> None:
    for n in range(5):
        engine.create_instance("api-service", {"n": n})
    engine.create_instance("api-user", {"approver": "bob"})

    def search(body: dict[str, Any]) -> dict[str, Any]:
        return dict(_call(engine, "POST", "/process-instances/search", json=body).json())

    everything = search({})
    assert everything["page"]["totalItems"] == 6
    services = search({"filter": {"processDefinitionId": "api-service"}})
    assert services["page"]["totalItems"] == 5
    like = search({"filter": {"processDefinitionId": {"$like": "api-u*"}}})
    assert [i["processDefinitionId"] for i in like["items"]] == ["api-user"]
    keys = sorted(int(i["processInstanceKey"]) for i in services["items"])
    page = search(
        {
            "filter": {"processInstanceKey": {"$in": [str(k) for k in keys]}},
            "sort": [{"field": "processInstanceKey", "order": "DESC"}],
            "page": {"from": 1, "limit": 2},
        }
    )
    assert page["page"]["totalItems"] == 5
    assert [int(i["processInstanceKey"]) for i in page["items"]] == keys[::-1][1:3]
    rejected = _call(
        engine, "POST", "/process-instances/search", json={"filter": {"colour": "red"}}
    )
    assert rejected.status_code == 400
    assert "colour" in rejected.json()["detail"]


def test_variables_are_set_on_a_scope_and_found_by_name(engine: Engine) -> None:
    key = engine.create_instance("api-service", {"a": 1}).key
    updated = _call(
        engine, "PUT", f"/element-instances/{key}/variables", json={"variables": {"b": [1, 2]}}
    )
    assert updated.status_code == 204
    found = _call(
        engine,
        "POST",
        "/variables/search",
        json={"filter": {"processInstanceKey": str(key), "name": {"$in": ["a", "b"]}}},
    ).json()
    assert sorted((v["name"], v["value"]) for v in found["items"]) == [("a", "1"), ("b", "[1,2]")]


def test_process_definition_xml_is_served(engine: Engine) -> None:
    key = engine.definitions("api-service")[0].key
    response = _call(engine, "GET", f"/process-definitions/{key}/xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert b'id="api-service"' in response.content


# -- clock ----------------------------------------------------------------------------------
def test_the_clock_is_pinned_only_when_allowed(engine: Engine) -> None:
    assert _call(engine, "PUT", "/clock", json={"timestamp": 0}).status_code == 403

    async def scenario(client: httpx.AsyncClient) -> list[Any]:
        pinned = await client.put("/clock", json={"timestamp": 1_700_000_000_000})
        created = await client.post("/process-instances", json={"processDefinitionId": "api-user"})
        key = created.json()["processInstanceKey"]
        instance = (await client.get(f"/process-instances/{key}")).json()
        reset = await client.post("/clock/reset")
        return [pinned.status_code, instance["startDate"], reset.status_code]

    pinned, start, reset = _run(engine, scenario, clock_control=True)
    assert (pinned, reset) == (204, 204)
    assert start == "2023-11-14T22:13:20.000Z"
    assert engine.clock.now().year >= 2025


# -- authentication ---------------------------------------------------------------------------
def test_a_token_or_basic_credentials_are_required_when_configured(engine: Engine) -> None:
    basic = "Basic " + base64.b64encode(b"ops:s3cret").decode()

    async def scenario(client: httpx.AsyncClient) -> list[int]:
        statuses = []
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": "Bearer t0ken"},
            {"Authorization": basic},
        ):
            statuses.append((await client.get("/topology", headers=headers)).status_code)
        statuses.append((await client.get("/openapi.json")).status_code)
        return statuses

    statuses = _run(engine, scenario, token="t0ken", basic_credentials=("ops", "s3cret"))
    assert statuses == [401, 401, 200, 200, 200]


def test_only_loopback_may_go_without_credentials() -> None:
    check_exposure("127.0.0.1", token=None, basic=None, insecure=False)
    check_exposure("::1", token=None, basic=None, insecure=False)
    check_exposure("0.0.0.0", token="t", basic=None, insecure=False)
    check_exposure("0.0.0.0", token=None, basic=None, insecure=True)
    with pytest.raises(InsecureBinding, match="--api-token"):
        check_exposure("0.0.0.0", token=None, basic=None, insecure=False)


def test_serve_refuses_a_public_address_without_credentials(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--host", "0.0.0.0", "--store", str(tmp_path / "f.db")]
    )
    assert result.exit_code == 2
    assert "--insecure" in result.output


# -- the OpenAPI document ---------------------------------------------------------------------
def test_openapi_describes_exactly_the_served_endpoints(engine: Engine) -> None:
    api = create_api(engine)
    served = {
        (route.path, method.lower())
        for route in api.routes
        if isinstance(route, Route) and route.path != "/openapi.json"
        for method in (route.methods or ())
        if method != "HEAD"
    }
    document = openapi_document()
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert described == served
    assert _call(engine, "GET", "/openapi.json").json()["servers"] == [{"url": "/v2"}]
