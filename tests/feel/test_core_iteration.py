"""for, some, every, ranges and partial."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowwire import feel


def nums(*xs: int) -> list[D]:
    return [D(x) for x in xs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("for x in [1,2,3] return x * 2", nums(2, 4, 6)),
        ("for i in 1..3 return i", nums(1, 2, 3)),
        ("for i in 3..1 return i", nums(3, 2, 1)),
        ("for x in [1,2], y in [10,20] return x + y", nums(11, 21, 12, 22)),
        ("for x in [1,2], y in x..2 return y", nums(1, 2, 2)),
        ("for i in 1..4 return if i = 1 then 1 else i * partial[-1]", nums(1, 2, 6, 24)),
        ("for x in [] return x", []),
        ("for i in [1..3] return i", nums(1, 2, 3)),
        ("for i in (1..3] return i", nums(2, 3)),
    ],
)
def test_for(text: str, expected: object) -> None:
    assert feel.evaluate(text) == expected


def test_for_over_dates() -> None:
    result = feel.evaluate('for d in @"2021-01-30"..@"2021-02-01" return d')
    assert result == [dt.date(2021, 1, 30), dt.date(2021, 1, 31), dt.date(2021, 2, 1)]


def test_for_over_non_list_is_null() -> None:
    result = feel.evaluate_detailed("for x in 5 return x")
    assert result.value is None
    assert result.warnings[0][0] == "INVALID_TYPE"


def test_for_over_descending_range_value_is_null() -> None:
    assert feel.evaluate("for i in [2..1] return i") is None


def test_functions_defined_in_loops_keep_their_iteration() -> None:
    fns = feel.evaluate("for i in 1..3 return function() i")
    assert [f() for f in fns] == nums(1, 2, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("some x in [1,2,3] satisfies x > 2", True),
        ("some x in [1,2,3] satisfies x > 3", False),
        ("some x in [1,2], y in [2,3] satisfies x < y", True),
        ("every x in [1,2,3] satisfies x >= 1", True),
        ("every x in [1,2], y in [2,3] satisfies x < y", False),
        ("every x in 1..5 satisfies x < 10", True),
        ("every x in [] satisfies false", True),
        ("some x in [] satisfies true", False),
        ('some x in [1, "a"] satisfies x > 5', None),
        ('some x in [1, "a", 9] satisfies x > 5', True),
        ('every x in [1, "a"] satisfies x < 5', None),
        ('every x in [9, "a"] satisfies x < 5', False),
    ],
)
def test_quantifiers(text: str, expected: object) -> None:
    assert feel.evaluate(text) == expected
