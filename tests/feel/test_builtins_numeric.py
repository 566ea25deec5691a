"""Numeric built-ins: rounding with scales and modes, modulo's sign rule, sqrt/log/exp in
34 digits, abs of durations, and null plus a warning for unusable arguments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from flowwire import feel
from flowwire.feel.values import YearsMonthsDuration

FAILED = "FUNCTION_INVOCATION_FAILURE"


def fails(expression: str) -> list[str]:
    """The warning kinds of an expression that must evaluate to null."""
    result = feel.evaluate_detailed(expression, {})
    assert result.value is None, f"{expression} gave {result.value!r}"
    return [kind for kind, _ in result.warnings]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("decimal(1/3, 2)", "0.33"),
        ("decimal(1/3, 2.5)", "0.33"),  # a fractional scale is truncated
        ("decimal(1.5, 0)", "2"),
        ("decimal(2.5, 0)", "2"),  # half-even
        ("decimal(0.515, 2)", "0.52"),
        ("decimal(n: 15/7, scale: 3)", "2.143"),
        ("decimal(1234.5, -2)", "1.2E+3"),
        ('decimal(5.5, 0, "DOWN")', "5"),
        ('decimal(5.5, 0, "HALF_UP")', "6"),
        ('decimal(-2.5, 0, "UP")', "-3"),
        ('decimal(-2.5, 0, "HALF_DOWN")', "-2"),
        ('decimal(-1.1, 0, "CEILING")', "-1"),
        ('decimal(-1.1, 0, "FLOOR")', "-2"),
        ('decimal(1.0, 0, "UNNECESSARY")', "1"),
        ('decimal(1.5, 0, "CeiLing")', "2"),  # the mode's case doesn't matter
        ("floor(1.5)", "1"),
        ("floor(-1.5)", "-2"),
        ("floor(-1.56, 1)", "-1.6"),
        ("ceiling(-1.5)", "-1"),
        ("ceiling(-0.3333)", "0"),
        ("ceiling(1.56, 1)", "1.6"),
        ("round up(5.5)", "6"),
        ("round up(-1.126, 2)", "-1.13"),
        ("round down(-5.5, 0)", "-5"),
        ("round down(1.121, 2)", "1.12"),
        ("round half up(-5.5, 0)", "-6"),
        ("round half up(1.121, 2)", "1.12"),
        ("round half down(5.5, 0)", "5"),
        ("round half down(-1.126, 2)", "-1.13"),
        ("round up(5.5, 6176)", "5.5"),  # the largest scale DMN allows
        ("round up(n: 5.5, scale: 0)", "6"),
        ("abs(-10)", "10"),
        ("abs(n: -1)", "1"),
        ("abs(number: -1)", "1"),  # Camunda's parameter name
        ("modulo(12, 5)", "2"),
        ("modulo(-12, 5)", "3"),  # the result has the divisor's sign
        ("modulo(12, -5)", "-3"),
        ("modulo(-12, -5)", "-2"),
        ("modulo(10.1, 4.5)", "1.1"),
        ("modulo(-10.1, 4.5)", "3.4"),
        ("modulo(10.1, -4.5)", "-3.4"),
        ("modulo(dividend: 10, divisor: 4)", "2"),
        ("modulo(1E+6000, 7)", "1"),  # exact even when the quotient has 6000 digits
        ("modulo(1E+6000, 0.0000007)", "3E-7"),
        ("sqrt(16)", "4"),
        ("sqrt(2)", "1.414213562373095048801688724209698"),
        ("sqrt(number: 0)", "0"),
        ("log(4)", "1.386294361119890618834464242916353"),
        ("exp(4)", "54.59815003314423907811026120286088"),
        ("exp(0)", "1"),
    ],
)
def test_numeric_results(expression: str, expected: str) -> None:
    result = feel.evaluate(expression)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


def test_rounding_keeps_the_requested_scale() -> None:
    assert str(feel.evaluate("decimal(1/3, 2)")) == "0.33"
    assert str(feel.evaluate("decimal(0.0, 1)")) == "0.0"
    assert str(feel.evaluate("floor(-0.3333)")) == "-1"
    assert str(feel.evaluate("ceiling(-0.3333)")) == "0"  # no negative zero


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("odd(5)", True),
        ("odd(-1)", True),
        ("odd(2)", False),
        ("odd(0)", False),
        ("even(-2)", True),
        ("even(0)", True),
        ("even(5)", False),
        ("even(2.5)", False),  # as Camunda: a fraction is neither odd nor even
        ("odd(2.5)", False),
        ("even(1E+6000)", True),
    ],
)
def test_odd_and_even(expression: str, expected: bool) -> None:
    assert feel.evaluate(expression) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('abs(duration("-P1D"))', dt.timedelta(days=1)),
        ('abs(duration("PT5M"))', dt.timedelta(minutes=5)),
        ('abs(duration("-P1Y2M"))', YearsMonthsDuration(14)),
        ('abs(duration("P1Y"))', YearsMonthsDuration(12)),
    ],
)
def test_abs_of_durations(expression: str, expected: Any) -> None:
    assert feel.evaluate(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "floor(null, 1)",
        "floor(1.56, null)",
        'floor("1.5")',
        'round up(5.5, "0")',
        "round up(5.5, 6177)",
        "round down(5.5, -6112)",
        "decimal(1.5, null)",
        'decimal(5.5, 0, "UNNECESSARY")',
        'decimal(1.5, 0, "SIDEWAYS")',
        "abs(null)",
        'abs("-1")',
        'abs(date("2018-12-06"))',
        "modulo(10, 0)",
        'modulo("10", 4)',
        "sqrt(-1)",
        "log(0)",
        "log(-1)",
        "exp(100000)",
        "product(1E+6000, 1E+6000)",  # beyond FEEL's number range
        "sum(9E+6144, 9E+6144)",
        "odd(null)",
        'even("4")',
    ],
)
def test_unusable_arguments_give_null_and_a_warning(expression: str) -> None:
    assert FAILED in fails(expression)


def test_wrong_parameter_names_find_no_overload() -> None:
    assert fails("sqrt(n: 4)")
    assert fails("decimal(n: 1, scal: 2)")


def test_random_number_is_in_the_unit_interval_and_varies() -> None:
    values = {feel.evaluate("random number()") for _ in range(20)}
    assert all(isinstance(v, Decimal) and 0 <= v < 1 for v in values)
    assert len(values) > 1
