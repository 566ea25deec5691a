"""What every interrupting trigger shares: the attached activity is terminated with all it holds
(nested scopes, jobs, called instances, open incidents), the history says which event fired and
why, and a handler never catches what its own scope's handler threw."""

from __future__ import annotations

from flowwire.engine import Engine

from ..diagrams import (
    chain,
    definitions,
    end,
    flow,
    gateway,
    process,
    service_task,
    start,
    sub_process,
    user_task,
)
from ..support import active, completed, one_job, state
from .trigger_diagrams import boundary, error, event_subprocess


def _nested() -> str:
    """sub holds a user task and a nested subprocess with two jobs; an error boundary on sub."""
    inner = sub_process(
        "inner",
        start("i_start"),
        gateway("parallel", "i_fork"),
        service_task("fails", "fails"),
        service_task("throws", "throws"),
        chain("i_start", "i_fork", "fails"),
        chain("i_fork", "throws"),
    )
    return definitions(
        error("Err", "BAD"),
        process(
            "p",
            start(),
            sub_process(
                "sub",
                start("s_start"),
                gateway("parallel", "s_fork"),
                user_task("review"),
                inner,
                chain("s_start", "s_fork", "review"),
                chain("s_fork", "inner"),
            ),
            end(),
            boundary("on_bad", "sub", ref="Err"),
            end("handled"),
            chain("start", "sub", "end"),
            flow("on_bad", "handled"),
        ),
    )


def test_an_interrupting_boundary_terminates_everything_inside_the_activity(
    engine: Engine,
) -> None:
    engine.deploy(_nested())
    instance = engine.create_instance("p")
    engine.fail_job(one_job(engine, "fails").key, retries=0, error_message="down")
    assert len(engine.incidents(instance_key=instance.key)) == 1
    engine.throw_error(one_job(engine, "throws").key, "BAD")
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.incidents(instance_key=instance.key) == []
    assert engine.jobs() == []
    terminated = {
        e.element_id for e in engine.history(instance.key) if e.transition == "TERMINATED"
    }
    assert terminated == {"sub", "inner", "review", "fails", "throws"}
    assert completed(engine, instance.key)[-2:] == ["on_bad", "handled"]


def test_the_history_says_which_event_fired_and_why(engine: Engine) -> None:
    engine.deploy(_nested())
    instance = engine.create_instance("p")
    thrower = one_job(engine, "throws")
    engine.throw_error(thrower.key, "BAD", "it broke")
    [fired] = [
        e
        for e in engine.history(instance.key)
        if e.element_id == "on_bad" and e.transition == "ACTIVATED"
    ]
    assert fired.details is not None
    assert fired.details["attached_to"] == "sub"
    assert fired.details["interrupting"] is True
    assert fired.details["error_code"] == "BAD"
    assert fired.details["error_message"] == "it broke"
    assert fired.details["thrown_by"] == thrower.element_instance_key


def test_an_error_event_subprocess_does_not_catch_its_own_error(engine: Engine) -> None:
    """The handler's own failure goes to the next scope out, not back into the handler."""
    engine.deploy(
        definitions(
            error("Err", "BAD"),
            process(
                "p",
                start(),
                sub_process(
                    "sub",
                    start("s_start"),
                    service_task("work", "work"),
                    chain("s_start", "work"),
                    event_subprocess(
                        "handler",
                        "h_start",
                        "error",
                        None,
                        service_task("compensate", "compensate"),
                        flow("h_start", "compensate"),
                    ),
                ),
                end(),
                boundary("escalated", "sub", ref="Err"),
                end("gave_up"),
                chain("start", "sub", "end"),
                flow("escalated", "gave_up"),
            ),
        )
    )
    instance = engine.create_instance("p")
    engine.throw_error(one_job(engine, "work").key, "BAD")
    assert active(engine, instance.key) == ["compensate", "handler", "sub"]
    engine.throw_error(one_job(engine, "compensate").key, "BAD")
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key)[-2:] == ["escalated", "gave_up"]


def test_an_error_from_one_iteration_interrupts_the_whole_multi_instance_activity(
    engine: Engine,
) -> None:
    marker = (
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" />'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>"
    )
    task = service_task("each", "each").replace(
        "</bpmn:serviceTask>", marker + "</bpmn:serviceTask>"
    )
    engine.deploy(
        definitions(
            error("Err", "BAD"),
            process(
                "p",
                start(),
                task,
                end(),
                boundary("on_bad", "each", ref="Err"),
                end("handled"),
                chain("start", "each", "end"),
                flow("on_bad", "handled"),
            ),
        )
    )
    instance = engine.create_instance("p", {"items": [1, 2, 3]})
    first, *_ = engine.activate_jobs("each", "w")
    engine.throw_error(first.key, "BAD")
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.jobs() == []
    assert completed(engine, instance.key)[-2:] == ["on_bad", "handled"]
