"""The state of one evaluation: variable scopes, warnings, the clock and resource limits."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from types import MappingProxyType
from typing import Any

from flowwire.feel.errors import FeelLimitError
from flowwire.feel.values import FeelFunction, Range, YearsMonthsDuration, to_feel

# Warning kinds (the names of Camunda's evaluation failure types)
NO_VARIABLE_FOUND = "NO_VARIABLE_FOUND"
NO_CONTEXT_ENTRY_FOUND = "NO_CONTEXT_ENTRY_FOUND"
NO_PROPERTY_FOUND = "NO_PROPERTY_FOUND"
NOT_COMPARABLE = "NOT_COMPARABLE"
INVALID_TYPE = "INVALID_TYPE"
NO_FUNCTION_FOUND = "NO_FUNCTION_FOUND"
FUNCTION_INVOCATION_FAILURE = "FUNCTION_INVOCATION_FAILURE"

Clock = Callable[[], _dt.datetime]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work one evaluation may do; exceeding one raises FeelLimitError.

    ``max_call_depth``: nested calls of user-defined functions (recursion);
    ``max_list_size``: elements of one list built by a range, ``for`` or a built-in;
    ``max_iterations``: iterations of ``for``/``some``/``every``/filters in one evaluation;
    ``max_string_length``: characters of one string built by ``+`` or a built-in;
    ``max_nesting``: syntactic nesting accepted by the parser.
    """

    max_call_depth: int = 64
    max_list_size: int = 1_000_000
    max_iterations: int = 5_000_000
    max_string_length: int = 10_000_000
    max_nesting: int = 64


def default_limits() -> Limits:
    """The limits used when a call passes none."""
    return Evaluation.limits


def set_default_limits(limits: Limits) -> None:
    """Replace the process-wide default limits."""
    if not isinstance(limits, Limits):
        raise TypeError("set_default_limits() expects a feel.Limits instance")
    Evaluation.limits = limits


def utc_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


MISSING: Any = object()

#: types that are FEEL values already (exact types; subclasses go through ``to_feel``)
FEEL_TYPES = frozenset(
    {
        str,
        bool,
        Decimal,
        type(None),
        _dt.date,
        _dt.time,
        _dt.datetime,
        _dt.timedelta,
        YearsMonthsDuration,
        Range,
        FeelFunction,
    }
)


#: Decimal objects for common ints (immutable, so they can be shared)
SMALL_INTS = {i: Decimal(i) for i in range(-128, 1025)}
_INT_CACHE_LIMIT = 8192


def int_number(value: int) -> Decimal:
    """The Decimal for an int, from a bounded cache (inputs repeat the same numbers)."""
    number = SMALL_INTS.get(value)
    if number is None:
        number = Decimal(value)
        if len(SMALL_INTS) < _INT_CACHE_LIMIT:
            SMALL_INTS[value] = number
    return number


_STR = frozenset({str})
_DICT = frozenset({dict})

#: values a scope may hold as they are: FEEL values, and lists/contexts whose elements are
#: converted when they are read (see :func:`leaf`)
PASS_TYPES = FEEL_TYPES | {dict, list}


def leaf(value: Any) -> Any:
    """Convert the outer level of an input value: numbers become Decimal, tuples lists and
    callables functions, but a dict or list is returned as it is and its elements are
    converted when an expression reads them (paths, filters, iteration). Whole containers
    are converted with :func:`feel_value` where they leave the evaluator: passed to a
    built-in, compared, or returned as a result. This keeps unused parts of large
    variables from being converted on every evaluation."""
    t = type(value)
    if t in PASS_TYPES:
        return value
    if t is int:
        number = SMALL_INTS.get(value)
        return int_number(value) if number is None else number
    return feel_value(value)


def feel_value(value: Any) -> Any:
    """Convert an input value to FEEL's value domain (a faster ``to_feel`` for JSON-like
    shapes). Containers that already hold FEEL values are returned as they are."""
    t = type(value)
    if t in FEEL_TYPES:
        return value
    if t is int:
        number = SMALL_INTS.get(value)
        return int_number(value) if number is None else number
    if t is dict:
        if FEEL_TYPES.issuperset(map(type, value.values())) and _STR.issuperset(map(type, value)):
            return value
        return _convert_dict(value)
    if t is list:
        if FEEL_TYPES.issuperset(map(type, value)):
            return value
        if (  # flat contexts of FEEL values (e.g. a filter's result), checked in bulk
            _DICT.issuperset(map(type, value))
            and FEEL_TYPES.issuperset(map(type, chain.from_iterable(map(dict.values, value))))
            and _STR.issuperset(map(type, chain.from_iterable(value)))
        ):
            return value
        return _convert_list(value)
    return to_feel(value)


