"""The connector runtime against the engine: retries and backoff, incidents, masking, the
error variable, lease timeouts, concurrency, and SDK connectors (async and sync)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from flowwire.connectors import (
    ConnectorError,
    ConnectorRetryError,
    ConnectorRuntime,
    ConnectorSession,
    OutboundContext,
    discover,
    outbound_connector,
)
from flowwire.connectors.jobs import EngineJobClient
from flowwire.connectors.secrets import SecretResolver
from flowwire.engine import Engine
from flowwire.store import open_store
from support.http_server import LoopbackServer, Reply

from .models import REST, connector_task, one_task_process
from .support import Harness


def get_task(url_source: str, task_headers: dict[str, str] | None = None, **kw: Any) -> str:
    return connector_task(
        "task",
        inputs=[('="GET"', "method"), (url_source, "url")],
        headers=task_headers,
        **kw,
    )


def test_retry_backoff_waits_on_the_engine_clock(server: LoopbackServer) -> None:
    server.route("GET", "/down", Reply(502))
    harness = Harness()
    xml = one_task_process("backoff", get_task(f'="{server.base}/down"', {"retryBackoff": "PT30S"}))
    key = harness.start(xml)
    harness.drive()
    assert len(server.requests) == 1
    harness.clock.advance(timedelta(seconds=29))
    harness.drive()
    assert len(server.requests) == 1  # still backing off
    harness.clock.advance(timedelta(seconds=1))
    harness.drive()
    assert len(server.requests) == 2
    harness.clock.advance(timedelta(seconds=30))
    harness.drive()
    assert len(server.requests) == 3
    assert harness.incident(key).error_type == "JOB_NO_RETRIES"


def test_unparsable_retry_backoff_is_an_incident_naming_the_value(server: LoopbackServer) -> None:
    harness = Harness()
    xml = one_task_process("bad", get_task(f'="{server.base}/x"', {"retryBackoff": "30 seconds"}))
    key = harness.start(xml)
    harness.drive()
    incident = harness.incident(key)
    assert "'30 seconds'" in incident.message
    assert "ISO-8601" in incident.message
    assert server.requests == []


def test_exhausted_retries_mask_the_secret_in_incident_error_variable_and_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    harness = Harness(secrets={"TOKEN": "tok-31337-zz"})
    # port 9 (discard) on loopback refuses connections: a transport failure naming the URL
    xml = one_task_process("refused", get_task('="http://127.0.0.1:9/{{secrets.TOKEN}}/x"'))
    key = harness.start(xml)
    harness.drive()
    incident = harness.incident(key)
    assert incident.error_type == "JOB_NO_RETRIES"
    assert "could not connect" in incident.message
    assert "/***/x" in incident.message
    assert "tok-31337-zz" not in incident.message
    error = harness.task_variables(key)["error"]
    assert error["code"] == "500"
    assert "***" in error["message"] and "tok-31337-zz" not in repr(error)
    assert "tok-31337-zz" not in caplog.text
    assert "/***/x" in caplog.text


def test_http_error_variables_are_masked(server: LoopbackServer) -> None:
    # the server echoes the credential in its error body
    server.route("GET", "/echo", Reply(401, {"detail": "bad key k-echo-555"}))
    harness = Harness(secrets={"KEY": "k-echo-555"})
    task = connector_task(
        "task",
        inputs=[
            ('="GET"', "method"),
            (f'="{server.base}/echo"', "url"),
            ('="bearer"', "authentication.type"),
            ('="{{secrets.KEY}}"', "authentication.token"),
        ],
        retries="1",
    )
    key = harness.start(one_task_process("echo", task))
    harness.drive()
    assert server.last().headers["authorization"] == "Bearer k-echo-555"
    error = harness.task_variables(key)["error"]
    assert error["code"] == "401"
    assert error["message"] == "Unauthorized"
    assert error["variables"]["response"]["body"] == {"detail": "bad key ***"}


def test_validation_errors_name_each_field_and_raise_an_incident_at_once() -> None:
    harness = Harness()
    task = connector_task("task", inputs=[('="FETCH"', "method")], retries="5")
    key = harness.start(one_task_process("invalid", task))
    harness.drive()
    incident = harness.incident(key)
    assert incident.error_type == "JOB_NO_RETRIES"
    assert "url: field required" in incident.message
    assert "method: input should be" in incident.message
    assert len(harness.reports) == 1


def test_a_result_expression_that_is_no_context_is_an_incident(server: LoopbackServer) -> None:
    server.route("GET", "/n", Reply(200, {"n": 1}))
    harness = Harness()
    xml = one_task_process(
        "mapping", get_task(f'="{server.base}/n"', {"resultExpression": "=response.body.n"})
    )
    key = harness.start(xml)
    harness.drive()
    incident = harness.incident(key)
    assert "resultExpression must produce a context" in incident.message
    assert "number 1" in incident.message


def test_job_error_from_the_error_expression_sets_retries_and_backoff(
    server: LoopbackServer,
) -> None:
    server.route("GET", "/busy", Reply(429))
    harness = Harness()
    expression = (
        '=if error.code = "429" then jobError("rate limited", {limited: true}, '
        'job.retries - 1, duration("PT1M")) else null'
    )
    xml = one_task_process(
        "limited",
        get_task(f'="{server.base}/busy"', {"errorExpression": expression}, retries="2"),
    )
    key = harness.start(xml)
    harness.drive()
    assert len(server.requests) == 1
    assert harness.task_variables(key)["limited"] is True
    harness.clock.advance(timedelta(seconds=59))
    harness.drive()
    assert len(server.requests) == 1
    harness.clock.advance(timedelta(seconds=1))
    harness.drive()
    # two retries: the second jobError leaves none
    assert len(server.requests) == 2
    incident = harness.incident(key)
    assert incident.message == "rate limited"


def test_error_expression_on_success_can_fail_the_job(server: LoopbackServer) -> None:
    server.route("GET", "/empty", Reply(200, {"items": []}))
    harness = Harness()
    expression = '=if count(response.body.items) = 0 then jobError("nothing yet", {}, 0) else null'
    xml = one_task_process(
        "poll", get_task(f'="{server.base}/empty"', {"errorExpression": expression})
    )
    key = harness.start(xml)
    harness.drive()
    assert harness.incident(key).message == "nothing yet"


def test_old_code_message_context_from_the_error_expression_throws(server: LoopbackServer) -> None:
    server.route("GET", "/gone", Reply(410))
    harness = Harness()
    expression = '={code: "GONE-" + error.code, message: error.message}'
    xml = one_task_process(
        "gone", get_task(f'="{server.base}/gone"', {"errorExpression": expression})
    )
    key = harness.start(xml)
    harness.drive()
    incident = harness.incident(key)
    assert incident.error_type == "UNHANDLED_ERROR_EVENT"
    assert "'GONE-410'" in incident.message
    assert "Gone" in incident.message


class Greeting(BaseModel):
    name: str
    shout: bool = False


@outbound_connector(type="io.example:greet:1", name="Greeter")
async def greet(data: Greeting, ctx: OutboundContext) -> dict[str, Any]:
    ctx.logger.info("greeting %s", data.name)
    text = f"hello {data.name}"
    return {
        "text": text.upper() if data.shout else text,
        "element": ctx.element_id,
        "header": ctx.headers.get("tone"),
        "instance": ctx.process_instance_key,
    }


@outbound_connector(type="io.example:sync-greet:1")
def sync_greet(data: Greeting) -> dict[str, str]:
    return {"text": f"hi {data.name}", "thread": threading.current_thread().name}


def sdk_task(job_type: str, **kw: Any) -> str:
    return connector_task(
        "task",
        job_type=job_type,
        inputs=[("=who", "name"), ("=true", "shout")],
        headers={"resultVariable": "greeting", "tone": "warm"},
        **kw,
    )


def test_an_async_sdk_connector_gets_its_input_model_and_context() -> None:
    harness = Harness([greet])
    key = harness.start(one_task_process("greet", sdk_task("io.example:greet:1")), {"who": "Ada"})
    harness.drive()
    assert harness.reports[0].template_id is None
    assert harness.variables(key)["greeting"] == {
        "text": "HELLO ADA",
        "element": "task",
        "header": "warm",
        "instance": key,
    }


def test_a_sync_sdk_connector_runs_in_a_worker_thread() -> None:
    harness = Harness([sync_greet])
    key = harness.start(
        one_task_process("greet", sdk_task("io.example:sync-greet:1")), {"who": "Bob"}
    )
    harness.drive()
    greeting = harness.variables(key)["greeting"]
    assert greeting["text"] == "hi Bob"
    assert greeting["thread"] != threading.main_thread().name


@outbound_connector(type="io.example:custom-retry:1")
async def custom_retry(data: dict[str, Any]) -> None:
    raise ConnectorRetryError("try later", retries=5, backoff=timedelta(minutes=2), code="LATER")


def test_connector_retry_error_overrides_retries_and_backoff() -> None:
    harness = Harness([custom_retry])
    key = harness.start(
        one_task_process("custom", connector_task("task", job_type="io.example:custom-retry:1"))
    )
    harness.drive()
    job = harness.engine.jobs(instance_key=key)[0]
    assert job.retries == 5
    assert job.error_message == "try later (error code LATER)"
    harness.clock.advance(timedelta(minutes=1))
    assert harness.drive() == 0
    harness.clock.advance(timedelta(minutes=1))
    assert harness.drive() == 1


@outbound_connector(type="io.example:coded:1")
def coded(data: dict[str, Any]) -> None:
    raise ConnectorError("E-42", "the answer is wrong", {"answer": 41})


def test_connector_error_fields_reach_the_error_expression() -> None:
    harness = Harness([coded])
    expression = (
        '=bpmnError(error.code, error.message + " (" + string(error.variables.answer) + ")", '
        "{retriesLeft: job.retries})"
    )
    task = connector_task(
        "task", job_type="io.example:coded:1", headers={"errorExpression": expression}
    )
    key = harness.start(one_task_process("coded", task))
    harness.drive()
    incident = harness.incident(key)
    assert "'E-42'" in incident.message
    assert "the answer is wrong (41)" in incident.message


@outbound_connector(type="io.example:hang:1", timeout=timedelta(seconds=0.4))
async def hang(data: dict[str, Any]) -> None:
    await asyncio.sleep(3600)


def test_a_hanging_connector_is_cancelled_after_its_lease() -> None:
    harness = Harness([hang])
    task = connector_task("task", job_type="io.example:hang:1", retries="2")
    key = harness.start(one_task_process("hang", task))
    started = time.monotonic()
    harness.drive()
    assert time.monotonic() - started < 3
    incident = harness.incident(key)
    assert "did not finish" in incident.message
    assert "cancelled" in incident.message
    assert len(harness.reports) == 2  # both retries were used


@outbound_connector(type="io.example:slow:1", max_in_flight=8)
async def slow(data: dict[str, Any]) -> dict[str, Any]:
    await asyncio.sleep(0.3)
    return {"n": data.get("n")}


def test_many_jobs_run_at_once() -> None:
    harness = Harness([slow])
    xml = one_task_process(
        "slow",
        connector_task("task", job_type="io.example:slow:1", headers={"resultVariable": "out"}),
    )
    keys = [harness.start(xml, {"n": i}) for i in range(8)]
    started = time.monotonic()
    assert harness.drive() == 8
    assert time.monotonic() - started < 1.5  # not 8 x 0.3 s
    assert [harness.variables(k)["out"] for k in keys] == [{"n": i} for i in range(8)]


@outbound_connector(type="io.example:mixed:1", max_in_flight=16)
async def mixed(data: dict[str, Any]) -> dict[str, Any]:
    """Completes, throws a BPMN error or fails by the instance's `n`."""
    n = int(data["n"])
    if n % 3 == 1:
        raise ConnectorError("NOPE", f"no for {n}")
    if n % 3 == 2:
        raise ConnectorRetryError(f"later for {n}", retries=0)
    await asyncio.sleep(0.05)  # the results arrive together
    return {"n": n}


