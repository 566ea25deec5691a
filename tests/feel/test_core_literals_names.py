"""Literals, names with spaces, backtick names and the leading '=' of BPMN attributes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowwire import feel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.4", D("2.4")),
        ("-3", D(-3)),
        ("02", D(2)),
        (".5", D("0.5")),
        ("1.23e4", D(12300)),
        ('"a"', "a"),
        ("true", True),
        ("false", False),
        ("null", None),
    ],
)
def test_literals(text: str, expected: object) -> None:
    assert feel.evaluate(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r'"a\"b"', 'a"b'),
        (r'"a\\b"', "a\\b"),
        (r'"line\nbreak"', "line\nbreak"),
        (r'"tab\there"', "tab\there"),
        (r'"\r"', "\r"),
        (r'"\'"', "'"),
        (r'"\u00e4"', "ä"),
        (r'"\ud83d\ude00"', "😀"),
        (r'"\d+"', "\\d+"),  # unknown escapes are kept (regular expressions)
    ],
)
def test_string_escapes(text: str, expected: str) -> None:
    assert feel.evaluate(text) == expected


def test_temporal_literals() -> None:
    assert feel.evaluate('@"2023-03-07"') == dt.date(2023, 3, 7)
    assert feel.evaluate('@"P2Y3M"') == feel.YearsMonthsDuration(27)
    assert feel.evaluate('@"PT1H"') == dt.timedelta(hours=1)


def test_invalid_temporal_literal_is_null_with_warning() -> None:
    result = feel.evaluate_detailed('@"2023-06-31"')
    assert result.value is None
    assert result.warnings and result.warnings[0][0] == "INVALID_TYPE"


def test_comments_are_ignored() -> None:
    assert feel.evaluate("/* the first\n item */ [1,2,3][1] // trailing") == D(1)


def test_leading_equals_sign_is_ignored() -> None:
    assert feel.evaluate("= 1 + 1") == D(2)
    assert feel.evaluate("=x", {"x": "y"}) == "y"


def test_names_with_spaces_join_words() -> None:
    assert feel.evaluate("Applicant Age + 1", {"Applicant Age": 41}) == D(42)
    assert feel.evaluate("{first name: 1}.first name") == D(1)


def test_backtick_names() -> None:
    assert feel.evaluate("`a-b c` * 2", {"a-b c": 4}) == D(8)
    assert feel.evaluate("{foo bar:1}.`foo bar`") == D(1)


def test_hyphenated_variable_names_win_when_defined() -> None:
    assert feel.evaluate("Date-Time", {"Date-Time": "x"}) == "x"
    # without such a variable the same text is a subtraction
    assert feel.evaluate("a-b", {"a": 5, "b": 3}) == D(2)


def test_apostrophe_and_unicode_in_names() -> None:
    assert feel.evaluate("Person's age", {"Person's age": 3}) == D(3)
    assert feel.evaluate("{🐎: 1}.🐎") == D(1)
    assert feel.evaluate("größe", {"größe": 2}) == D(2)


def test_python_values_are_converted() -> None:
    assert feel.evaluate("x", {"x": 1.5}) == D("1.5")
    assert feel.evaluate("x", {"x": (1, 2)}) == [D(1), D(2)]
    assert feel.evaluate("x.a", {"x": {"a": 7}}) == D(7)
    assert feel.evaluate("x", {"x": float("nan")}) is None


def test_contexts_taken_from_the_input_leave_as_feel_values() -> None:
    orders = [{"id": 1, "type": "a"}, {"id": 2.5, "type": "a"}, {3: "x", "type": "a"}]
    result = feel.evaluate('orders[type = "a"]', {"orders": orders})
    assert result == [
        {"id": D(1), "type": "a"},
        {"id": D("2.5"), "type": "a"},
        {"3": "x", "type": "a"},
    ]
    assert [type(item.get("id")) for item in result] == [D, D, type(None)]
    clean = [{"id": D(1), "type": "a"}]
    assert feel.evaluate('orders[type = "a"]', {"orders": clean}) == clean


def test_missing_variable_is_null_with_warning() -> None:
    result = feel.evaluate_detailed("x")
    assert result.value is None
    assert result.warnings == [("NO_VARIABLE_FOUND", "no variable found with name 'x'")]


def test_results_are_feel_values() -> None:
    assert feel.evaluate("[1, {a: 2}]") == [D(1), {"a": D(2)}]
    assert isinstance(feel.evaluate("1 + 1"), D)


def test_variable_names_containing_keywords_are_read_when_given() -> None:
    variables = {"values in a list": [D(2), D(4)]}
    assert feel.evaluate("every i in values in a list satisfies even(i)", variables) is True
    assert feel.evaluate("some i in values in a list satisfies odd(i)", variables) is False


def test_variable_names_containing_numbers_are_read_when_given() -> None:
    text = "Base + max(Extra days case 1, Extra days  case 2)"
    variables = {"Base": 22, "Extra days case 1": 5, "Extra days case 2": 3}
    assert feel.evaluate(text, variables) == D(27)
    with pytest.raises(feel.FeelSyntaxError):
        feel.evaluate(text, {"Base": 22})  # without those variables the text is no expression


def test_the_same_text_reads_by_the_variables_of_each_evaluation() -> None:
    compiled = feel.compile("x in y")
    assert compiled.evaluate({"x": 1, "y": [1, 2]}) is True
    assert compiled.evaluate({"x in y": "a name"}) == "a name"
    assert compiled.evaluate({"x": 3, "y": [1, 2]}) is False
    # the plain reading wins while it finds all its variables
    assert compiled.evaluate({"x": 1, "y": [1, 2], "x in y": "a name"}) is True
    detailed = feel.evaluate_detailed("for d in days in weekend return d", {"days in weekend": [1]})
    assert detailed.value == [D(1)]
    assert detailed.warnings == []


def test_context_keys_containing_keywords_are_names_for_later_entries() -> None:
    text = '{days in weekend: ["sat", "sun"], n: count(days in weekend)}.n'
    assert feel.evaluate(text) == D(2)
