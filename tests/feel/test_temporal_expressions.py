"""Temporal values, range functions and ``string()`` end to end, through ``feel.evaluate``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from flowwire import feel

#: behaviour areas of camunda-behaviour.jsonl that temporal/range/format code answers for
TEMPORAL_AREAS = {
    "InterpreterDateTimeExpression",
    "DateTimeDurationProperties",
    "BuiltinTemporalFunctions",
    "BuiltinRangeFunction",
}


def warnings_of(expression: str, variables: dict[str, Any] | None = None) -> list[str]:
    return [kind for kind, _ in feel.evaluate_detailed(expression, variables or {}).warnings]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('date("2021-01-31") + duration("P1M")', dt.date(2021, 2, 28)),
        ('@"2019-08-12T10:30:00" + @"PT90M"', dt.datetime(2019, 8, 12, 12, 0)),
        (
            'string(@"2021-03-27T12:00:00@Europe/Berlin" + @"PT24H")',
            "2021-03-28T13:00:00@Europe/Berlin",
        ),
        ('string(date("2020-04-07") - date("2020-04-01"))', "P6D"),
        ('time("23:30:00") + duration("PT1H")', dt.time(0, 30)),
        ('duration("P1Y") / duration("P1M")', Decimal(12)),
        ('duration("PT6H") * 4 = duration("P1D")', True),
        ('date and time("2018-10-08T00:00:00+02:00") = @"2018-10-08T00:00:00@Europe/Paris"', True),
        ('time("10:00:00") between time("09:00:00") and time("11:00:00")', True),
        ('@"P2Y3M".months + @"P1DT2H".hours', Decimal(5)),
        ('date and time("2020-09-30T22:50:30+02:00").weekday', Decimal(3)),
        ('date and time("2017-03-10T11:45:30@Europe/Paris").timezone', "Europe/Paris"),
        ('string(date and time("2017-03-10T11:45:30+02:00").time offset)', "PT2H"),
        (
            'years and months duration(date("2011-12-22"), date("2013-08-24"))',
            feel.YearsMonthsDuration(20),
        ),
        ("week of year(date(2005, 1, 1))", Decimal(53)),
        ('day of week(date and time("2019-09-17T10:10:10"))', "Tuesday"),
        ('last day of month(date("2024-02-10"))', dt.date(2024, 2, 29)),
        (
            'string(date and time(@"2023-06-01T10:00:00Z", "Europe/Berlin"))',
            "2023-06-01T12:00:00@Europe/Berlin",
        ),
        (
            'date and time(date: date("2017-01-01"), time: time("23:59:01"))',
            dt.datetime(2017, 1, 1, 23, 59, 1),
        ),
        (
            'time(hour: 11, minute: 59, second: 0, offset: duration("-PT2H")) = time("11:59:00-02:00")',
            True,
        ),
        ("before(point: 11, range: [5..10])", False),
        ("overlaps before([1..5], [5..8])", True),
        ("includes(< 10, 9.99)", True),
        ('during(@"2021-06-01", [@"2021-01-01"..@"2021-12-31"])', True),
        ('range("[1..3)") = [1..3)', True),
        ('2 in range("(1..3]")', True),
        ('string({a: 1, b: "x", c: [@"P1D", null]})', '{a:1, b:"x", c:[P1D, null]}'),
    ],
)
def test_temporal_expressions(expression: str, expected: Any) -> None:
    assert feel.evaluate(expression) == expected


def test_variables_of_python_temporal_types_take_part() -> None:
    variables = {
        "due": dt.datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        "now": dt.datetime(2024, 2, 28, 8, 0, tzinfo=dt.UTC),
        "grace": dt.timedelta(days=2),
    }
    assert feel.evaluate("due - now > grace", variables) is False
    assert feel.evaluate("string(due - now)", variables) == "P2D"
    assert feel.evaluate("due.timezone", variables) == "Europe/Berlin"


@pytest.mark.parametrize(
    ("expression", "warning"),
    [
        ('date("2019-13-01")', "FUNCTION_INVOCATION_FAILURE"),
        ('@"not a date"', "INVALID_TYPE"),
        ('date("2019-01-01") + 1', "INVALID_TYPE"),
        ('@"2021-01-02T10:00:00+02:00" - @"2021-01-01T10:00:00"', "INVALID_TYPE"),
        ('duration("P1D") / duration("PT0S")', "INVALID_TYPE"),
        ('date("2019-01-01").hour', "NO_PROPERTY_FOUND"),
        ('time("10:00:00") < time("10:00:00Z")', "NOT_COMPARABLE"),
        ('before("a", "b")', "FUNCTION_INVOCATION_FAILURE"),
        ('range("[3..1]")', "FUNCTION_INVOCATION_FAILURE"),
    ],
)
def test_undefined_temporal_operations_give_null_with_a_warning(
    expression: str, warning: str
) -> None:
    assert feel.evaluate(expression) is None
    assert warning in warnings_of(expression)


def test_now_and_today_are_current() -> None:
    before = dt.datetime.now(dt.UTC)
    now = feel.evaluate("now()")
    assert isinstance(now, dt.datetime) and now.tzinfo is not None
    assert abs(now - before) < dt.timedelta(minutes=1)
    assert feel.evaluate("today() = date(now())") is True


def _temporal_rows(shared: Path) -> list[dict[str, Any]]:
    lines = (shared / "feel-cases" / "camunda-behaviour.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in lines.splitlines() if line.strip()]
    return [row for row in rows if row["area"] in TEMPORAL_AREAS or "string(" in row["expr"]]


def _typed(value: dict[str, str]) -> Any:
    kind, text = value["t"], value.get("v")
    if kind == "null":
        return None
    if kind == "boolean":
        return text == "true"
    if kind == "number":
        return Decimal(text or "")
    return text


def test_every_camunda_row_of_the_temporal_areas_passes(shared_dir: Path) -> None:
    rows = _temporal_rows(shared_dir)
    assert len(rows) > 150
    failures = []
    for row in rows:
        assert row["kind"] == "expression"
        expected = _typed(row["expected"])
        actual = feel.evaluate(row["expr"])
        same = (
            actual is expected
            if expected is None or isinstance(expected, bool)
            else type(actual) is type(expected) and actual == expected
        )
        if not same:
            failures.append(f"{row['expr']}: expected {expected!r}, got {actual!r}")
    assert not failures, "\n".join(failures)
