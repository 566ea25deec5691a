"""Errors travel outwards to the nearest matching catch: through subprocesses, into error event
subprocesses, and across call activities into the calling instance."""

from __future__ import annotations

from flowwire.engine import Engine

from ..diagrams import (
    call_activity,
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
from .trigger_diagrams import boundary, error, event_subprocess, throw_end


def _child_instance(engine: Engine, parent_key: int) -> int:
    [child] = [i.key for i in engine.instances() if i.parent_instance_key == parent_key]
    return child


def _parent_catching_on_call(catch_ref: str | None) -> str:
    return definitions(
        error("Err_Credit", "CREDIT_DENIED"),
        process(
            "parent",
            start(),
            call_activity("call", "child"),
            end(),
            boundary("denied", "call", ref=catch_ref, outputs=[("=reason", "reason")]),
            end("handled"),
            chain("start", "call", "end"),
            flow("denied", "handled"),
        ),
    )


def _child_throwing_from_a_job() -> str:
    return definitions(
        process(
            "child",
            start(),
            sub_process(
                "inner",
                start("i_start"),
                service_task("check", "credit-check"),
                end("i_end"),
                chain("i_start", "check", "i_end"),
            ),
            end(),
            chain("start", "inner", "end"),
        )
    )


def test_an_error_propagates_across_a_call_activity_to_its_boundary(engine: Engine) -> None:
    engine.deploy([_parent_catching_on_call("Err_Credit"), _child_throwing_from_a_job()])
    parent = engine.create_instance("parent")
    child = _child_instance(engine, parent.key)
    job = one_job(engine, "credit-check")
    engine.throw_error(job.key, "CREDIT_DENIED", "score too low", {"reason": "score"})
    assert state(engine, parent.key) == "COMPLETED"
    assert completed(engine, parent.key) == ["start", "denied", "handled"]
    assert state(engine, child) == "TERMINATED"
    assert engine.variables(parent.key) == {"reason": "score"}
    assert engine.incidents(state=None) == []
    assert engine.jobs() == []


def test_an_error_the_parent_does_not_catch_is_an_incident_on_the_thrower(engine: Engine) -> None:
    engine.deploy([_parent_catching_on_call("Err_Credit"), _child_throwing_from_a_job()])
    parent = engine.create_instance("parent")
    child = _child_instance(engine, parent.key)
    engine.throw_error(one_job(engine, "credit-check").key, "OTHER")
    [incident] = engine.incidents()
    assert (incident.instance_key, incident.element_id) == (child, "check")
    assert incident.error_type == "UNHANDLED_ERROR_EVENT"
    assert state(engine, parent.key) == "ACTIVE"


def test_an_error_event_subprocess_interrupts_its_scope(engine: Engine) -> None:
    engine.deploy(
        definitions(
            error("Err_Stock", "OUT_OF_STOCK"),
            process(
                "p",
                start(),
                gateway("parallel", "fork"),
                service_task("reserve", "reserve"),
                user_task("approve"),
                gateway("parallel", "join"),
                end(),
                chain("start", "fork", "reserve", "join", "end"),
                chain("fork", "approve", "join"),
                event_subprocess(
                    "on_error",
                    "error_start",
                    "error",
                    "Err_Stock",
                    service_task("notify", "notify"),
                    end("e_end"),
                    chain("error_start", "notify", "e_end"),
                    outputs=[("=errorCode", "failure")],
                ),
            ),
        )
    )
    instance = engine.create_instance("p")
    engine.throw_error(one_job(engine, "reserve").key, "OUT_OF_STOCK", "", {"sku": "X"})
    assert active(engine, instance.key) == ["notify", "on_error"]
    assert engine.variables(instance.key) == {"failure": "OUT_OF_STOCK"}
    engine.complete_job(one_job(engine, "notify").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == [
        "start",
        "fork",
        "error_start",
        "notify",
        "e_end",
        "on_error",
    ]
    terminated = {
        e.element_id for e in engine.history(instance.key) if e.transition == "TERMINATED"
    }
    assert terminated == {"reserve", "approve"}


def test_the_inner_scope_catches_first(engine: Engine) -> None:
    """An event subprocess inside the subprocess wins over the subprocess's boundary event."""
    engine.deploy(
        definitions(
            error("Err_Any", "ANY"),
            process(
                "p",
                start(),
                sub_process(
                    "sub",
                    start("s_start"),
                    throw_end("s_error", "error", "Err_Any"),
                    chain("s_start", "s_error"),
                    event_subprocess(
                        "inner_handler",
                        "inner_start",
                        "error",
                        None,
                        end("inner_end"),
                        flow("inner_start", "inner_end"),
                    ),
                ),
                end(),
                boundary("outer", "sub"),
                end("outer_end"),
                chain("start", "sub", "end"),
                flow("outer", "outer_end"),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == [
        "start",
        "s_start",
        "inner_start",
        "inner_end",
        "inner_handler",
        "sub",
        "end",
    ]


def test_a_child_process_event_subprocess_catches_before_the_parent(engine: Engine) -> None:
    child = definitions(
        error("Err_Credit", "CREDIT_DENIED"),
        process(
            "child",
            start(),
            throw_end("fail", "error", "Err_Credit"),
            flow("start", "fail"),
            event_subprocess(
                "recover",
                "r_start",
                "error",
                "Err_Credit",
                end("r_end"),
                flow("r_start", "r_end"),
                outputs=[('="recovered"', "outcome")],
            ),
        ),
    )
    engine.deploy([_parent_catching_on_call(None), child])
    parent = engine.create_instance("parent")
    assert state(engine, parent.key) == "COMPLETED"
    assert completed(engine, parent.key) == ["start", "call", "end"]
    assert engine.variables(parent.key) == {"outcome": "recovered"}
