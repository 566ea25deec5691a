"""Temporal built-ins: constructors, conversions and calendar functions.

DMN 1.5's ``date``, ``date and time``, ``time``, ``duration``, ``years and months
duration``, ``now``, ``today``, ``day of year``, ``day of week``, ``month of year`` and
``week of year``, plus Camunda's ``last day of month`` and ``date and time(date, timezone)``.
Functions that take a date also take a date-time (its date is used), as Camunda's do.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import zoneinfo
from decimal import Decimal
from typing import Any

from flowwire.feel import temporal
from flowwire.feel.builtins.registry import BuiltinContext, builtin
from flowwire.feel.errors import InvalidArgument
from flowwire.feel.values import YearsMonthsDuration, type_name

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _parsed(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except ValueError as error:
        raise InvalidArgument(str(error)) from None


def _date_part(value: Any, function: str) -> _dt.date:
    """The date of a date or date-time argument."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    raise InvalidArgument(f"{function}() expects a date or date and time, not {_kind(value)}")


def _kind(value: Any) -> str:
    return "null" if value is None else type_name(value)


def _whole(value: Any, name: str, function: str) -> int:
    if not isinstance(value, Decimal) or not value.is_finite() or value != int(value):
        raise InvalidArgument(f"{function}() expects a whole number for '{name}', not {value!r}")
    return int(value)


# --- date ------------------------------------------------------------------------------


@builtin("date", "from")
def date_from(value: Any) -> _dt.date:
    """``date("2019-08-12")``, or the date of a date-time."""
    if isinstance(value, str):
        return _parsed(temporal.parse_date, value)
    return _date_part(value, "date")


@builtin("date", "year", "month", "day")
def date_of(year: Any, month: Any, day: Any) -> _dt.date:
    y = _whole(year, "year", "date")
    m = _whole(month, "month", "date")
    d = _whole(day, "day", "date")
    try:
        return _dt.date(y, m, d)
    except ValueError:
        raise InvalidArgument(
            f"date({y}, {m}, {d}) is not a calendar date (years must be within 1..9999)"
        ) from None


# --- date and time ---------------------------------------------------------------------


@builtin("date and time", "from")
def date_and_time_from(value: Any) -> _dt.datetime:
    """``date and time("2019-08-12T10:30:00@Europe/Berlin")``; a date alone means midnight."""
    if not isinstance(value, str):
        raise InvalidArgument(f"date and time(from) expects a string, not {_kind(value)}")
    return _parsed(temporal.parse_date_and_time, value)


def _date_and_time_of(day: Any, second: Any) -> _dt.datetime:
    """Combine a date with a time, or put a date-time into a time zone (Camunda)."""
    if isinstance(second, str):
        return _in_zone(day, second)
    if not isinstance(second, _dt.time):
        raise InvalidArgument(
            f"date and time(date, time) expects a time as second argument, not {_kind(second)}"
        )
    local = _dt.datetime.combine(_date_part(day, "date and time"), second.replace(tzinfo=None))
    tz = second.tzinfo
    if isinstance(tz, zoneinfo.ZoneInfo):
        return temporal.attach_zone(local, tz)
    return local.replace(tzinfo=tz)


def _in_zone(value: Any, zone_id: str) -> _dt.datetime:
    """A local date-time placed in a zone, or a zoned one moved to the same instant there."""
    if not isinstance(value, _dt.datetime):
        raise InvalidArgument(
            f"date and time(date, timezone) expects a date and time, not {_kind(value)}"
        )
    tz: _dt.tzinfo
    try:
        if zone_id == "Z" or zone_id[:1] in "+-":
            tz = _parsed(temporal.parse_time, "00:00:00" + zone_id).tzinfo
        else:
            tz = temporal.zone_of(zone_id)
    except ValueError as error:
        raise InvalidArgument(str(error)) from None
    try:
        if value.tzinfo is not None:
            return value.astimezone(tz)
        if isinstance(tz, zoneinfo.ZoneInfo):
            return temporal.attach_zone(value, tz)
    except (OverflowError, TypeError):
        raise InvalidArgument(
            "the date and time in that zone falls outside the years 1..9999"
        ) from None
    return value.replace(tzinfo=tz)


