"""Firing a due timer: a timer start event creates an instance, any other timer fires its
catch event (intermediate catch, boundary, event subprocess start, event-based gateway). A
cycle with firings left is moved on to its next due time, counted from this firing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowwire.engine.catch_events import deliver
from flowwire.engine.clock import from_millis
from flowwire.engine.start_events import start_by_event
from flowwire.engine.timers import UNBOUNDED, next_due
from flowwire.store.records import TimerRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context

TIMER = "timer"


def fire(ctx: Context, timer: TimerRecord) -> bool:
    """Fire `timer` (due at or before now); False when its element no longer waits."""
    details: dict[str, Any] = {
        "event": TIMER,
        "timer_key": timer.key,
        "due": from_millis(timer.due).isoformat().replace("+00:00", "Z"),
    }
    if timer.repetitions != 1:
        details["repetitions_left"] = (
            "unbounded" if timer.repetitions == UNBOUNDED else timer.repetitions - 1
        )
    _move_on(ctx, timer)
    if timer.instance_key is None:
        deployed = ctx.model(timer.definition_key)
        start = deployed.process.elements[timer.element_id]
        start_by_event(ctx, deployed, start, {}, details)
        return True
    return deliver(ctx, timer, {}, details)


def _move_on(ctx: Context, timer: TimerRecord) -> None:
    if timer.repetitions == 1 or timer.cycle_interval is None:
        ctx.waits.remove_timer(timer)
        return
    if timer.repetitions != UNBOUNDED:
        timer.repetitions -= 1
    timer.due = next_due(timer.cycle_interval, ctx.now)
    ctx.waits.timer_changed(timer)
