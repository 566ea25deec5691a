"""kill -9 in the middle of a run: the store holds exactly what was committed, consistently.

A real subprocess (``crash_worker.py``) runs instances through job completions on a store file
and reports each commit on stdout. The test kills it with SIGKILL while it runs, then opens the
file and checks every instance, element instance, job and history row, and finally runs the
surviving instances to their end.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest

from flowwire.engine import Engine, ManualClock
from flowwire.store import open_store

from .conftest import MODELS, ROOT

WORKER = Path(__file__).with_name("crash_worker.py")
OPEN_JOB_STATES = {"ACTIVATABLE", "ACTIVATED"}
ELEMENT_TRANSITIONS = {"ACTIVATED", "COMPLETED", "TERMINATED"}

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def run_and_kill(store: Path) -> list[str]:
    """Starts the worker, kills it -9 once it has made real progress; returns all it printed."""
    process = subprocess.Popen(
        [sys.executable, str(WORKER), str(store), str(MODELS / "crash-order.bpmn")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.stdout is not None and process.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()

    def read(stream: IO[str]) -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=read, args=(process.stdout,), daemon=True)
    reader.start()
    printed: list[str] = []
    progress = random.randint(60, 240)  # lines to see before the kill: a different point each run
    deadline = time.monotonic() + 90
    try:
        while Counter(line.split()[0] for line in printed)["batch"] < 3 or len(printed) < progress:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                pytest.fail(f"the worker stopped by itself:\n{process.stderr.read()}")
            printed.append(line)
        time.sleep(random.uniform(0.0, 0.05))  # somewhere inside a command, not at a boundary
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    reader.join(timeout=30)
    while (line := lines.get_nowait()) is not None:
        printed.append(line)
    return printed


def check_instance(engine: Engine, key: int) -> str:
    """Asserts one instance is whole (before or after each step); returns its state."""
    instance = engine.get_instance(key)
    elements = {e.key: e for e in engine.element_instances(key)}
    jobs = engine.jobs(instance_key=key)
    history = engine.history(key)
    assert engine.incidents(instance_key=key) == [], f"instance {key} has incidents"

    seqs = [entry.seq for entry in history]
    assert seqs == sorted(set(seqs)), f"instance {key}: history out of order"
    transitions: dict[int, list[str]] = {}
    for entry in history:
        if entry.transition in ELEMENT_TRANSITIONS and entry.element_kind != "sequenceFlow":
            assert entry.element_instance_key is not None
            transitions.setdefault(entry.element_instance_key, []).append(entry.transition)
    assert set(transitions) == set(elements), f"instance {key}: history and elements differ"
    for element in elements.values():
        expected = ["ACTIVATED"] if element.state == "ACTIVE" else ["ACTIVATED", "COMPLETED"]
        assert transitions[element.key] == expected, f"{element} vs {transitions[element.key]}"
        if element.state == "ACTIVE":
            assert element.lifecycle == "ACTIVATED", f"half-done element instance: {element}"

    open_jobs = [job for job in jobs if job.state in OPEN_JOB_STATES]
    for job in jobs:
        owner = elements[job.element_instance_key]
        if job.state in OPEN_JOB_STATES:
            assert owner.state == "ACTIVE" and owner.element_kind == "serviceTask", job
        else:
            assert job.state == "COMPLETED" and owner.state == "COMPLETED", (job, owner)
    active_tasks = [
        e for e in elements.values() if e.state == "ACTIVE" and e.element_kind == "serviceTask"
    ]
    assert sorted(j.element_instance_key for j in open_jobs) == sorted(e.key for e in active_tasks)

    if instance.state == "COMPLETED":
        assert open_jobs == [] and all(e.state == "COMPLETED" for e in elements.values())
        assert Counter(e.element_id for e in elements.values())["total"] == 1
        variables = engine.variables(key)
        assert variables["total"] == variables["n"] * 2
        assert variables["order"]["reservation"] == f"R-{variables['n']}"
    else:
        assert instance.state == "ACTIVE"
        assert 1 <= len(active_tasks) <= 2 or any(
            e.element_id == "join" and e.state == "ACTIVE" for e in elements.values()
        ), f"instance {key} waits for nothing"
    return instance.state


def test_kill_9_mid_run_loses_nothing_committed_and_leaves_no_half_steps(tmp_path: Path) -> None:
    store = tmp_path / "flowwire.db"
    printed = run_and_kill(store)
    started = [int(line.split()[1]) for line in printed if line.startswith("started ")]
    completed_jobs = [
        (int(line.split()[1]), int(line.split()[2])) for line in printed if line.startswith("job ")
    ]

    later = ManualClock(datetime.now(UTC) + timedelta(hours=1))  # every lease has run out
    engine = Engine(open_store(store), clock=later)
    try:
        stored = {instance.key for instance in engine.instances(limit=1_000_000)}
        assert set(started) <= stored, "an instance reported as created is missing"
        assert len(stored - set(started)) <= 1, "more than the one in-flight creation survived"
        for job_key, key in completed_jobs:
            # a finished job may be gone from the job table; its history entry must not be
            assert any(
                entry.transition == "JOB_COMPLETED"
                and (entry.details or {}).get("job_key") == job_key
                for entry in engine.history(key)
            ), f"job {job_key} was reported completed, its instance {key} does not show it"
            assert all(j.state == "COMPLETED" for j in engine.jobs(key) if j.key == job_key)

        states = Counter(check_instance(engine, key) for key in stored)
        assert states["ACTIVE"] > 0, "the kill should find instances waiting"
        assert states["ACTIVE"] + states["COMPLETED"] == len(stored)

        engine.register_handler(
            "crash-reserve", lambda job: {"reservation": f"R-{job.variables['n']}"}
        )
        engine.register_handler("crash-charge", lambda job: {"charged": True})
        engine.run_until_idle()
        assert engine.instances(state="ACTIVE", limit=1_000_000) == []
        for key in stored:
            assert check_instance(engine, key) == "COMPLETED"
    finally:
        engine.close()
