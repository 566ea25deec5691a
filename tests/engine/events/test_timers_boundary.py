"""Timer boundary events (interrupting; non-interrupting with cycles) and timer event
subprocesses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flowwire.engine import DeploymentRejected, Engine, ManualClock

from ..conftest import START
from ..diagrams import chain, definitions, end, flow, process, service_task, start, user_task
from ..support import active, completed, one_job, state
from .event_diagrams import boundary, event_subprocess, start_event


def _task_with_timer(value: str, kind: str = "duration", *, interrupting: bool = True) -> str:
    return definitions(
        process(
            "p",
            start(),
            user_task("approve"),
            end(),
            boundary("late", "approve", "timer", value, kind, interrupting=interrupting),
            service_task("remind", "remind"),
            end("reminded"),
            chain("start", "approve", "end"),
            chain("late", "remind", "reminded"),
        )
    )


def test_an_interrupting_timer_boundary_event_cancels_the_task(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(_task_with_timer("PT1H"))
    instance = engine.create_instance("p")
    clock.advance(timedelta(hours=1))
    assert engine.fire_due_timers() == 1
    assert active(engine, instance.key) == ["remind"]
    assert "approve" not in completed(engine, instance.key)
    assert engine.timers(instance.key) == []


def test_the_timer_is_dropped_when_the_task_completes_in_time(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(_task_with_timer("PT1H"))
    instance = engine.create_instance("p")
    [task] = [e for e in engine.element_instances(instance.key) if e.element_id == "approve"]
    engine.complete_user_task(task.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.timers(instance.key) == []
    clock.advance(timedelta(hours=2))
    assert engine.fire_due_timers() == 0


def test_a_non_interrupting_timer_cycle_fires_its_repetitions(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(_task_with_timer("R3/PT10M", "cycle", interrupting=False))
    instance = engine.create_instance("p")
    for expected in (1, 2, 3):
        clock.advance(timedelta(minutes=10))
        assert engine.fire_due_timers() == 1
        assert len(engine.jobs(instance_key=instance.key, job_type="remind")) == expected
    clock.advance(timedelta(minutes=10))
    assert engine.fire_due_timers() == 0  # three repetitions, then the cycle is over
    assert active(engine, instance.key) == ["approve", "remind", "remind", "remind"]
    assert engine.timers(instance.key) == []


def test_an_unbounded_cycle_stops_when_the_task_ends(engine: Engine, clock: ManualClock) -> None:
    engine.deploy(_task_with_timer("R/PT1H", "cycle", interrupting=False))
    instance = engine.create_instance("p")
    clock.advance(timedelta(hours=1))
    engine.fire_due_timers()
    [timer] = engine.timers(instance.key)
    assert timer.repetitions == -1
    assert timer.due == clock.now() + timedelta(hours=1)
    [task] = [e for e in engine.element_instances(instance.key) if e.element_id == "approve"]
    engine.complete_user_task(task.key)
    assert engine.timers(instance.key) == []


def test_an_interrupting_timer_boundary_with_a_cycle_is_rejected_at_deploy(
    engine: Engine,
) -> None:
    """As in Zeebe: only a non-interrupting timer boundary event may repeat."""
    with pytest.raises(DeploymentRejected, match="interrupting timer boundary event takes"):
        engine.deploy(_task_with_timer("R5/PT1M", "cycle"))
    assert engine.definitions() == []


@pytest.mark.parametrize(
    ("value", "due"),
    [
        ("R3/PT10S", START + timedelta(seconds=10)),
        ("0 30 10 * * MON-FRI", datetime(2024, 3, 4, 10, 30, tzinfo=UTC)),
        ("0 0 8 * * *", datetime(2024, 3, 5, 8, tzinfo=UTC)),
    ],
)
def test_cycle_values_of_a_non_interrupting_boundary(
    engine: Engine, value: str, due: datetime
) -> None:
    engine.deploy(_task_with_timer(value, "cycle", interrupting=False))
    instance = engine.create_instance("p")
    [timer] = engine.timers(instance.key)
    assert timer.due == due


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("R3/soon", "not an ISO 8601 duration"),
        ("0 0 25 * * *", "outside 0-23"),
        ("0 9 * * MON", "needs 6"),
    ],
)
def test_a_cycle_that_cannot_be_used_is_an_incident(
    engine: Engine, value: str, problem: str
) -> None:
    engine.deploy(_task_with_timer(value, "cycle", interrupting=False))
    instance = engine.create_instance("p")
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "EXTRACT_VALUE_ERROR"
    assert problem in incident.message


def test_a_timer_on_a_job_task_drops_its_job(engine: Engine, clock: ManualClock) -> None:
    engine.deploy(
        definitions(
            process(
                "p",
                start(),
                service_task("call", "call"),
                end(),
                boundary("timeout", "call", "timer", "PT30S"),
                end("timed_out"),
                chain("start", "call", "end"),
                flow("timeout", "timed_out"),
            )
        )
    )
    instance = engine.create_instance("p")
    job = one_job(engine, "call")
    engine.advance_clock(timedelta(seconds=30))
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.jobs(instance_key=instance.key) == []
    assert completed(engine, instance.key)[-2:] == ["timeout", "timed_out"]
    [canceled] = [e for e in engine.history(instance.key) if e.transition == "JOB_CANCELED"]
    assert canceled.details == {"job_key": job.key}


def _with_timer_event_subprocess(value: str, kind: str, *, interrupting: bool) -> str:
    return definitions(
        process(
            "p",
            start(),
            user_task("review"),
            end(),
            chain("start", "review", "end"),
            event_subprocess(
                "escalate",
                start_event("every", "timer", value, kind, interrupting=interrupting),
                service_task("notify", "notify"),
                end("notified"),
                flow("every", "notify"),
                flow("notify", "notified"),
            ),
        )
    )


def test_an_interrupting_timer_event_subprocess(engine: Engine, clock: ManualClock) -> None:
    engine.deploy(_with_timer_event_subprocess("PT1H", "duration", interrupting=True))
    instance = engine.create_instance("p")
    engine.advance_clock(timedelta(hours=1))
    assert active(engine, instance.key) == ["escalate", "notify"]
    engine.complete_job(one_job(engine, "notify").key)
    assert state(engine, instance.key) == "COMPLETED"


def test_a_non_interrupting_timer_event_subprocess_cycles(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(_with_timer_event_subprocess("R2/PT1H", "cycle", interrupting=False))
    instance = engine.create_instance("p")
    engine.advance_clock(timedelta(hours=1))
    engine.advance_clock(timedelta(hours=1))
    engine.advance_clock(timedelta(hours=1))
    assert active(engine, instance.key) == [
        "escalate",
        "escalate",
        "notify",
        "notify",
        "review",
    ]


def test_a_boundary_timer_that_cannot_be_evaluated_is_an_incident_of_the_task(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(_task_with_timer("=patience"))
    instance = engine.create_instance("p")
    [incident] = engine.incidents(instance_key=instance.key)
    assert (incident.element_id, incident.error_type) == ("approve", "EXTRACT_VALUE_ERROR")
    assert engine.timers(instance.key) == []

    engine.set_variables(instance.key, {"patience": "PT10M"})
    engine.resolve_incident(incident.key)
    [timer] = engine.timers(instance.key)
    assert timer.due == clock.now() + timedelta(minutes=10)
    assert active(engine, instance.key) == ["approve"]
    engine.advance_clock(timedelta(minutes=10))
    assert active(engine, instance.key) == ["remind"]
