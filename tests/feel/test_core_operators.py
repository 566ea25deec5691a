"""Arithmetic, comparison, boolean logic, between, in and the null rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowwire import feel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", D(7)),
        ("(1 + 2) * 3", D(9)),
        ("10 - 2 - 3", D(5)),
        ("2 ** 3", D(8)),
        ("2 ** 3 ** 2", D(64)),
        ("-2 ** 2", D(4)),
        ("2 ** -1", D("0.5")),
        ("1 / 3", D("0.3333333333333333333333333333333333")),
        ("-(1 + 2)", D(-3)),
        ("- -1", D(1)),
        ('"a" + "b"', "ab"),
        ("0.1 + 0.2", D("0.3")),
        ("10 / 4", D("2.5")),
    ],
)
def test_arithmetic(text: str, expected: D | str) -> None:
    assert feel.evaluate(text) == expected


def test_power_with_fraction_uses_binary_floating_point() -> None:
    assert feel.evaluate("2**3.1") == D("8.574187700290345")


@pytest.mark.parametrize("text", ['"a" + 1', "1 / 0", "true + 1", "null + 1", "2 ** 0.5 * [1]"])
def test_undefined_arithmetic_is_null_with_invalid_type(text: str) -> None:
    result = feel.evaluate_detailed(text)
    assert result.value is None
    assert "INVALID_TYPE" in {kind for kind, _ in result.warnings}


def test_number_overflow_is_null() -> None:
    assert feel.evaluate("10 ** 6000 * 10 ** 6000") is None


def test_long_sums_do_not_nest_deeply() -> None:
    assert feel.evaluate(" + ".join(["1"] * 2000)) == D(2000)


def test_temporal_arithmetic() -> None:
    assert feel.evaluate('@"2020-01-31" + @"P1M"') == dt.date(2020, 2, 29)
    assert feel.evaluate('@"2020-01-02" - @"2020-01-01"') == dt.timedelta(days=1)
    assert feel.evaluate('@"PT2H" * 2') == dt.timedelta(hours=4)
    assert feel.evaluate('@"P1D" / @"PT1H"') == D(24)
    assert feel.evaluate('-@"P1D"') == dt.timedelta(days=-1)


def test_date_minus_number_is_null() -> None:
    assert feel.evaluate('@"2020-01-02" - 1') is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 = 1", True),
        ("1 != 1", False),
        ("1 < 2", True),
        ("2 <= 2", True),
        ('"a" < "b"', True),
        ("[1, {a: 2}] = [1, {a: 2}]", True),
        ("{a: 1} = {a: 2}", False),
        ("null = null", True),
        ("1 = null", False),
        ("null != 1", True),
        ("x = null", True),
        ("x = 1", False),
        ("1 = true", None),
        ('1 < "a"', None),
        ("null < 1", None),
        ("x < 1", None),
        ('@"P1D" < @"P2D"', True),
    ],
)
def test_comparison(text: str, expected: bool | None) -> None:
    assert feel.evaluate(text) is expected


def test_comparing_different_types_warns() -> None:
    result = feel.evaluate_detailed('1 = "1"')
    assert result.value is None
    assert result.warnings[0][0] == "NOT_COMPARABLE"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true and false", False),
        ("true and null", None),
        ("false and null", False),
        ("null and false", False),
        ("true and 2", None),
        ("true or null", True),
        ("null or true", True),
        ("false or null", None),
        ("false or 2", None),
        ("true and true and true", True),
        ("not(true)", False),
        ("not(null)", None),
        ("not(1)", None),
        ("and([true, true])", True),
        ("or([false, null])", None),
    ],
)
def test_three_valued_logic(text: str, expected: bool | None) -> None:
    assert feel.evaluate(text) is expected


def test_and_short_circuits() -> None:
    result = feel.evaluate_detailed("false and x.y")
    assert result.value is False
    assert result.warnings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 between 1 and 10", True),
        ("1 between 1 and 10", True),
        ("11 between 1 and 10", False),
        ('"b" between "a" and "c"', True),
        ("3 between 1 and x", None),
        ("0 between 1 and x", False),
    ],
)
def test_between(text: str, expected: bool | None) -> None:
    assert feel.evaluate(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 in [1, 2, 3]", True),
        ("4 in [1, 2, 3]", False),
        ("2 in (1, 2, 3)", True),
        ("4 in (2..4)", False),
        ("4 in [2..4]", True),
        ("4 in ]2..4[", False),
        ("4 in < 5", True),
        ("4 in (< 2, > 3)", True),
        ("1 in [[2..4], [1..3]]", True),
        ("10 in =10", True),
        ("10 in !=10", False),
        ("5 in ? < 3", False),
        ("null in < 2", None),
        ("null in (2..4)", None),
        ("null in null", True),
        ('"a" in < 3', None),
        ("[1,2] in [[1,2], [3]]", True),
        ("x in [1..5]", None),
    ],
)
def test_in(text: str, expected: bool | None) -> None:
    assert feel.evaluate(text) is expected


def test_if_then_else() -> None:
    assert feel.evaluate('if x > 10 then "big" else "small"', {"x": 11}) == "big"
    assert feel.evaluate('if x > 10 then "big" else "small"', {"x": 1}) == "small"
    # a condition that is not true (null, a number) takes the else branch
    assert feel.evaluate("if null then 1 else 2") == D(2)
    assert feel.evaluate("if 1 then 1 else 2") == D(2)


def test_ranges_as_values() -> None:
    assert feel.evaluate("[1..5]") == feel.Range(D(1), D(5), True, True)
    assert feel.evaluate("]1..5[") == feel.Range(D(1), D(5), False, False)
    assert feel.evaluate("(1..5]") == feel.Range(D(1), D(5), False, True)
    assert feel.evaluate("< 10") == feel.Range(None, D(10), False, False)
    assert feel.evaluate(">= x", {"x": 3}) == feel.Range(D(3), None, True, False)


def test_invalid_ranges_are_null() -> None:
    assert feel.evaluate('[1..".."]') is None
    assert feel.evaluate("< null") is None


def test_contexts_refer_to_earlier_entries() -> None:
    assert feel.evaluate("{a: 1, b: a + 1, c: b * 10}") == {"a": D(1), "b": D(2), "c": D(20)}
    assert feel.evaluate('{"first name": "Ada"}.first name') == "Ada"
