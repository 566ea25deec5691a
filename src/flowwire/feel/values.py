"""FEEL values as Python objects, and the conversion of Python inputs into them.

The mapping (both directions) is part of the public API:

=====================  ======================================================
FEEL                   Python
=====================  ======================================================
number                 ``decimal.Decimal`` (34 digits, DECIMAL128 rounding)
string / boolean/null  ``str`` / ``bool`` / ``None``
list / context         ``list`` / ``dict`` with ``str`` keys (order kept)
date / time            ``datetime.date`` / ``datetime.time``
date and time          ``datetime.datetime``
days-time duration     ``datetime.timedelta``
years-months duration  :class:`YearsMonthsDuration`
range                  :class:`Range`
function               :class:`FeelFunction` (any Python callable on input)
=====================  ======================================================
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Arithmetic context for every FEEL number: IEEE 754 DECIMAL128.
DECIMAL_CONTEXT = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_EVEN, Emin=-6143, Emax=6144, traps=[]
)


@dataclass(frozen=True, slots=True)
class YearsMonthsDuration:
    """A FEEL years-and-months duration, kept as a signed total of months."""

    months: int

    @property
    def years_part(self) -> int:
        """The ``years`` property: whole years, with the duration's sign."""
        return int(self.months / 12)

    @property
    def months_part(self) -> int:
        """The ``months`` property: remaining months, with the duration's sign."""
        return self.months - 12 * self.years_part

    def __neg__(self) -> YearsMonthsDuration:
        return YearsMonthsDuration(-self.months)

    def __lt__(self, other: YearsMonthsDuration) -> bool:
        return self.months < other.months

    def __le__(self, other: YearsMonthsDuration) -> bool:
        return self.months <= other.months

    def __gt__(self, other: YearsMonthsDuration) -> bool:
        return self.months > other.months

    def __ge__(self, other: YearsMonthsDuration) -> bool:
        return self.months >= other.months

    def __str__(self) -> str:
        if self.months == 0:
            return "P0M"
        sign = "-" if self.months < 0 else ""
        years, months = divmod(abs(self.months), 12)
        text = (f"{years}Y" if years else "") + (f"{months}M" if months else "")
        return f"{sign}P{text}"


@dataclass(frozen=True, slots=True)
class Range:
    """A FEEL range such as ``[1..5]``, ``(1..5]`` or ``< 10``.

    An unbounded side has ``None`` as its endpoint and ``False`` for its inclusion flag.
    """

    start: Any
    end: Any
    start_included: bool
    end_included: bool

    def __str__(self) -> str:
        from flowwire.feel.format import to_feel_text

        if self.start is None and self.end is not None:
            return ("<= " if self.end_included else "< ") + to_feel_text(self.end)
        if self.end is None and self.start is not None:
            return (">= " if self.start_included else "> ") + to_feel_text(self.start)
        left = "[" if self.start_included else "("
        right = "]" if self.end_included else ")"
        return f"{left}{to_feel_text(self.start)}..{to_feel_text(self.end)}{right}"


class FeelFunction:
    """A function value: user-defined in FEEL, a built-in, or a wrapped Python callable.

    ``params`` are the parameter names (used for named invocation); ``invoke`` receives
    positional FEEL values already bound in parameter order. ``variadic`` means the last
    parameter collects the remaining positional arguments as a list.
    """

    __slots__ = ("invoke", "name", "params", "variadic")

    def __init__(
        self,
        invoke: Callable[..., Any],
        params: Sequence[str],
        name: str = "anonymous",
        variadic: bool = False,
    ) -> None:
        self.invoke = invoke
        self.params = tuple(params)
        self.name = name
        self.variadic = variadic

    def __call__(self, *args: Any) -> Any:
        return self.invoke(*args)

    def __repr__(self) -> str:
        return f"FeelFunction({self.name}({', '.join(self.params)}))"


def to_number(value: int | float | decimal.Decimal) -> decimal.Decimal:
    """Convert a Python number to a FEEL number exactly (floats via their shortest text)."""
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    return decimal.Decimal(value)


def to_feel(value: Any) -> Any:
    """Convert a Python input value (variables, JSON) into FEEL's value domain.

    Ints and floats become ``Decimal`` exactly; tuples become lists; mappings become dicts
    with string keys; callables become :class:`FeelFunction`. Values already in the domain
    are returned as they are, so converting twice is cheap.
    """
    if value is None or isinstance(value, (str, bool, decimal.Decimal)):
        return value
    if isinstance(value, int):
        return decimal.Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None  # FEEL has no NaN or infinity
        return decimal.Decimal(repr(value))
    if isinstance(value, dict):
        if all(type(k) is str for k in value) and not any(
            _needs_conversion(v) for v in value.values()
        ):
            return value
        return {str(k): to_feel(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): to_feel(v) for k, v in value.items()}
    if isinstance(value, list):
        if not any(_needs_conversion(v) for v in value):
            return value
        return [to_feel(v) for v in value]
    if isinstance(value, (tuple, set, frozenset)):
        return [to_feel(v) for v in value]
    if isinstance(
        value,
        (_dt.date, _dt.time, _dt.timedelta, YearsMonthsDuration, Range, FeelFunction),
    ):
        return value
    if callable(value):
        return _wrap_callable(value)
    return value


def _needs_conversion(value: Any) -> bool:
    if value is None or isinstance(value, (str, bool, decimal.Decimal)):
        return False
    if isinstance(value, (int, float, tuple, set, frozenset)):
        return True
    if isinstance(value, dict):
        return any(type(k) is not str or _needs_conversion(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_needs_conversion(v) for v in value)
    return not isinstance(
        value, (_dt.date, _dt.time, _dt.timedelta, YearsMonthsDuration, Range, FeelFunction)
    )


def _wrap_callable(fn: Callable[..., Any]) -> FeelFunction:
    import inspect

    try:
        params = [
            p.name
            for p in inspect.signature(fn).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        params = []
    return FeelFunction(lambda *args: to_feel(fn(*args)), params, getattr(fn, "__name__", "fn"))


def type_name(value: Any) -> str:
    """FEEL's name for the type of a value, as used in messages and ``instance of``."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, decimal.Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "context"
    if isinstance(value, _dt.datetime):
        return "date and time"
    if isinstance(value, _dt.date):
        return "date"
    if isinstance(value, _dt.time):
        return "time"
    if isinstance(value, _dt.timedelta):
        return "days and time duration"
    if isinstance(value, YearsMonthsDuration):
        return "years and months duration"
    if isinstance(value, Range):
        return "range"
    if isinstance(value, FeelFunction) or callable(value):
        return "function"
    return type(value).__name__
