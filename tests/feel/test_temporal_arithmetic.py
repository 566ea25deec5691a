"""Arithmetic with dates, times, date-times and durations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flowwire.feel.format import to_string
from flowwire.feel.temporal import add, divide, multiply, parse_temporal, subtract
from flowwire.feel.values import YearsMonthsDuration


def t(text: str) -> object:
    return parse_temporal(text)


def text_of(value: object) -> str | None:
    return to_string(value)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("2021-01-31", "P1M", "2021-02-28"),  # clamped to the end of the month
        ("2020-01-31", "P1M", "2020-02-29"),
        ("2020-02-29", "P1Y", "2021-02-28"),
        ("2021-03-31", "-P1M", "2021-02-28"),
        ("2021-01-01", "P1D", "2021-01-02"),
        ("2021-01-01", "PT36H", "2021-01-02"),  # the time part is dropped
        ("2021-01-01T10:10:10", "P1M", "2021-02-01T10:10:10"),
        ("2021-01-31T10:00:00+11:00", "P1M", "2021-02-28T10:00:00+11:00"),
        ("2021-01-12T10:10:10", "P1DT1H", "2021-01-13T11:10:10"),
        (
            "2021-01-01T10:10:10@Australia/Melbourne",
            "P1M",
            "2021-02-01T10:10:10@Australia/Melbourne",
        ),
        ("10:15:00", "PT1H", "11:15:00"),
        ("23:30:00", "PT1H", "00:30:00"),  # wraps around midnight
        ("10:15:00+11:00", "P1D", "10:15:00+11:00"),
        ("10:15:00@Australia/Melbourne", "-PT1H", "09:15:00@Australia/Melbourne"),
        ("P1Y", "P2M", "P1Y2M"),
        ("P1Y", "-P2M", "P10M"),
        ("PT24H", "P1D", "P2D"),
        ("-P1D", "PT2H", "-PT22H"),
    ],
)
def test_addition(left: str, right: str, expected: str) -> None:
    assert text_of(add(t(left), t(right))) == expected
    assert text_of(add(t(right), t(left))) == expected  # durations commute


def test_adding_hours_to_a_zoned_date_time_follows_the_instant_across_dst() -> None:
    before_switch = t("2021-03-27T12:00:00@Europe/Berlin")
    assert text_of(add(before_switch, t("PT24H"))) == "2021-03-28T13:00:00@Europe/Berlin"


def test_adding_months_keeps_the_wall_clock_across_dst() -> None:
    winter = t("2021-01-15T12:00:00@Europe/Berlin")
    summer = add(winter, t("P6M"))
    assert text_of(summer) == "2021-07-15T12:00:00@Europe/Berlin"
    assert summer.utcoffset() == dt.timedelta(hours=2)  # type: ignore[union-attr]


def test_landing_in_the_spring_gap_moves_forward() -> None:
    value = add(t("2021-02-28T02:30:00@Europe/Berlin"), t("P1M"))
    assert text_of(value) == "2021-03-28T03:30:00@Europe/Berlin"


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("2021-01-02", "2021-01-01", "P1D"),
        ("2020-04-07", "2020-04-01", "P6D"),
        ("2021-01-01", "2021-01-02", "-P1D"),
        ("2021-01-02T10:10:10", "2021-01-01T10:10:10", "P1D"),
        ("2021-01-02T10:10:10@Europe/Paris", "2021-01-01T10:10:10@Asia/Dhaka", "P1DT5H"),
        ("2021-01-02T10:10:10+01:00", "2021-01-01T10:10:10@Europe/Paris", "P1D"),
        ("2021-03-29T00:00:00@Europe/Berlin", "2021-03-28T00:00:00@Europe/Berlin", "PT23H"),
        ("2021-01-02T00:00:00Z", "2021-01-02", "P0D"),  # a date is midnight UTC
        ("2021-01-02", "2021-01-01T10:10:10+11:00", "P1DT49M50S"),
        ("10:10:10", "09:10:10", "PT1H"),
        ("10:10:10", "11:10:10", "-PT1H"),
        ("10:10:10+11:00", "11:10:10+11:00", "-PT1H"),
        ("10:00:00+01:00", "10:00:00Z", "-PT1H"),
        ("2021-01-02", "P1M", "2020-12-02"),
        ("2021-01-02", "PT1S", "2021-01-01"),
        ("2021-01-02", "-PT25H", "2021-01-03"),
        ("2021-01-01T24:00:00", "PT1S", "2021-01-01T23:59:59"),
        ("00:30:00", "PT1H", "23:30:00"),
        ("P1Y", "P2M", "P10M"),
        ("-P1Y", "P2M", "-P1Y2M"),
        ("P1D", "PT2H", "PT22H"),
    ],
)
def test_subtraction(left: str, right: str, expected: str) -> None:
    assert text_of(subtract(t(left), t(right))) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("2021-01-02T10:10:10+02:00", "2021-01-01T10:10:10"),
        ("2021-01-02T10:10:10", "2021-01-01T10:10:10@Europe/Paris"),
        ("2021-01-01T00:00:00", "2021-01-02"),
        ("10:00:00", "10:00:00Z"),
        ("P1D", "P1Y"),
        ("10:10:10", "P1Y"),
        ("P1D", "2021-01-01"),
    ],
)
def test_undefined_subtractions_raise_type_error(left: str, right: str) -> None:
    with pytest.raises(TypeError):
        subtract(t(left), t(right))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("2021-01-01", "2021-01-01"),
        ("2021-01-01", "10:10:10"),
        ("P1D", "P1Y"),
        ("10:10:10", "P1Y"),
        ("10:10:10", "10:10:10"),
    ],
)
def test_undefined_additions_raise_type_error(left: str, right: str) -> None:
    with pytest.raises(TypeError):
        add(t(left), t(right))


def test_non_temporal_operands_raise_type_error() -> None:
    for other in (Decimal(10), "10", True, None, [1], {"a": 1}):
        with pytest.raises(TypeError):
            add(t("2021-01-01"), other)
        with pytest.raises(TypeError):
            multiply(t("2021-01-01"), other)


def test_leaving_the_supported_years_is_a_type_error_with_an_explanation() -> None:
    with pytest.raises(TypeError, match=r"1\.\.9999"):
        add(t("9999-12-31"), t("P1D"))
    with pytest.raises(TypeError, match=r"1\.\.9999"):
        subtract(t("0001-01-01T00:00:00"), t("P1Y"))


@pytest.mark.parametrize(
    ("duration", "factor", "expected"),
    [
        ("P1D", "10", "P10D"),
        ("-P1D", "-10", "P10D"),
        ("PT1H", "26", "P1DT2H"),
        ("P4DT1H", "1.5", "P6DT1H30M"),
        ("PT23H", "2.5", "P2DT9H30M"),
        ("P1D", "0", "P0D"),
        ("P1M", "26", "P2Y2M"),
        ("P2M", "1.5", "P3M"),
        ("P1Y11M", "-2.5", "-P4Y9M"),  # -57.5 months, truncated
    ],
)
def test_multiplying_a_duration_by_a_number(duration: str, factor: str, expected: str) -> None:
    assert text_of(multiply(t(duration), Decimal(factor))) == expected
    assert text_of(multiply(Decimal(factor), t(duration))) == expected


@pytest.mark.parametrize(
    ("duration", "divisor", "expected"),
    [
        ("P10D", "10", "P1D"),
        ("P10DT23H", "2.5", "P4DT9H12M"),
        ("P10Y11M", "2.5", "P4Y4M"),
        ("P10Y11M", "-2.5", "-P4Y4M"),
        ("PT1S", "3", "PT0.333333S"),
    ],
)
def test_dividing_a_duration_by_a_number(duration: str, divisor: str, expected: str) -> None:
    assert text_of(divide(t(duration), Decimal(divisor))) == expected


def test_dividing_durations_of_one_kind_gives_an_exact_number() -> None:
    assert divide(t("P1D"), t("PT1H")) == Decimal(24)
    assert divide(t("PT1H"), t("PT40M")) == Decimal("1.5")
    assert divide(t("P1Y"), t("P1M")) == Decimal(12)
    assert divide(t("P1Y"), t("P5M")) == Decimal("2.4")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("P1D", Decimal(0)),
        ("P1Y", Decimal(0)),
        ("P1D", "PT0H"),
        ("P10D", "P0Y"),
        ("P1Y", "P1D"),
        ("2021-01-01", Decimal(2)),
    ],
)
def test_undefined_divisions_raise_type_error(left: str, right: object) -> None:
    divisor = t(right) if isinstance(right, str) else right
    with pytest.raises(TypeError):
        divide(t(left), divisor)


def test_negative_durations_stay_negative_through_arithmetic() -> None:
    minus_two = t("-P2D")
    assert isinstance(minus_two, dt.timedelta)
    assert text_of(add(minus_two, t("PT1H"))) == "-P1DT23H"
    assert text_of(multiply(minus_two, Decimal("0.5"))) == "-P1D"
    assert subtract(YearsMonthsDuration(1), YearsMonthsDuration(13)) == YearsMonthsDuration(-12)
