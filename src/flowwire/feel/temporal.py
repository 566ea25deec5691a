"""FEEL's temporal values: parsing, arithmetic, comparison and properties.

Dates, times and date-times are Python's ``datetime`` objects; a time or date-time is
*local* (naive), has a fixed *offset* (``datetime.timezone``) or a *zone id*
(``zoneinfo.ZoneInfo``). Days-and-time durations are ``timedelta``; years-and-months
durations are :class:`~flowwire.feel.values.YearsMonthsDuration`.

The semantics follow Camunda's FEEL engine (feel-scala) and DMN 1.5, with these choices:

- values with an offset or zone compare and subtract by their instant; a local value and an
  offset/zoned value are not comparable (Camunda treats them as different types);
- adding a days-and-time duration to a zoned date-time moves along the instant timeline,
  adding years/months moves the wall clock (clamped to the end of the month) and keeps the
  offset where it is still valid, as ``java.time.ZonedDateTime`` does;
- a time with a zone id uses the zone's current standard offset, as Camunda does;
- Python's ``datetime`` holds years 1..9999 and microseconds, so other years are rejected
  with a ValueError and fractions beyond six digits are truncated.

All functions are pure; parsing is cached by text, the values being immutable. Callers map
the exceptions: ``ValueError`` (bad text), ``TypeError`` (undefined operation),
``KeyError`` (unknown property) and :class:`~flowwire.feel.compare.NotComparable`.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import zoneinfo
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Any

from flowwire.feel import compare
from flowwire.feel.values import DECIMAL_CONTEXT, Range, YearsMonthsDuration, type_name

Temporal = _dt.date | _dt.time | _dt.datetime | _dt.timedelta | YearsMonthsDuration

UTC = _dt.UTC
_MICROS_PER_SECOND = 1_000_000
_SECONDS_PER_DAY = 86_400
_MAX_OFFSET = _dt.timedelta(hours=18)
_ONE_MICRO = _dt.timedelta(microseconds=1)

# ---------------------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------------------

# Years have 4 to 9 digits and no leading zero beyond four digits (as in feel-scala).
_DATE = r"(?P<sign>-)?(?P<year>[1-9]\d{4,8}|\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
_CLOCK = r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
_SUFFIX = r"(?:(?P<utc>Z)|(?P<offset>[+-]\d{2}:\d{2}(?::\d{2})?)|@(?P<zone>.+))?"

_DATE_RE = re.compile(_DATE + r"\Z")
_TIME_RE = re.compile(r"T?" + _CLOCK + _SUFFIX + r"\Z")
_DATE_TIME_RE = re.compile(_DATE + r"T" + _CLOCK + _SUFFIX + r"\Z")
_YM_DURATION_RE = re.compile(r"(?P<sign>-)?P(?:(?P<years>\d{1,9})Y)?(?:(?P<months>\d{1,10})M)?\Z")
_DT_DURATION_RE = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>\d{1,18})D)?"
    r"(?:T(?:(?P<hours>\d{1,18})H)?(?:(?P<minutes>\d{1,18})M)?"
    r"(?:(?P<seconds>\d{1,18})(?:[.,](?P<fraction>\d{0,9}))?S)?)?\Z"
)
_ZONE_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*\Z")


@functools.lru_cache(maxsize=4096)
def parse_temporal(text: str) -> Temporal:
    """The value of an ``@"..."`` literal: a date, time, date-time or duration."""
    if text[:1] == "P" or text[:2] == "-P":
        return parse_duration(text)
    if _DATE_RE.match(text):
        return parse_date(text)
    if _DATE_TIME_RE.match(text):
        return parse_date_and_time(text)
    if _TIME_RE.match(text):
        return parse_time(text)
    raise ValueError(
        f"{_shown(text)} is not a date, time, date-time or duration; "
        'use e.g. @"2019-08-12", @"10:30:00", @"2019-08-12T10:30:00@Europe/Berlin" or @"P1DT2H"'
    )


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> _dt.date:
    """An ISO date ``yyyy-mm-dd``."""
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(f'{_shown(text)} is not a date; write it as yyyy-mm-dd, e.g. "2019-08-12"')
    return _date_of(match, text)


@functools.lru_cache(maxsize=4096)
def parse_time(text: str) -> _dt.time:
    """A time ``hh:mm:ss[.fraction]`` with optional ``Z``, ``+hh:mm`` or ``@zone id``."""
    match = _TIME_RE.match(text)
    if not match:
        raise ValueError(
            f"{_shown(text)} is not a time; write it as hh:mm:ss with an optional offset or zone, "
            'e.g. "10:30:00", "10:30:00+02:00" or "10:30:00@Europe/Berlin"'
        )
    clock, _end_of_day = _clock_of(match, text)  # 24:00:00 is midnight
    return clock.replace(tzinfo=_tzinfo_of(match, text))


@functools.lru_cache(maxsize=4096)
def parse_date_and_time(text: str) -> _dt.datetime:
    """A date-time ``yyyy-mm-ddThh:mm:ss`` with optional offset or zone id.

    A date alone is accepted and means midnight (local), as in Camunda's engine.
    """
    date_match = _DATE_RE.match(text)
    if date_match:
        return _dt.datetime.combine(_date_of(date_match, text), _dt.time())
    match = _DATE_TIME_RE.match(text)
    if not match:
        raise ValueError(
            f"{_shown(text)} is not a date-time; write it as yyyy-mm-ddThh:mm:ss with an optional "
            'offset or zone, e.g. "2019-08-12T10:30:00+02:00" or "2019-08-12T10:30:00@Europe/Berlin"'
        )
    day = _date_of(match, text)
    clock, extra_day = _clock_of(match, text)
    tz = _tzinfo_of(match, text)
    local = _dt.datetime.combine(day, clock)
    try:
        if extra_day:
            local = _checked(lambda: local + _dt.timedelta(days=1))
        if isinstance(tz, zoneinfo.ZoneInfo):
            return attach_zone(local, tz)
    except TypeError:
        raise ValueError(f"{_shown(text)} is outside the years 1..9999") from None
    return local.replace(tzinfo=tz)


@functools.lru_cache(maxsize=4096)
def parse_duration(text: str) -> _dt.timedelta | YearsMonthsDuration:
    """An ISO duration: years-and-months (``P1Y2M``) or days-and-time (``P1DT2H3M4.5S``).

    The two kinds cannot be mixed (``P1Y2D`` is invalid), as in Camunda's engine.
    """
    ym = _YM_DURATION_RE.match(text)
    if ym and (ym["years"] or ym["months"]):
        months = int(ym["years"] or 0) * 12 + int(ym["months"] or 0)
        return YearsMonthsDuration(-months if ym["sign"] else months)
    dt = _DT_DURATION_RE.match(text)
    if dt and (dt["days"] or dt["hours"] or dt["minutes"] or dt["seconds"]):
        if "T" in text and not (dt["hours"] or dt["minutes"] or dt["seconds"]):
            raise ValueError(f'{_shown(text)} has a "T" without hours, minutes or seconds after it')
        micros = (
            (
                int(dt["days"] or 0) * _SECONDS_PER_DAY
                + int(dt["hours"] or 0) * 3600
                + int(dt["minutes"] or 0) * 60
                + int(dt["seconds"] or 0)
            )
            * _MICROS_PER_SECOND
        ) + _fraction_micros(dt["fraction"])
        if dt["sign"]:
            micros = -micros
        try:
            return _dt.timedelta(microseconds=micros)
        except OverflowError:
            raise ValueError(
                f"{_shown(text)} is longer than the longest duration supported"
            ) from None
    raise ValueError(
        f'{_shown(text)} is not a duration; write years and months like "P1Y2M" or days and time '
        'like "P1DT2H30M" (the two kinds cannot be mixed)'
    )


def _shown(text: str) -> str:
    """The text quoted for a message, shortened when long."""
    return '"' + (text if len(text) <= 40 else text[:37] + "...") + '"'


def _date_of(match: re.Match[str], text: str) -> _dt.date:
    year = int(match["year"])
    if match["sign"] or not 1 <= year <= 9999:
        raise ValueError(
            f"{_shown(text)} has a year outside 1..9999, which Python's datetime cannot represent"
        )
    try:
        return _dt.date(year, int(match["month"]), int(match["day"]))
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a valid calendar date") from None


def _clock_of(match: re.Match[str], text: str) -> tuple[_dt.time, bool]:
    """The wall-clock time, and whether it was ``24:00:00`` (the end of the day)."""
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    micros = _fraction_micros(match["fraction"])
    if hour == 24 and minute == 0 and second == 0 and micros == 0:
        return _dt.time(), True
    try:
        return _dt.time(hour, minute, second, micros), False
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a valid time of day") from None


def _fraction_micros(fraction: str | None) -> int:
    return int((fraction or "").ljust(6, "0")[:6])


def _tzinfo_of(match: re.Match[str], text: str) -> _dt.tzinfo | None:
    if match["utc"]:
        return UTC
    if match["offset"]:
        offset = _offset_of(match["offset"], text)
        if abs(offset) > _MAX_OFFSET:
            raise ValueError(f"{_shown(text)} has an offset outside -18:00..+18:00")
        return offset_timezone(offset)
    if match["zone"]:
        return zone_of(match["zone"])
    return None


def _offset_of(spec: str, text: str) -> _dt.timedelta:
    sign = -1 if spec[0] == "-" else 1
    parts = [int(p) for p in spec[1:].split(":")]
    hours, minutes, seconds = [*parts, 0][:3]
    if minutes > 59 or seconds > 59:
        raise ValueError(f'{_shown(text)} has an invalid offset "{spec}"')
    return sign * _dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def offset_timezone(offset: _dt.timedelta) -> _dt.timezone:
    """A fixed-offset tzinfo; offsets beyond +/-18:00 are rejected as in java.time."""
    if abs(offset) > _MAX_OFFSET:
        raise ValueError(f"the offset {offset} is outside -18:00..+18:00")
    return UTC if not offset else _dt.timezone(offset)


def zone_of(zone_id: str) -> zoneinfo.ZoneInfo:
    """The time zone for an IANA id such as ``Europe/Berlin``; ValueError if unknown."""
    if not _ZONE_ID_RE.match(zone_id):
        raise ValueError(f'"{zone_id}" is not a time zone id; use e.g. "Europe/Berlin"')
    try:
        return zoneinfo.ZoneInfo(zone_id)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f'unknown time zone "{zone_id}"; use an IANA id such as "Europe/Berlin"'
        ) from None


# ---------------------------------------------------------------------------------------
# offsets and instants
# ---------------------------------------------------------------------------------------


def is_local(value: _dt.time | _dt.datetime) -> bool:
    """True for a time or date-time without offset or zone."""
    return value.tzinfo is None


def time_offset(value: _dt.time) -> _dt.timedelta | None:
    """The offset of a time: fixed, or the zone's standard offset today, or None if local."""
    tz = value.tzinfo
    if tz is None:
        return None
    if isinstance(tz, zoneinfo.ZoneInfo):
        now = _dt.datetime.now(tz)
        return (now.utcoffset() or _dt.timedelta()) - (now.dst() or _dt.timedelta())
    return value.utcoffset()


