"""``flowwire instances`` and ``flowwire incidents``: what a store holds, as tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowwire.engine import Engine
from flowwire.store import open_store

from .cli_helpers import flowwire
from .conftest import EXAMPLES, MODELS


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store with a completed, a waiting and a failed instance; one incident resolved."""
    path = tmp_path / "flowwire.db"
    engine = Engine(open_store(path))
    try:
        engine.deploy([str(EXAMPLES / "hello.bpmn"), str(EXAMPLES / "order-approval.bpmn")])
        engine.deploy(str(MODELS / "no-route.bpmn"))
        engine.create_instance("hello", {"name": "Ada"})
        engine.create_instance("order-approval", {"amount": 5000})
        failed = engine.create_instance("no-route", {"amount": 50})
        engine.set_variables(failed.key, {"amount": 5})
        (incident,) = engine.incidents(instance_key=failed.key)
        engine.resolve_incident(incident.key)
        engine.create_instance("no-route", {"amount": 60})
    finally:
        engine.close()
    return path


def rows(stdout: str) -> list[list[str]]:
    """The table's body rows as lists of cell texts."""
    return [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in stdout.splitlines()
        if line.startswith("│")
    ]


def test_instances_lists_every_instance_with_its_state(store: Path) -> None:
    result = flowwire("instances", "--store", str(store))
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    assert [(row[1], row[3], row[4]) for row in table] == [  # newest first
        ("no-route", "ACTIVE", "1"),
        ("no-route", "COMPLETED", ""),
        ("order-approval", "ACTIVE", ""),
        ("hello", "COMPLETED", ""),
    ]
    assert all(row[0].isdigit() and row[2] == "1" for row in table)
    assert [bool(row[6]) for row in table] == [False, True, False, True]  # ended


def test_instances_filter_by_state_and_process(store: Path) -> None:
    active = rows(flowwire("instances", "--state", "active", "--store", str(store)).stdout)
    assert sorted(row[1] for row in active) == ["no-route", "order-approval"]
    hello = rows(flowwire("instances", "--process", "hello", "--store", str(store)).stdout)
    assert [row[1] for row in hello] == ["hello"]
    none = flowwire("instances", "--state", "TERMINATED", "--store", str(store))
    assert none.stdout.strip() == "no process instances in state TERMINATED"


def test_incidents_lists_open_ones_by_default(store: Path) -> None:
    result = flowwire("incidents", "--store", str(store))
    assert result.exit_code == 0, result.output
    (row,) = rows(result.stdout)[:1]
    assert row[2:5] == ["size", "CONDITION_ERROR", "ACTIVE"]
    assert row[5].startswith("No outgoing sequence flow of 'size' could be taken")


def test_incidents_can_show_resolved_and_all(store: Path) -> None:
    resolved = rows(flowwire("incidents", "--state", "resolved", "--store", str(store)).stdout)
    assert [row[4] for row in resolved if row[4]] == ["RESOLVED"]
    every = rows(flowwire("incidents", "--state", "all", "--store", str(store)).stdout)
    assert sorted(row[4] for row in every if row[4]) == ["ACTIVE", "RESOLVED"]


def test_incidents_of_one_instance(store: Path) -> None:
    listed = rows(flowwire("instances", "--store", str(store)).stdout)
    waiting = next(row[0] for row in listed if row[1] == "order-approval")
    result = flowwire("incidents", "--instance", waiting, "--store", str(store))
    assert result.stdout.strip() == "no incidents in state ACTIVE"


def test_reading_a_store_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    for command in ("instances", "incidents"):
        result = flowwire(command, "--store", str(tmp_path / "typo.db"))
        assert result.exit_code == 1
        assert "there is no flowwire store at" in result.stderr
        assert not (tmp_path / "typo.db").exists()
