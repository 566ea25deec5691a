"""Multi-instance tasks: one inner instance per item, in parallel or one after another, with
the output collected in input order (Camunda 8 semantics)."""

from __future__ import annotations

from pathlib import Path

from flowwire.engine import Engine, ManualClock
from flowwire.store import open_store

from ..diagrams import chain, end, model, script_task, service_task, start, user_task
from ..support import completed, state
from .mi_diagrams import multi


def _service(**loop: object) -> str:
    """start -> multi-instance service task "task" (job "work") -> end."""
    return model(
        "p",
        start(),
        multi(service_task("task", "work"), "=items", "item", **loop),
        end(),
        chain("start", "task", "end"),
    )


def _open_jobs(engine: Engine, instance_key: int) -> list[object]:
    return [j for j in engine.jobs(instance_key) if j.state in ("ACTIVATABLE", "ACTIVATED")]


def test_parallel_creates_every_job_at_once_and_collects_results_in_input_order(
    engine: Engine,
) -> None:
    engine.deploy(_service(output_collection="results", output_element="=result"))
    instance = engine.create_instance("p", {"items": ["a", "b", "c"]})
    jobs = engine.activate_jobs("work", "w")
    assert [(j.variables["item"], j.variables["loopCounter"]) for j in jobs] == [
        ("a", 1),
        ("b", 2),
        ("c", 3),
    ]
    for job in reversed(jobs):  # complete them in reverse order
        engine.complete_job(job.key, {"result": job.variables["item"].upper()})
    assert state(engine, instance.key) == "COMPLETED"
    variables = engine.variables(instance.key)
    assert variables["results"] == ["A", "B", "C"]
    # the loop variables and the output element stay inside each inner instance
    assert "item" not in variables and "loopCounter" not in variables
    assert "result" not in variables


def test_sequential_runs_one_item_after_another(engine: Engine) -> None:
    engine.deploy(_service(sequential=True, output_collection="results", output_element="=result"))
    instance = engine.create_instance("p", {"items": [10, 20, 30]})
    seen = []
    for _ in range(3):
        jobs = engine.activate_jobs("work", "w")
        assert len(jobs) == 1, "a sequential multi-instance has one inner instance at a time"
        seen.append((jobs[0].variables["item"], jobs[0].variables["loopCounter"]))
        engine.complete_job(jobs[0].key, {"result": jobs[0].variables["item"] + 1})
    assert seen == [(10, 1), (20, 2), (30, 3)]
    assert engine.activate_jobs("work", "w") == []
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["results"] == [11, 21, 31]


def test_an_empty_collection_completes_at_once_with_an_empty_output(engine: Engine) -> None:
    engine.deploy(_service(output_collection="results", output_element="=result"))
    instance = engine.create_instance("p", {"items": []})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.jobs(instance.key) == []
    assert engine.variables(instance.key)["results"] == []
    assert completed(engine, instance.key) == ["start", "task", "end"]


def test_an_input_collection_that_is_not_a_list_raises_an_incident_until_fixed(
    engine: Engine,
) -> None:
    engine.deploy(_service())
    instance = engine.create_instance("p", {"items": "abc"})
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "EXTRACT_VALUE_ERROR"
    assert incident.element_id == "task"
    assert "'items' to be 'ARRAY', but was 'STRING'" in incident.message
    assert engine.jobs(instance.key) == []
    engine.set_variables(instance.key, {"items": ["x", "y"]})
    engine.resolve_incident(incident.key)
    assert len(engine.activate_jobs("work", "w")) == 2


def test_a_missing_input_collection_variable_is_an_incident(engine: Engine) -> None:
    engine.deploy(_service())
    instance = engine.create_instance("p")
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "EXTRACT_VALUE_ERROR"
    assert "but was 'NULL'" in incident.message


def test_the_body_and_each_inner_instance_are_element_instances(engine: Engine) -> None:
    engine.deploy(_service())
    instance = engine.create_instance("p", {"items": [1, 2]})
    elements = [e for e in engine.element_instances(instance.key) if e.element_id == "task"]
    body, *inner = elements
    assert body.element_kind == "multiInstanceBody"
    assert [e.element_kind for e in inner] == ["serviceTask", "serviceTask"]
    assert all(e.scope_key == body.key for e in inner)
    assert [engine.variables(instance.key, e.key)["loopCounter"] for e in inner] == [1, 2]


