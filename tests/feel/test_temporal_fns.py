"""Temporal built-in functions, called through the registry as the evaluator calls them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from flowwire.feel.builtins.registry import REGISTRY
from flowwire.feel.errors import InvalidArgument
from flowwire.feel.format import to_string
from flowwire.feel.temporal import parse_temporal
from flowwire.feel.values import YearsMonthsDuration


class FixedClock:
    """The evaluation context a ``needs_context`` built-in receives."""

    def __init__(self, now: dt.datetime) -> None:
        self._now = now
        self.warnings: list[tuple[str, str]] = []

    def now(self) -> dt.datetime:
        return self._now

    def warn(self, kind: str, message: str) -> None:
        self.warnings.append((kind, message))


def call(name: str, *args: Any) -> Any:
    """Invoke a built-in positionally: the first overload that takes this many arguments."""
    for overload in REGISTRY[name]:
        if overload.required <= len(args) <= overload.maximum:
            return overload.impl(*args)
    raise AssertionError(f"no overload of {name} takes {len(args)} arguments")


def call_named(name: str, **kwargs: Any) -> Any:
    """Invoke a built-in by parameter names, the way named invocation binds them."""
    for overload in REGISTRY[name]:
        names = [p.name for p in overload.params]
        if set(kwargs) <= set(names) and all(
            p.name in kwargs for p in overload.params if not p.optional
        ):
            return overload.impl(*(kwargs.get(n) for n in names if n in kwargs))
    raise AssertionError(f"no overload of {name} takes {sorted(kwargs)}")


def t(text: str) -> Any:
    return parse_temporal(text)


def n(text: str | int) -> Decimal:
    return Decimal(text)


def test_date_from_text_date_time_or_components() -> None:
    assert call("date", "2017-12-31") == dt.date(2017, 12, 31)
    assert call("date", t("2017-09-03T09:45:30@Europe/Paris")) == dt.date(2017, 9, 3)
    assert call("date", t("2017-10-11")) == dt.date(2017, 10, 11)
    assert call("date", n(2019), n(9), n(17)) == dt.date(2019, 9, 17)
    assert call_named("date", year=n(2017), month=n(8), day=n(30)) == dt.date(2017, 8, 30)
    assert call_named("date", **{"from": "2012-12-25"}) == dt.date(2012, 12, 25)


@pytest.mark.parametrize(
    "args",
    [
        (None,),
        ("2012-12-25T",),
        ("2023-02-29",),
        (n(1),),
        ([],),
        (n(2023), n(2), n(29)),
        (n(2017), n(13), n(31)),
        (n(2017), n(-8), n(2)),
        (None, n(2), n(1)),
        (n(2017), n("1.5"), n(1)),
    ],
)
def test_date_rejects_unusable_arguments(args: tuple[Any, ...]) -> None:
    with pytest.raises(InvalidArgument):
        call("date", *args)


def test_date_and_time_from_text() -> None:
    assert call("date and time", "2012-12-24") == dt.datetime(2012, 12, 24)
    value = call("date and time", "2017-12-31T11:22:33.567Z")
    assert value == dt.datetime(2017, 12, 31, 11, 22, 33, 567000, tzinfo=dt.UTC)
    with pytest.raises(InvalidArgument, match="2017-13-10"):
        call("date and time", "2017-13-10T11:22:33")
    with pytest.raises(InvalidArgument):
        call("date and time", n(2017))


@pytest.mark.parametrize(
    ("day", "time", "expected"),
    [
        ("2017-01-01", "23:59:01", "2017-01-01T23:59:01"),
        ("2017-01-01", "23:59:01+02:00", "2017-01-01T23:59:01+02:00"),
        ("2017-01-01", "23:59:01@Europe/Paris", "2017-01-01T23:59:01@Europe/Paris"),
        ("2017-08-10T10:20:00+02:00", "23:59:01", "2017-08-10T23:59:01"),
        ("2017-09-05T10:20:00@Europe/Paris", "09:15:30Z", "2017-09-05T09:15:30Z"),
    ],
)
def test_date_and_time_from_a_date_and_a_time(day: str, time: str, expected: str) -> None:
    assert to_string(call("date and time", t(day), t(time))) == expected
    assert to_string(call_named("date and time", date=t(day), time=t(time))) == expected


def test_date_and_time_in_a_timezone_camunda_extension() -> None:
    local = t("2023-06-01T10:00:00")
    assert to_string(call("date and time", local, "Europe/Berlin")) == (
        "2023-06-01T10:00:00@Europe/Berlin"
    )
    utc = t("2023-06-01T10:00:00Z")
    moved = call_named("date and time", date=utc, timezone="Europe/Berlin")
    assert to_string(moved) == "2023-06-01T12:00:00@Europe/Berlin"
    assert to_string(call("date and time", local, "+05:30")) == "2023-06-01T10:00:00+05:30"
    with pytest.raises(InvalidArgument, match="Mars/Olympus"):
        call("date and time", local, "Mars/Olympus")


def test_date_and_time_rejects_a_missing_part() -> None:
    for args in [(None, t("23:59:01")), (t("2017-08-10"), None), (t("2017-08-10"), n(1))]:
        with pytest.raises(InvalidArgument):
            call("date and time", *args)


def test_time_from_text_date_time_or_date() -> None:
    assert call("time", "01:02:03") == dt.time(1, 2, 3)
    assert to_string(call("time", t("2017-08-10T10:20:00-01:00"))) == "10:20:00-01:00"
    assert to_string(call("time", t("2017-08-10T10:20:00@Europe/Paris"))) == (
        "10:20:00@Europe/Paris"
    )
    assert call("time", t("2017-08-10T10:20:00")) == dt.time(10, 20)
    assert to_string(call("time", t("2017-08-10"))) == "00:00:00Z"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((n(12), n(0), n(0), None), "12:00:00"),
        ((n(12), n(0), n(0)), "12:00:00"),
        ((n(11), n(59), n(45), t("PT0H")), "11:59:45Z"),
        ((n(11), n(59), n(0), t("-PT2H1M")), "11:59:00-02:01"),
        ((n(11), n(59), n(45), t("PT2H45M55S")), "11:59:45+02:45:55"),
        ((n(11), n(59), n("45.5"), None), "11:59:45.5"),
    ],
)
def test_time_from_components(args: tuple[Any, ...], expected: str) -> None:
    assert to_string(call("time", *args)) == expected


@pytest.mark.parametrize(
    "args",
    [
        (n(24), n(59), n(45), None),
        (n(23), n(60), n(45), None),
        (n(23), n(59), n(60), None),
        (None, n(11), n(45), t("P0D")),
        (n(12), n(0), n(0), t("PT19H")),
        (n(12), n(0), n(0), "Z"),
    ],
)
def test_time_rejects_unusable_components(args: tuple[Any, ...]) -> None:
    with pytest.raises(InvalidArgument):
        call("time", *args)


def test_duration_parses_both_kinds_and_normalises() -> None:
    assert call("duration", "PT24H") == dt.timedelta(days=1)
    assert call("duration", "P26M") == YearsMonthsDuration(26)
    assert to_string(call("duration", "P26M")) == "P2Y2M"
    for bad in ("", "P", "P1Y2D", None, n(1)):
        with pytest.raises(InvalidArgument):
            call("duration", bad)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2011-12-22", "2013-08-24", "P1Y8M"),
        ("2013-08-24", "2011-12-22", "-P1Y8M"),
        ("2016-01-01", "2016-01-01", "P0Y"),
        ("2017-12-31T13:00:00", "2017-12-31T12:00:00", "P0Y"),
        ("2016-09-30T23:25:00", "2017-12-28T12:12:12", "P1Y2M"),
        ("2014-12-31T23:59:59", "2016-12-31T00:00:01", "P2Y"),
        ("2017-09-05T10:20:00+05:00", "2019-10-01T12:32:59", "P2Y"),
        ("2013-08-24", "2017-12-15T00:59:59", "P4Y3M"),
        ("2021-01-31", "2021-02-28", "P0Y"),
    ],
)
def test_years_and_months_duration(start: str, end: str, expected: str) -> None:
    assert to_string(call("years and months duration", t(start), t(end))) == expected


def test_now_and_today_read_the_callers_clock() -> None:
    clock = FixedClock(dt.datetime(2024, 2, 29, 23, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    (now,) = REGISTRY["now"]
    (today,) = REGISTRY["today"]
    assert now.needs_context and today.needs_context
    assert now.impl(clock) == clock.now()
    assert today.impl(clock) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("function", "day", "expected"),
    [
        ("day of year", "1970-01-01", n(1)),
        ("day of year", "2020-12-31", n(366)),
        ("day of year", "2019-09-17T10:10:10", n(260)),
        ("day of week", "2019-09-17", "Tuesday"),
        ("day of week", "2021-01-17T10:10:10", "Sunday"),
        ("month of year", "2019-09-17", "September"),
        ("week of year", "2004-01-04", n(1)),
        ("week of year", "2003-12-29", n(1)),
        ("week of year", "2010-01-01", n(53)),
        ("week of year", "2005-01-01", n(53)),
        ("week of year", "2019-09-17", n(38)),
        ("last day of month", "2020-02-10", dt.date(2020, 2, 29)),
        ("last day of month", "2021-12-01T10:00:00", dt.date(2021, 12, 31)),
    ],
)
def test_calendar_functions(function: str, day: str, expected: Any) -> None:
    assert call(function, t(day)) == expected


@pytest.mark.parametrize(
    "function", ["day of year", "day of week", "month of year", "week of year", "last day of month"]
)
def test_calendar_functions_reject_non_dates(function: str) -> None:
    for bad in (None, "foo", "2019-09-17", n(1), t("10:00:00")):
        with pytest.raises(InvalidArgument):
            call(function, bad)


def test_parameter_names_follow_the_spec() -> None:
    signatures = {
        name: [[p.name for p in overload.params] for overload in REGISTRY[name]]
        for name in ("date", "date and time", "time", "duration", "years and months duration")
    }
    assert signatures == {
        "date": [["from"], ["year", "month", "day"]],
        "date and time": [["from"], ["date", "time"], ["date", "timezone"]],
        "time": [["from"], ["hour", "minute", "second", "offset"]],
        "duration": [["from"]],
        "years and months duration": [["from", "to"]],
    }
