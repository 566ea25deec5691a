"""Embedded subprocesses and call activities: scopes, variable propagation, cancellation."""

from __future__ import annotations

from flowwire.engine import Engine

from .diagrams import call_activity, chain, end, model, one_task, service_task, start, sub_process
from .support import active, completed, one_job, state


def _parent(**call: object) -> str:
    return model(
        "parent",
        start(),
        call_activity("call", "child", **call),  # type: ignore[arg-type]
        end(),
        chain("start", "call", "end"),
    )


def _child() -> str:
    return one_task("child", job_type="child-work")


def _child_instance(engine: Engine, parent_key: int) -> int:
    [child] = [i.key for i in engine.instances() if i.parent_instance_key == parent_key]
    return child


def test_embedded_subprocess_runs_inside_its_own_scope(engine: Engine) -> None:
    inner = [
        start("s_start"),
        service_task("inner", "work"),
        end("s_end"),
        chain("s_start", "inner", "s_end"),
    ]
    engine.deploy(
        model(
            "p",
            start(),
            sub_process(
                "sub", *inner, inputs=[("=10", "limit")], outputs=[("=limit + 1", "limitSeen")]
            ),
            end(),
            chain("start", "sub", "end"),
        )
    )
    instance = engine.create_instance("p")
    assert active(engine, instance.key) == ["inner", "sub"]
    assert one_job(engine).variables == {"limit": 10}
    assert engine.variables(instance.key) == {}
    engine.complete_job(engine.jobs(instance.key)[0].key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "s_start", "inner", "s_end", "sub", "end"]
    assert engine.variables(instance.key) == {"limitSeen": 11}


def test_call_activity_runs_the_latest_child_version_and_returns_its_variables(
    engine: Engine,
) -> None:
    engine.deploy(one_task("child", job_type="old-child"))
    engine.deploy([_parent(), _child()])
    parent = engine.create_instance("parent", {"orderId": "A-1"})
    child_key = _child_instance(engine, parent.key)
    child = engine.get_instance(child_key)
    assert (child.process_id, child.version) == ("child", 2)
    assert child.root_instance_key == parent.key
    job = one_job(engine, "child-work")
    assert job.process_instance_key == child_key
    assert job.variables == {"orderId": "A-1"}, "all parent variables are copied by default"
    engine.complete_job(job.key, {"shipped": True})
    assert state(engine, child_key) == "COMPLETED"
    assert state(engine, parent.key) == "COMPLETED"
    assert engine.variables(parent.key) == {"orderId": "A-1", "shipped": True}


def test_without_parent_propagation_the_child_gets_only_the_input_mappings(
    engine: Engine,
) -> None:
    engine.deploy([_parent(propagate_parent=False, inputs=[("=orderId", "id")]), _child()])
    parent = engine.create_instance("parent", {"orderId": "A-1", "secret": "x"})
    assert one_job(engine, "child-work").variables == {"id": "A-1"}
    assert engine.variables(_child_instance(engine, parent.key)) == {"id": "A-1"}


def test_without_child_propagation_nothing_comes_back(engine: Engine) -> None:
    engine.deploy([_parent(propagate_child=False), _child()])
    parent = engine.create_instance("parent", {"a": 1})
    engine.complete_job(one_job(engine, "child-work").key, {"result": 42})
    assert state(engine, parent.key) == "COMPLETED"
    assert engine.variables(parent.key) == {"a": 1}


def test_output_mappings_pick_what_comes_back_from_the_child(engine: Engine) -> None:
    engine.deploy([_parent(propagate_child=False, outputs=[("=result * 2", "doubled")]), _child()])
    parent = engine.create_instance("parent")
    engine.complete_job(one_job(engine, "child-work").key, {"result": 21, "noise": 1})
    assert engine.variables(parent.key) == {"doubled": 42}


def test_the_called_process_id_may_be_a_feel_expression(engine: Engine) -> None:
    engine.deploy([_parent(), _child()])
    engine.deploy(
        model(
            "dynamic",
            start(),
            call_activity("call", '="chi" + "ld"'),
            end(),
            chain("start", "call", "end"),
        )
    )
    instance = engine.create_instance("dynamic")
    assert engine.get_instance(_child_instance(engine, instance.key)).process_id == "child"


def test_a_missing_called_process_is_an_incident_that_deploying_fixes(engine: Engine) -> None:
    engine.deploy(_parent())
    parent = engine.create_instance("parent")
    [incident] = engine.incidents(instance_key=parent.key)
    assert incident.error_type == "CALLED_ELEMENT_ERROR"
    assert "'child'" in incident.message
    engine.deploy(_child())
    engine.resolve_incident(incident.key)
    engine.complete_job(one_job(engine, "child-work").key)
    assert state(engine, parent.key) == "COMPLETED"


def test_cancelling_the_parent_cancels_the_child(engine: Engine) -> None:
    engine.deploy([_parent(), _child()])
    parent = engine.create_instance("parent")
    child_key = _child_instance(engine, parent.key)
    engine.cancel_instance(parent.key)
    assert state(engine, parent.key) == "TERMINATED"
    assert state(engine, child_key) == "TERMINATED"
    assert engine.jobs(child_key) == []
    assert "JOB_CANCELED" in [e.transition for e in engine.history(child_key)]
    terminated = [e.element_id for e in engine.history(child_key) if e.transition == "TERMINATED"]
    assert terminated == ["task", "child"]
