"""Equality and ordering of FEEL values, shared by operators and built-ins.

FEEL compares only values of the same type; anything else is "not comparable", which the
evaluator turns into ``null`` plus a NOT_COMPARABLE warning.
"""

from __future__ import annotations

from typing import Any

# temporal imports this module back; the cycle is safe as both use attribute access only
from flowwire.feel import temporal
from flowwire.feel.values import type_name as _kind


class NotComparable(TypeError):
    """The two values have no defined order or equality in FEEL."""


#: types whose values Python's == compares as FEEL does
_PLAIN_EQUALITY = frozenset(
    {
        "boolean",
        "number",
        "string",
        "date",
        "days and time duration",
        "years and months duration",
        "range",
    }
)
#: types with an order (`<`, `between`, `min`, `sort`, ...)
_ORDERED = frozenset(
    {
        "number",
        "string",
        "date",
        "date and time",
        "time",
        "days and time duration",
        "years and months duration",
    }
)


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
    if ka in _PLAIN_EQUALITY:
        return bool(a == b)
    return a is b  # functions and foreign objects: only the same object is equal


def feel_compare(a: Any, b: Any) -> int:
    """Order two FEEL values: -1, 0 or 1. Raises :class:`NotComparable` otherwise."""
    ka, kb = _kind(a), _kind(b)
    if ka != kb or ka not in _ORDERED:
        raise NotComparable(f"can't compare {ka} with {kb}")
    if ka in ("date and time", "time"):
        return temporal.temporal_compare(a, b)
    return (a > b) - (a < b)
