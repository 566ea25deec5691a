"""Error boundary events and error end events: a job's `throw_error` or an error end event is
caught by the nearest matching error boundary event, which interrupts the activity."""

from __future__ import annotations

from flowwire.engine import Engine

from ..diagrams import chain, definitions, end, flow, process, service_task, start, sub_process
from ..support import active, completed, one_job, state
from .trigger_diagrams import boundary, error, throw_end


def _task_with_boundaries(*boundaries: tuple[str, str, str]) -> str:
    """start -> task(job "work") -> end, with (boundary xml, its id, handler end event id)."""
    return definitions(
        error("Err_NotFound", "NOT_FOUND"),
        error("Err_Server", "SERVER"),
        process(
            "p",
            start(),
            service_task("task", "work"),
            end(),
            *(xml for xml, _, _ in boundaries),
            *(end(handler) for _, _, handler in boundaries),
            chain("start", "task", "end"),
            *(flow(boundary_id, handler) for _, boundary_id, handler in boundaries),
        ),
    )


def test_a_thrown_job_error_is_caught_by_the_boundary_with_its_code(engine: Engine) -> None:
    engine.deploy(
        _task_with_boundaries(
            (boundary("on_not_found", "task", ref="Err_NotFound"), "on_not_found", "not_found"),
            (boundary("on_server", "task", ref="Err_Server"), "on_server", "server"),
        )
    )
    instance = engine.create_instance("p")
    job = one_job(engine)
    engine.throw_error(job.key, "SERVER", "upstream failed", {"status": 500})
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "on_server", "server"]
    assert engine.incidents(instance_key=instance.key) == []
    assert engine.jobs(instance.key) == []
    assert engine.variables(instance.key) == {"status": 500}
    terminated = [
        e.element_id for e in engine.history(instance.key) if e.transition == "TERMINATED"
    ]
    assert terminated == ["task"]


def test_a_boundary_without_code_catches_every_error_but_an_exact_code_wins(
    engine: Engine,
) -> None:
    engine.deploy(
        _task_with_boundaries(
            (boundary("catch_all", "task"), "catch_all", "any"),
            (boundary("on_server", "task", ref="Err_Server"), "on_server", "server"),
        )
    )
    first = engine.create_instance("p")
    engine.throw_error(one_job(engine).key, "SERVER")
    assert completed(engine, first.key) == ["start", "on_server", "server"]
    second = engine.create_instance("p")
    engine.throw_error(one_job(engine).key, "SOMETHING_ELSE")
    assert completed(engine, second.key) == ["start", "catch_all", "any"]


def test_an_error_no_catch_event_matches_raises_an_incident(engine: Engine) -> None:
    engine.deploy(
        _task_with_boundaries(
            (boundary("on_server", "task", ref="Err_Server"), "on_server", "handled")
        )
    )
    instance = engine.create_instance("p")
    engine.throw_error(one_job(engine).key, "NOT_FOUND", "no such order")
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "UNHANDLED_ERROR_EVENT"
    assert "NOT_FOUND" in incident.message and "no such order" in incident.message
    assert incident.element_id == "task"
    assert active(engine, instance.key) == ["task"]


def test_error_code_and_message_can_be_mapped_but_do_not_leak_otherwise(engine: Engine) -> None:
    engine.deploy(
        _task_with_boundaries(
            (
                boundary(
                    "on_error",
                    "task",
                    outputs=[
                        ("=errorCode", "code"),
                        ("=errorMessage", "why"),
                        ("=detail", "detail"),
                    ],
                ),
                "on_error",
                "handled",
            )
        )
    )
    instance = engine.create_instance("p")
    engine.throw_error(one_job(engine).key, "SERVER", "boom", {"detail": 42, "ignored": True})
    assert engine.variables(instance.key) == {"code": "SERVER", "why": "boom", "detail": 42}

    engine.deploy(_task_with_boundaries((boundary("on_error", "task"), "on_error", "handled")))
    plain = engine.create_instance("p")
    engine.throw_error(one_job(engine).key, "SERVER", "boom", {"detail": 42})
    assert engine.variables(plain.key) == {"detail": 42}


def _subprocess_with_error_end(code_ref: str = "Err_NotFound", catch_ref: str | None = None) -> str:
    inner = [
        start("s_start"),
        throw_end("s_error", "error", code_ref, inputs=[('="order " + id', "reason")]),
        chain("s_start", "s_error"),
    ]
    return definitions(
        error("Err_NotFound", "NOT_FOUND"),
        error("Err_Dynamic", "=code"),
        process(
            "p",
            start(),
            sub_process("sub", *inner),
            end(),
            boundary("caught", "sub", ref=catch_ref, outputs=[("=reason", "reason")]),
            end("handled"),
            chain("start", "sub", "end"),
            flow("caught", "handled"),
        ),
    )


def test_an_error_end_event_inside_a_subprocess_is_caught_by_the_subprocess_boundary(
    engine: Engine,
) -> None:
    engine.deploy(_subprocess_with_error_end(catch_ref="Err_NotFound"))
    instance = engine.create_instance("p", {"id": "A-1"})
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "s_start", "caught", "handled"]
    assert engine.variables(instance.key) == {"id": "A-1", "reason": "order A-1"}


def test_an_error_end_event_may_compute_its_code(engine: Engine) -> None:
    engine.deploy(_subprocess_with_error_end(code_ref="Err_Dynamic", catch_ref="Err_NotFound"))
    instance = engine.create_instance("p", {"id": "A-2", "code": "NOT_FOUND"})
    assert completed(engine, instance.key)[-1] == "handled"


def test_an_uncaught_error_end_event_raises_an_incident_that_rethrows_when_resolved(
    engine: Engine,
) -> None:
    engine.deploy(_subprocess_with_error_end(code_ref="Err_Dynamic", catch_ref="Err_NotFound"))
    instance = engine.create_instance("p", {"id": "A-3", "code": "OTHER"})
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "UNHANDLED_ERROR_EVENT"
    assert incident.element_id == "s_error"
    engine.set_variables(instance.key, {"code": "NOT_FOUND"})
    engine.resolve_incident(incident.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key)[-1] == "handled"