def attach_zone(
    local: _dt.datetime, zone: zoneinfo.ZoneInfo, preferred: _dt.timedelta | None = None
) -> _dt.datetime:
    """Attach a zone to a wall-clock time the way java.time does.

    In an overlap the preferred (previous) offset wins if valid, else the earlier one; a time
    in a gap moves forward by the length of the gap.
    """
    candidate = local.replace(tzinfo=zone, fold=0)
    if preferred is not None and candidate.utcoffset() != preferred:
        other = local.replace(tzinfo=zone, fold=1)
        if other.utcoffset() == preferred:
            candidate = other
    return _checked(lambda: candidate.astimezone(UTC).astimezone(zone))


_FIRST_MOMENT = _dt.datetime(1, 1, 1)


def _instant(value: _dt.datetime) -> _dt.timedelta:
    """The instant of a date-time (its wall time if local) as a span since 0001-01-01.

    A timedelta cannot overflow here, unlike converting to UTC near the years 1 and 9999.
    """
    since = value.replace(tzinfo=None) - _FIRST_MOMENT
    offset = value.utcoffset()
    return since - offset if offset is not None else since


def _at_utc_midnight(day: _dt.date) -> _dt.datetime:
    return _dt.datetime(day.year, day.month, day.day, tzinfo=UTC)


