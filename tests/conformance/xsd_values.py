"""Typed values of the DMN TCK test files, turned into FEEL's Python values and compared.

The TCK writes values as XML (``testCases.xsd``'s ``valueType``): ``<value xsi:type="xsd:…">``,
``<component name="…">`` for contexts, ``<list><item>…</item></list>`` and ``xsi:nil``.
Temporal text is parsed here, independently of the engine, so that the oracle does not
share the engine's bugs.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from flowwire.feel.values import YearsMonthsDuration

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

#: relative tolerance for numbers, as the TCK's own runners use
NUMBER_TOLERANCE = Decimal("1e-8")


class Unrepresentable(ValueError):
    """A TCK value that Python's datetime types cannot hold (year, sub-microsecond)."""


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def children(element: etree._Element, name: str | None = None) -> list[etree._Element]:
    """Child elements (comments skipped), optionally only those with one local name."""
    return [
        c
        for c in element
        if isinstance(c.tag, str) and (name is None or etree.QName(c).localname == name)
    ]


def read_value(element: etree._Element) -> Any:
    """The FEEL value held by a ``valueType`` element (``inputNode``, ``expected``, ``item``…)."""
    if element.get(XSI_NIL) == "true":
        return None
    kids = [c for c in children(element) if local_name(c) != "extensionElements"]
    components = [c for c in kids if local_name(c) == "component"]
    if components:
        return {c.get("name", ""): read_value(c) for c in components}
    for child in kids:
        kind = local_name(child)
        if kind == "value":
            return _read_simple(child)
        if kind == "list":
            if child.get(XSI_NIL) == "true":
                return None
            return [read_value(item) for item in children(child, "item")]
    return None


def _read_simple(element: etree._Element) -> Any:
    if element.get(XSI_NIL) == "true":
        return None
    text = element.text or ""
    xsd_type = element.get(XSI_TYPE)
    if xsd_type is None:
        return _untyped(text)
    kind = xsd_type.rpartition(":")[2]
    return parse_typed(kind, text)


def _untyped(text: str) -> Any:
    """Values without ``xsi:type`` (a few non-compliant tests): infer boolean or number."""
    stripped = text.strip()
    if stripped in ("true", "false"):
        return stripped == "true"
    try:
        return Decimal(stripped)
    except InvalidOperation:
        return text


def parse_typed(kind: str, text: str) -> Any:
    """One ``xsd:`` simple value; raises :class:`Unrepresentable` for what Python can't hold."""
    if kind == "string":
        return text
    stripped = text.strip()
    if kind in ("decimal", "integer", "int", "long", "double", "float"):
        if stripped in ("INF", "-INF", "NaN"):
            raise Unrepresentable(f"{stripped} is not a FEEL number")
        return Decimal(stripped)
    if kind == "boolean":
        return stripped in ("true", "1")
    if kind == "date":
        return parse_date(stripped)
    if kind == "time":
        return parse_time(stripped)
    if kind == "dateTime":
        return parse_date_time(stripped)
    if kind in ("duration", "dayTimeDuration", "yearMonthDuration"):
        return parse_duration(stripped)
    raise ValueError(f"unknown xsi:type xsd:{kind}")


_DATE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?")
_DURATION = re.compile(
    r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?"
)


def parse_date(text: str) -> dt.date:
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(f"not an xsd:date: {text!r}")
    return _date(*match.groups())


def _date(year: str, month: str, day: str) -> dt.date:
    y = int(year)
    if not 1 <= y <= 9999:
        raise Unrepresentable(f"year {y} is outside Python's 1..9999")
    return dt.date(y, int(month), int(day))


def _micros(fraction: str | None) -> int:
    if not fraction:
        return 0
    if len(fraction) > 6 and int(fraction[6:]) != 0:
        raise Unrepresentable(f"fraction .{fraction} is finer than Python's microseconds")
    return int(fraction[:6].ljust(6, "0"))


def _offset(text: str | None) -> dt.tzinfo | None:
    if text is None:
        return None
    if text == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def parse_time(text: str) -> dt.time:
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"not an xsd:time: {text!r}")
    hour, minute, second, fraction, offset = match.groups()
    return dt.time(int(hour), int(minute), int(second), _micros(fraction), _offset(offset))


def parse_date_time(text: str) -> dt.datetime:
    date_text, sep, time_text = text.partition("T")
    if not sep:
        day = parse_date(date_text)
        return dt.datetime(day.year, day.month, day.day)
    day = parse_date(date_text)
    clock = parse_time(time_text)
    return dt.datetime.combine(day, clock)


def parse_duration(text: str) -> dt.timedelta | YearsMonthsDuration:
    match = _DURATION.fullmatch(text)
    body = text.lstrip("-")
    if not match or body in ("P", "PT") or body.endswith("T"):
        raise ValueError(f"not an xsd:duration: {text!r}")
    negative, years, months, days, hours, minutes, seconds, fraction = match.groups()
    sign = -1 if negative else 1
    has_year_month = years is not None or months is not None
    has_day_time = any(p is not None for p in (days, hours, minutes, seconds))
    if has_year_month and has_day_time:
        raise ValueError(f"FEEL has no duration mixing years/months and days/time: {text!r}")
    if has_year_month:
        return YearsMonthsDuration(sign * (int(years or 0) * 12 + int(months or 0)))
    delta = dt.timedelta(
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
        microseconds=_micros(fraction),
    )
    return -delta if negative else delta


def values_match(expected: Any, actual: Any) -> bool:
    """Whether an engine result equals a TCK expected value (same FEEL type, see module doc)."""
    if expected is None:
        return actual is None
    if isinstance(expected, bool):
        return isinstance(actual, bool) and actual == expected
    if isinstance(expected, Decimal):
        return isinstance(actual, Decimal) and numbers_close(expected, actual)
    if isinstance(expected, str):
        return isinstance(actual, str) and actual == expected
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(values_match(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and set(actual) == set(expected)
            and all(values_match(expected[k], actual[k]) for k in expected)
        )
    if isinstance(expected, dt.datetime):
        return isinstance(actual, dt.datetime) and _same_instant_and_offset(expected, actual)
    if isinstance(expected, dt.date):
        return type(actual) is dt.date and actual == expected
    if isinstance(expected, dt.time):
        return isinstance(actual, dt.time) and _same_time(expected, actual)
    if isinstance(expected, dt.timedelta):
        return isinstance(actual, dt.timedelta) and actual == expected
    if isinstance(expected, YearsMonthsDuration):
        return isinstance(actual, YearsMonthsDuration) and actual.months == expected.months
    return bool(expected == actual)


def numbers_close(expected: Decimal, actual: Decimal) -> bool:
    if actual.is_nan():
        return False
    if expected == actual:
        return True
    scale = max(abs(expected), abs(actual))
    return abs(expected - actual) <= NUMBER_TOLERANCE * scale


def _same_instant_and_offset(expected: dt.datetime, actual: dt.datetime) -> bool:
    if (expected.tzinfo is None) != (actual.tzinfo is None):
        return False
    if expected.tzinfo is None:
        return expected == actual
    return expected == actual and expected.utcoffset() == actual.utcoffset()


def _same_time(expected: dt.time, actual: dt.time) -> bool:
    if expected.replace(tzinfo=None) != actual.replace(tzinfo=None):
        return False
    if (expected.tzinfo is None) != (actual.tzinfo is None):
        return False
    if expected.tzinfo is None:
        return True
    anchor = dt.datetime(2000, 1, 1)
    return expected.tzinfo.utcoffset(anchor) == actual.tzinfo.utcoffset(anchor)  # type: ignore[union-attr]
