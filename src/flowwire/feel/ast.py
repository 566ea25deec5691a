"""The syntax tree of FEEL expressions and unary tests.

Nodes are plain immutable records; the compiler turns them into Python closures, so nothing
here is evaluated directly. ``pos`` is the source offset of the node, kept for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(slots=True)
class Node:
    pos: int


@dataclass(slots=True)
class Const(Node):
    """A literal whose value is known while parsing (numbers, strings, booleans, null)."""

    value: Any


@dataclass(slots=True)
class TemporalLiteral(Node):
    """``@"..."``: parsed into a temporal value when compiled."""

    text: str


@dataclass(slots=True)
class Name(Node):
    """A variable reference (possibly a name with spaces)."""

    name: str


@dataclass(slots=True)
class InputValue(Node):
    """``?``: the input value of a unary test."""


@dataclass(slots=True)
class Path(Node):
    """``base.key``: a context entry, a property, or a projection over a list."""

    base: Node
    key: str


@dataclass(slots=True)
class Filter(Node):
    """``base[condition]``: an index or a boolean filter."""

    base: Node
    condition: Node


@dataclass(slots=True)
class Call(Node):
    """A function invocation. ``name`` is set when the callee is a plain name (which may be
    a built-in); otherwise ``callee`` is the expression that yields the function."""

    name: str | None
    callee: Node | None
    args: tuple[Node, ...]
    named: tuple[tuple[str, Node], ...] | None


@dataclass(slots=True)
class FunctionDef(Node):
    params: tuple[str, ...]
    body: Node


@dataclass(slots=True)
class ListLit(Node):
    items: tuple[Node, ...]


@dataclass(slots=True)
class ContextLit(Node):
    entries: tuple[tuple[str, Node], ...]


@dataclass(slots=True)
class RangeLit(Node):
    """An interval ``[a..b]`` or a unary comparison ``< b`` (a range with an open side)."""

    start: Node | None
    end: Node | None
    start_included: bool
    end_included: bool


@dataclass(slots=True)
class InputCompare(Node):
    """``= x`` or ``!= x``: a unary test comparing the input for (in)equality."""

    op: str
    operand: Node


@dataclass(slots=True)
class Negate(Node):
    operand: Node


@dataclass(slots=True)
class Arith(Node):
    """``+ - * / **``"""

    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class Compare(Node):
    """``= != < <= > >=``"""

    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class And(Node):
    left: Node
    right: Node


@dataclass(slots=True)
class Or(Node):
    left: Node
    right: Node


@dataclass(slots=True)
class Not(Node):
    """``not(x)``: three-valued negation."""

    operand: Node


@dataclass(slots=True)
class Between(Node):
    value: Node
    low: Node
    high: Node


@dataclass(slots=True)
class In(Node):
    """``value in test`` or ``value in (test, ...)``: positive unary tests."""

    value: Node
    tests: tuple[Node, ...]


@dataclass(slots=True)
class TypeRef:
    """A type in ``instance of``: a name plus its parameters.

    ``list<T>``/``range<T>``: ``args=(T,)``; ``context<k: T>``: ``fields``;
    ``function<A, B> -> R``: ``args`` and ``result``.
    """

    name: str
    args: tuple[TypeRef, ...] = ()
    fields: tuple[tuple[str, TypeRef], ...] = ()
    result: TypeRef | None = None


@dataclass(slots=True)
class InstanceOf(Node):
    value: Node
    type: TypeRef


@dataclass(slots=True)
class If(Node):
    condition: Node
    then: Node
    otherwise: Node


@dataclass(slots=True)
class Iterator:
    """``name in source`` or ``name in start..end``."""

    name: str
    source: Node
    end: Node | None = None


@dataclass(slots=True)
class For(Node):
    iterators: tuple[Iterator, ...]
    body: Node


@dataclass(slots=True)
class Quantified(Node):
    """``some``/``every`` ... ``satisfies`` ..."""

    every: bool
    iterators: tuple[Iterator, ...]
    condition: Node


@dataclass(slots=True)
class UnaryTests(Node):
    """The top level of a unary-tests text: ``-``, a comma list, or ``not(...)``."""

    tests: tuple[Node, ...]
    negated: bool = False
    any_input: bool = False


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        names = _CHILD_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name != "pos")
    return names


def walk(node: Any) -> Any:
    """Yield ``node`` and every node below it (iteratively, so deep trees are fine)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Node):
            for name in _child_fields(type(current)):
                _push_children(getattr(current, name), stack)


def _push_children(value: Any, stack: list[Any]) -> None:
    if isinstance(value, Node):
        stack.append(value)
    elif isinstance(value, Iterator):
        stack.append(value.source)
        if value.end is not None:
            stack.append(value.end)
    elif isinstance(value, tuple):
        for item in value:
            _push_children(item, stack)
