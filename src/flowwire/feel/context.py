"""The state of one evaluation: variable scopes, warnings, the clock and resource limits."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flowwire.feel.errors import FeelLimitError
from flowwire.feel.values import to_feel

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


_default_limits = Limits()


def default_limits() -> Limits:
    """The limits used when a call passes none."""
    return _default_limits


def set_default_limits(limits: Limits) -> None:
    """Replace the process-wide default limits."""
    global _default_limits
    if not isinstance(limits, Limits):
        raise TypeError("set_default_limits() expects a feel.Limits instance")
    _default_limits = limits


def utc_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


class Evaluation:
    """One run of a compiled expression: collects warnings and enforces limits.

    Built-ins declared with ``needs_context=True`` receive this object and may call
    :meth:`now` and :meth:`warn`.
    """

    __slots__ = ("_now", "clock", "depth", "iterations", "limits", "muted", "warnings")

    def __init__(self, clock: Clock | None, limits: Limits) -> None:
        self.warnings: list[tuple[str, str]] = []
        self.clock = clock
        self.limits = limits
        self.depth = 0
        self.iterations = 0
        self.muted = 0
        self._now: _dt.datetime | None = None

    def warn(self, kind: str, message: str) -> None:
        if not self.muted:
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


MISSING: Any = object()


class Env:
    """A variable scope. The root scope reads the caller's mapping lazily, converting
    each variable to a FEEL value on first use (so unused variables cost nothing)."""

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

    def child(self, vars: dict[str, Any]) -> Env:
        return Env(vars, self, self.ctx)

    def lookup(self, name: str) -> Any:
        """The value of ``name`` or :data:`MISSING`."""
        env = self
        while True:
            value = env.vars.get(name, MISSING)
            if value is not MISSING:
                return value
            parent = env.parent
            if parent is None:
                break
            env = parent
        raw = env.raw
        if raw is not None:
            value = raw.get(name, MISSING)
            if value is not MISSING:
                value = to_feel(value)
                env.vars[name] = value
        return value