def _time_key(value: _dt.time) -> int:
    """Microseconds of the day, shifted by the offset (not wrapped, like java.time)."""
    micros = (
        value.hour * 3600 + value.minute * 60 + value.second
    ) * _MICROS_PER_SECOND + value.microsecond
    offset = time_offset(value)
    if offset is not None:
        micros -= offset // _ONE_MICRO
    return micros


def _checked(compute: Any) -> Any:
    """Run a date computation, turning Python's range errors into a readable TypeError."""
    try:
        return compute()
    except (OverflowError, ValueError):
        raise TypeError(
            "the result is outside the years 1..9999 that Python's datetime can represent"
        ) from None


# ---------------------------------------------------------------------------------------
# comparison
# ---------------------------------------------------------------------------------------


def temporal_equal(a: Any, b: Any) -> bool | None:
    """``a = b`` for two date-times or two times; None when not comparable."""
    try:
        return temporal_compare(a, b) == 0
    except compare.NotComparable:
        return None


def temporal_compare(a: Any, b: Any) -> int:
    """Order two date-times or two times by their instant; raise NotComparable otherwise."""
    if isinstance(a, _dt.datetime) and isinstance(b, _dt.datetime):
        if is_local(a) != is_local(b):
            raise compare.NotComparable(
                "can't compare a date and time without offset or zone with one that has one"
            )
        x, y = _instant(a), _instant(b)
        return (x > y) - (x < y)
    if (
        isinstance(a, _dt.time)
        and isinstance(b, _dt.time)
        and not isinstance(a, _dt.datetime)
        and not isinstance(b, _dt.datetime)
    ):
        if is_local(a) != is_local(b):
            raise compare.NotComparable(
                "can't compare a time without offset or zone with one that has one"
            )
        ka, kb = _time_key(a), _time_key(b)
        return (ka > kb) - (ka < kb)
    raise compare.NotComparable(f"can't compare {type(a).__name__} with {type(b).__name__}")


