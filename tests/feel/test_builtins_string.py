"""String built-ins: code-point positions, Camunda's string extensions and ``string join``."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Any

import pytest

from flowwire import feel

FAILED = "FUNCTION_INVOCATION_FAILURE"


def fails(expression: str) -> list[str]:
    """The warning kinds of an expression that must evaluate to null."""
    result = feel.evaluate_detailed(expression, {})
    assert result.value is None, f"{expression} gave {result.value!r}"
    return [kind for kind, _ in result.warnings]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('substring("foobar", 3)', "obar"),
        ('substring("foobar", 3, 3)', "oba"),
        ('substring("foobar", -2, 1)', "a"),
        ('substring("foobar", -6, 6)', "foobar"),
        ('substring("foobar", 3, 10)', "obar"),
        ('substring("foobar", 3, 3.8)', "oba"),
        ('substring("abc", -1, 4)', "c"),
        ('substring("abc", 4, 4)', ""),
        ('substring(string: "foobar", start position: 3)', "obar"),
        ('substring("\U0001f40efoo", 2)', "foo"),  # a code point, not two UTF-16 units
        ('string length("\U0001f40e\U0001f600")', Decimal(2)),
        ('string length("")', Decimal(0)),
        ('upper case("aBc4")', "ABC4"),
        ('lower case(string: "AbDcF")', "abdcf"),
        ('upper case(["bob"])', "BOB"),  # a list of one string counts as the string
        ('substring before("foobar", "bar")', "foo"),
        ('substring before("foobar", "xyz")', ""),
        ('substring before("abc", "a")', ""),
        ('substring after("foobar", "ob")', "ar"),
        ('substring after("abc", "")', "abc"),
        ('substring after("", "a")', ""),
        ('contains("foobar", "of")', False),
        ('contains("abc", "")', True),
        ('contains(string: "foobar", match: "b")', True),
        ('starts with("foobar", "fo")', True),
        ('ends with("foobar", "r")', True),
        ('ends with("\U0001f40e\U0001f600", "\U0001f600")', True),
        ('trim("  hello world  ")', "hello world"),
        ('trim(" hello   world ")', "hello   world"),
        ('trim("\\t\\nx\\r")', "x"),
        ('is blank("")', True),
        ('is blank(" \\t\\n")', True),
        ('is blank(" a ")', False),
        ('to base64("FEEL")', "RkVFTA=="),
        ('to base64("äö")', "w6TDtg=="),
        ('from base64(value: "Q2FtdW5kYQ==")', "Camunda"),
        ('from base64("Q2FtdW5kYQ")', "Camunda"),  # padding may be left out
        ('string join(["a","b","c"])', "abc"),
        ('string join(["a","b","c"], " and ")', "a and b and c"),
        ('string join(["a",null,"c"], "X")', "aXc"),
        ('string join(["foo","bar","baz"], null)', "foobarbaz"),
        ('string join([], "X")', ""),
        ('string join(["a","b","c"], ", ", "[", "]")', "[a, b, c]"),
        ('string join(["a","b"], null, "<", ">")', "<ab>"),
        ('string join(delimiter: "X", list: ["a","c"])', "aXc"),
        ('string join("a", "X")', "a"),
    ],
)
def test_string_results(expression: str, expected: Any) -> None:
    assert feel.evaluate(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        'substring("abc", -5)',
        'substring("abc", 5)',
        'substring("abc", 1, -1)',
        "substring(null, 1)",
        'substring("abc", "1")',
        "string length(1)",
        "upper case(null)",
        'upper case(["a", "b"])',
        'contains(null, "bar")',
        'contains("bar", null)',
        'starts with("a", 1)',
        "trim(null)",
        "is blank(1)",
        "to base64(null)",
        'from base64("!!")',
        'string join(["foo", 123, "bar"])',
        "string join(null)",
        'string join(["a"], 1)',
    ],
)
def test_unusable_arguments_give_null_and_a_warning(expression: str) -> None:
    assert FAILED in fails(expression)


def test_string_join_takes_one_two_or_four_arguments() -> None:
    assert fails('string join(["a","c"], "X", "foo")')


def test_uuid_is_a_random_version_7_uuid() -> None:
    first = feel.evaluate("uuid()")
    time.sleep(0.002)
    second = feel.evaluate("uuid()")
    pattern = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z")
    assert pattern.match(first) and pattern.match(second)
    assert first < second  # time-ordered
    assert feel.evaluate("string length(uuid())") == 36
