"""``flowwire run``: one instance, its path through the model, and an exit code per outcome."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .cli_helpers import flowwire
from .conftest import EXAMPLES, MODELS, ROOT


def printed_variables(stdout: str, title: str = "variables:") -> dict[str, object]:
    value = json.loads(stdout.split(f"\n{title}\n", 1)[1])
    assert isinstance(value, dict)
    return value


def element_lines(stdout: str) -> list[str]:
    """The 'entered X' / 'left X' lines, reduced to those two words."""
    words = [line.split()[:2] for line in stdout.splitlines() if line.startswith("  ")]
    return [" ".join(pair) for pair in words if pair[0] in ("entered", "left", "terminated")]


def test_a_completing_instance_prints_its_path_and_variables() -> None:
    result = flowwire("run", str(EXAMPLES / "hello.bpmn"), "--vars", '{"name": "Ada"}')
    assert result.exit_code == 0, result.output
    assert element_lines(result.stdout)[:7] == [
        "entered hello",
        "entered start",
        "left start",
        "entered greet",
        "left greet",
        "entered end",
        "left end",
    ]
    assert "  entered    greet                    scriptTask 'Compose greeting'" in result.stdout
    assert "\ncompleted\n" in result.stdout
    assert printed_variables(result.stdout) == {"name": "Ada", "greeting": "Hello, Ada!"}


def test_an_instance_at_a_user_task_waits_with_exit_code_2() -> None:
    result = flowwire("run", str(EXAMPLES / "order-approval.bpmn"), "--vars", '{"amount": 5000}')
    assert result.exit_code == 2, result.output
    assert element_lines(result.stdout)[-1] == "entered approve_order"
    waiting = result.stdout.split("waiting for:\n", 1)[1].splitlines()[0]
    assert waiting.startswith("  a user to complete the user task at element 'approve_order'")
    assert "element instance key" in waiting
    assert printed_variables(result.stdout, "variables so far:") == {"amount": 5000}


def test_an_instance_at_a_job_without_worker_names_the_job_type() -> None:
    result = flowwire(
        "run", str(EXAMPLES / "ship-order.bpmn"), "--vars", '{"order": {"address": "Main St 1"}}'
    )
    assert result.exit_code == 2, result.output
    assert "a worker for job type 'ship-parcel' at element 'ship' (job key " in result.stdout


def test_an_incident_is_printed_and_exits_1(tmp_path: Path) -> None:
    store = tmp_path / "flowwire.db"
    result = flowwire(
        "run", str(MODELS / "no-route.bpmn"), "--vars", '{"amount": 50}', "--store", str(store)
    )
    assert result.exit_code == 1, result.output
    assert "incident:\n  CONDITION_ERROR at element 'size': " in result.stdout
    assert "no condition was true and there is no default flow" in result.stdout
    assert element_lines(result.stdout)[-1] == "entered size"

    listed = flowwire("incidents", "--store", str(store))
    assert listed.exit_code == 0
    assert "CONDITION_ERROR" in listed.stdout and "size" in listed.stdout


def test_without_a_store_nothing_is_left_behind(tmp_path: Path) -> None:
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = flowwire("run", str(EXAMPLES / "hello.bpmn"))
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0
    assert list(tmp_path.iterdir()) == []
    assert "(store" not in result.stdout


def test_with_a_store_the_waiting_instance_stays_there(tmp_path: Path) -> None:
    store = tmp_path / "kept.db"
    result = flowwire(
        "run", str(EXAMPLES / "order-approval.bpmn"), "--vars", '{"amount": 5000}',
        "--store", str(store),
    )  # fmt: skip
    assert result.exit_code == 2
    key = result.stdout.split()[1]
    listed = flowwire("instances", env={"FLOWWIRE_STORE": str(store)})
    assert listed.exit_code == 0
    row = next(line for line in listed.stdout.splitlines() if key in line)
    assert "order-approval" in row and "ACTIVE" in row


@pytest.mark.parametrize(
    ("given", "complaint"),
    [("{amount: 1}", "is not valid JSON"), ("[1, 2]", "must be a JSON object")],
)
def test_bad_vars_are_a_usage_error(given: str, complaint: str) -> None:
    result = flowwire("run", str(EXAMPLES / "hello.bpmn"), "--vars", given)
    assert result.exit_code == 2
    assert complaint in result.stderr


def test_a_file_with_several_processes_needs_process() -> None:
    ambiguous = flowwire("run", str(MODELS / "two-processes.bpmn"))
    assert ambiguous.exit_code == 2
    assert "holds 2 processes (first, second); choose one with --process ID" in ambiguous.stderr
    chosen = flowwire("run", str(MODELS / "two-processes.bpmn"), "--process", "second")
    assert chosen.exit_code == 0, chosen.output
    assert "entered second_task" in element_lines(chosen.stdout)
    unknown = flowwire("run", str(MODELS / "two-processes.bpmn"), "--process", "third")
    assert unknown.exit_code == 2
    assert "has no process 'third'" in unknown.stderr


def test_an_invalid_model_is_not_run() -> None:
    result = flowwire("run", str(MODELS / "broken.bpmn"))
    assert result.exit_code == 1
    assert "line 5, element 'charge'" in result.stderr
    assert result.stdout == ""


def test_the_installed_command_runs_an_example_in_a_real_process(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "flowwire.cli.main", "run", str(EXAMPLES / "parallel-checks.bpmn"),
         "--vars", '{"amount": 9000, "country": "DE"}'],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "FLOWWIRE_STORE": ""},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    variables = printed_variables(completed.stdout)
    assert variables["creditOk"] is False and variables["accepted"] is False
    assert list(tmp_path.iterdir()) == []
