"""Cancelling an instance terminates everything in it."""

from __future__ import annotations

import pytest

from flowwire.engine import Engine, InvalidState, NotFound

from .diagrams import chain, end, gateway, model, service_task, start, sub_process, user_task
from .support import state


def _busy() -> str:
    inner = [
        start("s_start"),
        service_task("deep", "deep"),
        end("s_end"),
        chain("s_start", "deep", "s_end"),
    ]
    return model(
        "busy",
        start(),
        gateway("parallel", "fork"),
        service_task("job", "work"),
        user_task("review"),
        sub_process("sub", *inner),
        service_task("broken", "=missing"),
        gateway("parallel", "join"),
        end(),
        chain("start", "fork"),
        chain("fork", "job", "join"),
        chain("fork", "review", "join"),
        chain("fork", "sub", "join"),
        chain("fork", "broken", "join"),
        chain("join", "end"),
    )


def test_cancel_terminates_elements_jobs_and_incidents(engine: Engine) -> None:
    engine.deploy(_busy())
    instance = engine.create_instance("busy")
    assert len(engine.incidents(instance_key=instance.key)) == 1
    engine.cancel_instance(instance.key)
    assert state(engine, instance.key) == "TERMINATED"
    elements = {e.element_id: e.state for e in engine.element_instances(instance.key)}
    for element_id in ("job", "review", "sub", "deep", "broken", "busy"):
        assert elements[element_id] == "TERMINATED", element_id
    assert engine.jobs(instance.key) == [], "open jobs are gone"
    canceled = [
        e.element_id for e in engine.history(instance.key) if e.transition == "JOB_CANCELED"
    ]
    assert sorted(canceled) == ["deep", "job"]
    assert engine.incidents(instance_key=instance.key) == []
    assert engine.activate_jobs("work", "w") == []
    terminated = [
        e.element_id for e in engine.history(instance.key) if e.transition == "TERMINATED"
    ]
    assert terminated[-1] == "busy"
    assert terminated.index("deep") < terminated.index("sub"), "inner elements end first"


def test_cancelling_twice_or_an_unknown_instance_is_refused(engine: Engine) -> None:
    engine.deploy(_busy())
    instance = engine.create_instance("busy")
    engine.cancel_instance(instance.key)
    with pytest.raises(InvalidState, match="already terminated"):
        engine.cancel_instance(instance.key)
    with pytest.raises(NotFound):
        engine.cancel_instance(99)
