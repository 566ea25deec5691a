"""Jobs: leases, retries with backoff, incidents, BPMN errors, in-process handlers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flowwire.engine import (
    ActivatedJob,
    Engine,
    InvalidArgument,
    InvalidState,
    ManualClock,
    NotFound,
    ThrowBpmnError,
)

from .diagrams import one_task
from .support import one_job, state


@pytest.fixture
def order(engine: Engine) -> int:
    engine.deploy(one_task("order", retries="2"))
    return engine.create_instance("order", {"n": 1}).key


def test_an_activated_job_is_not_handed_out_again_until_its_lease_expires(
    engine: Engine, clock: ManualClock, order: int
) -> None:
    job = engine.activate_jobs("work", "first", timeout=timedelta(seconds=30))[0]
    assert job.deadline == clock.now() + timedelta(seconds=30)
    assert engine.activate_jobs("work", "second") == []
    clock.advance(timedelta(seconds=29))
    assert engine.activate_jobs("work", "second") == []
    clock.advance(timedelta(seconds=1))
    [again] = engine.activate_jobs("work", "second")
    assert again.key == job.key and again.worker == "second"
    [info] = engine.jobs(order)
    assert (info.state, info.worker) == ("ACTIVATED", "second")


def test_a_failed_job_is_retried_after_its_backoff(
    engine: Engine, clock: ManualClock, order: int
) -> None:
    job = one_job(engine)
    engine.fail_job(job.key, retries=1, error_message="timeout", retry_backoff=timedelta(minutes=1))
    assert engine.activate_jobs("work", "w") == [], "not before the backoff"
    clock.advance(timedelta(seconds=59))
    assert engine.activate_jobs("work", "w") == []
    clock.advance(timedelta(seconds=1))
    retried = one_job(engine)
    assert retried.retries == 1
    engine.complete_job(retried.key)
    assert state(engine, order) == "COMPLETED"


def test_fail_variables_are_set_on_the_task(engine: Engine, order: int) -> None:
    job = one_job(engine)
    engine.fail_job(job.key, retries=1, variables={"attempt": 1})
    assert engine.variables(order) == {"n": 1}
    assert engine.variables(order, job.element_instance_key) == {"attempt": 1}
    assert one_job(engine).variables == {"n": 1, "attempt": 1}


def test_no_retries_left_raises_an_incident_that_retries_and_resolve_clear(
    engine: Engine, order: int
) -> None:
    job = one_job(engine)
    engine.fail_job(job.key, retries=0, error_message="service down")
    [incident] = engine.incidents(instance_key=order)
    assert (incident.error_type, incident.message) == ("JOB_NO_RETRIES", "service down")
    assert (incident.job_key, incident.element_id) == (job.key, "task")
    assert engine.activate_jobs("work", "w") == []
    assert engine.get_instance(order).has_incident
    with pytest.raises(InvalidState, match="update its retries"):
        engine.resolve_incident(incident.key)
    engine.update_job_retries(job.key, 3)
    assert engine.activate_jobs("work", "w") == [], "still waiting for the incident"
    engine.resolve_incident(incident.key)
    again = one_job(engine)
    assert (again.key, again.retries) == (job.key, 3)
    engine.complete_job(again.key)
    assert state(engine, order) == "COMPLETED"
    assert not engine.get_instance(order).has_incident
    with pytest.raises(InvalidState, match="already resolved"):
        engine.resolve_incident(incident.key)


def test_completing_a_job_twice_or_an_unknown_job_is_refused(engine: Engine, order: int) -> None:
    job = one_job(engine)
    engine.complete_job(job.key, {"done": 1})
    with pytest.raises(NotFound, match="already completed"):
        engine.complete_job(job.key, {"done": 2})
    with pytest.raises(NotFound):
        engine.complete_job(424242)
    with pytest.raises(NotFound):
        engine.fail_job(job.key, retries=1)
    assert engine.variables(order) == {"n": 1, "done": 1}
    assert state(engine, order) == "COMPLETED"


def test_invalid_job_arguments_are_rejected(engine: Engine, order: int) -> None:
    job = one_job(engine)
    with pytest.raises(InvalidArgument):
        engine.fail_job(job.key, retries=-1)
    with pytest.raises(InvalidArgument):
        engine.update_job_retries(job.key, 0)
    with pytest.raises(InvalidArgument):
        engine.activate_jobs("work", "w", max_jobs=0)
    with pytest.raises(InvalidArgument):
        engine.throw_error(job.key, "")


def test_an_uncaught_bpmn_error_is_an_incident(engine: Engine, order: int) -> None:
    job = one_job(engine)
    engine.throw_error(job.key, "PAYMENT_REJECTED", "card expired")
    [incident] = engine.incidents(instance_key=order)
    assert incident.error_type == "UNHANDLED_ERROR_EVENT"
    assert "'PAYMENT_REJECTED'" in incident.message and "card expired" in incident.message
    engine.resolve_incident(incident.key)
    engine.complete_job(one_job(engine).key)
    assert state(engine, order) == "COMPLETED"


def test_in_process_handlers_complete_fail_and_throw(engine: Engine) -> None:
    engine.deploy(one_task("ok", job_type="ok"))
    engine.deploy(one_task("flaky", job_type="flaky", retries="2"))
    engine.deploy(one_task("reject", job_type="reject"))
    calls: list[int] = []

    def flaky(job: object) -> None:
        calls.append(1)
        raise RuntimeError("remote refused")

    engine.register_handler("ok", lambda job: {"doubled": job.variables["n"] * 2})
    engine.register_handler("flaky", flaky)

    def reject(job: object) -> None:
        raise ThrowBpmnError("NOPE", "not allowed")

    engine.register_handler("reject", reject)
    ok = engine.create_instance("ok", {"n": 21}, await_completion=True)
    assert ok.state == "COMPLETED" and ok.variables == {"n": 21, "doubled": 42}
    flaky_instance = engine.create_instance("flaky")
    reject_instance = engine.create_instance("reject")
    engine.run_until_idle()
    assert len(calls) == 2, "each failure costs one retry"
    [incident] = engine.incidents(instance_key=flaky_instance.key)
    assert (incident.error_type, incident.message) == ("JOB_NO_RETRIES", "remote refused")
    [thrown] = engine.incidents(instance_key=reject_instance.key)
    assert thrown.error_type == "UNHANDLED_ERROR_EVENT"


def test_a_handler_returning_something_else_than_variables_fails_the_job(engine: Engine) -> None:
    engine.deploy(one_task("p", retries="1"))
    engine.register_handler("work", lambda job: ["not", "a", "dict"])  # type: ignore[arg-type, return-value]
    instance = engine.create_instance("p")
    engine.run_until_idle()
    [incident] = engine.incidents(instance_key=instance.key)
    assert "mapping" in incident.message


def test_one_rejected_result_in_a_round_does_not_lose_the_others(engine: Engine) -> None:
    engine.deploy(one_task("p"))
    first = engine.create_instance("p", {"n": 1})
    second = engine.create_instance("p", {"n": 2})

    def handler(job: ActivatedJob) -> dict[str, int]:
        if job.process_instance_key == first.key:
            engine.cancel_instance(second.key)  # the other job of this round disappears
        return {"seen": job.variables["n"]}

    engine.register_handler("work", handler)
    engine.run_until_idle()
    assert state(engine, first.key) == "COMPLETED"
    assert engine.variables(first.key)["seen"] == 1
    assert state(engine, second.key) == "TERMINATED"
