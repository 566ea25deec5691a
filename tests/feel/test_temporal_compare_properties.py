"""Equality, ordering and properties of temporal values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flowwire.feel.compare import NotComparable, feel_compare, feel_equal
from flowwire.feel.temporal import get_property, parse_temporal, temporal_compare, temporal_equal
from flowwire.feel.values import Range


def t(text: str) -> object:
    return parse_temporal(text)


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        ("2018-12-08T00:00:00@Europe/Paris", "2018-12-08T00:00:00@Europe/Paris", True),
        ("2018-12-08T00:00:00@Europe/Paris", "2018-12-08T00:00:00@Asia/Dhaka", False),
        ("2018-10-08T00:00:00+02:00", "2018-10-08T00:00:00@Europe/Paris", True),
        ("2002-04-02T12:00:00@Australia/Melbourne", "2002-04-02T12:00:00@Australia/Sydney", True),
        ("2002-04-02T23:00:00-04:00", "2002-04-03T02:00:00-01:00", True),
        ("2018-12-08T00:00:00+00:00", "2018-12-08T00:00:00@Etc/UTC", True),
        ("2017-01-10T10:30:00", "2017-01-10T10:30:00", True),
        ("2017-01-10T10:30:00", "2017-01-11T10:30:00", False),
        ("10:30:00Z", "10:30:00+00:00", True),
        ("10:00:00+01:00", "09:00:00Z", True),
        ("10:00:00+01:00", "10:30:00+01:00", False),
        ("10:30:00@Europe/Paris", "10:30:00@Europe/Paris", True),
    ],
)
def test_values_with_offsets_or_zones_are_equal_when_their_instants_are(
    left: str, right: str, equal: bool
) -> None:
    assert temporal_equal(t(left), t(right)) is equal
    assert feel_equal(t(left), t(right)) is equal


def test_local_and_offset_values_are_not_comparable() -> None:
    assert temporal_equal(t("2017-01-10T10:30:00"), t("2017-01-10T10:30:00Z")) is None
    assert temporal_equal(t("10:30:00"), t("10:30:00+01:00")) is None
    with pytest.raises(NotComparable):
        temporal_compare(t("10:30:00"), t("10:30:00+01:00"))
    with pytest.raises(NotComparable):
        feel_compare(t("2017-01-10T10:30:00"), t("2017-01-10T10:30:00@Europe/Paris"))


def test_ordering_follows_the_instant() -> None:
    assert temporal_compare(t("2017-01-10T10:30:00+01:00"), t("2017-01-10T10:00:00Z")) < 0
    assert temporal_compare(t("2017-02-10T10:00:00+01:00"), t("2017-01-10T10:30:00+01:00")) > 0
    assert temporal_compare(t("10:15:00+01:00"), t("10:00:00+01:00")) > 0
    assert temporal_compare(t("09:00:00"), t("11:15:00")) < 0
    assert temporal_compare(t("11:00:00+01:00"), t("11:00:00+01:00")) == 0


def test_the_repeated_autumn_hour_is_ordered_by_instant() -> None:
    first = t("2021-10-31T02:30:00+02:00")
    second = t("2021-10-31T02:30:00+01:00")
    berlin_first = parse_temporal("2021-10-31T00:30:00Z")
    assert temporal_compare(first, second) < 0
    assert isinstance(berlin_first, dt.datetime)
    assert temporal_equal(first, berlin_first) is True


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("2017-03-10", "year", Decimal(2017)),
        ("2017-03-10", "month", Decimal(3)),
        ("2017-03-10", "day", Decimal(10)),
        ("2020-09-30T22:50:30+02:00", "weekday", Decimal(3)),
        ("2018-12-10", "weekday", Decimal(1)),
        ("11:45:30+02:00", "minute", Decimal(45)),
        ("11:45:30.75", "second", Decimal(30)),
        ("11:45:30", "time offset", None),
        ("11:45:30", "timezone", None),
        ("11:45:30+02:00", "time offset", dt.timedelta(hours=2)),
        ("11:45:30+02:00", "timezone", None),
        ("2017-03-10T11:45:30+02:00", "hour", Decimal(11)),
        ("2017-03-10T11:45:30@Europe/Paris", "timezone", "Europe/Paris"),
        ("2017-07-10T11:45:30@Europe/Paris", "time offset", dt.timedelta(hours=2)),
        ("2017-03-10T11:45:30", "time offset", None),
        ("2018-12-10T10:30:00+05:00", "time offset", dt.timedelta(hours=5)),
        ("P2Y3M", "years", Decimal(2)),
        ("P2Y3M", "months", Decimal(3)),
        ("-P14M", "years", Decimal(-1)),
        ("-P14M", "months", Decimal(-2)),
        ("P1DT2H10M30S", "days", Decimal(1)),
        ("P1DT2H10M30S", "hours", Decimal(2)),
        ("P1DT2H10M30S", "minutes", Decimal(10)),
        ("P1DT2H10M30S", "seconds", Decimal(30)),
        ("-P1DT2H", "hours", Decimal(-2)),
        ("PT49H", "days", Decimal(2)),
    ],
)
def test_properties(text: str, name: str, expected: object) -> None:
    assert get_property(t(text), name) == expected


def test_a_time_with_a_zone_id_reports_the_zone_and_its_standard_offset() -> None:
    value = t("10:00:00@Asia/Kolkata")
    assert get_property(value, "timezone") == "Asia/Kolkata"
    assert get_property(value, "time offset") == dt.timedelta(hours=5, minutes=30)


@pytest.mark.parametrize(
    ("text", "name"),
    [("2017-03-10", "hour"), ("11:45:30", "year"), ("P1Y", "days"), ("P1D", "years")],
)
def test_unknown_properties_raise_key_error_listing_the_known_ones(text: str, name: str) -> None:
    with pytest.raises(KeyError, match="Available properties"):
        get_property(t(text), name)


def test_range_properties() -> None:
    below_ten = Range(None, Decimal(10), False, False)
    assert get_property(below_ten, "start") is None
    assert get_property(below_ten, "end") == Decimal(10)
    assert get_property(below_ten, "start included") is False
    assert get_property(Range(Decimal(1), Decimal(5), True, False), "end included") is False


def test_values_at_the_edges_of_the_calendar_compare_without_overflow() -> None:
    first = t("0001-01-01T00:00:00+05:00")
    last = t("9999-12-31T23:59:59-05:00")
    assert temporal_compare(first, t("0001-01-01T00:00:00Z")) < 0
    assert temporal_compare(last, t("9999-12-31T23:59:59Z")) > 0
    assert temporal_equal(first, t("0001-01-01T00:00:00+05:00")) is True
