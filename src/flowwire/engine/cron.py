"""Cron expressions for timer cycles, in the Spring format Camunda 8 accepts.

Six fields: second, minute, hour, day of month, month, day of week (`0 0 9-17 * * MON-FRI`);
each a `*` (or `?` for the day fields), a value, a range `a-b`, a list `a,b` or a step `*/n`,
`a/n`, `a-b/n`; months and weekdays also by name (JAN, MON); weekday 0 and 7 are Sunday. The
macros @yearly, @monthly, @weekly, @daily, @midnight and @hourly stand for their usual
expressions. As in cron, when both day fields are restricted a day matching either counts.
Times are UTC.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

_MACROS = {
    "@yearly": "0 0 0 1 1 *",
    "@annually": "0 0 0 1 1 *",
    "@monthly": "0 0 0 1 * *",
    "@weekly": "0 0 0 * * 0",
    "@daily": "0 0 0 * * *",
    "@midnight": "0 0 0 * * *",
    "@hourly": "0 0 * * * *",
}
_MONTHS = {
    n: i
    for i, n in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
_DAYS = {n: i for i, n in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])}
#: how far ahead a next firing is looked for (a 29 February on a Monday can take 28 years)
_HORIZON_DAYS = 366 * 29


class CronError(ValueError):
    """A cron expression that cannot be read; the message says what to change."""


@dataclass(frozen=True, slots=True)
class Cron:
    seconds: frozenset[int]
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool

    def _day_matches(self, day: _dt.date) -> bool:
        if day.month not in self.months:
            return False
        in_month = day.day in self.days
        in_week = (day.isoweekday() % 7) in self.weekdays
        if self.any_day:
            return in_week
        if self.any_weekday:
            return in_month
        return in_month or in_week

    def next_after(self, moment: _dt.datetime) -> _dt.datetime:
        """The first matching second strictly after `moment` (UTC)."""
        start = moment.astimezone(_dt.UTC).replace(microsecond=0) + _dt.timedelta(seconds=1)
        day = start.date()
        for offset in range(_HORIZON_DAYS):
            current = day + _dt.timedelta(days=offset)
            if not self._day_matches(current):
                continue
            floor = start.time() if offset == 0 else _dt.time()
            found = self._first_time(floor)
            if found is not None:
                return _dt.datetime.combine(current, found, _dt.UTC)
        raise CronError("the cron expression never matches a date: check its day and month")

    def _first_time(self, floor: _dt.time) -> _dt.time | None:
        for hour in sorted(h for h in self.hours if h >= floor.hour):
            for minute in sorted(self.minutes):
                if (hour, minute) < (floor.hour, floor.minute):
                    continue
                for second in sorted(self.seconds):
                    if (hour, minute, second) >= (floor.hour, floor.minute, floor.second):
                        return _dt.time(hour, minute, second)
        return None


def is_cron(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("@") or len(stripped.split()) >= 5


def parse(text: str) -> Cron:
    expression = _MACROS.get(text.strip().lower(), text.strip())
    fields = expression.split()
    if len(fields) != 6:
        raise CronError(
            f"the cron expression '{text}' has {len(fields)} fields, but needs 6: second minute "
            "hour day-of-month month day-of-week, e.g. '0 0 9 * * MON-FRI'"
        )
    second, minute, hour, day, month, weekday = fields
    weekdays = _field(weekday, 0, 7, _DAYS, "day of week", text)
    return Cron(
        seconds=_field(second, 0, 59, {}, "second", text),
        minutes=_field(minute, 0, 59, {}, "minute", text),
        hours=_field(hour, 0, 23, {}, "hour", text),
        days=_field(day, 1, 31, {}, "day of month", text),
        months=_field(month, 1, 12, _MONTHS, "month", text),
        weekdays=frozenset(d % 7 for d in weekdays),
        any_day=day in ("*", "?"),
        any_weekday=weekday in ("*", "?"),
    )


def _field(
    text: str, low: int, high: int, names: dict[str, int], what: str, whole: str
) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        values.update(_part(part, low, high, names, what, whole))
    return frozenset(values)


def _part(part: str, low: int, high: int, names: dict[str, int], what: str, whole: str) -> range:
    body, _, step_text = part.partition("/")
    step = _number(step_text, names, what, whole) if step_text else 1
    if step < 1:
        raise CronError(f"the {what} step in the cron expression '{whole}' must be 1 or more")
    if body in ("*", "?"):
        first, last = low, high
    elif "-" in body:
        start, _, end = body.partition("-")
        first, last = _number(start, names, what, whole), _number(end, names, what, whole)
    else:
        first = _number(body, names, what, whole)
        last = high if step_text else first
    if not (low <= first <= last <= high):
        raise CronError(
            f"the {what} '{part}' in the cron expression '{whole}' is outside {low}-{high}"
        )
    return range(first, last + 1, step)


def _number(text: str, names: dict[str, int], what: str, whole: str) -> int:
    name = text.strip().upper()
    if name in names:
        return names[name]
    if not name.isdigit():
        raise CronError(f"the {what} '{text}' in the cron expression '{whole}' is not a number")
    return int(name)
