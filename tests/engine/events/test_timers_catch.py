"""Intermediate timer catch events: durations, dates, FEEL values, durability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flowwire.engine import DeploymentRejected, Engine, ManualClock
from flowwire.store import open_store

from ..conftest import START
from ..diagrams import chain, definitions, end, process, start
from ..support import active, state
from .event_diagrams import catch


def _waiting(value: str, kind: str = "duration") -> str:
    return definitions(
        process(
            "p",
            start(),
            catch("timer", "timer", value, timer_kind=kind),
            end(),
            chain("start", "timer", "end"),
        )
    )


def test_a_duration_timer_fires_when_its_time_has_come(engine: Engine, clock: ManualClock) -> None:
    engine.deploy(_waiting("PT5M"))
    instance = engine.create_instance("p")
    [timer] = engine.timers(instance.key)
    assert timer.due == START + timedelta(minutes=5)

    clock.advance(timedelta(minutes=4, seconds=59))
    assert engine.fire_due_timers() == 0
    assert active(engine, instance.key) == ["timer"]

    clock.advance(timedelta(seconds=1))
    assert engine.fire_due_timers() == 1
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.timers(instance.key) == []
    [entry] = [e for e in engine.history(instance.key) if e.transition == "TIMER_TRIGGERED"]
    assert entry.element_id == "timer"
    assert entry.details is not None and entry.details["due"] == "2024-03-04T09:05:00Z"


def test_run_until_idle_and_advance_clock_fire_due_timers(engine: Engine) -> None:
    engine.deploy(_waiting("P1D"))
    first = engine.create_instance("p")
    second = engine.create_instance("p")
    engine.advance_clock(timedelta(days=1))
    assert state(engine, first.key) == "COMPLETED"
    assert state(engine, second.key) == "COMPLETED"


@pytest.mark.parametrize(
    ("value", "kind", "due"),
    [
        ("2024-03-05T10:00:00Z", "date", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("2024-03-05T10:00:00+02:00", "date", datetime(2024, 3, 5, 8, tzinfo=UTC)),
        ("2024-03-05T10:00:00[Europe/Berlin]", "date", datetime(2024, 3, 5, 9, tzinfo=UTC)),
        ('=date and time("2024-03-05T10:00:00Z")', "date", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ('=now() + duration("PT1H")', "date", START + timedelta(hours=1)),
        ("P1M", "duration", datetime(2024, 4, 4, 9, tzinfo=UTC)),
        ("P1DT2H30M", "duration", START + timedelta(days=1, hours=2, minutes=30)),
        ("P2W", "duration", START + timedelta(weeks=2)),
        ('=duration("PT" + string(delay) + "S")', "duration", START + timedelta(seconds=90)),
        ("=delayText", "duration", START + timedelta(minutes=3)),
    ],
)
def test_timer_values(engine: Engine, value: str, kind: str, due: datetime) -> None:
    engine.deploy(_waiting(value, kind))
    instance = engine.create_instance("p", {"delay": 90, "delayText": "PT3M"})
    [timer] = engine.timers(instance.key)
    assert timer.due == due
    assert timer.repetitions == 1  # an intermediate catch event fires once


def test_an_intermediate_timer_with_a_cycle_is_rejected_at_deploy(engine: Engine) -> None:
    """Zeebe takes a duration or a date on an intermediate catch event, never a cycle."""
    with pytest.raises(DeploymentRejected, match="time duration or a time date, not a time cycle"):
        engine.deploy(_waiting("R3/PT10S", "cycle"))
    assert engine.definitions() == []


@pytest.mark.parametrize(
    ("value", "kind", "problem"),
    [
        ("2024-03-05T10:00:00", "date", "no offset or zone"),
        ("five minutes", "duration", "not an ISO 8601 duration"),
        ("=amount", "duration", "must be a duration"),
    ],
)
def test_a_timer_value_that_cannot_be_used_is_an_incident(
    engine: Engine, value: str, kind: str, problem: str
) -> None:
    engine.deploy(_waiting(value, kind))
    instance = engine.create_instance("p", {"amount": 3})
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "EXTRACT_VALUE_ERROR"
    assert incident.element_id == "timer"
    assert problem in incident.message


def test_a_timer_due_while_the_engine_was_down_fires_on_start_up(
    store_path: Path, clock: ManualClock
) -> None:
    engine = Engine(open_store(store_path), clock=clock)
    engine.deploy(_waiting("PT1H"))
    instance = engine.create_instance("p")
    engine.close()

    clock.advance(timedelta(hours=5))  # nothing runs while the engine is closed
    reopened = Engine(open_store(store_path), clock=clock)
    try:
        assert state(reopened, instance.key) == "ACTIVE"
        assert reopened.fire_due_timers() == 1
        assert state(reopened, instance.key) == "COMPLETED"
        assert reopened.fire_due_timers() == 0  # fired once
        assert (
            len([e for e in reopened.history(instance.key) if e.transition == "TIMER_TRIGGERED"])
            == 1
        )
    finally:
        reopened.close()


def test_cancelling_the_instance_drops_its_timer(engine: Engine, clock: ManualClock) -> None:
    engine.deploy(_waiting("PT1M"))
    instance = engine.create_instance("p")
    engine.cancel_instance(instance.key)
    assert engine.timers(instance.key) == []
    clock.advance(timedelta(minutes=2))
    assert engine.fire_due_timers() == 0
