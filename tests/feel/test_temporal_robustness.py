"""Random temporal values and text: only the documented exceptions, and sound round trips."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from flowwire.feel import temporal
from flowwire.feel.builtins import range_fns, temporal_fns
from flowwire.feel.builtins.registry import REGISTRY
from flowwire.feel.compare import NotComparable
from flowwire.feel.errors import InvalidArgument
from flowwire.feel.format import to_string
from flowwire.feel.values import Range, YearsMonthsDuration

ZONES = [ZoneInfo(name) for name in ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC")]
timezones = st.one_of(
    st.none(),
    st.sampled_from(ZONES),
    st.integers(-18 * 60, 18 * 60).map(lambda m: temporal.offset_timezone(dt.timedelta(minutes=m))),
)
dates = st.dates()
times = st.builds(lambda t, tz: t.replace(tzinfo=tz), st.times(), timezones)
date_times = st.builds(
    lambda d, tz: temporal.attach_zone(d, tz) if isinstance(tz, ZoneInfo) else d.replace(tzinfo=tz),
    st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31)),
    timezones,
)
dt_durations = st.timedeltas()
ym_durations = st.integers(-(10**6), 10**6).map(YearsMonthsDuration)
numbers = st.decimals(
    allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
)
values = st.one_of(
    dates, times, date_times, dt_durations, ym_durations, numbers, st.none(), st.text()
)


@settings(max_examples=150, deadline=None)
@given(values, values)
def test_arithmetic_raises_only_type_error(a: Any, b: Any) -> None:
    for operation in (temporal.add, temporal.subtract, temporal.multiply, temporal.divide):
        with contextlib.suppress(TypeError):
            operation(a, b)


@settings(max_examples=150, deadline=None)
@given(st.one_of(times, date_times), st.one_of(times, date_times))
def test_comparison_is_consistent_with_equality(a: Any, b: Any) -> None:
    try:
        order = temporal.temporal_compare(a, b)
    except NotComparable:
        assert temporal.temporal_equal(a, b) is None
        return
    assert temporal.temporal_equal(a, b) is (order == 0)
    assert temporal.temporal_compare(b, a) == -order


@settings(max_examples=150, deadline=None)
@given(st.one_of(dates, times, date_times, dt_durations, ym_durations))
def test_text_of_a_value_parses_back_to_an_equal_value(value: Any) -> None:
    text = to_string(value)
    assert text is not None
    parsed = temporal.parse_temporal(text)
    if isinstance(value, dt.time) and isinstance(value.tzinfo, ZoneInfo):
        assert parsed == value  # same wall time and zone
    elif isinstance(value, (dt.time, dt.datetime)):
        assert temporal.temporal_equal(parsed, value) is True
    else:
        assert parsed == value


@settings(max_examples=150, deadline=None)
@given(st.one_of(dates, times, date_times, dt_durations, ym_durations), st.text(max_size=12))
def test_properties_raise_only_key_error(value: Any, name: str) -> None:
    for prop in (*temporal.property_names(value), name):
        try:
            temporal.get_property(value, prop)
        except KeyError:
            assert prop not in temporal.property_names(value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-+:TZPYMDHS.@/ EuropeBrlin", max_size=30))
def test_random_text_parses_or_raises_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        temporal.parse_temporal(text)


@settings(max_examples=150, deadline=None)
@given(values, values)
def test_built_ins_raise_only_invalid_argument(a: Any, b: Any) -> None:
    calls = [
        (temporal_fns.date_from, (a,)),
        (temporal_fns.time_from, (a,)),
        (temporal_fns.duration_from, (a,)),
        (temporal_fns.date_and_time_from, (a,)),
        (temporal_fns.years_and_months_duration, (a, b)),
        (temporal_fns.week_of_year, (a,)),
        (temporal_fns.time_of, (a, b, Decimal(0), None)),
        (range_fns.range_from, (a,)),
    ]
    for function, args in calls:
        with contextlib.suppress(InvalidArgument):
            function(*args)
    for zone_or_time in (b, "Europe/Berlin", "+14:00"):
        with contextlib.suppress(InvalidArgument):
            REGISTRY["date and time"][1].impl(a, zone_or_time)  # (date, time or timezone)


@settings(max_examples=150, deadline=None)
@given(values, values, st.booleans(), st.booleans())
def test_range_relations_raise_only_invalid_argument(
    a: Any, b: Any, start_in: bool, end_in: bool
) -> None:
    span = Range(a, b, start_in, end_in)
    for name in ("before", "overlaps", "includes", "finished by", "coincides"):
        for first, second in ((a, b), (span, a), (a, span), (span, span)):
            try:
                result = REGISTRY[name][0].impl(first, second)
            except InvalidArgument:
                continue
            assert isinstance(result, bool)
