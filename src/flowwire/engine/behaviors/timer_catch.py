"""Intermediate timer catch event: its date, duration or cycle is evaluated when it is
reached (durations count from then); it waits until the timer fires, then completes."""

from __future__ import annotations

from flowwire.engine.behaviors.message_catch import WaitingCatchBehavior


class TimerCatchBehavior(WaitingCatchBehavior):
    """Waits for its timer (the first firing of a cycle)."""
