"""Conversion built-ins: ``number`` with separators, ``string``, and Camunda's
``from json``/``to json``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from flowwire import feel

FAILED = "FUNCTION_INVOCATION_FAILURE"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('number("1500.5")', Decimal("1500.5")),
        ('number("-1.5e3")', Decimal("-1500")),
        ('number(".5")', Decimal("0.5")),
        ('number("1,500", ",")', Decimal(1500)),
        ('number("1 500.5", " ", ".")', Decimal("1500.5")),
        ('number("1.000.000,01", ".", ",")', Decimal("1000000.01")),
        ('number("1.500", ".", null)', Decimal(1500)),
        ('number("1000000.01", null, ".")', Decimal("1000000.01")),
        (
            'number(from: "1.000,5", decimal separator: ",", grouping separator: ".")',
            Decimal("1000.5"),
        ),
        ("string(1.1)", "1.1"),
        ("string(true)", "true"),
        ('string("foo")', "foo"),
        ("string(null)", None),
        ("string([1,2,3])", "[1, 2, 3]"),
        ('string(date("2012-12-25"))', "2012-12-25"),
        ('string(@"P1DT2H")', "P1DT2H"),
        ('from json("null")', None),
        ('from json("true")', True),
        ('from json("\\"2023-06-14\\"")', "2023-06-14"),
        (
            'from json("{\\"a\\": 1, \\"b\\": [2.50, null]}")',
            {"a": 1, "b": [Decimal("2.50"), None]},
        ),
        ('from json("[]")', []),
        ('to json("hello")', '"hello"'),
        ("to json(true)", "true"),
        ("to json(null)", "null"),
        ('to json(["a","b","c"])', '["a","b","c"]'),
        ("to json({a: 1, b: 2})", '{"a":1,"b":2}'),
        ("to json({b: 1.50, a: [null]})", '{"b":1.50,"a":[null]}'),
        ('to json(@"2023-06-14")', '"2023-06-14"'),
        ('to json(@"14:55:00+02:00")', '"14:55:00+02:00"'),
        ('to json(@"2023-06-14T14:55:00")', '"2023-06-14T14:55:00"'),
        (
            'to json(@"2025-11-24T10:00:00@Europe/Berlin")',
            '"2025-11-24T10:00:00+01:00[Europe/Berlin]"',
        ),
        ('to json(@"PT2H30M")', '"PT2H30M"'),
        ('to json(@"P3Y")', '"P3Y"'),
        ("to json((1..10])", '"(1..10]"'),
        ('to json("ä\\"")', '"ä\\""'),
    ],
)
def test_conversion_results(expression: str, expected: Any) -> None:
    assert feel.evaluate(expression) == expected


def test_json_round_trip_keeps_numbers_exact() -> None:
    value = {"id": 12345678901234567890, "price": Decimal("19.99"), "tags": ["a", None]}
    text = feel.evaluate("to json(v)", {"v": value})
    assert text == '{"id":12345678901234567890,"price":19.99,"tags":["a",null]}'
    assert feel.evaluate("from json(t)", {"t": text}) == value


@pytest.mark.parametrize(
    "expression",
    [
        'number("abc")',
        'number(" 1")',
        'number("1_000")',
        'number("NaN")',
        'number("Infinity")',
        "number(123)",
        "number(null)",
        'number("1,000,000.01", " ", ".")',
        'number("1,000,000.01", ":", ".")',
        'number("1,000,000.01", ",", ":")',
        'number("1,000,000.00", ",", ",")',
        'number("1.000.000,01", ".")',
        'from json("{")',
        'from json("NaN")',
        "from json(1)",
        "from json(null)",
    ],
)
def test_unusable_arguments_give_null_and_a_warning(expression: str) -> None:
    result = feel.evaluate_detailed(expression, {})
    assert result.value is None
    assert FAILED in [kind for kind, _ in result.warnings]


def test_from_json_rejects_excessive_nesting_without_crashing() -> None:
    result = feel.evaluate_detailed("from json(t)", {"t": "[" * 100_000})
    assert result.value is None
