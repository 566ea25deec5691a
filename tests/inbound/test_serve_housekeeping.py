"""What the serve app does in the background: fire due timers, and keep the WAL small."""

from __future__ import annotations

import os
import time

from .conftest import TestClient
from .models import HEADER, start_process, webhook_properties

TIMER_PROCESS = (
    HEADER.format(pid="nap")
    + '<bpmn:process id="nap" isExecutable="true">'
    + '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
    + '<bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming>'
    + "<bpmn:outgoing>f2</bpmn:outgoing><bpmn:timerEventDefinition>"
    + '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression" '
    + 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">PT0.3S</bpmn:timeDuration>'
    + "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
    + '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />'
    + '<bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />'
    + "</bpmn:process></bpmn:definitions>"
)


def _wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_serve_fires_due_timers(engine, serve):
    engine.deploy(TIMER_PROCESS)
    client: TestClient = serve()
    instance = engine.create_instance("nap").key
    assert client.get("/health").status_code == 200
    assert _wait_for(lambda: engine.get_instance(instance).state == "COMPLETED")


def test_serve_keeps_the_wal_from_growing_to_the_store_checkpoint(engine, inbound, serve):
    inbound.deploy(start_process("docs", webhook_properties("documents")))
    client: TestClient = serve()
    wal = engine.store.path + "-wal"
    for _ in range(3):
        for _ in range(150):
            assert client.post("/inbound/documents", json={"id": 1}).status_code == 200
        time.sleep(0.3)  # a housekeeping round checkpoints between requests
    # 450 instances write about 7 MB of WAL frames; restarted after each checkpoint, the
    # file stays at the size of one round's frames
    assert os.path.getsize(wal) < 4 * 1024 * 1024
