"""Deleting a deployed process version (Camunda's resource deletion): no new instances of it,
its start events stop, running instances finish on it, the previous version becomes the latest
again with its start events, version numbers are never reused."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from flowwire.engine import Engine, ManualClock, NotFound
from flowwire.store import open_store
from flowwire.store.schema import MIGRATIONS, SCHEMA_VERSION

from .diagrams import call_activity, chain, definitions, end, model, process, start, user_task
from .events.event_diagrams import message, signal, start_event
from .support import user_task_key


def _plain(task: str = "review") -> str:
    return model("order", start(), user_task(task), end(), chain("start", task, "end"))


def _message_started(task: str) -> str:
    return definitions(
        message("Placed", "order placed", None),
        process(
            "order",
            start_event("placed", "message", "Placed"),
            user_task(task),
            end(),
            chain("placed", task, "end"),
        ),
    )


def _timer_started(cycle: str, task: str) -> str:
    return model(
        "nightly",
        start_event("tick", "timer", cycle, "cycle"),
        user_task(task),
        end(),
        chain("tick", task, "end"),
    )


def _signal_started(task: str) -> str:
    return definitions(
        signal("Go", "go"),
        process(
            "order",
            start_event("go", "signal", "Go"),
            user_task(task),
            end(),
            chain("go", task, "end"),
        ),
    )


def _keys(engine: Engine, *sources: str) -> list[int]:
    return [engine.deploy(source).processes[0].key for source in sources]


def test_a_deleted_version_starts_no_instance_by_key_and_the_latest_left_by_id(
    engine: Engine,
) -> None:
    first, second = _keys(engine, _plain("a"), _plain("b"))
    deletion = engine.delete_definition(second)
    assert (deletion.deleted.key, deletion.deleted.version) == (second, 2)
    assert deletion.was_latest
    assert deletion.latest is not None and deletion.latest.key == first

    with pytest.raises(NotFound, match=str(second)):
        engine.create_instance(definition_key=second)
    with pytest.raises(NotFound, match="no version 2"):
        engine.create_instance("order", version=2)
    created = engine.create_instance("order")
    assert (created.definition_key, created.version) == (first, 1)
    assert [d.version for d in engine.definitions()] == [1]
    assert [d.version for d in engine.definitions("order")] == [1]


def test_with_every_version_deleted_the_process_id_is_not_found(engine: Engine) -> None:
    [only] = _keys(engine, _plain())
    deletion = engine.delete_definition(only)
    assert deletion.was_latest and deletion.latest is None
    with pytest.raises(NotFound, match="no process with id 'order'"):
        engine.create_instance("order")
    assert engine.definitions() == []


def test_deleting_an_older_version_leaves_the_latest_as_it_is(engine: Engine) -> None:
    first, second = _keys(engine, _message_started("a"), _message_started("b"))
    deletion = engine.delete_definition(first)
    assert not deletion.was_latest and deletion.latest is None
    [subscription] = engine.subscriptions()
    engine.publish_message("order placed")
    [instance] = engine.instances(process_id="order")
    assert instance.definition_key == second
    assert subscription.element_id == "placed"


def test_a_running_instance_of_a_deleted_version_runs_to_its_end(engine: Engine) -> None:
    [key] = _keys(engine, _plain())
    running = engine.create_instance("order", {"orderId": 7}).key
    engine.delete_definition(key)

    assert engine.get_instance(running).state == "ACTIVE"
    engine.complete_user_task(user_task_key(engine, running, "review"), {"ok": True})
    finished = engine.get_instance(running)
    assert finished.state == "COMPLETED"
    assert finished.definition_key == key
    assert engine.variables(running) == {"orderId": 7, "ok": True}


def test_unknown_and_already_deleted_keys_are_not_found(engine: Engine) -> None:
    [key] = _keys(engine, _plain())
    with pytest.raises(NotFound, match="does not exist"):
        engine.delete_definition(key + 1000)
    engine.delete_definition(key)
    with pytest.raises(NotFound, match="already deleted"):
        engine.delete_definition(key)


def test_version_numbers_are_never_reused(engine: Engine) -> None:
    _, second = _keys(engine, _plain("a"), _plain("b"))
    engine.delete_definition(second)
    redeployed = engine.deploy(_plain("b")).processes[0]
    assert redeployed.version == 3
    assert redeployed.key != second
    assert [d.version for d in engine.definitions("order")] == [1, 3]
    # deploying what the latest remaining version already is keeps that version
    assert engine.deploy(_plain("b")).processes[0].key == redeployed.key


def test_deleting_the_latest_re_opens_the_previous_message_start(engine: Engine) -> None:
    first, second = _keys(engine, _message_started("a"), _message_started("b"))
    [before] = engine.subscriptions()
    assert before.process_id == "order"

    engine.delete_definition(second)
    engine.publish_message("order placed")
    [instance] = engine.instances(process_id="order")
    assert (instance.definition_key, instance.version) == (first, 1)
    assert user_task_key(engine, instance.key, "a")

    engine.delete_definition(first)
    assert engine.subscriptions() == []
    engine.publish_message("order placed")
    assert len(engine.instances(process_id="order")) == 1


def test_deleting_the_latest_re_opens_the_previous_timer_start(
    engine: Engine, clock: ManualClock
) -> None:
    first, second = _keys(engine, _timer_started("R/PT1H", "a"), _timer_started("R/PT2H", "b"))
    engine.advance_clock(timedelta(minutes=30))
    engine.delete_definition(second)
    [timer] = engine.timers()
    assert timer.interval == "PT1H"
    assert timer.due == clock.now() + timedelta(hours=1)

    engine.advance_clock(timedelta(hours=1))
    [instance] = engine.instances(process_id="nightly")
    assert (instance.definition_key, instance.version) == (first, 1)

    engine.delete_definition(first)
    assert engine.timers() == []
    engine.advance_clock(timedelta(hours=3))
    assert len(engine.instances(process_id="nightly")) == 1


def test_deleting_the_latest_re_opens_the_previous_signal_start(engine: Engine) -> None:
    first, second = _keys(engine, _signal_started("a"), _signal_started("b"))
    engine.delete_definition(second)
    engine.broadcast_signal("go")
    [instance] = engine.instances(process_id="order")
    assert instance.definition_key == first
    engine.delete_definition(first)
    engine.broadcast_signal("go")
    assert len(engine.instances(process_id="order")) == 1


def test_a_call_activity_calls_the_latest_version_left_and_fails_without_one(
    engine: Engine,
) -> None:
    first, second = _keys(engine, _plain("a"), _plain("b"))
    engine.deploy(
        model(
            "parent", start(), call_activity("call", "order"), end(), chain("start", "call", "end")
        )
    )
    engine.delete_definition(second)
    parent = engine.create_instance("parent").key
    [child] = [i for i in engine.instances(process_id="order") if i.parent_instance_key == parent]
    assert child.definition_key == first

    engine.delete_definition(first)
    orphan = engine.create_instance("parent").key
    [incident] = engine.incidents(instance_key=orphan)
    assert incident.error_type == "CALLED_ELEMENT_ERROR"
    assert "'order'" in incident.message


def test_a_deletion_survives_a_restart(store_path: Path, clock: ManualClock) -> None:
    engine = Engine(open_store(store_path), clock=clock)
    first, second = _keys(engine, _plain("a"), _plain("b"))
    engine.delete_definition(second)
    engine.close()

    again = Engine(open_store(store_path), clock=clock)
    try:
        with pytest.raises(NotFound):
            again.create_instance(definition_key=second)
        assert again.create_instance("order").definition_key == first
        assert again.deploy(_plain("c")).processes[0].version == 3
    finally:
        again.close()


def test_a_store_of_the_previous_schema_gains_the_deletion_flag(store_path: Path) -> None:
    con = sqlite3.connect(store_path)
    for script in MIGRATIONS[: SCHEMA_VERSION - 1]:
        for statement in script.split(";"):
            if statement.strip():
                con.execute(statement)
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    con.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION - 1,))
    con.commit()
    con.close()

    engine = Engine(open_store(store_path))
    try:
        [key] = _keys(engine, _plain())
        engine.delete_definition(key)
        assert engine.definitions() == []
    finally:
        engine.close()


def test_a_deletion_by_another_process_is_seen_by_an_engine_that_cached_the_version(
    store_path: Path, clock: ManualClock
) -> None:
    """`flowwire delete` on the store of a running `flowwire serve`: serve's cached model of
    the version must not let it start instances of the deleted version."""
    serving = Engine(open_store(store_path), clock=clock)
    other = Engine(open_store(store_path), clock=clock)
    try:
        first, second = _keys(serving, _plain("a"), _plain("b"))
        serving.create_instance(definition_key=second)  # the version is now cached
        other.delete_definition(second)
        with pytest.raises(NotFound, match=str(second)):
            serving.create_instance(definition_key=second)
        assert serving.create_instance("order").definition_key == first
    finally:
        other.close()
        serving.close()
