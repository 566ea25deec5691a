"""List built-ins: aggregates with list or variadic arguments, three-valued all/any,
positions from either end, sorting by a precedes function, and Camunda's extensions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from flowwire import feel
from flowwire.feel.builtins.list_fns import flatten

FAILED = "FUNCTION_INVOCATION_FAILURE"


def fails(expression: str, variables: dict[str, Any] | None = None) -> list[str]:
    """The warning kinds of an expression that must evaluate to null."""
    result = feel.evaluate_detailed(expression, variables or {})
    assert result.value is None, f"{expression} gave {result.value!r}"
    return [kind for kind, _ in result.warnings]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("list contains([1,2,3], 2)", True),
        ('list contains(["a","b"], "c")', False),
        ("list contains([1, null], null)", True),
        ("list contains([1.0], 1)", True),
        ("count([1,2,3])", 3),
        ("count([])", 0),
        ("min([1,2,3])", 1),
        ("min(3, 1, 2)", 1),
        ('max(["a", "c", "b"])', "c"),
        ('max(date("2020-01-01"), date("2021-01-01"))', feel.evaluate('date("2021-01-01")')),
        ("max([])", None),
        ("sum([1,2,3])", 6),
        ("sum(1,2,3)", 6),
        ("sum([])", None),
        ("product([2,3,4])", 24),
        ("product(2.5, 1, 2.5, 3)", Decimal("18.75")),
        ("product([6])", 6),
        ("mean([1,2,3])", 2),
        ("mean(11, 2, 10)", Decimal("7.666666666666666666666666666666667")),
        ("mean([])", None),
        ("median(8, 2, 5, 3, 4)", 4),
        ("median([6, 1, 2, 3])", Decimal("2.5")),
        ("median(4)", 4),
        ("median([])", None),
        ("stddev(2, 4, 7, 5)", Decimal("2.081665999466132735282297706979931")),
        ("mode(6, 3, 9, 6, 6)", [6]),
        ("mode([3, 6, 1, 9, 6, 1, 3])", [1, 3, 6]),
        ("mode([2.5, 1, 2.5, 3])", [Decimal("2.5")]),
        ("mode([])", []),
        ("all([true, true])", True),
        ("all([false, null, true])", False),
        ("all(true, null, true)", None),
        ("all([])", True),
        ("all(true)", True),
        ("and([true, false])", False),
        ("any([false, true])", True),
        ("any(false, null, true)", True),
        ("any(false, null, false)", None),
        ("any([])", False),
        ("or(false, false)", False),
        ("all(list: [true, null, true])", None),
        ("sublist([1,2,3], 2)", [2, 3]),
        ("sublist([1,2,3], 1, 2)", [1, 2]),
        ("sublist([1,2,3], -1, 1)", [3]),
        ("sublist(list: [1,2,3], start position: 2, length: 1)", [2]),
        ("sublist(list: [1,2,3], start: 2)", [2, 3]),
        ("append([1], 2, 3)", [1, 2, 3]),
        ("append([[1]], [2])", [[1], [2]]),
        ("concatenate([1,2], [3])", [1, 2, 3]),
        ("concatenate([1], [2], [[3]])", [1, 2, [3]]),
        ("insert before([1,3], 1, 2)", [2, 1, 3]),
        ("insert before([1,3], -1, 2)", [1, 2, 3]),
        ('insert before(list: ["x"], position: 2, newItem: "y")', ["x", "y"]),
        ("remove([1,2,3], 2)", [1, 3]),
        ("remove([1,2,3], -1)", [1, 2]),
        ("reverse([1,2,3])", [3, 2, 1]),
        ("index of([1,2,3,2], 2)", [2, 4]),
        ('index of(["x"], "y")', []),
        ("union([1,2], [2,3])", [1, 2, 3]),
        ("distinct values([1,2,3,2,1])", [1, 2, 3]),
        ("distinct values([1, 1.0, [1], [1]])", [1, [1]]),
        ("duplicate values([1,2,3,2,1])", [1, 2]),
        ("duplicate values([1,2,3])", []),
        ("flatten([[1,2],[[3]], 4])", [1, 2, 3, 4]),
        ("sort([3,1,4,5,2])", [1, 2, 3, 4, 5]),
        ("sort(list: [3,1,4,5,2], precedes: function(x,y) x > y)", [5, 4, 3, 2, 1]),
        (
            'sort(["a","8","Aa","A","10","9"], function(x,y) x < y)',
            ["10", "8", "9", "A", "Aa", "a"],
        ),
        ("is empty([])", True),
        ("is empty(list: [1])", False),
        ("partition([1,2,3,4,5], 2)", [[1, 2], [3, 4], [5]]),
        ("partition([], 2)", []),
        ("list replace([1,2,3], 2, 4)", [1, 4, 3]),
        ("list replace([1,2,3], -1, 4)", [1, 2, 4]),
        ("list replace([1,2,3], 2.5, 4)", [1, 4, 3]),
        ("list replace([1,2,3], 3, null)", [1, 2, None]),
        ("list replace([2, 4, 7, 8], function(item, newItem) item < newItem, 5)", [5, 5, 7, 8]),
        (
            "list replace(match: function(item, newItem) item = 2, newItem: 4, list: [1,2,3])",
            [1, 4, 3],
        ),
        ("list replace(position: 2, newItem: 4, list: [1,2,3])", [1, 4, 3]),
        ("list replace(1, 1, 5)", [5]),  # a single value counts as a list of one
    ],
)
def test_list_results(expression: str, expected: Any) -> None:
    assert feel.evaluate(expression) == expected


def test_sort_by_a_context_entry_is_stable() -> None:
    rows = [{"id": 2, "n": "b"}, {"id": 1, "n": "a"}, {"id": 2, "n": "c"}]
    sorted_rows = feel.evaluate("sort(rows, function(x, y) x.id < y.id)", {"rows": rows})
    assert [r["n"] for r in sorted_rows] == ["a", "b", "c"]


def test_deeply_nested_lists_flatten_without_recursion() -> None:
    nested: list[Any] = [Decimal(1)]
    for _ in range(5000):
        nested = [nested]
    assert flatten(nested) == [1]  # deeper than Python's recursion limit


@pytest.mark.parametrize(
    "expression",
    [
        "all()",
        "any()",
        "mode()",
        "min()",
        "all([true, 123])",
        "any(0)",
        'min([1, "a"])',
        "max([true, false])",
        "sum([1, null])",
        'product([1, "foo"])',
        'median([1, 2, "foo"])',
        "stddev([47])",
        "stddev(47)",
        'mean(["a"])',
        "count(null)",
        "count(1)",
        "list contains(null, 1)",
        "sublist(null, 1)",
        'sublist([1], "1")',
        "remove([1,2,3], 0)",
        "remove([1,2,3], 4)",
        "insert before([1], 0, 2)",
        "list replace([1,2,3], 0, 4)",
        "list replace([1,2,3], 4, 4)",
        "list replace([1,2,3], -4, 4)",
        'list replace([1,2,3], "2", 4)',
        "list replace(null, 1, 4)",
        "list replace([2, 4], function(item, newItem, extra) item = 2, 5)",
        "list replace([2, 4], function(item) item = 2, 5)",
        "list replace([2, 4], function(item, newItem) item, 5)",
        "sort([3, null, 1])",
        "sort([1, 2], function(x) x)",
        "sort([1, 2], function(x, y) 1)",
        "partition([1, 2], 0)",
        "partition([1, 2], -1)",
        "is empty(null)",
        "flatten(1)",
    ],
)
def test_unusable_arguments_give_null_and_a_warning(expression: str) -> None:
    assert FAILED in fails(expression)


def test_all_and_any_with_null_items_are_null_without_a_warning() -> None:
    result = feel.evaluate_detailed("all([true, null])", {})
    assert result.value is None
    assert result.warnings == []
