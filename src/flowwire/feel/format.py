"""The text of FEEL values: what ``string(x)`` returns, and how results are displayed.

The format is Camunda's (feel-scala): numbers without exponent, ISO dates and times with
``Z``/``+02:00`` offsets or ``@Europe/Berlin`` zone ids, durations normalised (``P1DT2H``,
``P2Y1M``; zero as ``P0D`` and ``P0Y``), lists as ``[1, "a"]``, contexts as ``{a:1, b:"x"}``,
ranges as ``[1..5]``. Deliberate differences from Camunda, for output that reads back as
FEEL: nested strings escape ``"`` and ``\\``, context keys that are not plain names are
quoted, and fractional seconds of a duration are kept (``PT0.5S``) instead of dropped.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import zoneinfo
from decimal import Decimal
from typing import Any

from flowwire.feel.values import FeelFunction, Range, YearsMonthsDuration

_PLAIN_KEY = re.compile(r"[^\W\d][\w?]*(?: [\w?]+)*\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def to_string(value: Any) -> str | None:
    """FEEL's ``string(value)``: a string unchanged, null as None, anything else as text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return _text(value)


def to_feel_text(value: Any) -> str:
    """The text of a value for display: like :func:`to_string`, with strings quoted."""
    return _text(value)


def _text(value: Any) -> str:
    """The text of a value nested in a list or context (strings quoted, null as ``null``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, (int, float)):
        return number_text(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    if isinstance(value, _dt.datetime):
        return date_and_time_text(value)
    if isinstance(value, _dt.date):
        return date_text(value)
    if isinstance(value, _dt.time):
        return time_text(value)
    if isinstance(value, _dt.timedelta):
        return dt_duration_text(value)
    if isinstance(value, YearsMonthsDuration):
        return ym_duration_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(_text(item) for item in value) + "]"
    if isinstance(value, dict):
        entries = (f"{_key(str(key))}:{_text(item)}" for key, item in value.items())
        return "{" + ", ".join(entries) + "}"
    if isinstance(value, Range):
        return range_text(value)
    if isinstance(value, FeelFunction):
        return f"function({', '.join(value.params)})"
    if callable(value):
        return "function"
    return str(value)


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in text) + '"'


def _key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) else _quote(key)


def number_text(number: Decimal) -> str:
    """A number in plain notation: ``100`` rather than ``1E+2``, trailing digits kept."""
    if not number.is_finite():
        return str(number)
    if number.is_zero():
        number = number.copy_abs()
    return format(number, "f")


def date_text(value: _dt.date) -> str:
    return value.isoformat()


def _clock_text(value: _dt.time | _dt.datetime) -> str:
    text = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text


def _offset_text(offset: _dt.timedelta) -> str:
    if not offset:
        return "Z"
    sign = "-" if offset < _dt.timedelta() else "+"
    seconds = abs(offset) // _dt.timedelta(seconds=1)
    text = f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
    return text + (f":{seconds % 60:02d}" if seconds % 60 else "")


def _zone_suffix(value: _dt.time | _dt.datetime) -> str:
    tz = value.tzinfo
    if tz is None:
        return ""
    if isinstance(tz, zoneinfo.ZoneInfo):
        return "@" + tz.key
    offset = value.utcoffset()
    return _offset_text(offset) if offset is not None else ""


def time_text(value: _dt.time) -> str:
    """``10:30:00``, ``10:30:00.5``, ``10:30:00Z``, ``10:30:00+02:00`` or ``10:30:00@Europe/Berlin``."""
    return _clock_text(value) + _zone_suffix(value)


def date_and_time_text(value: _dt.datetime) -> str:
    """``2019-08-12T10:30:00`` with the same suffixes as :func:`time_text`."""
    return f"{value.date().isoformat()}T{_clock_text(value)}{_zone_suffix(value)}"


def dt_duration_text(value: _dt.timedelta) -> str:
    """``P1DT2H3M4.5S``, ``-PT5M``; zero is ``P0D``. Hours never exceed 23."""
    micros = value // _dt.timedelta(microseconds=1)
    if micros == 0:
        return "P0D"
    sign = "-" if micros < 0 else ""
    seconds, fraction = divmod(abs(micros), 1_000_000)
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    text = f"{sign}P" + (f"{days}D" if days else "")
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if seconds or fraction:
        clock += str(seconds) + (f".{fraction:06d}".rstrip("0") if fraction else "") + "S"
    return text + ("T" + clock if clock else "")


def ym_duration_text(value: YearsMonthsDuration) -> str:
    """``P1Y2M``, ``-P3M``; zero is ``P0Y``."""
    if value.months == 0:
        return "P0Y"
    sign = "-" if value.months < 0 else ""
    years, months = divmod(abs(value.months), 12)
    return f"{sign}P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")


def range_text(value: Range) -> str:
    """``[1..5]``, ``(1..5)``; a range open on one side as ``< 10``, ``>= 5``."""
    if value.start is None and value.end is not None:
        return ("<= " if value.end_included else "< ") + _text(value.end)
    if value.end is None and value.start is not None:
        return (">= " if value.start_included else "> ") + _text(value.start)
    left = "[" if value.start_included else "("
    right = "]" if value.end_included else ")"
    return f"{left}{_text(value.start)}..{_text(value.end)}{right}"


def to_json_compatible(value: Any) -> Any:
    """A FEEL value as plain JSON-ready Python: dict, list, str, bool, None, int or Decimal.

    Integral numbers become ``int``; other numbers stay ``Decimal`` so no digit is lost
    (``float`` would round) - serialise them with :func:`json_dumps`, which writes them as
    JSON numbers. Temporal values and ranges become their FEEL text (``"2019-08-12"``,
    ``"P1D"``); functions become None.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, list):
        return [to_json_compatible(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json_compatible(item) for key, item in value.items()}
    if isinstance(value, FeelFunction) or callable(value):
        return None
    return _text(value)


def json_dumps(value: Any) -> str:
    """Compact JSON text of a FEEL value (as Camunda's ``to json``), numbers exact."""
    return _json(to_json_compatible(value))


def _json(value: Any) -> str:
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, list):
        return "[" + ",".join(_json(item) for item in value) + "]"
    if isinstance(value, dict):
        entries = (
            json.dumps(key, ensure_ascii=False) + ":" + _json(item) for key, item in value.items()
        )
        return "{" + ",".join(entries) + "}"
    return json.dumps(value, ensure_ascii=False)
