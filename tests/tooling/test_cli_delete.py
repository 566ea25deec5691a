"""``flowwire delete KEY``: deletes a deployed process version in a store."""

from __future__ import annotations

from pathlib import Path

from flowwire.engine import Engine
from flowwire.store import open_store

from .cli_helpers import flowwire
from .conftest import EXAMPLES


def _two_versions(path: Path) -> tuple[int, int]:
    engine = Engine(open_store(path))
    try:
        xml = (EXAMPLES / "hello.bpmn").read_bytes()
        first = engine.deploy(xml, "hello.bpmn").processes[0].key
        second = engine.deploy(xml + b"\n<!-- v2 -->", "hello.bpmn").processes[0].key
    finally:
        engine.close()
    return first, second


def test_delete_removes_a_version_and_names_the_new_latest(tmp_path: Path) -> None:
    store = tmp_path / "flowwire.db"
    first, second = _two_versions(store)
    result = flowwire("delete", str(second), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert f"deleted process 'hello' version 2 (key {second})" in result.stdout
    assert f"the latest version is now 1 (key {first})" in result.stdout

    last = flowwire("delete", str(first), "--store", str(store))
    assert "no version of 'hello' is deployed any more" in last.stdout
    engine = Engine(open_store(store))
    try:
        assert engine.definitions() == []
    finally:
        engine.close()


def test_deleting_an_unknown_or_deleted_key_is_a_clear_error(tmp_path: Path) -> None:
    store = tmp_path / "flowwire.db"
    _, second = _two_versions(store)
    assert flowwire("delete", str(second), "--store", str(store)).exit_code == 0
    again = flowwire("delete", str(second), "--store", str(store))
    assert again.exit_code == 1
    assert "already deleted" in again.output
    missing = flowwire("delete", "5", "--store", str(tmp_path / "nothing.db"))
    assert missing.exit_code == 1
    assert "there is no flowwire store" in missing.output
