"""Deleting a process version through `POST /v2/resources/{key}/deletion` of a real
`flowwire serve` app on loopback: its start webhooks stop at once (404, gone from GET /inbound),
the previous version's start webhooks answer again when the deleted one was the latest, its
message webhooks stay while its instances wait there and then retire, also across a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from flowwire.connectors.inbound import InboundManager
from flowwire.connectors.secrets import SecretResolver
from flowwire.engine import Engine
from flowwire.server import create_app
from flowwire.store import open_store
from support.asgi_server import running

from .models import catch_event_process, start_and_wait_process, start_process, webhook_properties


def _manager(engine: Engine) -> InboundManager:
    return InboundManager(engine, secrets=SecretResolver([]), recheck_seconds=0.0)


def _serve(engine: Engine, manager: InboundManager) -> Any:
    return running(create_app(engine, inbound=manager, run_connectors=False))


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=10) as client:
        yield client


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(open_store(str(tmp_path / "deletion.db")))
    yield engine
    engine.close()


def _listed(http: httpx.Client, base: str) -> dict[str, list[tuple[int, bool]]]:
    """webhook id -> (version, latestVersion) of the elements behind it."""
    return {
        item["webhookId"]: [(e["version"], e["latestVersion"]) for e in item["elements"]]
        for item in http.get(f"{base}/inbound").json()
        if item["type"] == "io.camunda:webhook:1"
    }


def _delete(http: httpx.Client, base: str, key: int) -> httpx.Response:
    return http.post(f"{base}/v2/resources/{key}/deletion")


def test_deleting_the_latest_stops_its_start_webhook_and_restarts_the_previous_one(
    engine: Engine, http: httpx.Client
) -> None:
    manager = _manager(engine)
    first = manager.deploy(start_process("orders", webhook_properties("orders-v1")))
    second = manager.deploy(start_process("orders", webhook_properties("orders-v2")))
    v1, v2 = first.processes[0].key, second.processes[0].key
    with _serve(engine, manager) as base:
        assert _listed(http, base) == {"orders-v2": [(2, True)]}
        assert http.post(f"{base}/inbound/orders-v1", json={}).status_code == 404

        response = _delete(http, base, v2)
        assert response.status_code == 200
        assert response.json() == {"resourceKey": str(v2)}

        assert http.post(f"{base}/inbound/orders-v2", json={}).status_code == 404
        assert _listed(http, base) == {"orders-v1": [(1, True)]}
        answer = http.post(f"{base}/inbound/orders-v1", json={"n": 1})
        assert answer.status_code == 200
        [instance] = engine.instances(process_id="orders")
        assert (instance.definition_key, instance.version) == (v1, 1)


def test_a_shared_webhook_id_falls_back_to_the_previous_version(
    engine: Engine, http: httpx.Client
) -> None:
    manager = _manager(engine)
    hook = webhook_properties("orders")
    v1 = manager.deploy(start_process("orders", hook)).processes[0].key
    changed = webhook_properties("orders", resultExpression="={from: 2}")
    v2 = manager.deploy(start_process("orders", changed)).processes[0].key
    with _serve(engine, manager) as base:
        assert http.post(f"{base}/inbound/orders", json={}).status_code == 200
        assert _delete(http, base, v2).status_code == 200
        assert _listed(http, base) == {"orders": [(1, True)]}
        assert http.post(f"{base}/inbound/orders", json={}).status_code == 200
    versions = sorted(i.definition_key for i in engine.instances(process_id="orders"))
    assert versions == [v1, v2]


def test_deleting_the_only_version_removes_its_webhook_and_a_second_deletion_is_404(
    engine: Engine, http: httpx.Client
) -> None:
    manager = _manager(engine)
    key = manager.deploy(start_process("orders", webhook_properties("orders"))).processes[0].key
    with _serve(engine, manager) as base:
        assert _delete(http, base, key).status_code == 200
        assert _listed(http, base) == {}
        assert http.post(f"{base}/inbound/orders", json={}).status_code == 404

        again = _delete(http, base, key)
        assert again.status_code == 404
        assert again.headers["content-type"] == "application/problem+json"
        assert again.json()["title"] == "NOT_FOUND"
    assert engine.instances(process_id="orders") == []


def test_a_deleted_versions_catch_webhook_serves_its_waiting_instance_then_retires(
    engine: Engine, http: httpx.Client
) -> None:
    manager = _manager(engine)
    hook = webhook_properties("pay", correlationKeyExpression="=request.body.orderId")
    key = manager.deploy(catch_event_process("pay", hook, "paid")).processes[0].key
    waiting = engine.create_instance("pay", {"orderId": "A-1"}).key
    with _serve(engine, manager) as base:
        assert _delete(http, base, key).status_code == 200
        assert _listed(http, base) == {"pay": [(1, False)]}  # A-1 still waits there
        assert http.post(f"{base}/inbound/pay", json={"orderId": "A-1"}).status_code == 200
        assert engine.get_instance(waiting).state == "COMPLETED"
        assert http.post(f"{base}/inbound/pay", json={"orderId": "A-1"}).status_code == 404
        assert _listed(http, base) == {}


def test_a_restart_keeps_a_deletion(tmp_path: Path, http: httpx.Client) -> None:
    path = str(tmp_path / "restart.db")
    engine = Engine(open_store(path))
    manager = _manager(engine)
    manager.deploy(start_and_wait_process("signup", webhook_properties("signup-v1")))
    hook = webhook_properties("pay", correlationKeyExpression="=request.body.orderId")
    manager.deploy(catch_event_process("pay", hook, "paid"))
    v2 = manager.deploy(start_and_wait_process("signup", webhook_properties("signup-v2")))
    running_on_v2 = engine.create_instance("signup").key
    waiting = engine.create_instance("pay", {"orderId": "R-1"}).key
    manager.delete_definition(v2.processes[0].key)
    manager.delete_definition(engine.definitions("pay")[0].key)
    engine.close()

    engine = Engine(open_store(path))
    try:
        with _serve(engine, _manager(engine)) as base:
            # version 2 of signup still has a running instance, but its start stays off
            assert _listed(http, base) == {"signup-v1": [(1, True)], "pay": [(1, False)]}
            assert http.post(f"{base}/inbound/signup-v2", json={}).status_code == 404
            assert http.post(f"{base}/inbound/signup-v1", json={}).status_code == 200
            assert http.post(f"{base}/inbound/pay", json={"orderId": "R-1"}).status_code == 200
            assert _listed(http, base) == {"signup-v1": [(1, True)]}
        assert engine.get_instance(waiting).state == "COMPLETED"
        assert engine.get_instance(running_on_v2).state == "ACTIVE"
        assert sorted(i.version for i in engine.instances(process_id="signup")) == [1, 2]
    finally:
        engine.close()


def test_a_deletion_made_without_the_manager_is_picked_up_by_its_sync(engine: Engine) -> None:
    manager = _manager(engine)
    manager.deploy(start_process("orders", webhook_properties("orders-v1")))
    v2 = manager.deploy(start_process("orders", webhook_properties("orders-v2")))
    manager.deploy(start_process("other", webhook_properties("other")))
    engine.delete_definition(v2.processes[0].key)  # e.g. `flowwire delete` on the same store
    engine.delete_definition(engine.definitions("other")[0].key)
    manager.sync()
    assert sorted(manager.registry.endpoints) == ["orders-v1"]
