"""Variables as Camunda 8 documents them: scopes, propagation, input/output mappings, JSON."""

from __future__ import annotations

import pytest

from flowwire.engine import Engine, InvalidArgument, NotFound

from .diagrams import chain, end, model, plain, script_task, service_task, start, sub_process
from .support import one_job


def _task_in_subprocess(**task: object) -> str:
    inner = [
        start("s_start"),
        service_task("task", "work", **task),  # type: ignore[arg-type]
        end("s_end"),
        chain("s_start", "task", "s_end"),
    ]
    return model(
        "p",
        start(),
        sub_process("sub", *inner, inputs=[("=0", "subLocal")]),
        end(),
        chain("start", "sub", "end"),
    )


def test_job_variables_propagate_to_the_scope_that_defines_them_else_the_root(
    engine: Engine,
) -> None:
    engine.deploy(_task_in_subprocess())
    instance = engine.create_instance("p", {"rootVar": "old"})
    job = one_job(engine)
    [sub] = [e for e in engine.element_instances(instance.key) if e.element_id == "sub"]
    assert job.variables == {"rootVar": "old", "subLocal": 0}
    engine.complete_job(job.key, {"rootVar": "new", "subLocal": 1, "fresh": True})
    history = engine.history(instance.key)
    writes = {
        (e.details["name"], e.element_id)
        for e in history
        if e.transition in ("VARIABLE_CREATED", "VARIABLE_UPDATED") and e.details
    }
    assert ("subLocal", "sub") in writes, "subLocal was updated where it lives"
    assert ("fresh", "p") in writes, "an unknown name is created in the root scope"
    final = engine.variables(instance.key)
    assert final == {"rootVar": "new", "fresh": True}, "the subprocess's local died with it"
    assert sub.key != instance.key


def test_input_mappings_create_locals_in_order_and_do_not_leak(engine: Engine) -> None:
    engine.deploy(
        _task_in_subprocess(
            inputs=[("=order.total", "amount"), ("=amount * 2", "double"), ('="x"', "cfg.mode")]
        )
    )
    instance = engine.create_instance("p", {"order": {"total": 21}, "cfg": {"mode": "y", "n": 1}})
    job = one_job(engine)
    assert job.variables["amount"] == 21
    assert job.variables["double"] == 42, "a later input sees the earlier ones"
    assert job.variables["cfg"] == {"mode": "x", "n": 1}, "a nested target replaces the leaf"
    engine.complete_job(job.key)
    assert engine.variables(instance.key) == {"order": {"total": 21}, "cfg": {"mode": "y", "n": 1}}


def test_with_output_mappings_only_the_mapped_results_leave_the_task(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            service_task(
                "task",
                "work",
                outputs=[("=response.body.id", "customer.id"), ("=response.status", "status")],
            ),
            end(),
            chain("start", "task", "end"),
        )
    )
    instance = engine.create_instance("p", {"customer": {"name": "Ada", "id": None}})
    engine.complete_job(
        one_job(engine).key, {"response": {"status": 201, "body": {"id": "c-9"}}, "noise": 1}
    )
    assert engine.variables(instance.key) == {
        "customer": {"name": "Ada", "id": "c-9"},
        "status": 201,
    }


def test_output_mapping_results_propagate_to_the_scope_that_defines_them(
    engine: Engine,
) -> None:
    engine.deploy(_task_in_subprocess(outputs=[("=result", "subLocal"), ("=result", "total")]))
    instance = engine.create_instance("p")
    engine.complete_job(one_job(engine).key, {"result": 5})
    writes = [
        (e.details["name"], e.element_id, e.details["value"])
        for e in engine.history(instance.key)
        if e.transition.startswith("VARIABLE_") and e.details and e.details["name"] != "result"
    ]
    assert ("subLocal", "sub", 5) in writes
    assert ("total", "p", 5) in writes
    assert engine.variables(instance.key) == {"total": 5}


def test_a_job_variable_with_a_local_of_the_same_name_stays_local(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            service_task("task", "work", inputs=[("=1", "x")]),
            end(),
            chain("start", "task", "end"),
        )
    )
    instance = engine.create_instance("p", {"x": 0})
    engine.complete_job(one_job(engine).key, {"x": 99})
    assert engine.variables(instance.key) == {"x": 0}


def test_set_variables_propagates_or_stays_local(engine: Engine) -> None:
    engine.deploy(_task_in_subprocess())
    instance = engine.create_instance("p", {"a": 1})
    [task] = [e for e in engine.element_instances(instance.key) if e.element_id == "task"]
    engine.set_variables(task.key, {"a": 2, "b": 3})
    engine.set_variables(task.key, {"onlyHere": True}, local=True)
    assert engine.variables(instance.key) == {"a": 2, "b": 3}
    assert engine.variables(instance.key, task.key) == {"onlyHere": True}
    assert one_job(engine).variables == {"a": 2, "b": 3, "subLocal": 0, "onlyHere": True}


def test_set_variables_on_an_unknown_scope_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFound):
        engine.set_variables(12345, {"a": 1})


def test_feel_results_are_stored_as_json_values(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            script_task(
                "s",
                '={whole: 10 / 2, part: 1 / 4, day: date("2024-02-29"), '
                'at: date and time("2024-02-29T10:00:00Z"), wait: duration("PT90M"), '
                "items: [1, 2.5, null], flag: 3 > 2}",
                "result",
            ),
            end(),
            chain("start", "s", "end"),
        )
    )
    instance = engine.create_instance("p")
    result = engine.variables(instance.key)["result"]
    assert result["whole"] == 5 and isinstance(result["whole"], int)
    assert result["part"] == 0.25
    assert result["day"] == "2024-02-29"
    assert result["at"] == "2024-02-29T10:00:00Z"
    assert result["wait"] == "PT1H30M"
    assert result["items"] == [1, 2.5, None]
    assert result["flag"] is True


def test_variables_that_are_not_json_are_rejected(engine: Engine) -> None:
    engine.deploy(
        model("p", start(), service_task("task", "work"), end(), chain("start", "task", "end"))
    )
    with pytest.raises(InvalidArgument, match="not a JSON value"):
        engine.create_instance("p", {"bad": object()})
    with pytest.raises(InvalidArgument, match="names must be non-empty strings"):
        engine.create_instance("p", {1: "x"})  # type: ignore[dict-item]
    with pytest.raises(InvalidArgument):
        engine.create_instance("p", {"nan": float("nan")})
    assert engine.instances() == [], "a rejected command leaves nothing behind"


def test_start_event_output_mappings_shape_the_start_variables(engine: Engine) -> None:
    engine.deploy(
        model(
            "p", start(outputs=[("=input.id", "orderId")]), plain("task", "t"), chain("start", "t")
        )
    )
    instance = engine.create_instance("p", {"input": {"id": "A-1"}})
    assert engine.variables(instance.key) == {"input": {"id": "A-1"}, "orderId": "A-1"}


def test_a_mapping_source_without_equals_sign_is_static_text(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            service_task("task", "work", inputs=[("GET", "method"), ("noAuth", "auth.type")]),
            end(),
            chain("start", "task", "end"),
        )
    )
    engine.create_instance("p", {"auth": {"token": "t"}})
    variables = one_job(engine).variables
    assert variables["method"] == "GET"
    assert variables["auth"] == {"token": "t", "type": "noAuth"}
