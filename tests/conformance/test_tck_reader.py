"""The TCK reader itself: typed XML values, their comparison and DMN type coercion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from flowwire.feel.values import YearsMonthsDuration

from .dmn_tables import evaluate_table
from .dmn_types import TypeResolver, item_definitions
from .tck import collect_rows
from .xsd_values import Unrepresentable, parse_duration, parse_typed, read_value, values_match

NS = (
    'xmlns="http://www.omg.org/spec/DMN/20160719/testcase" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
)


def xml_value(body: str) -> object:
    return read_value(etree.fromstring(f"<expected {NS}>{body}</expected>"))


def test_typed_values_become_feel_values() -> None:
    assert xml_value('<value xsi:type="xsd:decimal">01.3</value>') == Decimal("1.3")
    assert xml_value('<value xsi:type="xsd:boolean">true</value>') is True
    assert xml_value('<value xsi:type="xsd:string"> a </value>') == " a "
    assert xml_value('<value xsi:nil="true"/>') is None
    assert xml_value('<value xsi:type="xsd:date">2017-01-02</value>') == dt.date(2017, 1, 2)
    assert xml_value('<value xsi:type="xsd:dateTime">2017-01-02T10:00:00Z</value>') == (
        dt.datetime(2017, 1, 2, 10, tzinfo=dt.UTC)
    )


def test_lists_and_components_nest() -> None:
    value = xml_value(
        '<component name="a"><list><item><value xsi:type="xsd:decimal">1</value></item>'
        '<item><value xsi:nil="true"/></item></list></component>'
        '<component name="b"><component name="c"><value xsi:type="xsd:string">x</value>'
        "</component></component>"
    )
    assert value == {"a": [Decimal(1), None], "b": {"c": "x"}}


def test_durations_split_into_the_two_feel_kinds() -> None:
    assert parse_duration("P1Y2M") == YearsMonthsDuration(14)
    assert parse_duration("-P1Y") == YearsMonthsDuration(-12)
    assert parse_duration("P0D") == dt.timedelta(0)
    assert parse_duration("-P1DT2H") == -dt.timedelta(days=1, hours=2)
    with pytest.raises(ValueError):
        parse_duration("P")


def test_values_python_cannot_hold_are_flagged() -> None:
    with pytest.raises(Unrepresentable):
        parse_typed("date", "-2017-01-01")
    with pytest.raises(Unrepresentable):
        parse_typed("time", "11:22:33.123456789")
    assert parse_typed("time", "11:22:33.123000000") == dt.time(11, 22, 33, 123000)


def test_comparison_keeps_feel_types_apart() -> None:
    assert values_match(Decimal("0.3"), Decimal("0.30000000000001"))
    assert not values_match(Decimal("1"), True)
    assert not values_match(dt.date(2017, 1, 1), dt.datetime(2017, 1, 1))
    assert not values_match(YearsMonthsDuration(0), dt.timedelta(0))
    plus_one = dt.timezone(dt.timedelta(hours=1))
    assert values_match(
        dt.datetime(2017, 1, 1, 10, tzinfo=plus_one), dt.datetime(2017, 1, 1, 10, tzinfo=plus_one)
    )
    assert not values_match(
        dt.datetime(2017, 1, 1, 10, tzinfo=plus_one), dt.datetime(2017, 1, 1, 9, tzinfo=dt.UTC)
    )
    assert not values_match(dt.time(10, 0), dt.time(10, 0, tzinfo=dt.UTC))


def test_dmn_coercion_of_declared_types() -> None:
    model = etree.fromstring(
        '<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/">'
        '<itemDefinition name="tNumbers" isCollection="true"><typeRef>number</typeRef>'
        "</itemDefinition>"
        '<itemDefinition name="tPerson"><itemComponent name="name"><typeRef>string</typeRef>'
        "</itemComponent></itemDefinition></definitions>"
    )
    types = TypeResolver(item_definitions(model))
    assert types.coerce(["foo"], "string") == "foo"
    assert types.coerce([Decimal(1)], "string") is None
    assert types.coerce(Decimal(2), "string") is None
    assert types.coerce([Decimal(1), "x"], "tNumbers") is None
    assert types.coerce(Decimal(1), "tNumbers") == [Decimal(1)]
    assert types.coerce({"name": "a", "age": Decimal(3)}, "tPerson") == {
        "name": "a",
        "age": Decimal(3),
    }
    assert types.coerce({"age": Decimal(3)}, "tPerson") is None
    assert types.coerce("x", "unknownType") == "x"


@pytest.mark.conformance
def test_the_tck_yields_every_literal_expression_result_node(shared_dir: Path) -> None:
    rows = list(collect_rows(shared_dir / "dmn-tck" / "TestCases"))
    assert len(rows) == 3309
    assert {r.folder for r in rows} == {"compliance-level-2", "compliance-level-3", "non-compliant"}
    filter_row = next(r for r in rows if r.test == "0001-filter")
    assert filter_row.expression == "Employees[dept=20].name"
    assert filter_row.expected == ["Adams", "Ford"]


def test_decision_tables_apply_hit_policy_and_aggregation() -> None:
    table = etree.fromstring(
        '<decisionTable xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" '
        'hitPolicy="COLLECT" aggregation="MAX">'
        "<input><inputExpression><text>age</text></inputExpression></input>"
        "<output><defaultOutputEntry><text>0</text></defaultOutputEntry></output>"
        "<rule><inputEntry><text>&lt;18,&gt;=60</text></inputEntry>"
        "<outputEntry><text>5</text></outputEntry></rule>"
        "<rule><inputEntry><text>&gt;=60</text></inputEntry>"
        "<outputEntry><text>3</text></outputEntry></rule>"
        "</decisionTable>"
    )
    assert evaluate_table(table, {"age": Decimal(65)}) == Decimal(5)
    assert evaluate_table(table, {"age": Decimal(30)}) == Decimal(0)
