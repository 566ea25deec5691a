"""``flowwire deploy``: versions per process id, all-or-nothing, problems with line numbers."""

from __future__ import annotations

from pathlib import Path

from flowwire.engine import Engine
from flowwire.store import open_store

from .cli_helpers import flowwire
from .conftest import EXAMPLES, MODELS


def deployed_processes(store: Path) -> list[tuple[str, int]]:
    engine = Engine(open_store(store))
    try:
        return sorted((d.process_id, d.version) for d in engine.definitions())
    finally:
        engine.close()


def test_deploy_prints_id_version_and_key_of_each_process(tmp_path: Path) -> None:
    store = tmp_path / "flowwire.db"
    result = flowwire(
        "deploy", str(EXAMPLES / "hello.bpmn"), str(MODELS / "two-processes.bpmn"),
        "--store", str(store),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[:3] for line in lines] == [
        ["hello", "version", "1"],
        ["first", "version", "1"],
        ["second", "version", "1"],
    ]
    assert all(line.split()[3] == "key" and line.split()[4].isdigit() for line in lines)
    assert lines[0].endswith("(hello.bpmn)")
    assert deployed_processes(store) == [("first", 1), ("hello", 1), ("second", 1)]


def test_identical_xml_keeps_its_version_and_changed_xml_gets_a_new_one(tmp_path: Path) -> None:
    store = tmp_path / "flowwire.db"
    hello = EXAMPLES / "hello.bpmn"
    first = flowwire("deploy", str(hello), "--store", str(store))
    again = flowwire("deploy", str(hello), "--store", str(store))
    assert first.stdout == again.stdout

    changed = tmp_path / "hello.bpmn"
    changed.write_text(hello.read_text().replace('name="Hello"', 'name="Hello again"'))
    result = flowwire("deploy", str(changed), "--store", str(store))
    assert result.stdout.startswith("hello  version 2  key ")
    assert deployed_processes(store) == [("hello", 1), ("hello", 2)]


def test_problems_are_listed_with_lines_and_nothing_is_deployed(tmp_path: Path) -> None:
    store = tmp_path / "flowwire.db"
    result = flowwire(
        "deploy", str(EXAMPLES / "hello.bpmn"), str(MODELS / "broken.bpmn"),
        "--store", str(store),
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout == ""
    problems = result.stderr.splitlines()
    assert problems[0] == "nothing was deployed:"
    assert problems[1].startswith("  broken.bpmn: line 5, element 'charge': ")
    assert "zeebe:taskDefinition" in problems[1]
    assert problems[2].startswith("  broken.bpmn: line 11, element 'f3': invalid FEEL")
    assert len(problems) == 3
    assert deployed_processes(store) == []


def test_the_store_comes_from_the_environment(tmp_path: Path) -> None:
    store = tmp_path / "from-env.db"
    result = flowwire("deploy", str(EXAMPLES / "hello.bpmn"), env={"FLOWWIRE_STORE": str(store)})
    assert result.exit_code == 0, result.output
    assert deployed_processes(store) == [("hello", 1)]


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = flowwire("deploy", str(tmp_path / "nope.bpmn"), "--store", str(tmp_path / "s.db"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "s.db").exists()
