"""List built-ins of DMN 1.5 plus Camunda's ``is empty``, ``duplicate values`` and ``partition``.

Functions marked variadic accept their list either as one list argument or as a sequence
of arguments (``min([1, 2])`` and ``min(1, 2)``), as feel-scala does. Positions are
1-based, negative ones count from the end, and fractional positions are truncated.
Equality of items is FEEL's (``1 = 1.0``), via :func:`~flowwire.feel.compare.feel_equal`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from flowwire.feel.builtins.numeric_fns import describe, finite, require_number, to_int
from flowwire.feel.builtins.registry import builtin
from flowwire.feel.compare import NotComparable, feel_compare, feel_equal
from flowwire.feel.errors import InvalidArgument
from flowwire.feel.values import DECIMAL_CONTEXT, FeelFunction


def require_list(value: Any, function: str, param: str = "list") -> list[Any]:
    """The argument as a list, or InvalidArgument naming the parameter."""
    if isinstance(value, list):
        return value
    raise InvalidArgument(f"{function}() expects a list for '{param}', but got {describe(value)}")


def as_list(value: Any, function: str, param: str = "list") -> list[Any]:
    """A list argument where a single non-null value stands for a list of one (DMN coercion)."""
    if isinstance(value, list):
        return value
    if value is None:
        raise InvalidArgument(f"{function}() expects a list for '{param}', but got null")
    return [value]


def vararg_items(args: tuple[Any, ...], function: str) -> list[Any]:
    """The items of a variadic call: a single list argument is the list itself."""
    if not args:
        raise InvalidArgument(f"{function}() expects a list or at least one item")
    if len(args) == 1 and isinstance(args[0], list):
        return args[0]
    return list(args)


def _numbers(items: list[Any], function: str) -> list[Decimal]:
    for item in items:
        if not isinstance(item, Decimal):
            raise InvalidArgument(
                f"{function}() expects a list of numbers, but it contains {describe(item)}"
            )
    return items


def index_of_position(size: int, position: int) -> int:
    """The 0-based index of a 1-based position (negative: from the end), as feel-scala."""
    return position - 1 if position > 0 else size + position


def _checked_index(items: list[Any], position: Any, function: str, allow_end: bool = False) -> int:
    """The 0-based index of an existing position (or one past the end, if allowed)."""
    number = to_int(position, function, "position")
    index = index_of_position(len(items), number)
    if number == 0 or not 0 <= index < len(items) + allow_end:
        raise InvalidArgument(
            f"{function}() got position {number} for a list of {len(items)} items; "
            "positions are 1..n from the start or -1..-n from the end"
        )
    return index


def require_function(fn: Any, arity: int, function: str, param: str) -> Callable[..., Any]:
    """A function argument that takes ``arity`` parameters, else InvalidArgument.

    Python callables handed in as variables are taken as they are.
    """
    if isinstance(fn, FeelFunction):
        if len(fn.params) != arity and not fn.variadic:
            raise InvalidArgument(
                f"{function}() expects a function with {arity} parameters for '{param}', "
                f"but it has {len(fn.params)}"
            )
        return fn
    if callable(fn) and not isinstance(fn, (type, dict)):
        return fn
    raise InvalidArgument(f"{function}() expects a function for '{param}', but got {describe(fn)}")


def _contains(items: Iterable[Any], element: Any) -> bool:
    return any(feel_equal(item, element) is True for item in items)


def _distinct(items: Iterable[Any]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if not _contains(result, item):
            result.append(item)
    return result


@builtin("list contains", "list", "element")
def list_contains(list_: Any, element: Any) -> bool:
    return _contains(require_list(list_, "list contains"), element)


@builtin("count", "list")
def count(list_: Any) -> Decimal:
    return Decimal(len(require_list(list_, "count")))


def _extreme(function: str, items: list[Any], pick: Callable[[int], bool]) -> Any:
    if not items:
        return None
    best = items[0]
    try:
        feel_compare(best, best)  # rejects null, booleans, lists, contexts
        for item in items[1:]:
            if pick(feel_compare(item, best)):
                best = item
    except NotComparable as error:
        raise InvalidArgument(
            f"{function}() needs items of one comparable type, e.g. all numbers ({error})"
        ) from None
    return best


@builtin("min", "list...")
def min_(*args: Any) -> Any:
    return _extreme("min", vararg_items(args, "min"), lambda order: order < 0)


@builtin("max", "list...")
def max_(*args: Any) -> Any:
    return _extreme("max", vararg_items(args, "max"), lambda order: order > 0)


@builtin("sum", "list...")
def sum_(*args: Any) -> Decimal | None:
    numbers = _numbers(vararg_items(args, "sum"), "sum")
    if not numbers:
        return None
    return finite(functools.reduce(DECIMAL_CONTEXT.add, numbers), "sum")


@builtin("product", "list...")
def product(*args: Any) -> Decimal | None:
    numbers = _numbers(vararg_items(args, "product"), "product")
    if not numbers:
        return None
    return finite(functools.reduce(DECIMAL_CONTEXT.multiply, numbers), "product")


@builtin("mean", "list...")
def mean(*args: Any) -> Decimal | None:
    numbers = _numbers(vararg_items(args, "mean"), "mean")
    if not numbers:
        return None
    total = functools.reduce(DECIMAL_CONTEXT.add, numbers)
    return finite(DECIMAL_CONTEXT.divide(total, Decimal(len(numbers))), "mean")


@builtin("median", "list...")
def median(*args: Any) -> Decimal | None:
    numbers = sorted(_numbers(vararg_items(args, "median"), "median"))
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return numbers[middle]
    pair = DECIMAL_CONTEXT.add(numbers[middle - 1], numbers[middle])
    return finite(DECIMAL_CONTEXT.divide(pair, Decimal(2)), "median")


@builtin("stddev", "list...")
def stddev(*args: Any) -> Decimal | None:
    """The sample standard deviation (divisor n - 1)."""
    numbers = _numbers(vararg_items(args, "stddev"), "stddev")
    if not numbers:
        return None
    if len(numbers) < 2:
        raise InvalidArgument("stddev() needs at least two numbers")
    count_ = Decimal(len(numbers))
    average = DECIMAL_CONTEXT.divide(functools.reduce(DECIMAL_CONTEXT.add, numbers), count_)
    squares = (DECIMAL_CONTEXT.power(DECIMAL_CONTEXT.subtract(n, average), 2) for n in numbers)
    variance = DECIMAL_CONTEXT.divide(functools.reduce(DECIMAL_CONTEXT.add, squares), count_ - 1)
    return finite(variance.sqrt(DECIMAL_CONTEXT), "stddev")


@builtin("mode", "list...")
def mode(*args: Any) -> list[Decimal]:
    """The most frequent numbers, ascending; ``[]`` for an empty list."""
    numbers = _numbers(vararg_items(args, "mode"), "mode")
    counts: dict[Decimal, int] = {}
    for n in numbers:
        counts[n] = counts.get(n, 0) + 1
    if not counts:
        return []
    most = max(counts.values())
    return sorted(n for n, c in counts.items() if c == most)


def _all(items: list[Any]) -> bool | None:
    """Three-valued conjunction: false wins over null; non-booleans count as null."""
    result: bool | None = True
    for item in items:
        if item is False:
            return False
        if item is not True:
            result = None
    return result


def _any(items: list[Any]) -> bool | None:
    """Three-valued disjunction: true wins over null; non-booleans count as null."""
    result: bool | None = False
    for item in items:
        if item is True:
            return True
        if item is not False:
            result = None
    return result


def _checked_booleans(function: str, items: list[Any]) -> None:
    for item in items:
        if item is not None and not isinstance(item, bool):
            raise InvalidArgument(
                f"{function}() expects booleans, but the list contains {describe(item)}"
            )


@builtin("all", "list...")
def all_(*args: Any) -> bool | None:
    """True if no item is false and all are true; null if an item is null (and none false)."""
    items = vararg_items(args, "all")
    result = _all(items)
    if result is None:
        _checked_booleans("all", items)  # a non-boolean item deserves a warning
    return result


@builtin("any", "list...")
def any_(*args: Any) -> bool | None:
    """True if an item is true; false if all are false; null otherwise."""
    items = vararg_items(args, "any")
    result = _any(items)
    if result is None:
        _checked_booleans("any", items)  # a non-boolean item deserves a warning
    return result


# feel-scala's older names, still accepted
builtin("and", "list...")(all_)
builtin("or", "list...")(any_)


@builtin("sublist", "list", "start", "length?")  # feel-scala's name, registered second
@builtin("sublist", "list", "start position", "length?")
def sublist(list_: Any, start_position: Any, length: Any = None) -> list[Any]:
    items = require_list(list_, "sublist")
    start = index_of_position(len(items), to_int(start_position, "sublist", "start position"))
    if length is None:
        return items[max(start, 0) :]
    count_ = to_int(length, "sublist", "length")
    end = start + count_
    return items[max(start, 0) : max(end, 0)]


@builtin("append", "list", "items...")
def append(list_: Any, *items: Any) -> list[Any]:
    return [*require_list(list_, "append"), *items]


@builtin("concatenate", "lists...")
def concatenate(*lists: Any) -> list[Any]:
    result: list[Any] = []
    for value in lists:
        if isinstance(value, list):
            result.extend(value)
        else:
            result.append(value)
    return result


@builtin("insert before", "list", "position", "newItem")
def insert_before(list_: Any, position: Any, new_item: Any) -> list[Any]:
    items = require_list(list_, "insert before")
    index = _checked_index(items, position, "insert before", allow_end=True)
    return [*items[:index], new_item, *items[index:]]


@builtin("remove", "list", "position")
def remove(list_: Any, position: Any) -> list[Any]:
    items = require_list(list_, "remove")
    index = _checked_index(items, position, "remove")
    return [*items[:index], *items[index + 1 :]]


@builtin("reverse", "list")
def reverse(list_: Any) -> list[Any]:
    return list(reversed(require_list(list_, "reverse")))


@builtin("index of", "list", "match")
def index_of(list_: Any, match: Any) -> list[Decimal]:
    items = require_list(list_, "index of")
    return [Decimal(i) for i, item in enumerate(items, 1) if feel_equal(item, match) is True]


@builtin("union", "lists...")
def union(*lists: Any) -> list[Any]:
    return _distinct(concatenate(*lists))


@builtin("distinct values", "list")
def distinct_values(list_: Any) -> list[Any]:
    return _distinct(require_list(list_, "distinct values"))


@builtin("duplicate values", "list")
def duplicate_values(list_: Any) -> list[Any]:
    """Each value that occurs more than once, in order of first occurrence (Camunda extension)."""
    items = require_list(list_, "duplicate values")
    result: list[Any] = []
    for i, item in enumerate(items):
        if not _contains(result, item) and _contains(items[i + 1 :], item):
            result.append(item)
    return result


@builtin("flatten", "list")
def flatten(list_: Any) -> list[Any]:
    result: list[Any] = []
    pending: list[Iterable[Any]] = [iter(require_list(list_, "flatten"))]
    while pending:  # iterative, so deep nesting can't exhaust the Python stack
        for item in pending[-1]:
            if isinstance(item, list):
                pending.append(iter(item))
                break
            result.append(item)
        else:
            pending.pop()
    return result


@builtin("sort", "list", "precedes?")
def sort(list_: Any, precedes: Any = None) -> list[Any]:
    """Sort by ``precedes(a, b)`` (true if ``a`` comes first), or ascending without it."""
    items = require_list(list_, "sort")
    if precedes is None:
        try:
            return sorted(items, key=functools.cmp_to_key(feel_compare))
        except NotComparable as error:
            raise InvalidArgument(
                f"sort() can only order items of one comparable type ({error}); "
                "pass a precedes function, e.g. sort(list, function(x, y) x.id < y.id)"
            ) from None
    fn = require_function(precedes, 2, "sort", "precedes")

    def order(a: Any, b: Any) -> int:
        first = fn(a, b)
        if not isinstance(first, bool):
            raise InvalidArgument(
                f"sort() expects the precedes function to return a boolean, but got {describe(first)}"
            )
        return -1 if first else 1

    return sorted(items, key=functools.cmp_to_key(order))


@builtin("is empty", "list")
def is_empty(list_: Any) -> bool:
    """True for ``[]`` (Camunda extension)."""
    return not require_list(list_, "is empty")


@builtin("partition", "list", "size")
def partition(list_: Any, size: Any) -> list[list[Any]]:
    """Consecutive sublists of ``size`` items, the last one possibly shorter (Camunda)."""
    items = require_list(list_, "partition")
    chunk = to_int(size, "partition", "size")
    if chunk <= 0:
        raise InvalidArgument(f"partition() needs a size of at least 1, but got {size}")
    return [items[i : i + chunk] for i in range(0, len(items), chunk)]


def _replace_at(items: list[Any], position: Any, new_item: Any) -> list[Any]:
    index = _checked_index(items, position, "list replace")
    return [*items[:index], new_item, *items[index + 1 :]]


def _replace_matching(items: list[Any], match: Any, new_item: Any) -> list[Any]:
    fn = require_function(match, 2, "list replace", "match")
    result = []
    for item in items:
        hit = fn(item, new_item)
        if not isinstance(hit, bool):
            raise InvalidArgument(
                f"list replace() expects the match function to return a boolean, "
                f"but got {describe(hit)}"
            )
        result.append(new_item if hit else item)
    return result


def _list_replace(list_: Any, position_or_match: Any, new_item: Any) -> list[Any]:
    items = as_list(list_, "list replace")
    if isinstance(position_or_match, Decimal):
        return _replace_at(items, position_or_match, new_item)
    if position_or_match is None or isinstance(position_or_match, (str, bool, list)):
        require_number(position_or_match, "list replace", "position")
    return _replace_matching(items, position_or_match, new_item)


# DMN 1.5: by position, or by a match function(item, newItem) -> boolean
builtin("list replace", "list", "position", "newItem")(_list_replace)
builtin("list replace", "list", "match", "newItem")(_list_replace)
