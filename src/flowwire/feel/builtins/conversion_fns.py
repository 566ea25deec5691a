"""Conversion built-ins: ``string()``, ``number()`` and Camunda's ``from json()``/``to json()``.

The temporal conversions (``date()``, ``time()``, ``duration()``, ...) live in
``temporal_fns``; ``context(entries)`` lives with the other context functions.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import re
import zoneinfo
from decimal import Decimal
from typing import Any

from flowwire.feel.builtins.numeric_fns import describe
from flowwire.feel.builtins.registry import builtin
from flowwire.feel.errors import InvalidArgument
from flowwire.feel.values import DECIMAL_CONTEXT

# The number syntax java.math.BigDecimal accepts: no spaces, underscores, NaN or Infinity.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")
_GROUPING_SEPARATORS = (" ", ",", ".")
_DECIMAL_SEPARATORS = (",", ".")


@builtin("string", "from")
def string(from_: Any) -> str | None:
    """The text of any value, formatted as Camunda does; ``string(null)`` is null."""
    from flowwire.feel import format as feel_format

    return feel_format.to_string(from_)


def parse_number(text: str, function: str = "number") -> Decimal:
    """A number from its text such as ``-1.5`` or ``2e3``, rounded to 34 digits."""
    if not _NUMBER.match(text):
        raise InvalidArgument(f'{function}() can\'t read "{text[:40]}" as a number')
    number = DECIMAL_CONTEXT.create_decimal(text)
    if not number.is_finite():
        raise InvalidArgument(f'{function}() got "{text[:40]}", which is too large for a number')
    return number


def _text(value: Any, param: str) -> str:
    if isinstance(value, str):
        return value
    raise InvalidArgument(f"number() expects a string for '{param}', but got {describe(value)}")


def _separator(value: Any, param: str, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        choices = ", ".join(f'"{s}"' for s in allowed)
        raise InvalidArgument(
            f"number() expects one of {choices} for '{param}', but got {describe(value)}"
        )
    return str(value)


@builtin("number", "from")
def number(from_: Any) -> Decimal:
    return parse_number(_text(from_, "from"))


@builtin("number", "from", "grouping separator")
def number_grouped(from_: Any, grouping_separator: Any) -> Decimal:
    return number_formatted(from_, grouping_separator, None)


@builtin("number", "from", "grouping separator", "decimal separator")
def number_formatted(from_: Any, grouping_separator: Any, decimal_separator: Any) -> Decimal:
    """``number("1.000,5", ".", ",") = 1000.5``; either separator may be null."""
    text = _text(from_, "from")
    grouping = _separator(grouping_separator, "grouping separator", _GROUPING_SEPARATORS)
    point = _separator(decimal_separator, "decimal separator", _DECIMAL_SEPARATORS)
    if grouping is not None and grouping == point:
        raise InvalidArgument("number() needs different grouping and decimal separators")
    if grouping is not None:
        text = text.replace(grouping, "")
    if point is not None:
        text = text.replace(point, ".")
    return parse_number(text)


@builtin("from json", "value")
def from_json(value: Any) -> Any:
    """A FEEL value from JSON text: objects become contexts, numbers exact (Camunda)."""
    if not isinstance(value, str):
        raise InvalidArgument(f"from json() expects a string, but got {describe(value)}")
    try:
        return json.loads(
            value,
            parse_float=DECIMAL_CONTEXT.create_decimal,
            parse_int=DECIMAL_CONTEXT.create_decimal,
            parse_constant=_reject_constant,
        )
    except (ValueError, RecursionError, decimal.InvalidOperation) as error:
        raise InvalidArgument(f"from json() got text that is not JSON: {error}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


@builtin("to json", "value")
def to_json(value: Any) -> str:
    """Compact JSON text of a value (Camunda): temporals as ISO strings, key order kept.

    A date-time with a zone id is written as java.time does it,
    ``2025-11-24T10:00:00+01:00[Europe/Berlin]``.
    """
    from flowwire.feel import format as feel_format

    return feel_format.json_dumps(_with_zoned_texts(value))


def _with_zoned_texts(value: Any) -> Any:
    if isinstance(value, list):
        return [_with_zoned_texts(item) for item in value]
    if isinstance(value, dict):
        return {key: _with_zoned_texts(item) for key, item in value.items()}
    if isinstance(value, _dt.datetime) and isinstance(value.tzinfo, zoneinfo.ZoneInfo):
        from flowwire.feel import format as feel_format

        local = feel_format.date_and_time_text(value.replace(tzinfo=None))
        offset = value.utcoffset() or _dt.timedelta()
        return f"{local}{_offset_text(offset)}[{value.tzinfo.key}]"
    return value


def _offset_text(offset: _dt.timedelta) -> str:
    """``Z``, ``+01:00`` or ``-03:30:15``, as java.time writes offsets."""
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
