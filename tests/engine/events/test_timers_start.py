"""Timer start events: a date or a cycle creates instances; only the latest version runs;
durable across restarts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from flowwire.engine import DeploymentRejected, Engine, ManualClock
from flowwire.store import open_store

from ..conftest import START
from ..diagrams import chain, definitions, end, process, user_task
from .event_diagrams import start_event


def _timer_started(value: str, kind: str, *, task: str = "work") -> str:
    return definitions(
        process(
            "nightly",
            start_event("tick", "timer", value, kind),
            user_task(task),
            end(),
            chain("tick", task, "end"),
        )
    )


def _count(engine: Engine) -> int:
    return len(engine.instances(process_id="nightly"))


def test_a_cycle_starts_an_instance_each_time(engine: Engine, clock: ManualClock) -> None:
    engine.deploy(_timer_started("R2/PT1H", "cycle"))
    [timer] = engine.timers()
    assert timer.due == START + timedelta(hours=1)
    assert timer.process_instance_key is None
    for expected in (1, 2, 2):
        engine.advance_clock(timedelta(hours=1))
        assert _count(engine) == expected
    [instance, *_] = engine.instances(process_id="nightly")
    [entry] = [e for e in engine.history(instance.key) if e.transition == "TIMER_TRIGGERED"]
    assert entry.details is not None and entry.details["start_event"] == "tick"


def test_a_date_starts_one_instance(engine: Engine, clock: ManualClock) -> None:
    engine.deploy(_timer_started("2024-03-05T00:00:00Z", "date"))
    engine.advance_clock(timedelta(hours=14, minutes=59))
    assert _count(engine) == 0
    engine.advance_clock(timedelta(minutes=1))
    assert _count(engine) == 1
    engine.advance_clock(timedelta(days=10))
    assert _count(engine) == 1
    assert engine.timers() == []


def test_a_new_version_replaces_the_timer_of_the_previous_one(
    engine: Engine, clock: ManualClock
) -> None:
    engine.deploy(_timer_started("R/PT1H", "cycle"))
    engine.deploy(_timer_started("R/PT2H", "cycle", task="other"))
    [timer] = engine.timers()
    assert timer.interval == "PT2H"
    engine.advance_clock(timedelta(hours=2))
    [instance] = engine.instances(process_id="nightly")
    assert instance.version == 2


def test_redeploying_the_same_version_keeps_its_timer(engine: Engine) -> None:
    engine.deploy(_timer_started("R/PT1H", "cycle"))
    [before] = engine.timers()
    engine.deploy(_timer_started("R/PT1H", "cycle"))
    assert engine.timers() == [before]


def test_a_timer_start_event_with_an_unusable_value_is_rejected_at_deployment(
    engine: Engine,
) -> None:
    with pytest.raises(DeploymentRejected, match="not an ISO 8601 duration"):
        engine.deploy(_timer_started("R/often", "cycle"))
    assert engine.definitions() == []


def test_a_start_timer_due_while_down_fires_once_on_start_up(
    store_path: Path, clock: ManualClock
) -> None:
    engine = Engine(open_store(store_path), clock=clock)
    engine.deploy(_timer_started("R/PT1H", "cycle"))
    engine.close()
    clock.advance(timedelta(hours=10))
    reopened = Engine(open_store(store_path), clock=clock)
    try:
        reopened.run_until_idle()
        assert len(reopened.instances(process_id="nightly")) == 1
        [timer] = reopened.timers()
        assert timer.due == clock.now() + timedelta(hours=1)
    finally:
        reopened.close()
