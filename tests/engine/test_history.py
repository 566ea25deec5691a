"""History: every transition with the clock's time, variable changes, job steps."""

from __future__ import annotations

import threading
from datetime import timedelta

from flowwire.engine import Engine, ManualClock

from .diagrams import one_task
from .support import one_job, state


def test_history_records_transitions_with_the_clock_time(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(one_task("order"))
    started_at = clock.now()
    instance = engine.create_instance("order", {"a": 1})
    clock.advance(timedelta(minutes=5))
    job = one_job(engine)
    engine.complete_job(job.key, {"a": 2})
    steps = [(e.transition, e.element_id) for e in engine.history(instance.key)]
    assert steps == [
        ("ACTIVATED", "order"),
        ("VARIABLE_CREATED", "order"),
        ("ACTIVATED", "start"),
        ("COMPLETED", "start"),
        ("TAKEN", "start-task"),
        ("ACTIVATED", "task"),
        ("JOB_CREATED", "task"),
        ("JOB_ACTIVATED", "task"),
        ("JOB_COMPLETED", "task"),
        ("VARIABLE_UPDATED", "order"),
        ("COMPLETED", "task"),
        ("TAKEN", "task-end"),
        ("ACTIVATED", "end"),
        ("COMPLETED", "end"),
        ("COMPLETED", "order"),
    ]
    history = engine.history(instance.key)
    assert history[0].timestamp == started_at
    assert history[-1].timestamp == started_at + timedelta(minutes=5)
    assert [e.seq for e in history] == sorted(e.seq for e in history)
    updated = next(e for e in history if e.transition == "VARIABLE_UPDATED")
    assert updated.details == {"name": "a", "value": 2}
    info = engine.get_instance(instance.key)
    assert (info.created_at, info.ended_at) == (started_at, started_at + timedelta(minutes=5))


def test_the_engine_can_be_used_from_several_threads(engine: Engine) -> None:
    engine.deploy(one_task("order"))
    engine.register_handler("work", lambda job: {"done": True})
    errors: list[BaseException] = []

    def start_many() -> None:
        try:
            for _ in range(20):
                engine.create_instance("order")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine.run_until_idle()
    instances = engine.instances()
    assert len(instances) == 80
    assert {state(engine, i.key) for i in instances} == {"COMPLETED"}