def test_job_results_share_group_commits_as_in_serve() -> None:
    """In `flowwire serve` activations, completions, failures and BPMN errors go through the
    server's group committer; each still lands on its own instance, and a failure rejected mid-batch (none
    here) would not take the others with it."""
    harness = Harness([mixed], group_commit=True)
    task = connector_task(
        "task",
        job_type="io.example:mixed:1",
        headers={
            "resultVariable": "out",
            "errorExpression": '=if error.code = "NOPE" then bpmnError("NOPE", error.message) '
            "else null",
        },
    )
    xml = one_task_process("mixed", task, error_boundaries=[("caught", "NOPE")])
    keys = [harness.start(xml, {"n": n}) for n in range(12)]
    assert harness.drive() == 12
    assert harness.commands is not None
    # twelve results plus the activations, all through the committer
    assert harness.commands.batched + harness.commands.single > 12
    assert harness.commands.batched >= 2  # some of them did share a transaction
    for n, key in enumerate(keys):
        if n % 3 == 0:
            assert harness.state(key) == "COMPLETED"
            assert harness.variables(key)["out"] == {"n": n}
        elif n % 3 == 1:
            assert harness.state(key) == "COMPLETED"  # through the error boundary
            assert "out" not in harness.variables(key)
        else:
            assert harness.incident(key).error_type == "JOB_NO_RETRIES"