builtin("date and time", "date", "time")(_date_and_time_of)
builtin("date and time", "date", "timezone")(_date_and_time_of)


# --- time ------------------------------------------------------------------------------


@builtin("time", "from")
def time_from(value: Any) -> _dt.time:
    """``time("10:30:00+02:00")``, the time of a date-time, or midnight UTC for a date."""
    if isinstance(value, str):
        return _parsed(temporal.parse_time, value)
    if isinstance(value, _dt.datetime):
        return value.timetz()
    if isinstance(value, _dt.date):
        return _dt.time(tzinfo=_dt.UTC)
    if isinstance(value, _dt.time):
        return value
    raise InvalidArgument(f"time(from) expects a string, date or date and time, not {_kind(value)}")


@builtin("time", "hour", "minute", "second", "offset?")
def time_of(hour: Any, minute: Any, second: Any, offset: Any = None) -> _dt.time:
    """``time(10, 30, 15.5, duration("PT2H"))``; a null offset gives a local time."""
    h = _whole(hour, "hour", "time")
    m = _whole(minute, "minute", "time")
    if not isinstance(second, Decimal) or not second.is_finite():
        raise InvalidArgument(f"time() expects a number for 'second', not {_kind(second)}")
    whole_seconds = int(second)
    micros = int((second - whole_seconds) * 1_000_000)
    tz: _dt.tzinfo | None = None
    if offset is not None:
        if not isinstance(offset, _dt.timedelta):
            raise InvalidArgument(
                f"time() expects a days and time duration as offset, not {_kind(offset)}"
            )
        try:
            tz = temporal.offset_timezone(_dt.timedelta(seconds=int(offset.total_seconds())))
        except ValueError as error:
            raise InvalidArgument(str(error)) from None
    try:
        return _dt.time(h, m, whole_seconds, micros, tzinfo=tz)
    except ValueError:
        raise InvalidArgument(
            f"time({h}, {m}, {second}) is not a time of day (hour 0..23, minute and second 0..59)"
        ) from None


# --- durations -------------------------------------------------------------------------


@builtin("duration", "from")
def duration_from(value: Any) -> _dt.timedelta | YearsMonthsDuration:
    """``duration("P1DT2H")`` or ``duration("P1Y2M")``."""
    if not isinstance(value, str):
        raise InvalidArgument(f"duration(from) expects a string, not {_kind(value)}")
    return _parsed(temporal.parse_duration, value)


@builtin("years and months duration", "from", "to")
def years_and_months_duration(start: Any, end: Any) -> YearsMonthsDuration:
    """The whole years and months from one date (or date-time) to another."""
    name = "years and months duration"
    return temporal.years_and_months_between(_date_part(start, name), _date_part(end, name))


# --- clock -----------------------------------------------------------------------------


@builtin("now", needs_context=True)
def now(ctx: BuiltinContext) -> _dt.datetime:
    """The current date and time, from the caller's clock."""
    return ctx.now()


@builtin("today", needs_context=True)
def today(ctx: BuiltinContext) -> _dt.date:
    """The current date, from the caller's clock."""
    return ctx.now().date()


# --- calendar --------------------------------------------------------------------------


@builtin("day of year", "date")
def day_of_year(value: Any) -> Decimal:
    return Decimal(_date_part(value, "day of year").timetuple().tm_yday)


@builtin("day of week", "date")
def day_of_week(value: Any) -> str:
    return _WEEKDAYS[_date_part(value, "day of week").weekday()]


@builtin("month of year", "date")
def month_of_year(value: Any) -> str:
    return _MONTHS[_date_part(value, "month of year").month - 1]


@builtin("week of year", "date")
def week_of_year(value: Any) -> Decimal:
    """The ISO 8601 week number (weeks start on Monday; week 1 holds January 4th)."""
    return Decimal(_date_part(value, "week of year").isocalendar().week)


@builtin("last day of month", "date")
def last_day_of_month(value: Any) -> _dt.date:
    day = _date_part(value, "last day of month")
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
