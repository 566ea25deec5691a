"""Unary tests (decision-table input entries) with feel-scala's rules."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from flowwire import feel


@pytest.mark.parametrize(
    ("tests", "value", "expected"),
    [
        ("-", 1, True),
        ("-", None, True),
        ("< 3", 2, True),
        ("< 3", 3, False),
        ("<= 3", 3, True),
        ("> 3", 4, True),
        (">= 3", 2, False),
        ("3", 3, True),
        ("-1", -1, True),
        ("(2..4)", 4, False),
        ("[2..4]", 4, True),
        ("]2..4]", 2, False),
        ("[1..5], [6..10]", 11, False),
        ("2,3", 3, True),
        ("not(3)", 4, True),
        ("not(2,3)", 3, False),
        ('"b"', "b", True),
        ("true", True, True),
        ("false", True, False),
        ("null", None, True),
        ("null", 5, False),
        ("= 5", 5, True),
        ("!= 5", 5, False),
        ("? > 3 and ? < 10", 5, True),
        ('starts with(?, "b")', "foo", False),
        ("list contains([481, 485], ?)", 481, True),
        ("[4,5,6]", 5, True),
        ("2 + 3", 5, True),
        ("1 + 2", 5, False),
        ("4 < 10", 3, True),
        ("abs(?)", 5, None),
        ("not(< 3)", "a", None),
        ("not(2,3)", "a", None),
        ("< x", 1, None),
        ("[1..10]", D(5), True),
        ("< max(1,2,3)", 2, True),
        ("[1..5]", "a", None),
        ('[date("2020-01-01")..date("2020-12-31")]', None, None),
    ],
)
def test_unary_tests(tests: str, value: object, expected: bool | None) -> None:
    assert feel.unary_test(tests, value) is expected


def test_unary_tests_with_variables() -> None:
    assert feel.unary_test("< limit", 5, {"limit": 10}) is True
    assert feel.unary_test("[low..high]", 5, {"low": 1, "high": 3}) is False
    assert feel.unary_test("allowed", "b", {"allowed": ["a", "b"]}) is True


def test_range_variable_in_unary_test() -> None:
    assert feel.unary_test("r", 3, {"r": feel.Range(D(1), D(5), True, True)}) is True


def test_compiled_unary_tests() -> None:
    tests = feel.compile_unary_tests("[1..5], > 10")
    assert [tests.test(x) for x in (3, 7, 11)] == [True, False, True]
    detailed = tests.test_detailed("a")
    assert detailed.value is None
    assert detailed.warnings[0][0] == "NOT_COMPARABLE"


def test_unary_syntax_error() -> None:
    with pytest.raises(feel.FeelSyntaxError):
        feel.unary_test("< ", 1)
