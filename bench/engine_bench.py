"""Engine benchmark: flowwire against SpiffWorkflow on the same two processes, in one run.

Run by hand (it is not a test)::

    .venv/bin/python bench/engine_bench.py [--instances 1000] [--wave 16] [--rounds 3]

Both engines persist to a SQLite file in WAL mode with ``synchronous=NORMAL`` (a commit is durable
against a process crash, an OS crash may lose the last commits before a checkpoint):

* flowwire: the store opened by ``flowwire.store.open_store``; each instance is created in its
  own transaction, then the engine's in-process worker (``register_handler`` +
  ``run_until_idle``) activates jobs in batches and commits each batch's completions together.
* SpiffWorkflow 3: the same BPMN structure (its Python expressions instead of FEEL), service tasks
  completed programmatically, the workflow serialized with its ``BpmnWorkflowSerializer`` into one
  row per workflow, inserted at start and updated at each wait state; the updates of one round of
  completions share a transaction, like flowwire's batches. The process spec is stored once, not
  in every row, the cheaper of its documented options.

Case (c), flowwire only, is "100 instances each waiting on a message, then correlated": batches
of 100 instances are started (each waits at a message catch event with its own correlation key),
then one message per instance is published with ``Engine.publish_message`` (one transaction each).

Instances of (a) and (b) run in waves of ``--wave``: start a wave (one transaction per instance),
then work its jobs off. An instance's latency is the time from its start command to the commit that completes
its wave. The engines take turns for ``--rounds`` rounds per case and each engine's best round is
reported, so that other load on the machine does not favour either side.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

# --------------------------------------------------------------------------------------------
# The two processes, rendered for each engine's expression language
# --------------------------------------------------------------------------------------------

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'id="Definitions_bench" targetNamespace="http://bpmn.io/schema/bpmn">\n'
)


def _service_task(element_id: str, job_type: str) -> str:
    return (
        f'<bpmn:serviceTask id="{element_id}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}" /></bpmn:extensionElements>'
        f"</bpmn:serviceTask>"
    )


def _flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}" />'
    return (
        f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}'
        f"</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


def one_task_bpmn() -> str:
    """Case (a): start -> service task -> end (identical for both engines)."""
    return (
        _HEADER
        + '<bpmn:process id="bench-one-task" isExecutable="true">'
        + '<bpmn:startEvent id="start" />'
        + _service_task("work", "bench-work")
        + '<bpmn:endEvent id="end" />'
        + _flow("f1", "start", "work")
        + _flow("f2", "work", "end")
        + "</bpmn:process></bpmn:definitions>"
    )


def ten_elements_bpmn(dialect: str) -> str:
    """Case (b): exclusive split/merge, parallel fork/join, two service tasks, a script task,
    a none intermediate throw event: ten elements, all of them passed for ``amount > 100``."""
    if dialect == "feel":
        condition = "=amount &gt; 100"
        script = (
            '<bpmn:scriptTask id="compute"><bpmn:extensionElements>'
            '<zeebe:script expression="=amount * 2" resultVariable="total" />'
            "</bpmn:extensionElements></bpmn:scriptTask>"
        )
    else:
        condition = "amount &gt; 100"
        script = '<bpmn:scriptTask id="compute"><bpmn:script>total = amount * 2</bpmn:script></bpmn:scriptTask>'
    return (
        _HEADER
        + '<bpmn:process id="bench-ten" isExecutable="true">'
        + '<bpmn:startEvent id="start" />'
        + '<bpmn:exclusiveGateway id="large" default="f_small" />'
        + '<bpmn:parallelGateway id="fork" />'
        + _service_task("reserve", "bench-reserve")
        + _service_task("charge", "bench-charge")
        + '<bpmn:parallelGateway id="join" />'
        + script
        + '<bpmn:exclusiveGateway id="merge" />'
        + '<bpmn:intermediateThrowEvent id="done" />'
        + '<bpmn:endEvent id="end" />'
        + _flow("f_start", "start", "large")
        + _flow("f_large", "large", "fork", condition)
        + _flow("f_small", "large", "merge")
        + _flow("f_reserve", "fork", "reserve")
        + _flow("f_charge", "fork", "charge")
        + _flow("f_reserved", "reserve", "join")
        + _flow("f_charged", "charge", "join")
        + _flow("f_joined", "join", "compute")
        + _flow("f_computed", "compute", "merge")
        + _flow("f_merged", "merge", "done")
        + _flow("f_end", "done", "end")
        + "</bpmn:process></bpmn:definitions>"
    )


def message_wait_bpmn(_: str = "feel") -> str:
    """Case (c): start -> message catch event (correlation key = orderId) -> end."""
    return (
        _HEADER
        + '<bpmn:message id="Message_paid" name="bench-paid"><bpmn:extensionElements>'
        + '<zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements>'
        + "</bpmn:message>"
        + '<bpmn:process id="bench-message" isExecutable="true">'
        + '<bpmn:startEvent id="start" />'
        + '<bpmn:intermediateCatchEvent id="paid">'
        + '<bpmn:messageEventDefinition messageRef="Message_paid" /></bpmn:intermediateCatchEvent>'
        + '<bpmn:endEvent id="end" />'
        + _flow("f1", "start", "paid")
        + _flow("f2", "paid", "end")
        + "</bpmn:process></bpmn:definitions>"
    )


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    process_id: str
    job_types: tuple[str, ...]
    bpmn: Callable[[str], str]
    #: the engines that run it (the message case is flowwire's alone)
    engines: tuple[str, ...] = ("flowwire", "spiff")


CASES = (
    Case(
        "(a) start -> service task -> end",
        "bench-one-task",
        ("bench-work",),
        lambda _: one_task_bpmn(),
    ),
    Case(
        "(b) 10 elements: xor, fork/join, 2 service tasks, script",
        "bench-ten",
        ("bench-reserve", "bench-charge"),
        ten_elements_bpmn,
    ),
    Case(
        "(c) 100 instances wait on a message, then correlated",
        "bench-message",
        (),
        message_wait_bpmn,
        ("flowwire",),
    ),
)

#: instances per batch of case (c): all of them wait before the first message is published
MESSAGE_BATCH = 100

VARIABLES = {"amount": 500, "customer": "ACME"}


@dataclass(slots=True)
class Result:
    engine: str
    case: str
    instances: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.instances / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index] * 1000.0


def _waves(total: int, wave: int) -> list[int]:
    sizes = [wave] * (total // wave)
    if total % wave:
        sizes.append(total % wave)
    return sizes


# --------------------------------------------------------------------------------------------
# flowwire
# --------------------------------------------------------------------------------------------


def _worker_result(result: dict[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """An in-process worker that completes every job with the same variables."""
    return lambda job: result


def run_flowwire(case: Case, total: int, wave: int, workdir: Path) -> Result:
    from flowwire.engine import Engine
    from flowwire.store import open_store

    engine = Engine(open_store(workdir / f"flowwire-{case.process_id}.db"))
    engine.deploy(case.bpmn("feel"))
    for job_type in case.job_types:
        engine.register_handler(job_type, _worker_result({job_type.replace("-", "_"): True}))
    latencies: list[float] = []
    began = time.perf_counter()
    for size in _waves(total, wave):
        started: list[float] = []
        for _ in range(size):
            started.append(time.perf_counter())
            engine.create_instance(case.process_id, VARIABLES)
        engine.run_until_idle()
        finished = time.perf_counter()
        latencies.extend(finished - t0 for t0 in started)
    seconds = time.perf_counter() - began
    completed = len(engine.instances(state="COMPLETED", process_id=case.process_id, limit=total))
    engine.close()
    if completed != total:
        raise SystemExit(f"flowwire: only {completed} of {total} instances completed")
    return Result("flowwire", case.name, total, seconds, latencies)


def run_flowwire_messages(case: Case, total: int, wave: int, workdir: Path) -> Result:
    """Case (c) in batches of `MESSAGE_BATCH`: start every instance of the batch (each waits at
    its message catch event), then publish one message per instance with its correlation key
    (one transaction each, correlating and completing the instance). An instance's latency
    runs from its start command to the commit of its message."""
    from flowwire.engine import Engine
    from flowwire.store import open_store

    engine = Engine(open_store(workdir / f"flowwire-{case.process_id}.db"))
    engine.deploy(case.bpmn("feel"))
    latencies: list[float] = []
    began = time.perf_counter()
    number = 0
    for size in _waves(total, MESSAGE_BATCH):
        started: dict[str, float] = {}
        for _ in range(size):
            number += 1
            order_id = f"order-{number}"
            started[order_id] = time.perf_counter()
            engine.create_instance(case.process_id, {"orderId": order_id, **VARIABLES})
        for order_id, t0 in started.items():
            engine.publish_message("bench-paid", order_id, {"paid": True})
            latencies.append(time.perf_counter() - t0)
    seconds = time.perf_counter() - began
    completed = len(engine.instances(state="COMPLETED", process_id=case.process_id, limit=total))
    engine.close()
    if completed != total:
        raise SystemExit(f"flowwire: only {completed} of {total} message instances completed")
    return Result("flowwire", case.name, total, seconds, latencies)


def flowwire_store_settings(workdir: Path) -> str:
    """What the flowwire store really runs with (read back, not assumed)."""
    from flowwire.store import open_store

    path = workdir / "flowwire-settings.db"
    open_store(path).close()
    connection = sqlite3.connect(path)
    journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
    connection.close()
    return f"journal_mode={journal}"


# --------------------------------------------------------------------------------------------
# SpiffWorkflow
# --------------------------------------------------------------------------------------------


class SpiffRunner:
    """SpiffWorkflow 3 with service tasks that wait to be completed programmatically, like jobs."""

    def __init__(self, db_path: Path) -> None:
        from lxml import etree
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
        from SpiffWorkflow.bpmn.parser.util import full_tag
        from SpiffWorkflow.bpmn.serializer import DEFAULT_CONFIG, BpmnWorkflowSerializer
        from SpiffWorkflow.bpmn.serializer.default import BpmnTaskSpecConverter
        from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
        from SpiffWorkflow.bpmn.specs.defaults import ServiceTask
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        class WorkerServiceTask(ServiceTask):
            """A service task that waits until the application completes it (like a job)."""

            def __init__(self, wf_spec: Any, bpmn_id: str, **kwargs: Any) -> None:
                super().__init__(wf_spec, bpmn_id, **kwargs)
                self.manual = True

            def _run_hook(self, task: Any) -> bool:
                return True

        specs: dict[str, Any] = {}

        class SpecByNameConverter(BpmnWorkflowConverter):
            """Stores the spec's name in each row; the specs themselves are kept once."""

            def to_dict(self, workflow: Any) -> dict[str, Any]:
                dct: dict[str, Any] = super(BpmnWorkflowConverter, self).to_dict(workflow)
                dct["spec"] = workflow.spec.name
                dct["subprocess_specs"] = {}
                dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
                dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
                return dct

            def from_dict(self, dct: dict[str, Any]) -> Any:
                dct["spec"] = self.registry.convert(specs[dct["spec"]])
                return super().from_dict(dct)

        class Parser(BpmnParser):
            OVERRIDE_PARSER_CLASSES: ClassVar[dict[str, Any]] = {
                full_tag("serviceTask"): (TaskParser, WorkerServiceTask)
            }

        config = dict(DEFAULT_CONFIG)
        config[WorkerServiceTask] = BpmnTaskSpecConverter
        config[BpmnWorkflow] = SpecByNameConverter
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))
        self.specs = specs
        self._parser_class = Parser
        self._etree = etree
        self._workflow_class = BpmnWorkflow
        self._ready = TaskState.READY
        self.db = sqlite3.connect(db_path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS spec (name TEXT PRIMARY KEY, serialized TEXT NOT NULL)"
        )
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS workflow (id INTEGER PRIMARY KEY, spec TEXT NOT NULL,"
            " completed INTEGER NOT NULL, serialized TEXT NOT NULL)"
        )

    def deploy(self, xml: str, process_id: str) -> None:
        parser = self._parser_class()
        parser.add_bpmn_xml(self._etree.fromstring(xml.encode()), filename=f"{process_id}.bpmn")
        spec = parser.get_spec(process_id)
        self.specs[process_id] = spec
        self.db.execute(
            "INSERT OR REPLACE INTO spec VALUES (?, ?)",
            (process_id, json.dumps(self.serializer.to_dict(spec))),
        )

    def start(self, process_id: str, variables: dict[str, Any]) -> tuple[int, Any]:
        workflow = self._workflow_class(self.specs[process_id])
        workflow.get_next_task(state=self._ready).set_data(**variables)
        workflow.do_engine_steps()
        cursor = self.db.execute(
            "INSERT INTO workflow (spec, completed, serialized) VALUES (?, ?, ?)",
            (process_id, int(workflow.is_completed()), self.serializer.serialize_json(workflow)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid, workflow

    def waiting_tasks(self, workflow: Any) -> list[Any]:
        return list(workflow.get_tasks(state=self._ready, manual=True))

    def complete(self, row_id: int, workflow: Any, task: Any, variables: dict[str, Any]) -> bool:
        task.data.update(variables)
        task.run()
        workflow.do_engine_steps()
        completed = bool(workflow.is_completed())
        self.db.execute(
            "UPDATE workflow SET completed = ?, serialized = ? WHERE id = ?",
            (int(completed), self.serializer.serialize_json(workflow), row_id),
        )
        return completed

    def restore(self, row_id: int) -> Any:
        (serialized,) = self.db.execute(
            "SELECT serialized FROM workflow WHERE id = ?", (row_id,)
        ).fetchone()
        return self.serializer.deserialize_json(serialized)

    def close(self) -> None:
        self.db.close()


def run_spiff(case: Case, total: int, wave: int, workdir: Path) -> Result:
    runner = SpiffRunner(workdir / f"spiff-{case.process_id}.db")
    runner.deploy(case.bpmn("python"), case.process_id)
    _check_spiff_persistence(runner, case)
    latencies: list[float] = []
    began = time.perf_counter()
    for size in _waves(total, wave):
        started: list[float] = []
        running: dict[int, Any] = {}
        for _ in range(size):
            started.append(time.perf_counter())
            row_id, workflow = runner.start(case.process_id, VARIABLES)
            running[row_id] = workflow
        # like flowwire's in-process worker: the wave's completions in one transaction each round
        while running:
            runner.db.execute("BEGIN")
            for row_id, workflow in list(running.items()):
                for task in runner.waiting_tasks(workflow):
                    if runner.complete(row_id, workflow, task, {task.task_spec.name: True}):
                        del running[row_id]
            runner.db.execute("COMMIT")
        finished = time.perf_counter()
        latencies.extend(finished - t0 for t0 in started)
    seconds = time.perf_counter() - began
    (completed,) = runner.db.execute(
        "SELECT count(*) FROM workflow WHERE completed = 1 AND spec = ?", (case.process_id,)
    ).fetchone()
    runner.close()
    if completed != total + 1:  # + the persistence check's workflow
        raise SystemExit(f"SpiffWorkflow: only {completed - 1} of {total} workflows completed")
    return Result("SpiffWorkflow", case.name, total, seconds, latencies)


def _check_spiff_persistence(runner: SpiffRunner, case: Case) -> None:
    """A stored row must really restore the workflow, or the comparison would be unfair."""
    row_id, _ = runner.start(case.process_id, VARIABLES)
    workflow = runner.restore(row_id)
    while waiting := runner.waiting_tasks(workflow):
        runner.complete(row_id, workflow, waiting[0], {"checked": True})
        workflow = runner.restore(row_id)
    if not workflow.is_completed() or workflow.data.get("checked") is not True:
        raise SystemExit("SpiffWorkflow: a restored workflow did not run to its end")


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def print_table(results: list[Result], *, compare: bool) -> None:
    print(f"{'engine':<14} {'case':<58} {'inst/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for result in results:
        print(
            f"{result.engine:<14} {result.case:<58} {result.per_second:>9.0f}"
            f" {result.percentile(0.5):>8.2f} {result.percentile(0.99):>8.2f}"
        )
    if not compare:
        return
    print()
    for case in CASES:
        ours = next((r for r in results if r.case == case.name and r.engine == "flowwire"), None)
        theirs = next(
            (r for r in results if r.case == case.name and r.engine == "SpiffWorkflow"), None
        )
        if ours is None or theirs is None:
            continue
        print(f"{case.name}: flowwire / SpiffWorkflow = {ours.per_second / theirs.per_second:.2f}x")


def best(results: list[Result]) -> Result:
    return max(results, key=lambda result: result.per_second)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=1000, help="instances per case and round")
    parser.add_argument(
        "--wave", type=int, default=16, help="instances started before their jobs run"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each engine's best counts")
    parser.add_argument("--only", choices=("flowwire", "spiff"), help="run one engine only")
    parser.add_argument("--case", choices=("a", "b", "c"), help="run one case only")
    args = parser.parse_args(argv)
    print(f"date: {date.today().isoformat()}")
    print(f"machine: {machine()}")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"load average before the run: {load} (other work on the machine skews the figures)")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    engines = [
        (name, runner)
        for name, runner in (("flowwire", run_flowwire), ("spiff", run_spiff))
        if args.only in (None, name)
    ]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="flowwire-bench-") as tmp:
        workdir = Path(tmp)
        if args.only != "spiff":
            print(f"flowwire store: {flowwire_store_settings(workdir)}, synchronous=NORMAL")
        print("SpiffWorkflow store: journal_mode=wal, synchronous=NORMAL")
        print(
            f"{args.instances} instances per case and round, waves of {args.wave}, "
            f"{args.rounds} rounds alternating the engines; each engine's best round counts\n"
        )
        for case in CASES:
            if args.case and not case.name.startswith(f"({args.case})"):
                continue
            runs = [
                (name, run_flowwire_messages if case.process_id == "bench-message" else runner)
                for name, runner in engines
                if name in case.engines
            ]
            if not runs:
                continue
            rounds: dict[str, list[Result]] = {name: [] for name, _ in runs}
            for number in range(args.rounds):
                for name, runner in runs:
                    directory = workdir / f"{name}-{case.process_id}-{number}"
                    directory.mkdir()
                    rounds[name].append(runner(case, args.instances, args.wave, directory))
            results.extend(best(found) for found in rounds.values())
    print_table(results, compare=args.only is None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
