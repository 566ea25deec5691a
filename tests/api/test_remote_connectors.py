"""`flowwire connectors --rest-address` runs the outbound connector runtime as a remote job
worker: a second `flowwire serve` (without in-process connectors) hands it the REST
connector's jobs over the REST API, and the process completes end to end, including a BPMN
error thrown by the connector's error expression."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from .serving import MODELS, Served


class _Orders(BaseHTTPRequestHandler):
    """A loopback order service: /orders/A-1 exists, everything else is 404."""

    def do_GET(self) -> None:
        if self.path == "/orders/A-1":
            status, body = 200, {"status": "shipped", "total": 42}
        else:
            status, body = 404, {"message": f"no order at {self.path}"}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def orders_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Orders)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def remote_runtime(served: Served) -> Iterator[subprocess.Popen[str]]:
    command = [
        sys.executable, "-m", "flowwire.cli.main", "connectors",
        "--rest-address", served.base, "--request-timeout", "1", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        assert process.returncode == 0, output
        assert "Traceback" not in output, output


def _wait_for_end(api: str, key: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        item = httpx.get(f"{api}/process-instances/{key}").json()
        if item["state"] != "ACTIVE":
            return dict(item)
        time.sleep(0.1)
    pytest.fail(f"process instance {key} did not end within 30 s")


def test_remote_connector_runtime_completes_rest_calls(
    served: Served, orders_url: str, remote_runtime: subprocess.Popen[str]
) -> None:
    with open(MODELS / "rest-call.bpmn", "rb") as model:
        deployed = httpx.post(
            f"{served.api}/deployments", files={"resources": ("rest-call.bpmn", model)}
        )
    assert deployed.status_code == 200, deployed.text

    found = httpx.post(
        f"{served.api}/process-instances",
        json={
            "processDefinitionId": "api-rest-call",
            "variables": {"baseUrl": orders_url, "orderId": "A-1"},
            "awaitCompletion": True,
            "requestTimeout": 30_000,
        },
        timeout=40,
    )
    assert found.status_code == 200, found.text
    assert found.json()["variables"]["status"] == "shipped"
    assert found.json()["variables"]["total"] == 42

    missing = httpx.post(
        f"{served.api}/process-instances",
        json={
            "processDefinitionId": "api-rest-call",
            "variables": {"baseUrl": orders_url, "orderId": "B-9"},
        },
    ).json()["processInstanceKey"]
    assert _wait_for_end(served.api, missing)["state"] == "COMPLETED"
    elements = httpx.post(
        f"{served.api}/element-instances/search",
        json={"filter": {"processInstanceKey": missing, "elementId": "missing"}},
    ).json()
    assert elements["page"]["totalItems"] == 1

    stored = httpx.post(
        f"{served.api}/variables/search",
        json={"filter": {"processInstanceKey": found.json()["processInstanceKey"]}},
    ).json()
    assert {v["name"] for v in stored["items"]} >= {"status", "total", "orderId"}
