"""The `flowwire_engine` fixture and its assertions, as a user's test would use them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from flowwire.engine import ActivatedJob, ManualClock
from flowwire.testing import DEFAULT_START, EngineHarness, assert_completed, engine_harness

from .conftest import EXAMPLES, ROOT


def test_a_script_process_completes_with_its_result(flowwire_engine: EngineHarness) -> None:
    flowwire_engine.deploy(EXAMPLES / "hello.bpmn")
    instance = flowwire_engine.start("hello", {"name": "Ada"})
    flowwire_engine.assert_completed(instance)
    flowwire_engine.assert_passed(instance, ["start", "greet", "end"], exactly=True)
    flowwire_engine.assert_variables(instance, {"greeting": "Hello, Ada!"})


def test_assert_passed_allows_other_elements_in_between(flowwire_engine: EngineHarness) -> None:
    flowwire_engine.deploy(EXAMPLES / "parallel-checks.bpmn")
    instance = flowwire_engine.start("parallel-checks", {"amount": 100, "country": "DE"})
    flowwire_engine.assert_passed(instance, ["start", "decide", "end"])
    with pytest.raises(AssertionError, match=r"completed exactly"):
        flowwire_engine.assert_passed(instance, ["start", "decide", "end"], exactly=True)
    with pytest.raises(AssertionError, match=r"in this order"):
        flowwire_engine.assert_passed(instance, ["end", "start"])


def test_a_registered_handler_completes_jobs_and_sees_the_job(
    flowwire_engine: EngineHarness,
) -> None:
    seen: list[ActivatedJob] = []

    def ship(job: ActivatedJob) -> dict[str, str]:
        seen.append(job)
        return {"trackingNumber": "T-42"}

    flowwire_engine.deploy(EXAMPLES / "ship-order.bpmn")
    flowwire_engine.register_handler("ship-parcel", ship)
    instance = flowwire_engine.start("ship-order", {"order": {"address": "Main St 1"}})

    flowwire_engine.assert_completed(instance)
    flowwire_engine.assert_variables(
        instance, {"order": {"address": "Main St 1", "tracking": "T-42"}}
    )
    (job,) = seen
    assert job.custom_headers == {"carrier": "parcel-post"}
    assert job.variables["address"] == "Main St 1"


def test_a_failing_handler_uses_up_the_retries_and_raises_an_incident(
    flowwire_engine: EngineHarness,
) -> None:
    calls = []

    def broken(job: ActivatedJob) -> None:
        calls.append(job.retries)
        raise ConnectionError("carrier API unreachable")

    flowwire_engine.deploy(EXAMPLES / "ship-order.bpmn")
    flowwire_engine.register_handler("ship-parcel", broken)
    instance = flowwire_engine.start("ship-order", {"order": {"address": "x"}})

    assert calls == [3, 2, 1]
    incident = flowwire_engine.assert_incident(
        instance, type="JOB_NO_RETRIES", element_id="ship", message_contains="unreachable"
    )
    assert incident.instance_key == instance.key


def test_completing_a_job_by_hand_without_a_handler(flowwire_engine: EngineHarness) -> None:
    flowwire_engine.deploy(EXAMPLES / "ship-order.bpmn")
    instance = flowwire_engine.start("ship-order", {"order": {"address": "x"}})
    assert flowwire_engine.instance(instance).state == "ACTIVE"
    job = flowwire_engine.complete_job(instance, "ship-parcel", {"trackingNumber": "T-7"})
    assert job.element_id == "ship"
    flowwire_engine.assert_completed(instance)
    flowwire_engine.assert_variables(instance, {"order": {"address": "x", "tracking": "T-7"}})


def test_a_user_task_waits_until_the_test_completes_it(flowwire_engine: EngineHarness) -> None:
    flowwire_engine.deploy(EXAMPLES / "order-approval.bpmn")
    instance = flowwire_engine.start("order-approval", {"amount": 2000})
    waiting = flowwire_engine.active_element(instance, "approve_order")
    assert waiting.element_kind == "userTask"

    flowwire_engine.complete_user_task(instance, "approve_order", {"approved": True})
    flowwire_engine.assert_completed(instance)
    flowwire_engine.assert_passed(instance, ["check_amount", "approve_order", "compute_total"])
    flowwire_engine.assert_variables(instance, {"total": Decimal("2380")})


def test_numbers_compare_by_value(flowwire_engine: EngineHarness) -> None:
    flowwire_engine.deploy(EXAMPLES / "order-approval.bpmn")
    instance = flowwire_engine.start("order-approval", {"amount": 100})
    flowwire_engine.assert_variables(instance, {"amount": 100.0, "total": 119, "approved": True})
    with pytest.raises(AssertionError, match=r"variables differ"):
        flowwire_engine.assert_variables(instance, {"total": 120})
    with pytest.raises(AssertionError, match=r"<missing>"):
        flowwire_engine.assert_variables(instance, {"discount": 0})


def test_a_failed_assertion_shows_state_waits_and_history(flowwire_engine: EngineHarness) -> None:
    flowwire_engine.deploy(EXAMPLES / "order-approval.bpmn")
    instance = flowwire_engine.start("order-approval", {"amount": 5000})
    with pytest.raises(AssertionError) as failure:
        flowwire_engine.assert_completed(instance)
    message = str(failure.value)
    assert "expected the instance to be COMPLETED" in message
    assert "(order-approval v1) is ACTIVE" in message
    assert "active elements: approve_order (userTask)" in message
    history = message.split("history:", 1)[1]
    assert history.index("ACTIVATED   check_amount") < history.index("ACTIVATED   approve_order")


def test_assert_incident_names_what_it_looked_for(
    flowwire_engine: EngineHarness, models_dir: Path
) -> None:
    flowwire_engine.deploy(models_dir / "no-route.bpmn")
    instance = flowwire_engine.start("no-route", {"amount": 50})
    flowwire_engine.assert_incident(instance, type="CONDITION_ERROR", element_id="size")
    with pytest.raises(AssertionError) as failure:
        flowwire_engine.assert_incident(instance, type="JOB_NO_RETRIES")
    assert "type='JOB_NO_RETRIES'" in str(failure.value)
    assert "CONDITION_ERROR at 'size'" in str(failure.value)


def test_the_engine_runs_on_the_test_clock(
    flowwire_engine: EngineHarness, flowwire_clock: ManualClock
) -> None:
    assert flowwire_engine.clock is flowwire_clock
    flowwire_engine.deploy(EXAMPLES / "hello.bpmn")
    first = flowwire_engine.start("hello")
    flowwire_engine.advance(timedelta(hours=2))
    second = flowwire_engine.start("hello")
    assert flowwire_engine.instance(first).created_at == DEFAULT_START
    assert flowwire_engine.instance(second).created_at == DEFAULT_START + timedelta(hours=2)
    flowwire_engine.assert_variables(second, {"greeting": "Hello, world!"})


def test_the_harness_works_outside_pytest_fixtures() -> None:
    with engine_harness() as harness:
        harness.deploy(EXAMPLES / "hello.bpmn")
        instance = harness.start("hello", {"name": "Grace"})
        assert_completed(harness.engine, instance.key)
        assert harness.variables(instance)["greeting"] == "Hello, Grace!"


def test_users_opt_in_with_pytest_plugins(tmp_path: Path) -> None:
    """What the docs promise: one line in conftest.py gives a project the fixture."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["flowwire.testing"]\n')
    (tmp_path / "test_hello.py").write_text(
        textwrap.dedent(
            f"""
            def test_hello(flowwire_engine):
                flowwire_engine.deploy({str(EXAMPLES / "hello.bpmn")!r})
                instance = flowwire_engine.start("hello", {{"name": "Ada"}})
                flowwire_engine.assert_completed(instance)
                flowwire_engine.assert_variables(instance, {{"greeting": "Hello, Ada!"}})

            def test_failure_shows_history(flowwire_engine):
                flowwire_engine.deploy({str(EXAMPLES / "hello.bpmn")!r})
                instance = flowwire_engine.start("hello")
                flowwire_engine.assert_variables(instance, {{"greeting": "Hi"}})
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "", "PYTHONPATH": str(ROOT / "src")},
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert "1 failed" in summary and "1 passed" in summary, result.stdout + result.stderr
    assert "variables differ" in result.stdout
    assert "COMPLETED   greet (scriptTask)" in result.stdout


_LOOPED_APPROVAL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="approvals" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="approve">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
        <bpmn:extensionElements>
          <zeebe:loopCharacteristics inputCollection="=approvers" inputElement="approver" />
        </bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_complete_user_task_completes_the_inner_instances_of_a_looped_user_task(
    flowwire_engine: EngineHarness,
) -> None:
    flowwire_engine.deploy(_LOOPED_APPROVAL)
    instance = flowwire_engine.start("approvals", {"approvers": ["ada", "grace"]})
    flowwire_engine.complete_user_task(instance, "approve")
    flowwire_engine.complete_user_task(instance, "approve")
    flowwire_engine.assert_completed(instance)
