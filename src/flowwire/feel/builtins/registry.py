"""The table of built-in functions and the decorator that fills it.

A built-in is declared once per parameter list (an *overload*)::

    @builtin("substring", "string", "start position", "length?")
    def substring(string, start, length=None): ...

Parameter names are the DMN spec's (they are what named invocation uses). A trailing ``?``
marks an optional parameter, a trailing ``...`` a variadic one (the rest of the positional
arguments, passed to the implementation as ``*args``).

Binding rules, applied by the evaluator:
- positional call with ``n`` arguments: the first overload whose required count <= n <= its
  maximum (unbounded when variadic);
- named call: the first overload that knows every given name and has every required
  parameter among them; arguments are passed in parameter order, a missing optional
  parameter that precedes a given one is passed as ``None``, trailing ones are omitted;
- no matching overload: ``null`` with a warning (NO_FUNCTION_FOUND for an unknown name,
  FUNCTION_INVOCATION_FAILURE for a known name with unusable arguments).

Implementations receive FEEL values (see :mod:`flowwire.feel.values`) and return one.
They signal unusable arguments by raising :class:`~flowwire.feel.errors.InvalidArgument`
(-> ``null`` plus a FUNCTION_INVOCATION_FAILURE warning) and raise a
:class:`~flowwire.feel.errors.FeelError` only for what must abort the evaluation
(``assert``). With ``needs_context=True`` the implementation gets the evaluation context
first: an object with ``now() -> datetime`` (timezone-aware, from the caller's clock) and
``warn(kind, message)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


class BuiltinContext(Protocol):
    """What a context-aware built-in may use of the evaluation it runs in."""

    def now(self) -> Any: ...

    def warn(self, kind: str, message: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    optional: bool = False
    variadic: bool = False


@dataclass(frozen=True, slots=True)
class Builtin:
    name: str
    params: tuple[Param, ...]
    impl: Callable[..., Any]
    needs_context: bool = False

    @property
    def required(self) -> int:
        return sum(1 for p in self.params if not p.optional and not p.variadic)

    @property
    def maximum(self) -> float:
        if self.params and self.params[-1].variadic:
            return float("inf")
        return len(self.params)


#: name -> overloads, in declaration order
REGISTRY: dict[str, list[Builtin]] = {}


def _param(spec: str) -> Param:
    if spec.endswith("..."):
        return Param(spec[:-3], variadic=True)
    if spec.endswith("?"):
        return Param(spec[:-1], optional=True)
    return Param(spec)


def builtin(
    name: str, *params: str, needs_context: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as one overload of the built-in ``name``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        entry = Builtin(name, tuple(_param(p) for p in params), fn, needs_context)
        REGISTRY.setdefault(name, []).append(entry)
        return fn

    return register
