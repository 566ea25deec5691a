"""Parsing of FEEL date, time, date-time and duration text (``@"..."`` and constructors)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from flowwire.feel.temporal import (
    parse_date,
    parse_date_and_time,
    parse_duration,
    parse_temporal,
    parse_time,
)
from flowwire.feel.values import YearsMonthsDuration

BERLIN = ZoneInfo("Europe/Berlin")


def offset(hours: int = 0, minutes: int = 0, seconds: int = 0) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours, minutes=minutes, seconds=seconds))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-08-12", dt.date(2019, 8, 12)),
        ("10:30:00", dt.time(10, 30)),
        ("10:30", dt.time(10, 30)),
        ("T10:30:00", dt.time(10, 30)),
        ("10:30:00.25", dt.time(10, 30, 0, 250000)),
        ("10:30:00Z", dt.time(10, 30, tzinfo=dt.UTC)),
        ("10:30:00+02:00", dt.time(10, 30, tzinfo=offset(2))),
        ("10:30:00-00:00", dt.time(10, 30, tzinfo=dt.UTC)),
        ("10:30:00.0001+05:00:01", dt.time(10, 30, 0, 100, tzinfo=offset(5, 0, 1))),
        ("10:30:00@Europe/Berlin", dt.time(10, 30, tzinfo=BERLIN)),
        ("2019-08-12T10:30:00", dt.datetime(2019, 8, 12, 10, 30)),
        ("2019-08-12T10:30", dt.datetime(2019, 8, 12, 10, 30)),
        ("2019-08-12T10:30:00-05:00", dt.datetime(2019, 8, 12, 10, 30, tzinfo=offset(-5))),
        ("2019-08-12T10:30:00@Europe/Berlin", dt.datetime(2019, 8, 12, 10, 30, tzinfo=BERLIN)),
        ("P1DT2H30M", dt.timedelta(days=1, hours=2, minutes=30)),
        ("PT0.5S", dt.timedelta(milliseconds=500)),
        ("PT0.S", dt.timedelta(0)),
        ("-P2D", dt.timedelta(days=-2)),
        ("PT1000M", dt.timedelta(minutes=1000)),
        ("P1Y2M", YearsMonthsDuration(14)),
        ("P3M", YearsMonthsDuration(3)),
        ("-P1Y", YearsMonthsDuration(-12)),
        ("P0Y", YearsMonthsDuration(0)),
    ],
)
def test_literal_text_becomes_the_matching_python_value(text: str, expected: object) -> None:
    value = parse_temporal(text)
    assert value == expected
    assert type(value) is type(expected)
    if isinstance(expected, (dt.time, dt.datetime)):
        assert value.tzinfo == expected.tzinfo  # type: ignore[union-attr]


def test_a_date_time_keeps_the_zone_id_not_just_its_offset() -> None:
    value = parse_date_and_time("2019-08-12T10:30:00@Europe/Berlin")
    assert isinstance(value.tzinfo, ZoneInfo)
    assert value.tzinfo.key == "Europe/Berlin"
    assert value.utcoffset() == dt.timedelta(hours=2)


def test_date_and_time_of_a_date_alone_is_local_midnight() -> None:
    assert parse_date_and_time("2012-12-24") == dt.datetime(2012, 12, 24)


def test_24_00_is_midnight_of_the_next_day() -> None:
    assert parse_date_and_time("2021-01-01T24:00:00") == dt.datetime(2021, 1, 2)
    assert parse_time("24:00:00") == dt.time(0, 0)


def test_a_wall_time_in_the_spring_gap_moves_forward_like_java_time() -> None:
    value = parse_date_and_time("2021-03-28T02:30:00@Europe/Berlin")
    assert (value.hour, value.minute) == (3, 30)
    assert value.utcoffset() == dt.timedelta(hours=2)


def test_an_ambiguous_autumn_wall_time_takes_the_earlier_offset() -> None:
    value = parse_date_and_time("2021-10-31T02:30:00@Europe/Berlin")
    assert value.utcoffset() == dt.timedelta(hours=2)


def test_fractions_beyond_microseconds_are_truncated() -> None:
    assert parse_time("11:22:33.123456789") == dt.time(11, 22, 33, 123456)
    assert parse_duration("PT0.0000009S") == dt.timedelta(0)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2012/12/25",
        "2017-13-10",
        "2017-02-29",
        "2017-12-32",
        "998-12-31",
        "01211-12-31",
        "+2012-12-02",
        "2012-12-25T",
        "2011-12-0310:15:30",
        "7:00:00",
        "07:1:00",
        "07:01:2",
        "23:59:60",
        "24:00:01",
        "25:00:00",
        "00:60:00",
        "11:30:00T",
        "13:20:00+19:00",
        "13:20:00+5:00",
        "13:20:00+5",
        "13:20:00+02:00@Europe/Paris",
        "13:20:00@xyz/abc",
        "13:20:00@../../etc/passwd",
        "2017-12-31T13:20:00+05:0",
        "P",
        "PT",
        "P0",
        "1Y",
        "P1H",
        "P1S",
        "P1DT",
        "P1Y2M3D",
        "PT-5M",
    ],
)
def test_malformed_text_raises_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_temporal(text)


@pytest.mark.parametrize("text", ["-2017-12-31", "99999-12-31", "0000-01-01"])
def test_years_python_cannot_hold_are_rejected_with_a_message_saying_so(text: str) -> None:
    with pytest.raises(ValueError, match=r"1\.\.9999"):
        parse_date(text)


def test_messages_show_the_text_and_an_example() -> None:
    with pytest.raises(ValueError, match=r'"10h30".*e\.g\.'):
        parse_time("10h30")
    with pytest.raises(ValueError, match=r"cannot be mixed"):
        parse_duration("P1Y2D")


def test_each_parser_accepts_only_its_own_kind() -> None:
    with pytest.raises(ValueError):
        parse_date("2019-08-12T10:00:00")
    with pytest.raises(ValueError):
        parse_time("2019-08-12")
    with pytest.raises(ValueError):
        parse_date_and_time("11:00:00")


@pytest.mark.parametrize("text", ["9999-12-31T24:00:00", "0001-01-01T00:00:00@Asia/Kolkata"])
def test_text_whose_value_leaves_the_calendar_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"1\.\.9999"):
        parse_date_and_time(text)
