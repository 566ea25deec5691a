"""Older versions' message webhooks: they stay while instances of that version wait at the
element and retire once none does — on a request, on the housekeeping sweep, in the listing and
across a restart. Real HTTP requests to the serve app on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flowwire.connectors.inbound import InboundManager
from flowwire.connectors.secrets import SecretResolver
from flowwire.engine import Engine
from flowwire.server import create_app
from flowwire.store import open_store
from support.asgi_server import running

from .models import catch_event_process, message_start_process, webhook_properties


def _hook(webhook_id: str, **extra: str) -> dict[str, str]:
    return webhook_properties(
        webhook_id,
        correlationKeyExpression="=request.body.orderId",
        resultExpression="={paid: request.body.amount}",
        **extra,
    )


def _manager(engine: Engine, recheck_seconds: float = 0.0) -> InboundManager:
    return InboundManager(engine, secrets=SecretResolver([]), recheck_seconds=recheck_seconds)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=10) as client:
        yield client


def _serve(engine: Engine, manager: InboundManager):
    app = create_app(engine, inbound=manager, run_connectors=False, rest_api=False)
    return running(app)


def _listed(http: httpx.Client, base: str) -> dict[str, list[int]]:
    """webhook id -> the versions of the elements behind it."""
    return {
        item["webhookId"]: [e["version"] for e in item["elements"]]
        for item in http.get(f"{base}/inbound").json()
        if item["type"] == "io.camunda:webhook:1"
    }


def _pay(http: httpx.Client, base: str, hook: str, order: str) -> int:
    response = http.post(f"{base}/inbound/{hook}", json={"orderId": order, "amount": 5})
    return response.status_code


def test_an_old_versions_catch_webhook_retires_when_its_last_waiting_instance_leaves(
    tmp_path: Path, http: httpx.Client
) -> None:
    engine = Engine(open_store(str(tmp_path / "retire.db")))
    manager = _manager(engine)
    manager.deploy(catch_event_process("pay", _hook("pay-v1"), "payment-received"))
    first = engine.create_instance("pay", {"orderId": "A-1"}).key
    second = engine.create_instance("pay", {"orderId": "A-2"}).key
    manager.deploy(catch_event_process("pay", _hook("pay-v2"), "payment-received"))
    try:
        with _serve(engine, manager) as base:
            assert _listed(http, base) == {"pay-v1": [1], "pay-v2": [2]}

            assert _pay(http, base, "pay-v1", "A-1") == 200
            assert engine.get_instance(first).state == "COMPLETED"
            assert _listed(http, base) == {"pay-v1": [1], "pay-v2": [2]}  # A-2 still waits

            engine.cancel_instance(second)
            # the request itself finds that nothing of version 1 waits there any more
            assert _pay(http, base, "pay-v1", "A-2") == 404
            assert _listed(http, base) == {"pay-v2": [2]}
            assert _pay(http, base, "pay-v2", "A-3") == 200  # the new version's is untouched
    finally:
        engine.close()


def test_the_housekeeping_sweep_retires_what_a_request_still_trusted(
    tmp_path: Path, http: httpx.Client
) -> None:
    engine = Engine(open_store(str(tmp_path / "sweep.db")))
    manager = _manager(engine, recheck_seconds=3600)
    manager.deploy(catch_event_process("pay", _hook("pay-v1"), "payment-received"))
    waiting = engine.create_instance("pay", {"orderId": "B-1"}).key
    manager.deploy(catch_event_process("pay", _hook("pay-v2"), "payment-received"))
    try:
        with _serve(engine, manager) as base:
            assert _pay(http, base, "pay-v1", "nobody") == 200  # checked: B-1 waits
            engine.cancel_instance(waiting)
            # within recheck_seconds a request trusts the last check ...
            assert _pay(http, base, "pay-v1", "B-1") == 200
            # ... until the sweep of `flowwire serve` (every two seconds) retires it
            deadline = time.monotonic() + 10
            while _pay(http, base, "pay-v1", "B-1") != 404:
                assert time.monotonic() < deadline, "the sweep did not retire pay-v1"
                time.sleep(0.2)
    finally:
        engine.close()


def test_a_shared_id_keeps_serving_the_new_version_after_the_old_one_retires(
    tmp_path: Path, http: httpx.Client
) -> None:
    engine = Engine(open_store(str(tmp_path / "shared.db")))
    manager = _manager(engine)
    hook = _hook("payments")
    manager.deploy(catch_event_process("pay", hook, "payment-received"))
    old = engine.create_instance("pay", {"orderId": "C-1"}).key
    # a new version with the same connector properties shares the id
    changed = catch_event_process("pay", hook, "payment-received").replace(
        '<bpmn:endEvent id="end">', '<bpmn:endEvent id="end" name="Paid">'
    )
    manager.deploy(changed)
    new = engine.create_instance("pay", {"orderId": "C-2"}).key
    try:
        with _serve(engine, manager) as base:
            assert _listed(http, base) == {"payments": [1, 2]}
            assert _pay(http, base, "payments", "C-1") == 200
            assert engine.get_instance(old).state == "COMPLETED"
            assert _listed(http, base) == {"payments": [2]}
            assert _pay(http, base, "payments", "C-2") == 200
            assert engine.get_instance(new).state == "COMPLETED"
    finally:
        engine.close()


def test_a_new_version_replaces_an_old_message_start_webhook_at_once(
    tmp_path: Path, http: httpx.Client
) -> None:
    engine = Engine(open_store(str(tmp_path / "start.db")))
    manager = _manager(engine)
    manager.deploy(message_start_process("signup", webhook_properties("signup-v1"), "signed-up"))
    manager.deploy(message_start_process("signup", webhook_properties("signup-v2"), "signed-up"))
    try:
        with _serve(engine, manager) as base:
            assert _listed(http, base) == {"signup-v2": [2]}
            assert http.post(f"{base}/inbound/signup-v1", json={}).status_code == 404
    finally:
        engine.close()


def test_a_restart_keeps_old_webhooks_with_waiting_instances_and_drops_idle_ones(
    tmp_path: Path, http: httpx.Client
) -> None:
    path = str(tmp_path / "restart.db")
    engine = Engine(open_store(path))
    manager = _manager(engine)
    manager.deploy(catch_event_process("pay", _hook("pay-v1"), "payment-received"))
    waiting = engine.create_instance("pay", {"orderId": "R-1"}).key
    manager.deploy(catch_event_process("pay", _hook("pay-v2"), "payment-received"))
    manager.deploy(catch_event_process("pay", _hook("pay-v3"), "payment-received"))
    engine.close()

    # restart: version 1 has an instance waiting, version 2 none
    engine = Engine(open_store(path))
    try:
        with _serve(engine, _manager(engine)) as base:
            assert _listed(http, base) == {"pay-v1": [1], "pay-v3": [3]}
            assert _pay(http, base, "pay-v1", "R-1") == 200
        assert engine.get_instance(waiting).state == "COMPLETED"
    finally:
        engine.close()

    # restart again: nothing of version 1 waits any more
    engine = Engine(open_store(path))
    try:
        with _serve(engine, _manager(engine)) as base:
            assert _listed(http, base) == {"pay-v3": [3]}
            assert _pay(http, base, "pay-v1", "R-1") == 404
    finally:
        engine.close()