def test_parallel_completion_condition_terminates_the_other_instances(engine: Engine) -> None:
    engine.deploy(
        _service(
            output_collection="results",
            output_element="=result",
            condition="=numberOfCompletedInstances >= 2",
        )
    )
    instance = engine.create_instance("p", {"items": ["a", "b", "c"]})
    first, second, third = engine.activate_jobs("work", "w")
    engine.complete_job(third.key, {"result": 3})
    assert state(engine, instance.key) == "ACTIVE"
    engine.complete_job(first.key, {"result": 1})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["results"] == [1, None, 3]
    assert {j.key: j.state for j in engine.jobs(instance.key)}.get(second.key) in (None, "CANCELED")
    terminated = [e for e in engine.element_instances(instance.key) if e.state == "TERMINATED"]
    assert [e.element_id for e in terminated] == ["task"]


def test_completion_condition_sees_the_counts_and_the_inner_variables(engine: Engine) -> None:
    condition = (
        "=numberOfInstances = 3 and numberOfActiveInstances = 1 "
        'and numberOfTerminatedInstances = 0 and result = "stop"'
    )
    engine.deploy(
        _service(output_collection="results", output_element="=result", condition=condition)
    )
    # process variables of the same names do not hide the counts
    instance = engine.create_instance(
        "p", {"items": [1, 2, 3], "numberOfInstances": 99, "numberOfActiveInstances": 99}
    )
    first, second, _third = engine.activate_jobs("work", "w")
    engine.complete_job(first.key, {"result": "go on"})
    assert state(engine, instance.key) == "ACTIVE"
    engine.complete_job(second.key, {"result": "stop"})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["results"] == ["go on", "stop", None]


def test_sequential_completion_condition_stops_before_the_next_item(engine: Engine) -> None:
    engine.deploy(_service(sequential=True, condition="=loopCounter = 2 or numberOfInstances > 5"))
    instance = engine.create_instance("p", {"items": [1, 2, 3, 4]})
    for _ in range(2):
        [job] = engine.activate_jobs("work", "w")
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert len(engine.jobs(instance.key)) == 0


def test_a_non_boolean_completion_condition_is_an_incident(engine: Engine) -> None:
    engine.deploy(_service(condition="=count"))
    instance = engine.create_instance("p", {"items": [1]})
    [job] = engine.activate_jobs("work", "w")
    engine.complete_job(job.key)
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "EXTRACT_VALUE_ERROR"
    assert "to be 'BOOLEAN', but was 'NULL'" in incident.message
    engine.set_variables(instance.key, {"count": True})
    engine.resolve_incident(incident.key)
    assert state(engine, instance.key) == "COMPLETED"


def test_script_task_iterations_keep_their_result_local(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(
                script_task("double", "=item * 2", "doubled"),
                "=items",
                "item",
                output_collection="results",
                output_element="=doubled",
            ),
            end(),
            chain("start", "double", "end"),
        )
    )
    instance = engine.create_instance("p", {"items": [1, 2, 3]})
    assert state(engine, instance.key) == "COMPLETED"
    variables = engine.variables(instance.key)
    assert variables["results"] == [2, 4, 6]
    assert "doubled" not in variables


def test_output_element_may_be_any_expression(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(
                script_task("s", "=item.price * item.qty", "total"),
                "=orders",
                "item",
                output_collection="lines",
                output_element="={id: item.id, total: total, index: loopCounter}",
            ),
            end(),
            chain("start", "s", "end"),
        )
    )
    orders = [{"id": "x", "price": 2, "qty": 3}, {"id": "y", "price": 5, "qty": 1}]
    instance = engine.create_instance("p", {"orders": orders})
    assert engine.variables(instance.key)["lines"] == [
        {"id": "x", "total": 6, "index": 1},
        {"id": "y", "total": 5, "index": 2},
    ]


def test_without_input_element_each_item_still_gets_an_instance(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(service_task("task", "work"), "=for i in 1..n return i"),
            end(),
            chain("start", "task", "end"),
        )
    )
    instance = engine.create_instance("p", {"n": 4})
    jobs = engine.activate_jobs("work", "w")
    assert [j.variables["loopCounter"] for j in jobs] == [1, 2, 3, 4]
    for job in jobs:
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"