# ---------------------------------------------------------------------------------------
# arithmetic
# ---------------------------------------------------------------------------------------


def _is_date(value: Any) -> bool:
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)


def _is_time(value: Any) -> bool:
    return isinstance(value, _dt.time)


def _is_number(value: Any) -> bool:
    return isinstance(value, Decimal)


def add(a: Any, b: Any) -> Any:
    """``a + b`` where at least one operand is temporal."""
    if isinstance(a, (_dt.timedelta, YearsMonthsDuration)) and not isinstance(
        b, (_dt.timedelta, YearsMonthsDuration)
    ):
        a, b = b, a  # durations commute with dates and times
    if isinstance(b, _dt.timedelta):
        if isinstance(a, _dt.timedelta):
            return _checked(lambda: a + b)
        if isinstance(a, _dt.datetime):
            return plus_duration(a, b)
        if _is_date(a):
            return _checked(lambda: (_dt.datetime.combine(a, _dt.time()) + b).date())
        if _is_time(a):
            return _time_plus(a, b)
    if isinstance(b, YearsMonthsDuration):
        if isinstance(a, YearsMonthsDuration):
            return YearsMonthsDuration(a.months + b.months)
        if isinstance(a, _dt.datetime):
            return plus_months(a, b.months)
        if _is_date(a):
            return plus_months(a, b.months)
    raise TypeError(f"can't add {_describe(b)} to {_describe(a)}")


