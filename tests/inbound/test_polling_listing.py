"""`GET /inbound` lists the HTTP polling elements next to the webhooks: process, element,
version, interval, how many instances are being polled and how the last poll went. Real HTTP
to the serve app (its own poller running) and to a loopback status server."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from flowwire.connectors.inbound import InboundManager
from flowwire.connectors.secrets import SecretResolver
from flowwire.engine import Engine, ManualClock
from flowwire.server import create_app
from flowwire.store import open_store
from support.asgi_server import running
from support.http_server import LoopbackServer, Recorded, Reply

from .models import catch_event_process, start_process, webhook_properties


def _polling(url: str, interval: str) -> dict[str, str]:
    return {
        "inbound.type": "io.camunda:http-polling:1",
        "method": "GET",
        "url": url,
        "httpRequestInterval": interval,
        "activationCondition": '=body.status = "DONE"',
        "resultExpression": "={jobStatus: body.status}",
    }


@pytest.fixture
def status_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = LoopbackServer()
    yield server
    server.close()


def _wait_until(check: Callable[[], Any], seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.05)


def test_polling_elements_are_listed_with_instances_interval_and_last_outcome(
    tmp_path: Path, status_server: LoopbackServer
) -> None:
    status = {"value": "RUNNING"}

    def job_status(_request: Recorded) -> Reply:
        return Reply(200, {"status": status["value"]})

    status_server.route("GET", "/status", job_status)
    clock = ManualClock(datetime(2024, 5, 6, 8, 0, tzinfo=UTC))
    engine = Engine(open_store(str(tmp_path / "listing.db")), clock=clock)
    manager = InboundManager(engine, secrets=SecretResolver([]))
    url = f"{status_server.base}/status"
    manager.deploy(catch_event_process("jobs", _polling(url, "PT10S"), "job-done"))
    old = engine.create_instance("jobs", {"orderId": "j-1"}).key
    manager.deploy(catch_event_process("jobs", _polling(url, "PT20S"), "job-done"))
    new = engine.create_instance("jobs", {"orderId": "j-2"}).key
    dead = _polling("http://127.0.0.1:9/unreachable", "PT10S")
    manager.deploy(catch_event_process("dead", dead, "dead-done"))
    engine.create_instance("dead", {"orderId": "d-1"})
    manager.deploy(start_process("docs", webhook_properties("documents")))
    app = create_app(engine, inbound=manager, run_connectors=False, rest_api=False)

    def polling_items(http: httpx.Client, base: str) -> dict[tuple[str, int], dict[str, Any]]:
        listed = http.get(f"{base}/inbound").json()
        return {
            (item["processId"], item["version"]): item
            for item in listed
            if item["type"] == "io.camunda:http-polling:1"
        }

    try:
        with running(app) as base, httpx.Client(trust_env=False, timeout=10) as http:
            items = _wait_until(
                lambda: (
                    found
                    if len(found := polling_items(http, base)) == 3
                    and all(i["lastPoll"] for i in found.values())
                    else None
                )
            )
            webhooks = [i for i in http.get(f"{base}/inbound").json() if "webhookId" in i]
            assert [w["webhookId"] for w in webhooks] == ["documents"]

            first, second = items[("jobs", 1)], items[("jobs", 2)]
            assert first["elementId"] == "wait_hook"
            assert first["elementType"] == "intermediateCatchEvent"
            assert (first["interval"], second["interval"]) == ("PT10S", "PT20S")
            assert (first["latestVersion"], second["latestVersion"]) == (False, True)
            assert (first["polledInstances"], second["polledInstances"]) == (1, 1)
            assert first["lastPoll"]["outcome"] == "CONDITION_NOT_MET"
            assert first["lastPoll"]["processInstanceKey"] == old
            assert first["lastPoll"]["time"] == "2024-05-06T08:00:00+00:00"
            assert first["health"] == {"status": "UP"}
            broken = items[("dead", 1)]
            assert broken["health"]["status"] == "DOWN"
            assert "127.0.0.1:9" in broken["health"]["reason"]
            assert broken["lastPoll"]["outcome"] == "FAILED"

            status["value"] = "DONE"
            engine.advance_clock(timedelta(seconds=20))
            _wait_until(
                lambda: (
                    engine.get_instance(old).state == engine.get_instance(new).state == "COMPLETED"
                )
            )
            items = _wait_until(
                lambda: (
                    found
                    if (found := polling_items(http, base)).get(("jobs", 2), {}).get("lastPoll", {})
                    and found[("jobs", 2)]["lastPoll"]["outcome"] == "CORRELATED"
                    and ("jobs", 1) not in found
                    else None
                )
            )
            # version 1 has nobody left waiting: it is no longer listed
            assert items[("jobs", 2)]["polledInstances"] == 0
            assert items[("jobs", 2)]["lastPoll"]["processInstanceKey"] == new
            assert items[("jobs", 2)]["polls"] == 2
    finally:
        engine.close()