def test_user_task_iterations_apply_input_and_output_mappings(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(
                user_task(
                    "review",
                    inputs=[("=reviewer.name", "assignee"), ("=loopCounter * 10", "weight")],
                    outputs=[("=approved and weight > 0", "verdict")],
                ),
                "=reviewers",
                "reviewer",
                output_collection="verdicts",
                output_element="=verdict",
            ),
            end(),
            chain("start", "review", "end"),
        )
    )
    reviewers = [{"name": "ann"}, {"name": "bob"}]
    instance = engine.create_instance("p", {"reviewers": reviewers})
    tasks = [
        e
        for e in engine.element_instances(instance.key)
        if e.element_kind == "userTask" and e.state == "ACTIVE"
    ]
    assert [engine.variables(instance.key, t.key)["assignee"] for t in tasks] == ["ann", "bob"]
    engine.complete_user_task(tasks[1].key, {"approved": False})
    engine.complete_user_task(tasks[0].key, {"approved": True})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["verdicts"] == [True, False]


def test_an_output_element_that_cannot_be_evaluated_stops_the_iteration(engine: Engine) -> None:
    engine.deploy(
        _service(output_collection="results", output_element="=assert(result, result != null)")
    )
    instance = engine.create_instance("p", {"items": [1]})
    [job] = engine.activate_jobs("work", "w")
    engine.complete_job(job.key)
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "EXTRACT_VALUE_ERROR"
    inner = [
        e for e in engine.element_instances(instance.key) if e.key == incident.element_instance_key
    ]
    assert inner[0].element_kind == "serviceTask" and inner[0].lifecycle == "COMPLETING"
    engine.set_variables(inner[0].key, {"result": "late"}, local=True)
    engine.resolve_incident(incident.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["results"] == ["late"]


def test_cancelling_the_instance_terminates_the_body_and_every_inner_instance(
    engine: Engine,
) -> None:
    engine.deploy(_service())
    instance = engine.create_instance("p", {"items": [1, 2, 3]})
    engine.cancel_instance(instance.key)
    assert state(engine, instance.key) == "TERMINATED"
    assert all(
        e.state == "TERMINATED"
        for e in engine.element_instances(instance.key)
        if e.element_id == "task"
    )
    assert all(j.state == "CANCELED" for j in engine.jobs(instance.key)) or not engine.jobs(
        instance.key
    )
    assert engine.activate_jobs("work", "w") == []


def test_an_inner_instance_whose_input_mapping_fails_waits_alone(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(
                service_task("task", "work", inputs=[("=assert(item, item != 2)", "checked")]),
                "=items",
                "item",
                output_collection="results",
                output_element="=checked",
            ),
            end(),
            chain("start", "task", "end"),
        )
    )
    instance = engine.create_instance("p", {"items": [1, 2, 3]})
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "IO_MAPPING_ERROR"
    jobs = engine.activate_jobs("work", "w")
    assert [j.variables["item"] for j in jobs] == [1, 3]
    for job in jobs:
        engine.complete_job(job.key)
    assert state(engine, instance.key) == "ACTIVE"
    engine.set_variables(incident.element_instance_key, {"item": 20}, local=True)
    engine.resolve_incident(incident.key)
    [job] = engine.activate_jobs("work", "w")
    engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["results"] == [1, 20, 3]


def test_a_running_multi_instance_survives_a_restart(store_path: Path, clock: ManualClock) -> None:
    first = Engine(open_store(store_path), clock=clock)
    first.deploy(_service(sequential=True, output_collection="results", output_element="=result"))
    instance = first.create_instance("p", {"items": ["a", "b"]})
    [job] = first.activate_jobs("work", "w")
    first.complete_job(job.key, {"result": 1})
    first.close()
    second = Engine(open_store(store_path), clock=clock)
    try:
        [job] = second.activate_jobs("work", "w")
        assert (job.variables["item"], job.variables["loopCounter"]) == ("b", 2)
        second.complete_job(job.key, {"result": 2})
        assert state(second, instance.key) == "COMPLETED"
        assert second.variables(instance.key)["results"] == [1, 2]
    finally:
        second.close()


def test_the_history_records_each_collected_item_once(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            multi(
                script_task("double", "=item * 2", "doubled"),
                "=items",
                "item",
                output_collection="results",
                output_element="=doubled",
            ),
            end(),
            chain("start", "double", "end"),
        )
    )
    instance = engine.create_instance("p", {"items": [5, 6, 7]})
    history = engine.history(instance.key)
    collected = [e.details for e in history if e.transition == "OUTPUT_COLLECTED"]
    assert collected == [
        {"name": "results", "loopCounter": 1, "value": 10},
        {"name": "results", "loopCounter": 2, "value": 12},
        {"name": "results", "loopCounter": 3, "value": 14},
    ]
    writes = [
        e.details["value"]
        for e in history
        if e.transition.startswith("VARIABLE_") and e.details and e.details["name"] == "results"
    ]
    # created empty on the body, then handed to the process once, complete
    assert writes == [[None, None, None], [10, 12, 14]]