def subtract(a: Any, b: Any) -> Any:
    """``a - b`` where at least one operand is temporal."""
    if isinstance(b, _dt.timedelta):
        if isinstance(a, _dt.timedelta):
            return _checked(lambda: a - b)
        if isinstance(a, _dt.datetime):
            return plus_duration(a, -b)
        if _is_date(a):
            return _checked(lambda: (_dt.datetime.combine(a, _dt.time()) - b).date())
        if _is_time(a):
            return _time_plus(a, -b)
    if isinstance(b, YearsMonthsDuration):
        if isinstance(a, YearsMonthsDuration):
            return YearsMonthsDuration(a.months - b.months)
        if isinstance(a, _dt.datetime) or _is_date(a):
            return plus_months(a, -b.months)
    if _is_date(a) and _is_date(b):
        return _dt.timedelta(days=(a - b).days)
    if isinstance(a, (_dt.datetime, _dt.date)) and isinstance(b, (_dt.datetime, _dt.date)):
        # A date meets a date-time: DMN 1.5 takes the date as midnight UTC.
        x = a if isinstance(a, _dt.datetime) else _at_utc_midnight(a)
        y = b if isinstance(b, _dt.datetime) else _at_utc_midnight(b)
        if is_local(x) != is_local(y):
            raise TypeError(
                "can't subtract a date and time with offset or zone and one without; "
                "give both an offset or zone, or neither"
            )
        return _instant(x) - _instant(y)
    if _is_time(a) and _is_time(b):
        if is_local(a) != is_local(b):
            raise TypeError(
                "can't subtract a time with offset or zone and one without; "
                "give both an offset or zone, or neither"
            )
        return _dt.timedelta(microseconds=_time_key(a) - _time_key(b))
    raise TypeError(f"can't subtract {_describe(b)} from {_describe(a)}")


