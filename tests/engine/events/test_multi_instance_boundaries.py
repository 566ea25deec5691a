"""Boundary events attach to the multi-instance body: an interrupting one ends the body and all
its inner instances without partial output; a non-interrupting one leaves them running."""

from __future__ import annotations

from flowwire.engine import Engine

from ..diagrams import chain, definitions, end, flow, process, service_task, start, sub_process
from ..support import completed, state
from .mi_diagrams import multi
from .trigger_diagrams import (
    boundary,
    error,
    escalation,
    escalation_throw,
    event_subprocess,
    throw_end,
)


def test_a_job_error_of_one_iteration_is_caught_on_the_body(engine: Engine) -> None:
    engine.deploy(
        definitions(
            error("Err_Bad", "BAD"),
            process(
                "p",
                start(),
                multi(
                    service_task("task", "work"),
                    "=items",
                    "item",
                    output_collection="results",
                    output_element="=result",
                ),
                end(),
                boundary("on_bad", "task", ref="Err_Bad"),
                end("failed"),
                chain("start", "task", "end"),
                flow("on_bad", "failed"),
            ),
        )
    )
    instance = engine.create_instance("p", {"items": [1, 2, 3]})
    first, second, third = engine.activate_jobs("work", "w")
    engine.complete_job(first.key, {"result": "ok"})
    engine.throw_error(second.key, "BAD", "item 2 is bad")
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key)[-2:] == ["on_bad", "failed"]
    assert engine.incidents(instance_key=instance.key) == []
    # no partial output, and the last job can no longer be worked on
    assert "results" not in engine.variables(instance.key)
    assert engine.activate_jobs("work", "w") == []
    task_states = [
        (e.element_kind, e.state)
        for e in engine.element_instances(instance.key)
        if e.element_id == "task"
    ]
    assert task_states == [
        ("multiInstanceBody", "TERMINATED"),
        ("serviceTask", "COMPLETED"),
        ("serviceTask", "TERMINATED"),
        ("serviceTask", "TERMINATED"),
    ]
    assert third.key not in {j.key for j in engine.jobs(instance.key) if j.state == "ACTIVATED"}


def test_an_error_end_event_inside_a_subprocess_iteration_ends_the_whole_body(
    engine: Engine,
) -> None:
    engine.deploy(
        definitions(
            error("Err_Stop", "STOP"),
            process(
                "p",
                start(),
                multi(
                    sub_process(
                        "each",
                        start("s_start"),
                        throw_end("s_fail", "error", "Err_Stop"),
                        chain("s_start", "s_fail"),
                    ),
                    "=[1, 2]",
                    "n",
                    sequential=True,
                ),
                end(),
                boundary("on_stop", "each", ref="Err_Stop"),
                end("stopped"),
                chain("start", "each", "end"),
                flow("on_stop", "stopped"),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"
    passed = completed(engine, instance.key)
    assert passed[-2:] == ["on_stop", "stopped"]
    assert "end" not in passed


def test_a_non_interrupting_boundary_leaves_the_iterations_running(engine: Engine) -> None:
    engine.deploy(
        definitions(
            escalation("Esc_Note", "NOTE"),
            process(
                "p",
                start(),
                multi(
                    sub_process(
                        "each",
                        start("s_start"),
                        escalation_throw("s_note", "Esc_Note"),
                        service_task("work", "work"),
                        end("s_end"),
                        chain("s_start", "s_note", "work", "s_end"),
                    ),
                    "=[1, 2]",
                    "n",
                ),
                end(),
                boundary("on_note", "each", "escalation", "Esc_Note", interrupting=False),
                end("noted"),
                chain("start", "each", "end"),
                flow("on_note", "noted"),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert completed(engine, instance.key).count("noted") == 2
    jobs = engine.activate_jobs("work", "w")
    assert len(jobs) == 2
    for job in jobs:
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key)[-1] == "end"


def test_an_error_rethrown_by_an_event_subprocess_of_an_iteration_reaches_the_body(
    engine: Engine,
) -> None:
    engine.deploy(
        definitions(
            error("Err_Bad", "BAD"),
            error("Err_Fatal", "FATAL"),
            process(
                "p",
                start(),
                multi(
                    sub_process(
                        "each",
                        start("s_start"),
                        throw_end("s_fail", "error", "Err_Bad"),
                        chain("s_start", "s_fail"),
                        event_subprocess(
                            "on_bad",
                            "bad_start",
                            "error",
                            None,
                            throw_end("rethrow", "error", "Err_Fatal"),
                            flow("bad_start", "rethrow"),
                        ),
                    ),
                    "=[1, 2]",
                    "n",
                    sequential=True,
                ),
                end(),
                boundary("on_fatal", "each", ref="Err_Fatal"),
                end("fatal"),
                chain("start", "each", "end"),
                flow("on_fatal", "fatal"),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert engine.incidents(instance_key=instance.key) == []
    assert state(engine, instance.key) == "COMPLETED"
    passed = completed(engine, instance.key)
    assert passed[-2:] == ["on_fatal", "fatal"]
    assert passed.count("bad_start") == 1
