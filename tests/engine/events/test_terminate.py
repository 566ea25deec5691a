"""Terminate end events end only their own scope: inside a subprocess (or event subprocess) the
rest of that scope is terminated and the subprocess completes normally."""

from __future__ import annotations

from flowwire.engine import Engine

from ..diagrams import chain, definitions, end, gateway, process, service_task, start, sub_process
from ..support import active, completed, one_job, state
from .trigger_diagrams import escalation, escalation_throw, event_subprocess


def test_a_terminate_end_event_in_a_subprocess_ends_only_that_subprocess(engine: Engine) -> None:
    engine.deploy(
        definitions(
            process(
                "p",
                start(),
                gateway("parallel", "fork"),
                service_task("outside", "outside"),
                sub_process(
                    "sub",
                    start("s_start"),
                    gateway("parallel", "s_fork"),
                    service_task("stuck", "stuck"),
                    service_task("quick", "quick"),
                    end("s_end", terminate=True),
                    chain("s_start", "s_fork", "stuck"),
                    chain("s_fork", "quick", "s_end"),
                ),
                service_task("after", "after"),
                gateway("parallel", "join"),
                end(),
                chain("start", "fork", "outside", "join", "end"),
                chain("fork", "sub", "after", "join"),
            )
        )
    )
    instance = engine.create_instance("p")
    assert active(engine, instance.key) == ["outside", "quick", "stuck", "sub"]
    engine.complete_job(one_job(engine, "quick").key)
    assert active(engine, instance.key) == ["after", "outside"]
    assert engine.jobs(instance.key, job_type="stuck") == []
    assert "sub" in completed(engine, instance.key)
    engine.complete_job(one_job(engine, "after").key)
    engine.complete_job(one_job(engine, "outside").key)
    assert state(engine, instance.key) == "COMPLETED"


def test_a_terminate_end_event_in_an_event_subprocess_ends_only_the_event_subprocess(
    engine: Engine,
) -> None:
    engine.deploy(
        definitions(
            escalation("Esc", "NOTE"),
            process(
                "p",
                start(),
                escalation_throw("note", "Esc"),
                service_task("work", "work"),
                end(),
                chain("start", "note", "work", "end"),
                event_subprocess(
                    "noted",
                    "n_start",
                    "escalation",
                    "Esc",
                    gateway("parallel", "n_fork"),
                    service_task("never", "never"),
                    end("n_end", terminate=True),
                    chain("n_start", "n_fork", "never"),
                    chain("n_fork", "n_end"),
                    interrupting=False,
                ),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert active(engine, instance.key) == ["work"]
    assert engine.jobs(instance.key, job_type="never") == []
    engine.complete_job(one_job(engine, "work").key)
    assert state(engine, instance.key) == "COMPLETED"
