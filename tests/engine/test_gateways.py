"""Exclusive, parallel and inclusive gateways: forks, joins, conditions, default flows."""

from __future__ import annotations

import pytest

from flowwire.engine import Engine, InvalidState

from .diagrams import chain, end, flow, gateway, model, plain, service_task, start, sub_process
from .support import active, completed, one_job, state


def _exclusive(default: bool = True) -> str:
    return model(
        "route",
        start(),
        gateway("exclusive", "gw", default="gw-other" if default else None),
        plain("task", "big"),
        plain("task", "medium"),
        plain("task", "other"),
        end("e1"),
        end("e2"),
        end("e3"),
        chain("start", "gw"),
        flow("gw", "big", "=amount > 100"),
        flow("gw", "medium", "=amount > 10"),
        flow("gw", "other", None if default else "=amount <= 10"),
        chain("big", "e1"),
        chain("medium", "e2"),
        chain("other", "e3"),
    )


def test_exclusive_gateway_takes_the_first_true_condition_in_document_order(
    engine: Engine,
) -> None:
    engine.deploy(_exclusive())
    instance = engine.create_instance("route", {"amount": 500})
    assert completed(engine, instance.key) == ["start", "gw", "big", "e1"]


def test_exclusive_gateway_takes_the_default_flow_when_nothing_is_true(engine: Engine) -> None:
    engine.deploy(_exclusive())
    instance = engine.create_instance("route", {"amount": 5})
    assert "other" in completed(engine, instance.key)


def test_a_non_boolean_condition_counts_as_not_true(engine: Engine) -> None:
    engine.deploy(_exclusive())
    instance = engine.create_instance("route", {"amount": "lots"})
    assert "other" in completed(engine, instance.key)
    assert state(engine, instance.key) == "COMPLETED"


def test_no_true_condition_and_no_default_is_an_incident_fixed_by_variables(
    engine: Engine,
) -> None:
    engine.deploy(_exclusive(default=False))
    instance = engine.create_instance("route")
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "CONDITION_ERROR"
    assert incident.element_id == "gw"
    assert "no condition was true and there is no default flow" in incident.message
    assert "NO_VARIABLE_FOUND" in incident.message, "the FEEL warnings explain why"
    engine.set_variables(instance.key, {"amount": 50})
    engine.resolve_incident(incident.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert "medium" in completed(engine, instance.key)
    assert engine.incidents(instance_key=instance.key) == []
    [resolved] = engine.incidents(state="RESOLVED", instance_key=instance.key)
    assert resolved.key == incident.key


def test_parallel_gateway_forks_and_joins(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            gateway("parallel", "fork"),
            service_task("a", "a"),
            service_task("b", "b"),
            gateway("parallel", "join"),
            plain("task", "after"),
            end(),
            chain("start", "fork"),
            chain("fork", "a", "join"),
            chain("fork", "b", "join"),
            chain("join", "after", "end"),
        )
    )
    instance = engine.create_instance("p")
    assert active(engine, instance.key) == ["a", "b"]
    engine.complete_job(one_job(engine, "b").key)
    assert active(engine, instance.key) == ["a"], "the join waits for the other branch"
    engine.complete_job(one_job(engine, "a").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key).count("after") == 1


def test_parallel_join_inside_a_subprocess_waits_for_tokens_of_that_scope(
    engine: Engine,
) -> None:
    inner = [
        start("s_start"),
        gateway("parallel", "s_fork"),
        service_task("x", "x"),
        service_task("y", "y"),
        gateway("parallel", "s_join"),
        end("s_end"),
        chain("s_start", "s_fork"),
        chain("s_fork", "x", "s_join"),
        chain("s_fork", "y", "s_join"),
        chain("s_join", "s_end"),
    ]
    engine.deploy(
        model("p", start(), sub_process("sub", *inner), end(), chain("start", "sub", "end"))
    )
    instance = engine.create_instance("p")
    engine.complete_job(one_job(engine, "x").key)
    assert active(engine, instance.key) == ["sub", "y"]
    engine.complete_job(one_job(engine, "y").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key)[-2:] == ["sub", "end"]


def _inclusive() -> str:
    return model(
        "incl",
        start(),
        gateway("inclusive", "fork", default="fork-c"),
        service_task("a", "a"),
        service_task("b", "b"),
        service_task("c", "c"),
        gateway("inclusive", "join"),
        plain("task", "after"),
        end(),
        chain("start", "fork"),
        flow("fork", "a", "=wantA"),
        flow("fork", "b", "=wantB"),
        flow("fork", "c"),
        chain("a", "join"),
        chain("b", "join"),
        chain("c", "join"),
        chain("join", "after", "end"),
    )


def test_inclusive_gateway_forks_on_every_true_condition_and_joins_them(engine: Engine) -> None:
    engine.deploy(_inclusive())
    instance = engine.create_instance("incl", {"wantA": True, "wantB": True})
    assert active(engine, instance.key) == ["a", "b"]
    engine.complete_job(one_job(engine, "a").key)
    assert active(engine, instance.key) == ["b"], "b can still reach the join"
    engine.complete_job(one_job(engine, "b").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key).count("join") == 1


def test_inclusive_join_with_a_single_taken_branch_passes_at_once(engine: Engine) -> None:
    engine.deploy(_inclusive())
    instance = engine.create_instance("incl", {"wantA": False, "wantB": True})
    assert active(engine, instance.key) == ["b"]
    engine.complete_job(one_job(engine, "b").key)
    assert state(engine, instance.key) == "COMPLETED"


def test_inclusive_gateway_takes_the_default_flow_when_no_condition_holds(
    engine: Engine,
) -> None:
    engine.deploy(_inclusive())
    instance = engine.create_instance("incl", {"wantA": False, "wantB": False})
    assert active(engine, instance.key) == ["c"]


def test_inclusive_join_fires_when_the_other_token_ends_elsewhere(engine: Engine) -> None:
    engine.deploy(
        model(
            "incl",
            start(),
            gateway("parallel", "fork"),
            service_task("a", "a"),
            service_task("b", "b"),
            gateway("exclusive", "choose", default="choose-join"),
            gateway("inclusive", "join"),
            plain("task", "after"),
            end("done"),
            end("elsewhere"),
            chain("start", "fork"),
            chain("fork", "a", "join"),
            chain("fork", "b", "choose"),
            flow("choose", "elsewhere", "=skip"),
            chain("choose", "join"),
            chain("join", "after", "done"),
        )
    )
    instance = engine.create_instance("incl", {"skip": True})
    engine.complete_job(one_job(engine, "a").key)
    assert active(engine, instance.key) == ["b"], "b could still reach the join"
    engine.complete_job(one_job(engine, "b").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key).count("after") == 1


def test_a_loop_without_a_wait_state_is_stopped_and_rolled_back(engine: Engine) -> None:
    engine.max_steps_per_command = 1000
    engine.deploy(
        model(
            "spin",
            start(),
            gateway("exclusive", "again", default="again-out"),
            plain("task", "work"),
            end("out"),
            chain("start", "again"),
            flow("again", "work", "=true"),
            chain("work", "again"),
            flow("again", "out", flow_id="again-out"),
        )
    )
    with pytest.raises(InvalidState, match="loops without a wait state"):
        engine.create_instance("spin")
    assert engine.instances() == []