def test_serve_polls_until_stopped(server: LoopbackServer) -> None:
    server.route("GET", "/ok", Reply(200, {"fine": True}))
    harness = Harness()
    xml = one_task_process("served", get_task(f'="{server.base}/ok"', {"resultVariable": "r"}))

    async def main() -> int:
        stop = asyncio.Event()
        async with ConnectorRuntime(
            harness.engine, harness.registry, secrets=harness.resolver, poll_interval=0.02
        ) as runtime:
            serving = asyncio.create_task(runtime.serve(stop))
            key = await asyncio.to_thread(harness.start, xml)
            for _ in range(200):
                if await asyncio.to_thread(harness.state, key) == "COMPLETED":
                    break
                await asyncio.sleep(0.02)
            stop.set()
            await asyncio.wait_for(serving, 5)
            return key

    key = asyncio.run(main())
    assert harness.state(key) == "COMPLETED"
    assert harness.variables(key)["r"]["body"] == {"fine": True}


def test_a_new_job_wakes_its_poller_at_once(server: LoopbackServer) -> None:
    """The engine tells the runtime of new jobs: with a 30 s poll interval a job created by a
    command from another thread still runs within moments, and twice in a row."""
    server.route("GET", "/ok", Reply(200, {"fine": True}))
    harness = Harness()
    xml = one_task_process("woken", get_task(f'="{server.base}/ok"', {"resultVariable": "r"}))
    harness.engine.deploy(xml)

    async def main() -> list[float]:
        stop = asyncio.Event()
        took: list[float] = []
        async with ConnectorRuntime(
            harness.engine, harness.registry, secrets=harness.resolver, poll_interval=30
        ) as runtime:
            serving = asyncio.create_task(runtime.serve(stop))
            await asyncio.sleep(0.1)  # the pollers have polled once and now wait
            for _ in range(2):
                started = time.monotonic()
                key = (await asyncio.to_thread(harness.engine.create_instance, "woken")).key
                while await asyncio.to_thread(harness.state, key) != "COMPLETED":
                    assert time.monotonic() - started < 5, "the job waited for the next poll"
                    await asyncio.sleep(0.01)
                took.append(time.monotonic() - started)
            stop.set()
            await asyncio.wait_for(serving, 5)
        return took

    took = asyncio.run(main())
    assert all(t < 2 for t in took), took
    assert harness.engine._job_listeners == []  # the runtime stopped listening when closed


