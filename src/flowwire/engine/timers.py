"""Timers: when a timer event is due, as Camunda 8 reads `timeDate`, `timeDuration` and
`timeCycle`.

- date: an ISO 8601 date-time with an offset or zone (`2024-10-01T12:00:00Z`,
  `2024-10-01T14:00:00+02:00`, `2024-10-01T14:00:00+02:00[Europe/Berlin]`) or a FEEL date-time;
- duration: an ISO 8601 duration (`PT5M`, `P1D`, `P1Y2M`, `P2W`) or a FEEL duration, counted from
  the moment the timer opens;
- cycle: a repeating interval `R<n>/<duration>` (`R3/PT10S`; `R/PT1H` repeats without end),
  optionally with a start `R<n>/<date-time>/<duration>`; the first firing is at the start or one
  interval from now, each later one an interval after the previous firing. A cron expression
  (`0 0 9 * * MON-FRI`, see `cron`) repeats without end at its matching times.

Timers are rows with a due time, so they survive restarts: whatever came due while the engine
was down fires on the next `fire_due_timers` (each timer once; a cycle then continues from
that moment instead of firing every missed repetition).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from flowwire.bpmn import EventDefinition
from flowwire.bpmn.expressions import expression_body, is_expression
from flowwire.engine import cron, expressions
from flowwire.engine.clock import from_millis, to_millis
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.feel.values import YearsMonthsDuration

_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?"
    r"(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?\Z"
)
_CYCLE = re.compile(r"R(?P<count>\d*)/(?:(?P<start>[^/]+)/)?(?P<interval>[^/]+)\Z")
_ZONE_SUFFIX = re.compile(r"\[(?P<zone>[^\]]+)\]\Z")

#: `repetitions` of a cycle without end
UNBOUNDED = -1


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 duration: calendar months (added by calendar) plus exact time."""

    months: int
    delta: _dt.timedelta

    def after(self, moment: _dt.datetime) -> _dt.datetime:
        return add_months(moment, self.months) + self.delta

    @property
    def is_positive(self) -> bool:
        return self.months > 0 or (self.months == 0 and self.delta > _dt.timedelta(0))


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a timer first fires (ms since the epoch), how often in all (`UNBOUNDED`: without
    end) and the ISO interval between firings of a cycle."""

    due: int
    repetitions: int = 1
    interval: str | None = None


class TimerValueError(ValueError):
    """A timer value that cannot be read; the message says how to write it."""


def parse_duration(text: str) -> Duration:
    match = _DURATION.match(text.strip())
    if match is None or text.strip() in ("P", "PT") or text.strip().endswith("T"):
        raise TimerValueError(
            f"'{text}' is not an ISO 8601 duration: write it like PT5M (5 minutes), PT1H30M, "
            "P1D (a day) or P1M (a month)"
        )
    parts = {k: v for k, v in match.groupdict().items() if v is not None and k != "sign"}
    if not parts:
        raise TimerValueError(f"'{text}' is an empty duration: give at least one amount, e.g. PT5M")
    months = int(parts.get("years", 0)) * 12 + int(parts.get("months", 0))
    seconds = float(parts.get("seconds", "0").replace(",", "."))
    delta = _dt.timedelta(
        weeks=int(parts.get("weeks", 0)),
        days=int(parts.get("days", 0)),
        hours=int(parts.get("hours", 0)),
        minutes=int(parts.get("minutes", 0)),
        seconds=seconds,
    )
    if match["sign"]:
        return Duration(-months, -delta)
    return Duration(months, delta)


def parse_date_time(text: str) -> _dt.datetime:
    """An ISO 8601 date-time that names its offset or zone (a timer is a point in time)."""
    value = text.strip()
    zone: _dt.tzinfo | None = None
    suffix = _ZONE_SUFFIX.search(value)
    if suffix is not None:
        try:
            zone = zoneinfo.ZoneInfo(suffix["zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise TimerValueError(
                f"'{text}' names the unknown time zone '{suffix['zone']}': use an IANA zone id "
                "such as Europe/Berlin"
            ) from None
        value = value[: suffix.start()]
    try:
        moment = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise TimerValueError(
            f"'{text}' is not an ISO 8601 date-time: write it like 2024-10-01T12:00:00Z or "
            "2024-10-01T14:00:00+02:00"
        ) from None
    if moment.tzinfo is None:
        if zone is None:
            raise TimerValueError(
                f"the date-time '{text}' has no offset or zone, so its moment is unknown: add Z "
                "(UTC), an offset like +02:00, or a zone like [Europe/Berlin]"
            )
        moment = moment.replace(tzinfo=zone)
    return moment


def add_months(moment: _dt.datetime, months: int) -> _dt.datetime:
    """Calendar arithmetic: the same day of the month `months` later (clamped to its end)."""
    if months == 0:
        return moment
    total = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def schedule_of(kind: str, value: Any, now: _dt.datetime) -> Schedule:
    """The schedule of a timer of `kind` (date, duration, cycle) whose value is `value` (text
    or a FEEL temporal value), opened at `now`."""
    if kind == "date":
        moment = value if isinstance(value, _dt.datetime) else None
        if moment is None and isinstance(value, str):
            moment = parse_date_time(value)
        if moment is None:
            raise TimerValueError(
                f"a timer date must be a date-time, got {expressions.type_name(value)}"
            )
        if moment.tzinfo is None:
            raise TimerValueError(
                "the timer date-time has no offset or zone, so its moment is unknown: add one"
            )
        return Schedule(to_millis(moment))
    if kind == "duration":
        duration = _duration_value(value)
        return Schedule(to_millis(duration.after(now)))
    if kind == "cycle":
        if isinstance(value, (_dt.timedelta, YearsMonthsDuration)):
            value = f"R/{_iso(value)}"
        if not isinstance(value, str):
            raise TimerValueError(
                f"a timer cycle must be text like R3/PT10S, got {expressions.type_name(value)}"
            )
        return _cycle(value.strip(), now)
    raise TimerValueError(f"unknown timer kind '{kind}'")


def _iso(value: _dt.timedelta | YearsMonthsDuration) -> str:
    if isinstance(value, YearsMonthsDuration):
        return str(value)
    return f"PT{value.total_seconds():g}S"


def _duration_value(value: Any) -> Duration:
    if isinstance(value, _dt.timedelta):
        return Duration(0, value)
    if isinstance(value, YearsMonthsDuration):
        return Duration(value.months, _dt.timedelta(0))
    if isinstance(value, str):
        return parse_duration(value)
    raise TimerValueError(
        f"a timer duration must be a duration, got {expressions.type_name(value)}"
    )


def _cycle(text: str, now: _dt.datetime) -> Schedule:
    if cron.is_cron(text):
        try:
            first = cron.parse(text).next_after(now)
        except cron.CronError as exc:
            raise TimerValueError(str(exc)) from None
        return Schedule(to_millis(first), UNBOUNDED, text)
    match = _CYCLE.match(text)
    if match is None:
        raise TimerValueError(
            f"'{text}' is not a repeating interval: write R<count>/<duration>, e.g. R3/PT10S "
            "(three times, every 10 seconds) or R/PT1H (every hour, without end)"
        )
    interval = parse_duration(match["interval"])
    if not interval.is_positive:
        raise TimerValueError(f"the interval of the timer cycle '{text}' must be longer than zero")
    repetitions = int(match["count"]) if match["count"] else UNBOUNDED
    if repetitions == 0:
        raise TimerValueError(f"the timer cycle '{text}' repeats zero times: use R1 or more")
    first = parse_date_time(match["start"]) if match["start"] else interval.after(now)
    return Schedule(to_millis(first), repetitions, match["interval"])


def evaluate(
    event: EventDefinition,
    variables: dict[str, Any] | None,
    now: _dt.datetime,
    clock: expressions.Clock,
) -> Schedule:
    """The schedule of a timer event definition, its FEEL evaluated with `variables`. Raises
    StepFailure (EXTRACT_VALUE_ERROR) naming what to fix."""
    text = event.timer_expression or ""
    kind = event.timer_kind or "duration"
    value: Any = text
    if is_expression(text):
        value, _ = expressions.evaluate(text, variables or {}, clock, ErrorType.EXTRACT_VALUE_ERROR)
    try:
        return schedule_of(kind, value, now)
    except TimerValueError as exc:
        shown = expression_body(text) if is_expression(text) else text
        raise StepFailure(
            ErrorType.EXTRACT_VALUE_ERROR, f"the timer {kind} '{shown}' cannot be used: {exc}"
        ) from None


def next_due(interval: str, fired_at: int) -> int:
    """The next firing of a cycle (an ISO interval or a cron expression) whose previous
    firing happened at `fired_at`."""
    if cron.is_cron(interval):
        return to_millis(cron.parse(interval).next_after(from_millis(fired_at)))
    return to_millis(parse_duration(interval).after(from_millis(fired_at)))
