"""Boolean built-ins: ``not(negand)``, DMN 1.5's ``is(value1, value2)`` and Camunda's
``is defined(value)``.

The compiler evaluates ``is defined(x)`` itself, so that a missing ``x`` yields false without
a warning; the entry here serves the named form ``is defined(value: x)`` and function values.
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from typing import Any

from flowwire.feel.builtins.registry import builtin
from flowwire.feel.compare import feel_equal
from flowwire.feel.values import type_name


@builtin("not", "negand")
def not_(negand: Any) -> bool | None:
    """Logical negation; null for null and for any non-boolean, as Camunda.

    The compiler inlines ``not(x)`` calls; this entry serves ``not`` as a function value.
    """
    return not negand if isinstance(negand, bool) else None


@builtin("is defined", "value")
def is_defined(value: Any) -> bool:
    """False for null (Camunda extension)."""
    return value is not None


@builtin("is", "value1?", "value2?")
def is_(value1: Any = None, value2: Any = None) -> bool:
    """True if both values are of the same type and identical.

    Unlike ``=``, times and date-times must also agree on their zone: ``@"10:00:00Z"`` is
    ``@"10:00:00+00:00"``, but not ``@"10:00:00@Etc/UTC"``, and ``12:00:00+01:00`` is not
    ``13:00:00+02:00`` although both denote the same instant.
    """
    if value1 is None or value2 is None:
        return value1 is None and value2 is None
    if type_name(value1) != type_name(value2):
        return False
    if isinstance(value1, (_dt.time, _dt.datetime)):
        return _same_clock(value1, value2) and _same_zone(value1, value2)
    return feel_equal(value1, value2) is True


def _same_clock(a: _dt.time | _dt.datetime, b: _dt.time | _dt.datetime) -> bool:
    return a.replace(tzinfo=None) == b.replace(tzinfo=None)


def _same_zone(a: _dt.time | _dt.datetime, b: _dt.time | _dt.datetime) -> bool:
    zone_a, zone_b = a.tzinfo, b.tzinfo
    if zone_a is None or zone_b is None:
        return zone_a is zone_b
    if isinstance(zone_a, zoneinfo.ZoneInfo) or isinstance(zone_b, zoneinfo.ZoneInfo):
        return getattr(zone_a, "key", None) == getattr(zone_b, "key", None)
    return zone_a.utcoffset(None) == zone_b.utcoffset(None)
