"""Message start events: a message creates an instance; not twice for one correlation key
while the instance it started is active; only the latest version subscribes."""

from __future__ import annotations

import pytest

from flowwire.engine import Engine, InvalidArgument

from ..diagrams import chain, definitions, end, process, user_task
from ..support import user_task_key
from .event_diagrams import message, start_event


def _started_by_message(name: str = "order placed", *, label: str = "review") -> str:
    return definitions(
        message("Placed", name, None),
        process(
            "order",
            start_event("placed", "message", "Placed"),
            user_task(label),
            end(),
            chain("placed", label, "end"),
        ),
    )


def _instances(engine: Engine) -> list[int]:
    return sorted(i.key for i in engine.instances(process_id="order"))


def test_a_message_starts_an_instance_with_its_variables(engine: Engine) -> None:
    engine.deploy(_started_by_message())
    engine.publish_message("order placed", "A-1", {"orderId": "A-1"})
    [instance] = engine.instances(process_id="order")
    assert instance.state == "ACTIVE"
    assert engine.variables(instance.key) == {"orderId": "A-1"}
    [entry] = [e for e in engine.history(instance.key) if e.transition == "MESSAGE_CORRELATED"]
    assert entry.element_id == "order"
    assert entry.details is not None and entry.details["start_event"] == "placed"


def test_not_twice_for_one_correlation_key_while_the_first_instance_is_active(
    engine: Engine,
) -> None:
    engine.deploy(_started_by_message())
    engine.publish_message("order placed", "A-1")
    engine.publish_message("order placed", "A-1")
    [first] = _instances(engine)
    engine.publish_message("order placed", "B-2")
    assert len(_instances(engine)) == 2

    engine.complete_user_task(user_task_key(engine, first, "review"))
    engine.publish_message("order placed", "A-1")
    assert len(_instances(engine)) == 3


def test_without_a_correlation_key_every_message_starts_an_instance(engine: Engine) -> None:
    engine.deploy(_started_by_message())
    engine.publish_message("order placed")
    engine.publish_message("order placed")
    assert len(_instances(engine)) == 2


def test_correlate_reports_the_instance_a_message_started(engine: Engine) -> None:
    engine.deploy(_started_by_message())
    result = engine.correlate_message("order placed", "A-1")
    assert _instances(engine) == [result.process_instance_key]


def test_only_the_latest_version_is_started(engine: Engine) -> None:
    engine.deploy(_started_by_message())
    engine.deploy(_started_by_message(label="check"))
    engine.publish_message("order placed", "A-1")
    [instance] = engine.instances(process_id="order")
    assert instance.version == 2
    assert [s.element_id for s in engine.subscriptions()] == ["placed"]


def test_a_new_version_without_the_message_start_closes_the_subscription(
    engine: Engine,
) -> None:
    engine.deploy(_started_by_message())
    engine.deploy(_started_by_message(name="order renamed"))
    engine.publish_message("order placed", "A-1")
    assert _instances(engine) == []
    engine.publish_message("order renamed", "A-1")
    assert len(_instances(engine)) == 1


def test_a_buffered_message_does_not_start_a_process_deployed_later(engine: Engine) -> None:
    engine.publish_message("order placed", "A-1", time_to_live=60_000)
    engine.deploy(_started_by_message())
    assert _instances(engine) == []


def test_create_instance_needs_a_none_start_event(engine: Engine) -> None:
    engine.deploy(_started_by_message())
    with pytest.raises(InvalidArgument, match="none start event"):
        engine.create_instance("order")


def test_a_buffered_message_starts_the_next_instance_when_the_active_one_ends(
    engine: Engine,
) -> None:
    engine.deploy(_started_by_message())
    engine.publish_message("order placed", "A-1", {"n": 1})
    engine.publish_message("order placed", "A-1", {"n": 2}, time_to_live=60_000)
    [first] = _instances(engine)
    engine.complete_user_task(user_task_key(engine, first, "review"))
    [_, second] = _instances(engine)
    assert engine.variables(second) == {"n": 2}
    # that buffered message is used up; the second instance now holds the key
    engine.publish_message("order placed", "A-1", {"n": 3})
    assert len(_instances(engine)) == 2
