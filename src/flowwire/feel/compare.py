"""Equality and ordering of FEEL values, shared by operators and built-ins.

FEEL compares only values of the same type; anything else is "not comparable", which the
evaluator turns into ``null`` plus a NOT_COMPARABLE warning.
"""

from __future__ import annotations

import datetime as _dt
import decimal
from typing import Any

# temporal imports this module back; the cycle is safe as both use attribute access only
from flowwire.feel import temporal
from flowwire.feel.values import Range, YearsMonthsDuration


class NotComparable(TypeError):
    """The two values have no defined order or equality in FEEL."""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, decimal.Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, _dt.datetime):
        return "date and time"
    if isinstance(value, _dt.date):
        return "date"
    if isinstance(value, _dt.time):
        return "time"
    if isinstance(value, _dt.timedelta):
        return "dt-duration"
    if isinstance(value, YearsMonthsDuration):
        return "ym-duration"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "context"
    if isinstance(value, Range):
        return "range"
    return "other"


def feel_equal(a: Any, b: Any) -> bool | None:
    """``a = b`` in FEEL: True/False, or None when the values are not comparable.

    ``null = null`` is true and ``x = null`` is false for any non-null ``x``.
    """
    if a is None or b is None:
        return a is None and b is None
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        return None
    if ka == "list":
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):
            eq = feel_equal(x, y)
            if eq is not True:
                return eq
        return True
    if ka == "context":
        if a.keys() != b.keys():
            return False
        for key, x in a.items():
            eq = feel_equal(x, b[key])
            if eq is not True:
                return eq
        return True
    if ka in ("date and time", "time"):
        return temporal.temporal_equal(a, b)
    if ka == "other":
        return a is b
    return bool(a == b)


def feel_compare(a: Any, b: Any) -> int:
    """Order two FEEL values: -1, 0 or 1. Raises :class:`NotComparable` otherwise."""
    ka, kb = _kind(a), _kind(b)
    if ka != kb or ka in ("null", "boolean", "list", "context", "range", "other"):
        raise NotComparable(f"can't compare {ka} with {kb}")
    if ka in ("date and time", "time"):
        return temporal.temporal_compare(a, b)
    return (a > b) - (a < b)
