"""`flowwire serve` as a real process: start-up, a webhook starts an instance, SIGTERM shuts
it down gracefully, and a restart on the same store keeps the webhook working."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flowwire.engine import Engine
from flowwire.store import open_store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook-start.bpmn"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(store: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-m", "flowwire.cli.main", "serve",
        "--store", str(store), "--port", str(port), *extra,
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _wait_ready(process: subprocess.Popen[str], base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"flowwire serve exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail("flowwire serve did not become ready within 30 s")


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"flowwire serve did not stop on SIGTERM:\n{output}")
    assert process.returncode == 0, output
    return output


def _post_document(base: str, document_id: int) -> httpx.Response:
    return httpx.post(
        f"{base}/inbound/document-received",
        json={"id": document_id, "status": "OK"},
        timeout=10,
    )


def test_serve_starts_instances_from_webhooks_and_survives_a_restart(tmp_path):
    store = tmp_path / "serve.db"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"

    process = _start(store, port, "--deploy", str(EXAMPLE))
    try:
        _wait_ready(process, base)
        listed = httpx.get(f"{base}/inbound", timeout=5).json()
        assert [item["webhookId"] for item in listed] == ["document-received"]
        first = _post_document(base, 1)
        assert first.status_code == 200
        assert "processInstanceKey" in first.json()
    finally:
        output = _stop(process)
    assert "Application shutdown complete" in output

    process = _start(store, port)
    try:
        _wait_ready(process, base)
        assert _post_document(base, 2).status_code == 200
        assert httpx.post(f"{base}/inbound/unknown", json={}, timeout=5).status_code == 404
    finally:
        _stop(process)

    engine = Engine(open_store(str(store)))
    try:
        instances = engine.instances(process_id="document-received")
        assert [i.state for i in instances] == ["COMPLETED", "COMPLETED"]
        documents = sorted(engine.variables(i.key)["myDocumentId"] for i in instances)
        assert documents == [1, 2]
        assert engine.variables(instances[0].key)["location"].startswith("documents/")
    finally:
        engine.close()


def test_serve_restart_keeps_an_old_versions_webhook_only_while_instances_wait(tmp_path):
    from flowwire.connectors.inbound import InboundManager
    from flowwire.connectors.secrets import SecretResolver

    from .models import catch_event_process, webhook_properties

    def hook(webhook_id: str) -> dict[str, str]:
        return webhook_properties(webhook_id, correlationKeyExpression="=request.body.orderId")

    store = tmp_path / "versions.db"
    engine = Engine(open_store(str(store)))
    try:
        manager = InboundManager(engine, secrets=SecretResolver([]))
        manager.deploy(catch_event_process("pay", hook("pay-v1"), "payment-received"))
        waiting = engine.create_instance("pay", {"orderId": "S-1"}).key
        manager.deploy(catch_event_process("pay", hook("pay-v2"), "payment-received"))
    finally:
        engine.close()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"

    def listed() -> list[str]:
        return [item["webhookId"] for item in httpx.get(f"{base}/inbound", timeout=5).json()]

    process = _start(store, port)
    try:
        _wait_ready(process, base)
        assert listed() == ["pay-v1", "pay-v2"]
        paid = httpx.post(f"{base}/inbound/pay-v1", json={"orderId": "S-1"}, timeout=10)
        assert paid.status_code == 200
        assert listed() == ["pay-v2"]  # nothing of version 1 waits any more
    finally:
        output = _stop(process)
    assert "webhook 'pay-v1' of element 'wait_hook' of process 'pay' (version 1) retired" in output

    process = _start(store, port)
    try:
        _wait_ready(process, base)
        assert listed() == ["pay-v2"]
        gone = httpx.post(f"{base}/inbound/pay-v1", json={"orderId": "S-1"}, timeout=10)
        assert gone.status_code == 404
    finally:
        _stop(process)
    engine = Engine(open_store(str(store)))
    try:
        assert engine.get_instance(waiting).state == "COMPLETED"
    finally:
        engine.close()
