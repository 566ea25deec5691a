"""Deployment: versions per process id, identical XML keeps its version, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowwire.engine import DeploymentRejected, Engine, InvalidArgument, NotFound

from .diagrams import chain, definitions, end, model, one_task, plain, process, start


def test_first_deployment_is_version_1(engine: Engine) -> None:
    deployment = engine.deploy(one_task("order"), resource_name="order.bpmn")
    [definition] = deployment.processes
    assert (definition.process_id, definition.version) == ("order", 1)
    assert definition.resource_name == "order.bpmn"


def test_identical_xml_keeps_the_version_and_adds_no_definition(engine: Engine) -> None:
    first = engine.deploy(one_task("order")).processes[0]
    again = engine.deploy(one_task("order")).processes[0]
    assert again.key == first.key
    assert again.version == 1
    assert len(engine.definitions("order")) == 1


def test_changed_xml_gets_the_next_version_and_new_instances_use_it(engine: Engine) -> None:
    engine.deploy(one_task("order", job_type="v1"))
    v2 = engine.deploy(one_task("order", job_type="v2")).processes[0]
    assert v2.version == 2
    instance = engine.create_instance("order")
    assert (instance.version, instance.definition_key) == (2, v2.key)
    assert [j.type for j in engine.jobs(instance.key)] == ["v2"]


def test_an_older_version_can_still_be_started(engine: Engine) -> None:
    v1 = engine.deploy(one_task("order", job_type="v1")).processes[0]
    engine.deploy(one_task("order", job_type="v2"))
    by_version = engine.create_instance("order", version=1)
    by_key = engine.create_instance(definition_key=v1.key)
    assert by_version.version == by_key.version == 1
    assert {j.type for j in engine.jobs()} == {"v1"}


def test_deploying_a_file_by_path(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "order.bpmn"
    path.write_text(one_task("order"), encoding="utf-8")
    [definition] = engine.deploy(path).processes
    assert definition.resource_name == "order.bpmn"
    assert engine.deploy(str(path)).processes[0].key == definition.key


def test_a_file_with_two_processes_deploys_both(engine: Engine) -> None:
    xml = definitions(
        process("a", start("sa"), end("ea"), chain("sa", "ea")),
        process("b", start("sb"), end("eb"), chain("sb", "eb")),
    )
    ids = sorted(d.process_id for d in engine.deploy(xml).processes)
    assert ids == ["a", "b"]


def test_a_rejected_resource_deploys_nothing_of_the_batch(engine: Engine) -> None:
    broken = model("broken", start(), plain("task", "t"), chain("start", "t", "missing"))
    with pytest.raises(DeploymentRejected) as caught:
        engine.deploy([one_task("order"), broken])
    assert any("missing" in p for p in caught.value.problems)
    assert caught.value.problem_type == "INVALID_ARGUMENT"
    assert engine.definitions() == []


def test_the_same_process_id_twice_in_one_deployment_is_rejected(engine: Engine) -> None:
    with pytest.raises(DeploymentRejected, match="also in"):
        engine.deploy([one_task("order", job_type="a"), one_task("order", job_type="b")])


def test_elements_the_engine_cannot_run_yet_are_rejected(engine: Engine) -> None:
    xml = model(
        "waits", start(), plain("receiveTask", "wait"), end(), chain("start", "wait", "end")
    )
    with pytest.raises(DeploymentRejected, match="receiveTask"):
        engine.deploy(xml)


def test_malformed_xml_is_rejected_with_a_clear_error(engine: Engine) -> None:
    with pytest.raises(DeploymentRejected):
        engine.deploy("<bpmn:definitions><oops")


def test_a_missing_file_is_an_invalid_argument(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="cannot read"):
        engine.deploy(tmp_path / "nope.bpmn")


def test_starting_an_unknown_process_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFound, match="deploy"):
        engine.create_instance("nothing")
    engine.deploy(one_task("order"))
    with pytest.raises(NotFound, match="no version 7"):
        engine.create_instance("order", version=7)
