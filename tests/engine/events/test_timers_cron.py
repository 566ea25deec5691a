"""Cron expressions in timer cycles (Spring's six fields, as Camunda 8 accepts them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flowwire.engine import Engine, ManualClock
from flowwire.engine.cron import CronError, parse

from ..diagrams import chain, definitions, end, process, user_task
from .event_diagrams import start_event

MONDAY_9 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("0 0 9-17 * * MON-FRI", MONDAY_9, datetime(2024, 3, 4, 10, tzinfo=UTC)),
        (
            "0 0 9-17 * * MON-FRI",
            datetime(2024, 3, 8, 17, tzinfo=UTC),
            datetime(2024, 3, 11, 9, tzinfo=UTC),
        ),
        ("*/15 * * * * *", MONDAY_9, MONDAY_9 + timedelta(seconds=15)),
        (
            "0 */20 * * * *",
            datetime(2024, 3, 4, 9, 41, tzinfo=UTC),
            datetime(2024, 3, 4, 10, 0, tzinfo=UTC),
        ),
        ("0 0 0 1 * ?", MONDAY_9, datetime(2024, 4, 1, tzinfo=UTC)),
        ("0 0 12 29 FEB ?", MONDAY_9, datetime(2028, 2, 29, 12, tzinfo=UTC)),
        ("0 0 6 * * SUN", MONDAY_9, datetime(2024, 3, 10, 6, tzinfo=UTC)),
        ("0 0 6 * * 7", MONDAY_9, datetime(2024, 3, 10, 6, tzinfo=UTC)),
        ("0 15,45 8 * * *", MONDAY_9, datetime(2024, 3, 5, 8, 15, tzinfo=UTC)),
        ("@daily", MONDAY_9, datetime(2024, 3, 5, tzinfo=UTC)),
        ("@hourly", MONDAY_9, datetime(2024, 3, 4, 10, tzinfo=UTC)),
    ],
)
def test_next_firing(expression: str, after: datetime, expected: datetime) -> None:
    assert parse(expression).next_after(after) == expected


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("0 0 9 * *", "needs 6"),
        ("0 0 9 * * FUNDAY", "not a number"),
        ("0 61 * * * *", "outside 0-59"),
        ("0 0 0 30 FEB ?", "never matches"),
        ("*/0 * * * * *", "step"),
    ],
)
def test_unreadable_expressions(expression: str, problem: str) -> None:
    with pytest.raises(CronError, match=problem):
        parse(expression).next_after(MONDAY_9)


def test_a_cron_timer_start_event_fires_on_working_days(engine: Engine, clock: ManualClock) -> None:
    clock.set(datetime(2024, 3, 8, 12, tzinfo=UTC))  # a Friday
    engine.deploy(
        definitions(
            process(
                "daily",
                start_event("morning", "timer", "0 0 8 * * MON-FRI", "cycle"),
                user_task("check"),
                end(),
                chain("morning", "check", "end"),
            )
        )
    )
    [timer] = engine.timers()
    assert timer.due == datetime(2024, 3, 11, 8, tzinfo=UTC)
    engine.advance_clock(timedelta(days=3))
    assert len(engine.instances(process_id="daily")) == 1
    [timer] = engine.timers()
    assert timer.due == datetime(2024, 3, 12, 8, tzinfo=UTC)
    assert timer.repetitions == -1