class _LateCommitClient(EngineJobClient):
    """A job client whose first activation looks before a job is committed that the engine
    announces while the activation is still running (the race of a busy server)."""

    def __init__(self, engine: Engine, process_id: str) -> None:
        super().__init__(engine)
        self.process_id = process_id
        self.activations = 0

    async def activate_jobs(
        self, job_type: str, worker: str, max_jobs: int, timeout: timedelta
    ) -> list[Any]:
        if job_type != REST:
            return await super().activate_jobs(job_type, worker, max_jobs, timeout)
        self.activations += 1
        if self.activations == 1:
            self.engine.create_instance(self.process_id)  # committed, announced: too late
            await asyncio.sleep(0)  # the announcement reaches the loop before this answer
            return []
        return await super().activate_jobs(job_type, worker, max_jobs, timeout)


def test_a_wake_up_during_an_activation_is_not_lost(server: LoopbackServer) -> None:
    """The job committed while the first activation ran must not wait for the next poll."""
    server.route("GET", "/ok", Reply(200, {"fine": True}))
    harness = Harness()
    xml = one_task_process("late", get_task(f'="{server.base}/ok"', {"resultVariable": "r"}))
    harness.engine.deploy(xml)
    client = _LateCommitClient(harness.engine, "late")

    async def main() -> float:
        stop = asyncio.Event()
        async with ConnectorRuntime(
            client, harness.registry, secrets=harness.resolver, poll_interval=30
        ) as runtime:
            started = time.monotonic()
            serving = asyncio.create_task(runtime.serve(stop))
            while not [i for i in harness.engine.instances() if i.state == "COMPLETED"]:
                assert time.monotonic() - started < 5, "the wake-up was lost"
                await asyncio.sleep(0.01)
            took = time.monotonic() - started
            stop.set()
            await asyncio.wait_for(serving, 5)
        return took

    assert asyncio.run(main()) < 2
    client.close()


def test_a_session_can_wait_for_retry_backoffs_in_real_time(server: LoopbackServer) -> None:
    calls: list[int] = []

    def flaky(request: object) -> Reply:
        calls.append(1)
        return Reply(503) if len(calls) == 1 else Reply(200, {"second": "time"})

    server.route("GET", "/flaky", flaky)
    engine = Engine(open_store(":memory:"))  # the system clock: backoffs take real time
    engine.deploy(
        one_task_process(
            "flaky",
            get_task(f'="{server.base}/flaky"', {"retryBackoff": "PT0.3S", "resultVariable": "r"}),
        )
    )
    key = engine.create_instance("flaky").key
    reports: list[str] = []
    started = time.monotonic()
    with ConnectorSession(
        engine,
        discover(installed=False),
        secrets=SecretResolver([]),
        on_report=lambda report: reports.append(report.describe()),
    ) as session:
        assert session.run_until_idle(wait_for_retries=timedelta(seconds=5)) == 2
    assert time.monotonic() - started >= 0.3
    assert engine.get_instance(key).state == "COMPLETED"
    assert "failed" in reports[0] and "Service Unavailable" in reports[0]
    assert "next try in 0:00:00.300000" in reports[0]
    assert "completed" in reports[1] and "-> r" in reports[1]
