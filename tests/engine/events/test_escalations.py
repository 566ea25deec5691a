"""Escalations: caught by boundary events and event subprocesses, interrupting or not; an
escalation nothing catches is no incident, the thrower just goes on."""

from __future__ import annotations

from flowwire.engine import Engine

from ..diagrams import (
    call_activity,
    chain,
    definitions,
    end,
    flow,
    process,
    service_task,
    start,
    sub_process,
)
from ..support import active, completed, one_job, state
from .trigger_diagrams import boundary, escalation, escalation_throw, event_subprocess, throw_end


def _subprocess_escalating(*, interrupting: bool, catch_ref: str | None = "Esc_Late") -> str:
    """sub: s_start -> escalate (throw LATE) -> work (job) -> s_end; boundary on sub."""
    return definitions(
        escalation("Esc_Late", "LATE"),
        process(
            "p",
            start(),
            sub_process(
                "sub",
                start("s_start"),
                escalation_throw("escalate", "Esc_Late"),
                service_task("work", "work"),
                end("s_end"),
                chain("s_start", "escalate", "work", "s_end"),
            ),
            end(),
            boundary(
                "on_late",
                "sub",
                "escalation",
                catch_ref,
                interrupting=interrupting,
                outputs=[("=escalationCode", "escalated")],
            ),
            service_task("inform", "inform"),
            end("informed"),
            chain("start", "sub", "end"),
            chain("on_late", "inform", "informed"),
        ),
    )


def test_a_non_interrupting_escalation_boundary_lets_the_subprocess_go_on(
    engine: Engine,
) -> None:
    engine.deploy(_subprocess_escalating(interrupting=False))
    instance = engine.create_instance("p")
    assert active(engine, instance.key) == ["inform", "sub", "work"]
    assert engine.variables(instance.key) == {"escalated": "LATE"}
    engine.complete_job(one_job(engine, "inform").key)
    assert state(engine, instance.key) == "ACTIVE"
    engine.complete_job(one_job(engine, "work").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert "escalate" in completed(engine, instance.key)


def test_an_interrupting_escalation_boundary_terminates_the_subprocess(engine: Engine) -> None:
    engine.deploy(_subprocess_escalating(interrupting=True))
    instance = engine.create_instance("p")
    assert active(engine, instance.key) == ["inform"]
    assert engine.jobs(instance.key, job_type="work") == []
    engine.complete_job(one_job(engine, "inform").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "s_start", "on_late", "inform", "informed"]


def test_a_catch_without_code_catches_every_escalation(engine: Engine) -> None:
    engine.deploy(_subprocess_escalating(interrupting=False, catch_ref=None))
    instance = engine.create_instance("p")
    assert active(engine, instance.key) == ["inform", "sub", "work"]


def test_an_uncaught_escalation_is_no_incident(engine: Engine) -> None:
    engine.deploy(
        definitions(
            escalation("Esc_Late", "LATE"),
            process(
                "p",
                start(),
                escalation_throw("escalate", "Esc_Late"),
                throw_end("done", "escalation", "Esc_Late"),
                chain("start", "escalate", "done"),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.incidents(state=None) == []
    assert completed(engine, instance.key) == ["start", "escalate", "done"]
    uncaught = [e for e in engine.history(instance.key) if e.transition == "ESCALATION_NOT_CAUGHT"]
    assert [e.element_id for e in uncaught] == ["escalate", "done"]


def test_an_escalation_event_subprocess_runs_beside_the_scope(engine: Engine) -> None:
    engine.deploy(
        definitions(
            escalation("Esc_Late", "LATE"),
            process(
                "p",
                start(),
                escalation_throw("escalate", "Esc_Late"),
                service_task("work", "work"),
                end(),
                chain("start", "escalate", "work", "end"),
                event_subprocess(
                    "watch",
                    "w_start",
                    "escalation",
                    "Esc_Late",
                    service_task("inform", "inform"),
                    end("w_end"),
                    chain("w_start", "inform", "w_end"),
                    interrupting=False,
                ),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert active(engine, instance.key) == ["inform", "watch", "work"]
    engine.complete_job(one_job(engine, "work").key)
    assert state(engine, instance.key) == "ACTIVE"
    engine.complete_job(one_job(engine, "inform").key)
    assert state(engine, instance.key) == "COMPLETED"


def test_an_escalation_end_event_in_a_called_process_reaches_the_call_activity(
    engine: Engine,
) -> None:
    parent = definitions(
        escalation("Esc_Late", "LATE"),
        process(
            "parent",
            start(),
            call_activity("call", "child"),
            end(),
            boundary("on_late", "call", "escalation", "Esc_Late", interrupting=False),
            end("noted"),
            chain("start", "call", "end"),
            flow("on_late", "noted"),
        ),
    )
    child = definitions(
        escalation("Esc_Late", "LATE"),
        process(
            "child",
            start(),
            service_task("work", "work"),
            throw_end("late", "escalation", "Esc_Late"),
            chain("start", "work", "late"),
        ),
    )
    engine.deploy([parent, child])
    instance = engine.create_instance("parent")
    engine.complete_job(one_job(engine, "work").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "on_late", "call", "noted", "end"]


def test_an_interrupting_escalation_event_subprocess_ends_the_rest_of_the_scope(
    engine: Engine,
) -> None:
    engine.deploy(
        definitions(
            escalation("Esc_Late", "LATE"),
            process(
                "p",
                start(),
                escalation_throw("escalate", "Esc_Late"),
                service_task("work", "work"),
                end(),
                chain("start", "escalate", "work", "end"),
                event_subprocess(
                    "takeover",
                    "t_start",
                    "escalation",
                    None,
                    end("t_end"),
                    flow("t_start", "t_end"),
                    outputs=[("=escalationCode", "why")],
                ),
            ),
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.jobs() == []
    assert completed(engine, instance.key) == ["start", "t_start", "t_end", "takeover"]
    assert engine.variables(instance.key) == {"why": "LATE"}
    terminated = [
        e.element_id for e in engine.history(instance.key) if e.transition == "TERMINATED"
    ]
    assert terminated == ["escalate"]
