"""Paths, projections over lists, filters and indexes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowwire import feel

ORDERS = [
    {"id": 1, "type": "priority", "tracking": {"id": "a"}},
    {"id": 2, "type": "normal", "tracking": {"id": "b"}},
    {"id": 3, "type": "priority", "tracking": {"id": "c"}},
]


def test_nested_path() -> None:
    assert feel.evaluate("order.tracking.id", {"order": ORDERS[0]}) == "a"


def test_path_projects_over_lists() -> None:
    assert feel.evaluate("orders.id", {"orders": ORDERS}) == [D(1), D(2), D(3)]
    assert feel.evaluate("orders.tracking.id", {"orders": ORDERS}) == ["a", "b", "c"]


def test_missing_entry_is_null_with_warning() -> None:
    result = feel.evaluate_detailed("x.y", {"x": {"z": 1}})
    assert result.value is None
    assert result.warnings[0][0] == "NO_CONTEXT_ENTRY_FOUND"
    assert "'z'" in result.warnings[0][1]


def test_projection_keeps_null_for_missing_entries() -> None:
    assert feel.evaluate("[{a: 1}, {b: 2}].a") == [D(1), None]


def test_path_on_null_is_null() -> None:
    assert feel.evaluate("{x: null}.x.y") is None


def test_temporal_properties() -> None:
    assert feel.evaluate("date(2019,09,17).year") == D(2019)
    assert feel.evaluate('@"P1DT2H".hours') == D(2)


def test_unknown_property_warns() -> None:
    result = feel.evaluate_detailed('@"2020-01-01".foo')
    assert result.value is None
    assert result.warnings[0][0] == "NO_PROPERTY_FOUND"


def test_range_properties() -> None:
    assert feel.evaluate("[1..5).end included") is False
    assert feel.evaluate("[1..5).start") == D(1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1,2,3,4][1]", D(1)),
        ("[1,2,3,4][-1]", D(4)),
        ("[1,2,3,4][-5]", None),
        ("[1,2,3,4][5]", None),
        ("[1,2,3,4][0]", None),
        ("[1,2,3,4][(1)]", D(1)),
        ("[1,2,3,4][item > 2]", [D(3), D(4)]),
        ("[1,2,3,4][item > 10]", []),
        ("[][item > 1]", []),
        ("5[item > 1]", [D(5)]),
        ("5[1]", D(5)),
        ("[{a:1},{a:2}][a > 1]", [{"a": D(2)}]),
        ("[{a:1},{b:2}][a > 0]", [{"a": D(1)}]),
        ("[1, 2, 3][true]", [D(1), D(2), D(3)]),
    ],
)
def test_filters(text: str, expected: object) -> None:
    assert feel.evaluate(text) == expected


def test_filter_with_variable_index() -> None:
    assert feel.evaluate("xs[i]", {"xs": ["a", "b"], "i": 2}) == "b"


def test_filter_by_item_entries() -> None:
    result = feel.evaluate('orders[type = "priority"].id', {"orders": ORDERS})
    assert result == [D(1), D(3)]


def test_filter_item_entries_shadow_outer_variables() -> None:
    assert feel.evaluate("xs[a = 1]", {"xs": [{"a": 1}, {"a": 2}], "a": 2}) == [{"a": D(1)}]


def test_filter_of_null_is_null() -> None:
    result = feel.evaluate_detailed("x[item > 1]")
    assert result.value is None


def test_non_boolean_filter_results_skip_items() -> None:
    assert feel.evaluate('[1, "a", 3][item > 1]') == [D(3)]


def test_filter_dates() -> None:
    days = [dt.date(2020, 1, d) for d in (1, 2, 3)]
    assert feel.evaluate('xs[item > @"2020-01-01"]', {"xs": days}) == days[1:]
