"""The text of FEEL values: ``string(x)`` as Camunda renders it, display text and JSON."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from flowwire.feel.format import json_dumps, to_feel_text, to_json_compatible, to_string
from flowwire.feel.temporal import parse_temporal
from flowwire.feel.values import FeelFunction, Range, YearsMonthsDuration


def t(text: str) -> object:
    return parse_temporal(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (Decimal("123.45"), "123.45"),
        (Decimal("1E+2"), "100"),
        (Decimal("1.10"), "1.10"),
        (Decimal("-0"), "0"),
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("-5"), "-5"),
        (t("2018-12-10"), "2018-12-10"),
        (t("2012-12-25T11:00:00"), "2012-12-25T11:00:00"),
        (t("2012-12-25T11:00:00+02:00"), "2012-12-25T11:00:00+02:00"),
        (t("2012-12-25T11:00:00-00:00"), "2012-12-25T11:00:00Z"),
        (t("2018-12-10T10:30:00.0001"), "2018-12-10T10:30:00.0001"),
        (t("2018-12-10T10:30:00.0001+05:00:01"), "2018-12-10T10:30:00.0001+05:00:01"),
        (t("2011-12-31T10:15:30@Europe/Paris"), "2011-12-31T10:15:30@Europe/Paris"),
        (t("2018-12-10T10:30:00@Etc/UTC"), "2018-12-10T10:30:00@Etc/UTC"),
        (t("10:30:00"), "10:30:00"),
        (t("10:30:00.5"), "10:30:00.5"),
        (t("10:30:00+02:00"), "10:30:00+02:00"),
        (t("10:30:00@Europe/Berlin"), "10:30:00@Europe/Berlin"),
        (t("-PT0S"), "P0D"),
        (t("PT0H0M0S"), "P0D"),
        (t("P0DT0H0M0S"), "P0D"),
        (t("-PT1S"), "-PT1S"),
        (t("PT1H"), "PT1H"),
        (t("P1DT2H3M4S"), "P1DT2H3M4S"),
        (t("-P1DT2H3M4S"), "-P1DT2H3M4S"),
        (t("PT49H"), "P2DT1H"),
        (t("P1DT2H3M4.1234S"), "P1DT2H3M4.1234S"),
        (t("-PT0.5S"), "-PT0.5S"),
        (t("P0Y"), "P0Y"),
        (t("P0Y0M"), "P0Y"),
        (t("-P1Y"), "-P1Y"),
        (t("-P3Y1M"), "-P3Y1M"),
        (t("P25M"), "P2Y1M"),
        (YearsMonthsDuration(11), "P11M"),
        ([], "[]"),
        ([Decimal(1), Decimal(2), Decimal(3)], "[1, 2, 3]"),
        ([Decimal(1), [Decimal(4), "foo"], None], '[1, [4, "foo"], null]'),
        (['"foo"'], '["\\"foo\\""]'),
        ({"a": Decimal(1), "b": "x"}, '{a:1, b:"x"}'),
        ({"a": "foo", "b": {"bar": "baz"}}, '{a:"foo", b:{bar:"baz"}}'),
        ({"first name": "Ann", "{": "x"}, '{first name:"Ann", "{":"x"}'),
        ({"d": t("2019-08-12"), "p": t("P1D")}, "{d:2019-08-12, p:P1D}"),
        (Range(Decimal(1), Decimal(5), True, True), "[1..5]"),
        (Range(Decimal(1), Decimal(5), False, False), "(1..5)"),
        (Range("a", "c", True, False), '["a".."c")'),
        (Range(None, Decimal(10), False, False), "< 10"),
        (Range(Decimal(5), None, True, False), ">= 5"),
        (FeelFunction(lambda a, b: a, ["a", "b"]), "function(a, b)"),
    ],
)
def test_string_renders_values_as_camunda_does(value: object, text: str) -> None:
    assert to_string(value) == text


def test_string_of_a_string_is_the_string_itself_and_of_null_is_null() -> None:
    assert to_string('say "hi"') == 'say "hi"'
    assert to_string(None) is None


def test_display_text_quotes_top_level_strings_and_shows_null() -> None:
    assert to_feel_text("a\nb") == '"a\\nb"'
    assert to_feel_text(None) == "null"
    assert to_feel_text({"a": [Decimal("1.5")]}) == "{a:[1.5]}"


def test_json_compatible_values_keep_every_digit() -> None:
    value = {
        "n": Decimal("1E+2"),
        "x": Decimal("0.1000000000000000000000000000000001"),
        "when": t("2019-08-12T10:30:00@Europe/Berlin"),
        "took": t("PT1H30M"),
        "list": [None, True, "s", t("10:30:00")],
        "fn": FeelFunction(lambda: 1, []),
    }
    converted = to_json_compatible(value)
    assert converted == {
        "n": 100,
        "x": Decimal("0.1000000000000000000000000000000001"),
        "when": "2019-08-12T10:30:00@Europe/Berlin",
        "took": "PT1H30M",
        "list": [None, True, "s", "10:30:00"],
        "fn": None,
    }
    assert type(converted["n"]) is int


def test_json_text_writes_exact_numbers_compactly() -> None:
    text = json_dumps({"a": Decimal("0.1000000000000000000000000000000001"), "b": ["ü", None]})
    assert text == '{"a":0.1000000000000000000000000000000001,"b":["ü",null]}'
    assert json.loads(text, parse_float=Decimal)["a"] == Decimal(
        "0.1000000000000000000000000000000001"
    )
    assert json_dumps(dt.date(2020, 1, 1)) == '"2020-01-01"'
    assert json_dumps("x") == '"x"'
