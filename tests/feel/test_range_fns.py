"""DMN 1.5 range built-ins: point/range relations and ``range(from)``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from flowwire.feel.builtins.registry import REGISTRY
from flowwire.feel.errors import InvalidArgument
from flowwire.feel.temporal import parse_temporal
from flowwire.feel.values import Range


def call(name: str, *args: Any) -> Any:
    """Invoke a built-in positionally: the first overload that takes this many arguments."""
    for overload in REGISTRY[name]:
        if overload.required <= len(args) <= overload.maximum:
            return overload.impl(*args)
    raise AssertionError(f"no overload of {name} takes {len(args)} arguments")


def call_named(name: str, **kwargs: Any) -> Any:
    for overload in REGISTRY[name]:
        names = [p.name for p in overload.params]
        if set(kwargs) == set(names):
            return overload.impl(*(kwargs[n] for n in names))
    raise AssertionError(f"no overload of {name} takes {sorted(kwargs)}")


def r(text: str) -> Range:
    """A range from its FEEL text, e.g. ``[1..10)``, via the ``range`` built-in."""
    return call("range", text)  # type: ignore[no-any-return]


N = Decimal


@pytest.mark.parametrize(
    ("function", "first", "second", "expected"),
    [
        ("before", N(1), N(10), True),
        ("before", N(10), N(1), False),
        ("before", r("[1..10]"), N(10), False),
        ("before", r("[1..10)"), N(10), True),
        ("before", r("[1..10]"), N(20), True),
        ("before", N(1), r("[2..5]"), True),
        ("before", N(1), r("(1..5]"), True),
        ("before", r("[1..10)"), r("[10..20]"), True),
        ("before", r("[1..10]"), r("[10..20]"), False),
        ("after", N(5), N(10), False),
        ("after", N(10), r("[1..10]"), False),
        ("after", N(10), r("[1..10)"), True),
        ("after", r("[11..20]"), N(10), True),
        ("after", r("(11..20]"), N(11), True),
        ("after", r("[11..20]"), r("[1..11)"), True),
        ("after", r("[1..10]"), r("[11..20]"), False),
        ("meets", r("[1..5]"), r("[5..10]"), True),
        ("meets", r("[1..5)"), r("[5..10]"), False),
        ("meets", r("[1..5]"), r("[6..10]"), False),
        ("met by", r("[5..10]"), r("[1..5]"), True),
        ("met by", r("[5..10]"), r("[1..5)"), False),
        ("overlaps", r("[3..5]"), r("[1..8]"), True),
        ("overlaps", r("[1..5]"), r("[5..8]"), True),
        ("overlaps", r("[1..5)"), r("[5..8]"), False),
        ("overlaps", r("(5..8]"), r("[1..5]"), False),
        ("overlaps before", r("[1..5]"), r("[5..8]"), True),
        ("overlaps before", r("[1..5)"), r("[1..5]"), False),
        ("overlaps before", r("[1..5]"), r("(1..5]"), True),
        ("overlaps before", r("[1..5]"), r("(1..8]"), True),
        ("overlaps after", r("[5..8]"), r("[1..5]"), True),
        ("overlaps after", r("[1..5]"), r("[1..5)"), False),
        ("finishes", N(10), r("[1..10]"), True),
        ("finishes", N(10), r("[1..10)"), False),
        ("finishes", r("[5..10]"), r("[1..10]"), True),
        ("finishes", r("[5..10)"), r("[1..10]"), False),
        ("finished by", r("[1..10]"), N(10), True),
        ("finished by", r("[1..10]"), r("[5..10)"), False),
        ("finished by", r("[1..10)"), r("[5..10)"), True),
        ("includes", r("[1..10]"), N(1), True),
        ("includes", r("[1..10)"), N(10), False),
        ("includes", r("(1..10]"), r("(1..5]"), True),
        ("includes", r("[1..10]"), r("(1..10]"), True),
        ("includes", r("(1..10]"), r("[1..10]"), False),
        ("during", N(1), r("(1..10]"), False),
        ("during", r("[5..10)"), r("[1..10)"), True),
        ("during", r("[1..10]"), r("[1..10)"), False),
        ("starts", N(1), r("[1..10]"), True),
        ("starts", N(1), r("(1..10]"), False),
        ("starts", r("(1..5]"), r("(1..10]"), True),
        ("starts", r("(1..5]"), r("[1..10]"), False),
        ("started by", r("[1..10]"), N(1), True),
        ("started by", r("(1..10)"), r("(1..10)"), True),
        ("coincides", N(5), N(5), True),
        ("coincides", N(3), N(4), False),
        ("coincides", r("[1..5]"), r("[1..5]"), True),
        ("coincides", r("[1..5]"), r("[1..5)"), False),
    ],
)
def test_relations_follow_the_dmn_definitions(
    function: str, first: Any, second: Any, expected: bool
) -> None:
    assert call(function, first, second) is expected


def test_named_invocation_uses_the_spec_parameter_names() -> None:
    assert call_named("before", point=N(11), range=r("[5..10]")) is False
    assert call_named("before", range1=r("[1..10]"), range2=r("(10..20]")) is True
    assert call_named("before", point1=N(1), point2=N(10)) is True
    assert call_named("finished by", range=r("[1..10]"), point=N(10)) is True
    assert call_named("during", point=N(5), range=r("[1..10]")) is True


def test_unbounded_ranges_reach_infinitely_far() -> None:
    below_ten = Range(None, N(10), False, False)
    from_five = Range(N(5), None, True, False)
    assert call("includes", below_ten, N(-1000000)) is True
    assert call("before", below_ten, N(10)) is True
    assert call("after", from_five, N(4)) is True
    assert call("overlaps", below_ten, from_five) is True
    assert call("includes", from_five, r("[5..100000]")) is True
    assert call("coincides", below_ten, Range(None, N(10), False, False)) is True
    assert call("starts", N(5), from_five) is True


def test_temporal_points_and_ranges() -> None:
    t = parse_temporal
    assert call("before", t("2021-12-21"), t("2021-12-24")) is True
    assert call("before", t("12:00:00"), Range(t("10:00:00"), t("13:00:00"), True, True)) is False
    dt_range = Range(t("PT1H"), t("PT6H"), True, True)
    assert call("during", t("PT3H"), dt_range) is True
    assert call("before", t("2021-12-21T12:00:00+01:00"), t("2021-12-24T12:00:00+01:00")) is True


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("a", "b"),
        ("a", r("[1..5]")),
        (True, r("[1..5]")),
        ([N(1)], r("[1..5]")),
        ({}, r("[1..5]")),
        (None, r("[1..5]")),
        (N(5), parse_temporal("2021-12-21")),
        (parse_temporal("10:00:00"), parse_temporal("10:00:00Z")),
    ],
)
def test_unusable_arguments_are_rejected(first: Any, second: Any) -> None:
    with pytest.raises(InvalidArgument):
        call("before", first, second)


def test_relations_without_a_point_form_reject_points() -> None:
    with pytest.raises(InvalidArgument, match="not defined"):
        call("meets", N(1), N(2))
    with pytest.raises(InvalidArgument, match="not defined"):
        call("overlaps", N(1), r("[1..2]"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[18..21]", Range(N(18), N(21), True, True)),
        ("(18..21]", Range(N(18), N(21), False, True)),
        ("]18..21]", Range(N(18), N(21), False, True)),
        ("[18..21)", Range(N(18), N(21), True, False)),
        ("[18..21[", Range(N(18), N(21), True, False)),
        (" [ -1.5 .. 3 ] ", Range(N("-1.5"), N(3), True, True)),
        ('["a".."c"]', Range("a", "c", True, True)),
        (
            '[@"1970-01-01"..@"1970-01-02"]',
            Range(parse_temporal("1970-01-01"), parse_temporal("1970-01-02"), True, True),
        ),
        (
            '[date and time("1970-01-01T00:00:00")..@"1970-01-02T00:00:00"]',
            Range(
                parse_temporal("1970-01-01T00:00:00"),
                parse_temporal("1970-01-02T00:00:00"),
                True,
                True,
            ),
        ),
        (
            '[duration("P1D")..@"P2D"]',
            Range(parse_temporal("P1D"), parse_temporal("P2D"), True, True),
        ),
        (
            '[time("00:00:00")..@"00:00:00"]',
            Range(parse_temporal("00:00:00"), parse_temporal("00:00:00"), True, True),
        ),
    ],
)
def test_range_from_text(text: str, expected: Range) -> None:
    assert call("range", text) == expected
    assert call_named("range", **{"from": text}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        ">=10",
        "[..2]",
        "[1..]",
        "[null..null]",
        '[1.."b"]',
        "[3..1]",
        '["z".."a"]',
        '[@"1970-01-01"..@"1970-01-02T00:00:00"]',
        '[@"P2Y"..@"P1Y"]',
        '[@"02:00:00"..@"01:00:00"]',
        '[date(string("1970-01-01"))..date("1970-01-02")]',
        "[date(x)..date(y)]",
        "[1..3] extra",
    ],
)
def test_range_from_text_rejects_anything_but_ordered_literals(text: str) -> None:
    with pytest.raises(InvalidArgument):
        call("range", text)


def test_range_from_a_non_string_is_rejected() -> None:
    for value in (None, N(1), Range(N(1), N(3), True, True)):
        with pytest.raises(InvalidArgument):
            call("range", value)
