"""Tasks and events of the engine core: job workers, scripts, user tasks, pass-through."""

from __future__ import annotations

import pytest

from flowwire.engine import Engine, InvalidArgument, NotFound

from .diagrams import chain, end, model, plain, script_task, service_task, start, user_task
from .support import active, completed, one_job, state, user_task_key


def test_service_task_creates_a_job_and_completing_it_finishes_the_instance(
    engine: Engine,
) -> None:
    engine.deploy(
        model(
            "order",
            start(),
            service_task("task", "charge", headers={"method": "card", "currency": "EUR"}),
            end(),
            chain("start", "task", "end"),
        )
    )
    instance = engine.create_instance("order", {"amount": 12.5, "customer": {"id": 7}})
    assert active(engine, instance.key) == ["task"]
    job = one_job(engine, "charge")
    assert job.custom_headers == {"method": "card", "currency": "EUR"}
    assert job.variables == {"amount": 12.5, "customer": {"id": 7}}
    assert (job.process_instance_key, job.element_id, job.retries) == (instance.key, "task", 3)
    engine.complete_job(job.key, {"charged": True})
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "task", "end"]
    assert engine.variables(instance.key) == {
        "amount": 12.5,
        "customer": {"id": 7},
        "charged": True,
    }


@pytest.mark.parametrize("tag", ["sendTask", "businessRuleTask", "scriptTask"])
def test_other_job_worker_tasks_create_jobs_too(engine: Engine, tag: str) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            service_task("task", "work", tag=tag),
            end(),
            chain("start", "task", "end"),
        )
    )
    instance = engine.create_instance("p")
    engine.complete_job(one_job(engine).key)
    assert state(engine, instance.key) == "COMPLETED"


def test_job_type_and_retries_may_be_feel_expressions(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            service_task("task", '="send-" + channel', retries="=attempts * 2"),
            end(),
            chain("start", "task", "end"),
        )
    )
    engine.create_instance("p", {"channel": "mail", "attempts": 2})
    job = one_job(engine, "send-mail")
    assert job.retries == 4


def test_fetch_variables_limits_what_a_worker_gets(engine: Engine) -> None:
    engine.deploy(
        model("p", start(), service_task("task", "work"), end(), chain("start", "task", "end"))
    )
    engine.create_instance("p", {"a": 1, "b": 2, "c": 3})
    [job] = engine.activate_jobs("work", "w", fetch_variables=["a", "c", "missing"])
    assert job.variables == {"a": 1, "c": 3}


def test_script_task_stores_its_result(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            script_task("sum", "=a + b", "total"),
            script_task("label", '="total: " + string(total)', "text"),
            end(),
            chain("start", "sum", "label", "end"),
        )
    )
    instance = engine.create_instance("p", {"a": 2, "b": 3.5})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key) == {"a": 2, "b": 3.5, "total": 5.5, "text": "total: 5.5"}


def test_script_task_with_output_mappings_keeps_its_result_local(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            script_task("s", "={x: 1, y: 2}", "result", outputs=[("=result.y", "onlyY")]),
            end(),
            chain("start", "s", "end"),
        )
    )
    instance = engine.create_instance("p")
    assert engine.variables(instance.key) == {"onlyY": 2}


def test_user_task_waits_until_completed_with_variables(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            user_task("approve", assignee="=requester"),
            end(),
            chain("start", "approve", "end"),
        )
    )
    instance = engine.create_instance("p", {"requester": "anna"})
    key = user_task_key(engine, instance.key, "approve")
    [task] = [e for e in engine.element_instances(instance.key) if e.key == key]
    assert task.details["user_task"] == {"assignee": "anna"}
    assert engine.jobs(instance.key) == []
    engine.complete_user_task(key, {"approved": True})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["approved"] is True
    with pytest.raises(NotFound, match="already"):
        engine.complete_user_task(key)


def test_complete_user_task_refuses_other_elements(engine: Engine) -> None:
    engine.deploy(
        model("p", start(), service_task("task", "work"), end(), chain("start", "task", "end"))
    )
    instance = engine.create_instance("p")
    [task] = [e for e in engine.element_instances(instance.key) if e.element_id == "task"]
    with pytest.raises(InvalidArgument, match="not a user task"):
        engine.complete_user_task(task.key)


def test_manual_task_undefined_task_and_none_throw_event_pass_through(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            plain("manualTask", "m"),
            plain("task", "t"),
            plain("intermediateThrowEvent", "throw"),
            end(),
            chain("start", "m", "t", "throw", "end"),
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "m", "t", "throw", "end"]


def test_an_activity_without_outgoing_flow_ends_its_path(engine: Engine) -> None:
    engine.deploy(model("p", start(), plain("task", "t"), chain("start", "t")))
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"


def test_terminate_end_event_ends_the_other_branches(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            plain("parallelGateway", "fork"),
            service_task("slow", "slow"),
            plain("task", "quick"),
            end("stop", terminate=True),
            end("after_slow"),
            chain("start", "fork"),
            chain("fork", "slow", "after_slow"),
            chain("fork", "quick", "stop"),
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"
    [slow] = [e for e in engine.element_instances(instance.key) if e.element_id == "slow"]
    assert slow.state == "TERMINATED"
    assert engine.jobs(instance.key) == []
    assert "JOB_CANCELED" in [e.transition for e in engine.history(instance.key)]
    assert engine.activate_jobs("slow", "w") == []


def test_terminate_end_event_also_stops_tokens_still_on_their_way(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            plain("parallelGateway", "fork"),
            end("stop", terminate=True),
            plain("task", "late"),
            service_task("never", "never"),
            chain("start", "fork"),
            chain("fork", "stop"),
            chain("fork", "late", "never"),
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"
    assert "late" not in completed(engine, instance.key)
    assert engine.jobs() == []