def _convert_dict(value: dict[Any, Any]) -> dict[str, Any]:
    changed = False
    entries = []
    for key, item in value.items():
        converted = item if type(item) in FEEL_TYPES else feel_value(item)
        if converted is not item or type(key) is not str:
            changed = True
            key = str(key)
        entries.append((key, converted))
    return dict(entries) if changed else value


def _convert_list(value: list[Any]) -> list[Any]:
    for i, item in enumerate(value):
        t = type(item)
        if t in FEEL_TYPES:
            continue
        if (  # a context of FEEL values (e.g. a filter's result), checked without a call
            t is dict
            and FEEL_TYPES.issuperset(map(type, item.values()))
            and _STR.issuperset(map(type, item))
        ):
            continue
        converted = feel_value(item)
        if converted is not item:
            head = value[:i]
            head.append(converted)
            head.extend(x if type(x) in FEEL_TYPES else feel_value(x) for x in value[i + 1 :])
            return head
    return value


#: the root scope's own variables: always empty (the caller's variables are ``raw``)
_NO_VARIABLES: Any = MappingProxyType({})


class Env:
    """A variable scope. The root scope (the :class:`Evaluation`) reads the caller's mapping
    lazily, converting each variable to a FEEL value on first use."""

    __slots__ = ("ctx", "parent", "raw", "vars")

    def __init__(
        self,
        vars: dict[str, Any],
        parent: Env | None,
        ctx: Evaluation,
        raw: Mapping[str, Any] | None = None,
    ) -> None:
        self.vars = vars
        self.parent = parent
        self.ctx = ctx
        self.raw = raw

    def lookup(self, name: str) -> Any:
        """The value of ``name`` or :data:`MISSING`."""
        env = self
        while True:
            value = env.vars.get(name, MISSING)
            if value is not MISSING:
                return value if type(value) in PASS_TYPES else leaf(value)
            parent = env.parent
            if parent is None:
                break
            env = parent
        raw = env.raw
        if raw is not None:
            value = raw.get(name, MISSING)
        if value is not MISSING and type(value) not in PASS_TYPES:
            value = leaf(value)
        return value


class Evaluation(Env):
    """One run of a compiled expression: the root scope over the caller's variables, the
    warnings, the clock and the limits (one object, as it is created per evaluation).

    Built-ins declared with ``needs_context=True`` receive this object and may call
    :meth:`now` and :meth:`warn`. Rarely changed fields are class-level defaults so that
    creating an evaluation stays cheap.
    """

    parent = None
    #: the limits in force (the class attribute holds the process-wide default)
    limits: Limits = Limits()
    clock: Clock | None = None
    #: ``(kind, message)`` pairs; None until the first warning
    warnings: list[tuple[str, str]] | None = None
    depth = 0
    iterations = 0
    muted = 0
    _now: _dt.datetime | None = None

    def __init__(self, raw: Mapping[str, Any] | None = None) -> None:
        self.vars = _NO_VARIABLES
        self.ctx = self
        self.raw = raw

    def warn(self, kind: str, message: str) -> None:
        if not self.muted:
            if self.warnings is None:
                self.warnings = []
            self.warnings.append((kind, message))

    def now(self) -> _dt.datetime:
        """The current time, fixed for the whole evaluation (timezone-aware)."""
        if self._now is None:
            value = (self.clock or utc_now)()
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.UTC)
            self._now = value
        return self._now

    def count_iterations(self, n: int) -> None:
        """Account for ``n`` more loop iterations."""
        self.iterations += n
        if self.iterations > self.limits.max_iterations:
            raise FeelLimitError(
                f"the evaluation exceeded {self.limits.max_iterations} iterations; "
                "reduce the size of the lists or raise feel.Limits.max_iterations"
            )

    def check_list_size(self, size: int) -> None:
        if size > self.limits.max_list_size:
            raise FeelLimitError(
                f"a list of {size} elements exceeds the limit of "
                f"{self.limits.max_list_size}; use smaller ranges or raise "
                "feel.Limits.max_list_size"
            )

    def check_string_length(self, size: int) -> None:
        if size > self.limits.max_string_length:
            raise FeelLimitError(
                f"a string of {size} characters exceeds the limit of "
                f"{self.limits.max_string_length}; raise feel.Limits.max_string_length"
            )