def multiply(a: Any, b: Any) -> Any:
    """``a * b``: a duration times a number (in either order)."""
    if _is_number(a) and isinstance(b, (_dt.timedelta, YearsMonthsDuration)):
        a, b = b, a
    if isinstance(a, _dt.timedelta) and _is_number(b):
        return _micros_to_timedelta(DECIMAL_CONTEXT.multiply(Decimal(a // _ONE_MICRO), b))
    if isinstance(a, YearsMonthsDuration) and _is_number(b):
        return YearsMonthsDuration(_truncate(DECIMAL_CONTEXT.multiply(Decimal(a.months), b)))
    raise TypeError(f"can't multiply {_describe(a)} by {_describe(b)}")


def divide(a: Any, b: Any) -> Any:
    """``a / b``: a duration by a number, or a duration by a duration of the same kind."""
    if isinstance(a, _dt.timedelta):
        if _is_number(b) and not b.is_zero():
            return _micros_to_timedelta(DECIMAL_CONTEXT.divide(Decimal(a // _ONE_MICRO), b))
        if isinstance(b, _dt.timedelta) and b:
            return DECIMAL_CONTEXT.divide(Decimal(a // _ONE_MICRO), Decimal(b // _ONE_MICRO))
    if isinstance(a, YearsMonthsDuration):
        if _is_number(b) and not b.is_zero():
            return YearsMonthsDuration(_truncate(DECIMAL_CONTEXT.divide(Decimal(a.months), b)))
        if isinstance(b, YearsMonthsDuration) and b.months:
            return DECIMAL_CONTEXT.divide(Decimal(a.months), Decimal(b.months))
    if isinstance(b, (Decimal, _dt.timedelta, YearsMonthsDuration)) and not b:
        raise TypeError(f"can't divide {_describe(a)} by zero")
    raise TypeError(f"can't divide {_describe(a)} by {_describe(b)}")


def plus_duration(value: _dt.datetime, duration: _dt.timedelta) -> _dt.datetime:
    """A date-time moved by an exact duration (along the instant timeline if zoned)."""
    tz = value.tzinfo
    if isinstance(tz, zoneinfo.ZoneInfo):
        return _checked(lambda: (value.astimezone(UTC) + duration).astimezone(tz))
    return _checked(lambda: value + duration)


def plus_months(value: _dt.date, months: int) -> Any:
    """A date or date-time moved by calendar months, clamping the day to the month's end."""
    total = value.year * 12 + (value.month - 1) + months
    year, month0 = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise TypeError(
            "the result is outside the years 1..9999 that Python's datetime can represent"
        )
    day = min(value.day, _days_in_month(year, month0 + 1))
    moved = value.replace(year=year, month=month0 + 1, day=day)
    if isinstance(moved, _dt.datetime) and isinstance(moved.tzinfo, zoneinfo.ZoneInfo):
        assert isinstance(value, _dt.datetime)
        return attach_zone(moved.replace(tzinfo=None), moved.tzinfo, value.utcoffset())
    return moved


def _time_plus(value: _dt.time, duration: _dt.timedelta) -> _dt.time:
    """A time moved by a duration, wrapping around midnight."""
    day_micros = _SECONDS_PER_DAY * _MICROS_PER_SECOND
    micros = (
        (value.hour * 3600 + value.minute * 60 + value.second) * _MICROS_PER_SECOND
        + value.microsecond
        + duration // _ONE_MICRO
    ) % day_micros
    seconds, micro = divmod(micros, _MICROS_PER_SECOND)
    return _dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro, tzinfo=value.tzinfo)


def _micros_to_timedelta(micros: Decimal) -> _dt.timedelta:
    whole = micros.to_integral_value(rounding=ROUND_HALF_EVEN)
    if not whole.is_finite():
        raise TypeError("the resulting duration is not a finite length of time")
    try:
        return _dt.timedelta(microseconds=int(whole))
    except OverflowError:
        raise TypeError("the resulting duration is longer than the longest supported") from None


def _truncate(number: Decimal) -> int:
    if not number.is_finite():
        raise TypeError("the resulting duration is not a finite number of months")
    return int(number.to_integral_value(rounding=ROUND_DOWN))


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (_dt.date(year, month + 1, 1) - _dt.date(year, month, 1)).days


def years_and_months_between(start: _dt.date, end: _dt.date) -> YearsMonthsDuration:
    """Whole months from one date to another (signed), ignoring a partial month."""
    months = (end.year * 12 + end.month) - (start.year * 12 + start.month)
    days = end.day - start.day
    if months > 0 and days < 0:
        months -= 1
    elif months < 0 and days > 0:
        months += 1
    return YearsMonthsDuration(months)


def _describe(value: Any) -> str:
    return f"a value of type {type_name(value)}" if value is not None else "null"


# ---------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------

_DATE_PROPERTIES = ("year", "month", "day", "weekday")
_TIME_PROPERTIES = ("hour", "minute", "second", "time offset", "timezone")
_DT_DURATION_PROPERTIES = ("days", "hours", "minutes", "seconds")
_YM_DURATION_PROPERTIES = ("years", "months")
_RANGE_PROPERTIES = ("start", "end", "start included", "end included")


def property_names(value: Any) -> tuple[str, ...]:
    """The properties a value offers (empty for values without properties)."""
    if isinstance(value, _dt.datetime):
        return _DATE_PROPERTIES + _TIME_PROPERTIES
    if isinstance(value, _dt.date):
        return _DATE_PROPERTIES
    if isinstance(value, _dt.time):
        return _TIME_PROPERTIES
    if isinstance(value, _dt.timedelta):
        return _DT_DURATION_PROPERTIES
    if isinstance(value, YearsMonthsDuration):
        return _YM_DURATION_PROPERTIES
    if isinstance(value, Range):
        return _RANGE_PROPERTIES
    return ()


def get_property(value: Any, name: str) -> Any:
    """A property of a temporal value (or a range); KeyError for an unknown name."""
    if name not in property_names(value):
        available = ", ".join(f"'{n}'" for n in property_names(value)) or "none"
        raise KeyError(f"Available properties: {available}")
    if isinstance(value, Range):
        return {
            "start": value.start,
            "end": value.end,
            "start included": value.start_included,
            "end included": value.end_included,
        }[name]
    if isinstance(value, _dt.timedelta):
        return _dt_duration_part(value, name)
    if isinstance(value, YearsMonthsDuration):
        return Decimal(value.years_part if name == "years" else value.months_part)
    if name in _DATE_PROPERTIES:
        assert isinstance(value, _dt.date)
        number = value.isoweekday() if name == "weekday" else getattr(value, name)
        return Decimal(number)
    assert isinstance(value, (_dt.time, _dt.datetime))
    if name == "time offset":
        if isinstance(value, _dt.datetime):
            return value.utcoffset()
        return time_offset(value)
    if name == "timezone":
        tz = value.tzinfo
        return tz.key if isinstance(tz, zoneinfo.ZoneInfo) else None
    return Decimal(getattr(value, name))


def _dt_duration_part(value: _dt.timedelta, name: str) -> Decimal:
    micros = value // _ONE_MICRO
    sign = -1 if micros < 0 else 1
    seconds = abs(micros) // _MICROS_PER_SECOND
    part = {
        "days": seconds // _SECONDS_PER_DAY,
        "hours": seconds // 3600 % 24,
        "minutes": seconds // 60 % 60,
        "seconds": seconds % 60,
    }[name]
    return Decimal(sign * part)
