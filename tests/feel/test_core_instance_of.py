"""instance of, with generic types and aliases."""

from __future__ import annotations

import pytest

from flowwire import feel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 instance of number", True),
        ('"a" instance of string', True),
        ("true instance of boolean", True),
        ('@"2023-03-07" instance of date', True),
        ('@"2023-03-07T10:00:00" instance of date', False),
        ('@"2023-03-07T10:00:00" instance of date and time', True),
        ('@"2023-03-07T10:00:00" instance of date time', True),
        ('@"10:00:00" instance of time', True),
        ('@"P1D" instance of days and time duration', True),
        ('@"P1D" instance of day-time-duration', True),
        ('@"P1Y" instance of years and months duration', True),
        ('@"P1Y" instance of year-month-duration', True),
        ("[] instance of list", True),
        ("{} instance of context", True),
        ("[1..2] instance of range", True),
        ("(function() 1) instance of function", True),
        ("1 instance of Any", True),
        ("null instance of Any", False),
        ("null instance of Null", True),
        ("null instance of number", False),
        ("[1, 2] instance of list<number>", True),
        ('[1, "a"] instance of list<number>', False),
        ("[[1]] instance of list<list<number>>", True),
        ('{a: 1, b: "x"} instance of context<a: number, b: string>', True),
        ("{a: 1} instance of context<a: string>", False),
        ("{a: null} instance of context<a: string>", True),
        ("[1..2] instance of range<number>", True),
        ("(function(x) x) instance of function<Any> -> Any", True),
        ("1 instance of unknownType", False),
        ("if 1 instance of number then 1 else 2", 1),
    ],
)
def test_instance_of(text: str, expected: object) -> None:
    assert feel.evaluate(text) == expected
