"""PUT /v2/clock and POST /v2/clock/reset: pin the engine's clock for process tests.

Only served when `flowwire serve --allow-clock-control` asked for it: the API then gives the
engine a `PinnableClock`, which reads the real time until a client pins it.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flowwire.api.bodies import Fields, json_object
from flowwire.api.context import api_context
from flowwire.api.problems import ApiProblem
from flowwire.engine.clock import Clock, SystemClock, from_millis, to_millis


def epoch_millis(moment: datetime) -> int:
    return to_millis(moment)


class PinnableClock:
    """The engine's clock under API control: real time, or a pinned instant."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._pinned: datetime | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            pinned = self._pinned
        return pinned if pinned is not None else self._base.now()

    def pin(self, moment: datetime) -> None:
        with self._lock:
            self._pinned = moment

    def reset(self) -> None:
        with self._lock:
            self._pinned = None


def _clock(request: Request) -> PinnableClock:
    context = api_context(request)
    clock = context.engine.clock
    if not context.clock_control or not isinstance(clock, PinnableClock):
        raise ApiProblem(
            403,
            "clock control is off: start flowwire serve with --allow-clock-control to pin "
            "the clock (meant for process tests)",
            title="FORBIDDEN",
        )
    return clock


async def pin_clock(request: Request) -> Response:
    clock = _clock(request)
    fields = Fields(await json_object(request), known=("timestamp",), where="the clock pin")
    timestamp = fields.integer("timestamp", required=True, minimum=0, maximum=253402300799999)
    assert timestamp is not None
    clock.pin(from_millis(timestamp).astimezone(UTC))
    await _fire_due_timers(request)
    return Response(status_code=204)


async def reset_clock(request: Request) -> Response:
    clock = _clock(request)
    clock.reset()
    await _fire_due_timers(request)
    return Response(status_code=204)


async def _fire_due_timers(request: Request) -> None:
    """Timers that the new time made due fire before the answer, as after Zeebe's clock pin
    the next scheduler run would fire them."""
    context = api_context(request)
    fire = getattr(context.engine, "fire_due_timers", None)
    if fire is not None:
        await context.command(fire)
    else:
        context.changed()


routes = [
    Route("/clock", pin_clock, methods=["PUT"]),
    Route("/clock/reset", reset_clock, methods=["POST"]),
]
