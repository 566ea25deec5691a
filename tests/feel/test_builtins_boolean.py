"""Boolean built-ins: ``not`` and DMN 1.5's ``is``, which tells apart values that ``=``
considers equal (a zone id and an offset, a date and a date-time)."""

from __future__ import annotations

import pytest

from flowwire import feel


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("not(true)", False),
        ("not(false)", True),
        ("not(null)", None),
        ("not(negand: false)", True),
    ],
)
def test_not(expression: str, expected: bool | None) -> None:
    assert feel.evaluate(expression) is expected


def test_not_of_a_non_boolean_is_null() -> None:
    assert feel.evaluate("not(0)") is None
    assert feel.evaluate('not("true")') is None


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("is(1, 1)", True),
        ("is(1, 1.0)", True),
        ("is(1, 2)", False),
        ('is("foo", "foo")', True),
        ('is("1", 1)', False),
        ("is(null, null)", True),
        ("is(null, 1)", False),
        ("is([1, 2], [1, 2])", True),
        ('is(@"2012-12-25", @"2012-12-25")', True),
        ('is(@"2012-12-25", @"2012-12-25T00:00:00Z")', False),
        ('is(@"23:00:50", @"23:00:50")', True),
        ('is(@"23:00:50Z", @"23:00:50+00:00")', True),
        ('is(@"23:00:50", @"23:00:50Z")', False),
        ('is(@"23:00:50@Australia/Melbourne", @"23:00:50@Australia/Melbourne")', True),
        ('is(@"23:00:50@Australia/Melbourne", @"23:00:50+10:00")', False),
        ('is(@"23:00:50@Etc/GMT", @"23:00:50Z")', False),
        ('is(@"20:00:50+00:00", @"21:00:50+01:00")', False),
        ('is(@"2012-12-25T10:10:10+11:00", @"2012-12-25T10:10:10+11:00")', True),
        ('is(@"2002-04-02T12:00:00-01:00", @"2002-04-02T17:00:00+04:00")', False),
        (
            'is(@"2002-04-02T23:00:00@Australia/Melbourne", @"2002-04-02T23:00:00@Australia/Sydney")',
            False,
        ),
        ('is(@"P1D", @"PT24H")', True),
        ('is(@"P1Y", @"P12M")', True),
        ('is(@"P0Y", @"P0D")', False),
        ('is(value1: @"2021-02-13", value2: @"2021-02-13")', True),
        ('is(value1: @"2021-02-13")', False),
    ],
)
def test_is(expression: str, expected: bool) -> None:
    assert feel.evaluate(expression) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("is defined(1)", True),
        ("is defined(null)", False),
        ("is defined(missing)", False),
        ("is defined(value: 1)", True),
        ("is defined(value: null)", False),
    ],
)
def test_is_defined(expression: str, expected: bool) -> None:
    assert feel.evaluate(expression) is expected
