"""schemathesis generates requests from /v2/openapi.json for every endpoint flowwire serves;
whatever it sends, the API answers with a success or a 4xx/501 problem, never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Mount

from flowwire.api import create_api
from flowwire.api.openapi import openapi_document
from flowwire.engine import Engine
from flowwire.store import open_store

from .serving import MODELS

OPERATIONS = [
    (path, method) for path, item in openapi_document()["paths"].items() for method in item
]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    store = open_store(str(Path(tmp_path_factory.mktemp("fuzz")) / "flowwire.db"))
    engine = Engine(store)
    engine.deploy([MODELS / "service-task.bpmn", MODELS / "user-task.bpmn"])
    engine.create_instance("api-service", {"n": 1})
    engine.create_instance("api-user", {"approver": "ann"})
    # short long-polls keep the fuzzing in seconds
    app = Starlette(routes=[Mount("/v2", app=create_api(engine, max_wait_ms=20))])
    yield schemathesis.openapi.from_asgi("/v2/openapi.json", app)
    engine.close()


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_server_errors(api_schema: Any, path: str, method: str) -> None:
    operation = api_schema[path][method.upper()]
    strategy = operation.as_strategy()
    seen: list[int] = []

    @given(data=st.data())
    @settings(
        max_examples=10,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def run(data: st.DataObject) -> None:
        case = data.draw(strategy)
        response = case.call()
        seen.append(response.status_code)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text}"
        )

    run()
    assert seen, "schemathesis generated no request"
