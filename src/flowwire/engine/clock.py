"""Time for the engine: real by default, movable in tests.

The engine stores time as integer milliseconds since the Unix epoch (UTC); `to_millis` and
`from_millis` convert. A clock must return timezone-aware datetimes.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time(), UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A clock that moves only when told to, so tests control timeouts, backoffs and timers."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._now = _aware(start) if start is not None else SystemClock().now()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by `delta` (never backwards); returns the new time."""
        if delta < timedelta(0):
            raise ValueError(f"a clock cannot go backwards: advance by {delta} is negative")
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (timezone-aware)."""
        with self._lock:
            self._now = _aware(moment)

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()})"


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"the clock needs a timezone-aware datetime, got {moment!r}: "
            "add tzinfo, e.g. datetime(..., tzinfo=datetime.UTC)"
        )
    return moment


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_millis(moment: datetime) -> int:
    """Milliseconds since the epoch, as stored."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def from_millis(millis: int) -> datetime:
    """The UTC datetime of a stored timestamp."""
    return _EPOCH + timedelta(milliseconds=millis)


def millis(delta: timedelta) -> int:
    """A duration in whole milliseconds."""
    return delta // timedelta(milliseconds=1)
