"""Multi-instance subprocesses and call activities: each iteration is its own scope (or its own
called instance), and the results still arrive in input order."""

from __future__ import annotations

from flowwire.engine import Engine

from ..diagrams import (
    call_activity,
    chain,
    definitions,
    end,
    model,
    process,
    script_task,
    service_task,
    start,
    sub_process,
    user_task,
)
from ..support import state
from .mi_diagrams import multi


def _active_user_tasks(engine: Engine, instance_key: int) -> list[object]:
    return [
        e
        for e in engine.element_instances(instance_key)
        if e.element_kind == "userTask" and e.state == "ACTIVE"
    ]


def test_parallel_subprocess_iterations_have_their_own_scope(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(
                sub_process(
                    "each",
                    start("s_start"),
                    script_task("prepare", '="note for " + item', "note"),
                    user_task("confirm"),
                    end("s_end"),
                    chain("s_start", "prepare", "confirm", "s_end"),
                    inputs=[("=null", "note")],
                ),
                "=items",
                "item",
                output_collection="notes",
                output_element="=note",
            ),
            end(),
            chain("start", "each", "end"),
        )
    )
    instance = engine.create_instance("p", {"items": ["a", "b", "c"]})
    tasks = _active_user_tasks(engine, instance.key)
    assert len(tasks) == 3
    # each subprocess iteration holds its own item and its own note
    scopes = {t.scope_key for t in tasks}
    assert len(scopes) == 3
    assert sorted(engine.variables(instance.key, s)["note"] for s in scopes) == [
        "note for a",
        "note for b",
        "note for c",
    ]
    for task in reversed(tasks):
        engine.complete_user_task(task.key)
    assert state(engine, instance.key) == "COMPLETED"
    variables = engine.variables(instance.key)
    assert variables["notes"] == ["note for a", "note for b", "note for c"]
    assert "note" not in variables and "item" not in variables


def test_sequential_subprocess_starts_the_next_iteration_when_one_completes(
    engine: Engine,
) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(
                sub_process(
                    "each",
                    start("s_start"),
                    service_task("work", "work"),
                    end("s_end"),
                    chain("s_start", "work", "s_end"),
                ),
                "=items",
                "item",
                sequential=True,
            ),
            end(),
            chain("start", "each", "end"),
        )
    )
    instance = engine.create_instance("p", {"items": ["x", "y"]})
    for expected in ("x", "y"):
        [job] = engine.activate_jobs("work", "w")
        assert job.variables["item"] == expected
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"


def test_parallel_call_activity_collects_each_child_result_through_an_output_mapping(
    engine: Engine,
) -> None:
    child = process(
        "child",
        start("c_start"),
        script_task("calc", "=item * item", "x"),
        service_task("wait", "child-work"),
        end("c_end"),
        chain("c_start", "calc", "wait", "c_end"),
    )
    parent = process(
        "parent",
        start(),
        multi(
            call_activity("call", "child", outputs=[("=x", "output")]),
            "=numbers",
            "item",
            output_collection="squares",
            output_element="=output",
        ),
        end(),
        chain("start", "call", "end"),
    )
    engine.deploy(definitions(parent, child))
    instance = engine.create_instance("parent", {"numbers": [2, 3, 4]})
    jobs = engine.activate_jobs("child-work", "w")
    assert sorted(j.variables["item"] for j in jobs) == [2, 3, 4]
    assert len({j.process_instance_key for j in jobs}) == 3
    for job in sorted(jobs, key=lambda j: -j.variables["item"]):
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"
    variables = engine.variables(instance.key)
    assert variables["squares"] == [4, 9, 16]
    assert "output" not in variables


def test_sequential_call_activity_waits_for_each_child(engine: Engine) -> None:
    child = process(
        "child",
        start("c_start"),
        service_task("wait", "child-work"),
        end("c_end"),
        chain("c_start", "wait", "c_end"),
    )
    parent = process(
        "parent",
        start(),
        multi(call_activity("call", "child"), "=[1, 2, 3]", "n", sequential=True),
        end(),
        chain("start", "call", "end"),
    )
    engine.deploy(definitions(parent, child))
    instance = engine.create_instance("parent")
    for expected in (1, 2, 3):
        [job] = engine.activate_jobs("child-work", "w")
        assert job.variables["n"] == expected
        assert job.variables["loopCounter"] == expected
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"


def test_a_completion_condition_terminates_running_call_activity_children(
    engine: Engine,
) -> None:
    child = process(
        "child",
        start("c_start"),
        service_task("wait", "child-work"),
        end("c_end"),
        chain("c_start", "wait", "c_end"),
    )
    parent = process(
        "parent",
        start(),
        multi(
            call_activity("call", "child"),
            "=[1, 2, 3]",
            "n",
            condition="=numberOfCompletedInstances = 1",
        ),
        end(),
        chain("start", "call", "end"),
    )
    engine.deploy(definitions(parent, child))
    instance = engine.create_instance("parent")
    jobs = engine.activate_jobs("child-work", "w")
    engine.complete_job(jobs[1].key)
    assert state(engine, instance.key) == "COMPLETED"
    children = {j.process_instance_key for j in jobs}
    states = sorted(engine.get_instance(k).state for k in children)
    assert states == ["COMPLETED", "TERMINATED", "TERMINATED"]
    assert engine.activate_jobs("child-work", "w") == []


def test_nested_multi_instance_activities(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(
                sub_process(
                    "rows",
                    start("r_start"),
                    multi(
                        script_task("cell", "=row * 10 + col", "value"),
                        "=[1, 2]",
                        "col",
                        output_collection="cells",
                        output_element="=value",
                    ),
                    end("r_end"),
                    chain("r_start", "cell", "r_end"),
                    inputs=[("=null", "cells")],
                ),
                "=[1, 2, 3]",
                "row",
                output_collection="table",
                output_element="=cells",
            ),
            end(),
            chain("start", "rows", "end"),
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["table"] == [[11, 12], [21, 22], [31, 32]]
