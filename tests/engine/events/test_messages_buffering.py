"""Buffered messages: time to live, expiry, message id deduplication, once per process."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from flowwire.engine import Engine, InvalidState, ManualClock
from flowwire.store import open_store

from ..diagrams import chain, definitions, end, process, start
from ..support import active, state
from .event_diagrams import catch, message


def _waiting(process_id: str = "order") -> str:
    return definitions(
        message("Paid", "payment received"),
        process(
            process_id,
            start(),
            catch("wait", "message", "Paid"),
            end(),
            chain("start", "wait", "end"),
        ),
    )


def test_a_buffered_message_correlates_to_a_subscription_opened_later(engine: Engine) -> None:
    engine.deploy(_waiting())
    engine.publish_message(
        "payment received", "A-1", {"amount": 3}, time_to_live=timedelta(minutes=5)
    )
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key)["amount"] == 3


def test_a_buffered_message_expires_after_its_time_to_live(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(_waiting())
    engine.publish_message("payment received", "A-1", time_to_live=60_000)
    clock.advance(timedelta(seconds=61))
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert active(engine, instance.key) == ["wait"]


def test_a_message_still_alive_just_before_its_time_to_live_ends(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(_waiting())
    engine.publish_message("payment received", "A-1", time_to_live=timedelta(seconds=60))
    clock.advance(timedelta(seconds=59))
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert state(engine, instance.key) == "COMPLETED"


def test_a_buffered_message_reaches_a_process_only_once(engine: Engine) -> None:
    engine.deploy(_waiting())
    engine.publish_message("payment received", "A-1", time_to_live=timedelta(minutes=5))
    first = engine.create_instance("order", {"orderId": "A-1"})
    second = engine.create_instance("order", {"orderId": "A-1"})
    assert state(engine, first.key) == "COMPLETED"
    assert active(engine, second.key) == ["wait"]


def test_a_buffered_message_reaches_each_process_once(engine: Engine) -> None:
    engine.deploy([_waiting("order"), _waiting("invoice")])
    engine.publish_message("payment received", "A-1", time_to_live=timedelta(minutes=5))
    order = engine.create_instance("order", {"orderId": "A-1"})
    invoice = engine.create_instance("invoice", {"orderId": "A-1"})
    assert state(engine, order.key) == "COMPLETED"
    assert state(engine, invoice.key) == "COMPLETED"


def test_a_duplicate_message_id_is_rejected_while_the_first_is_buffered(
    engine: Engine, clock: ManualClock
) -> None:
    engine.publish_message("m", "A-1", time_to_live=timedelta(minutes=1), message_id="id-1")
    with pytest.raises(InvalidState, match="already published"):
        engine.publish_message("m", "A-1", time_to_live=timedelta(minutes=1), message_id="id-1")
    # another key, name or id is another message
    engine.publish_message("m", "A-2", time_to_live=timedelta(minutes=1), message_id="id-1")
    engine.publish_message("n", "A-1", time_to_live=timedelta(minutes=1), message_id="id-1")
    engine.publish_message("m", "A-1", time_to_live=timedelta(minutes=1), message_id="id-2")
    # once the first has expired, the id is free again
    clock.advance(timedelta(minutes=2))
    engine.publish_message("m", "A-1", time_to_live=timedelta(minutes=1), message_id="id-1")


def test_a_message_id_without_time_to_live_is_not_remembered(engine: Engine) -> None:
    engine.publish_message("m", "A-1", message_id="id-1")
    engine.publish_message("m", "A-1", message_id="id-1")


def test_buffered_messages_survive_a_restart(store_path: Path, clock: ManualClock) -> None:
    engine = Engine(open_store(store_path), clock=clock)
    engine.deploy(_waiting())
    engine.publish_message("payment received", "A-1", {"x": 1}, time_to_live=timedelta(hours=1))
    engine.close()
    reopened = Engine(open_store(store_path), clock=clock)
    try:
        instance = reopened.create_instance("order", {"orderId": "A-1"})
        assert state(reopened, instance.key) == "COMPLETED"
        assert reopened.variables(instance.key)["x"] == 1
    finally:
        reopened.close()
