"""Context built-ins: key and path forms of ``get value`` and ``context put``, merging, and
building a context from key/value entries."""

from __future__ import annotations

from typing import Any

import pytest

from flowwire import feel

FAILED = "FUNCTION_INVOCATION_FAILURE"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('get value({a: "foo"}, "a")', "foo"),
        ('get value({a: 1}, "b")', None),
        ('get value(key: "a", m: {a: "foo"})', "foo"),
        ('get value({x: 1, y: {z: 0}}, ["y", "z"])', 0),
        ('get value({x: {y: {z: 0}}}, ["x", "y"])', {"z": 0}),
        ('get value({a: {b: 3}}, ["b"])', None),
        ('get value(context: {x: {y: {z: 1}}}, keys: ["x"])', {"y": {"z": 1}}),
        ('get value({a: 1}, ["a", "b"])', None),  # 1 has no entry b
        ("get entries({foo: 123})", [{"key": "foo", "value": 123}]),
        ("get entries(m: {a: 1, b: 2})", [{"key": "a", "value": 1}, {"key": "b", "value": 2}]),
        ("get entries({})", []),
        ('context put({x: 1}, "y", 2)', {"x": 1, "y": 2}),
        ('context put({a: 1}, "a", null)', {"a": None}),
        ('context put({x: 1}, ["y"], 2)', {"x": 1, "y": 2}),
        ('context put({x: 1, y: {z: 0}}, ["y", "z"], 2)', {"x": 1, "y": {"z": 2}}),
        ('context put({x: 1}, ["y", "z"], 2)', {"x": 1, "y": {"z": 2}}),
        ('context put(context: {}, keys: ["a", "b"], value: 1)', {"a": {"b": 1}}),
        ('put({x: 1}, "x", 2)', {"x": 2}),  # Camunda's former name
        ("context merge([{x: 1}, {y: 2}])", {"x": 1, "y": 2}),
        ("context merge([{x: 1, y: 0}, {y: 2}])", {"x": 1, "y": 2}),
        ("context merge([{a: {aa: 1}}, {a: {bb: 2}}])", {"a": {"bb": 2}}),  # shallow
        ("context merge({a: 1})", {"a": 1}),
        ("context merge(contexts: [{a: 1}])", {"a": 1}),
        ("put all({a: 1}, {b: 2})", {"a": 1, "b": 2}),
        ('context([{key: "a", value: 1}, {key: "b", value: 2}])', {"a": 1, "b": 2}),
        ('context({key: "a", value: null})', {"a": None}),
        ('context(entries: [{key: "a", value: 1, ignored: "foo"}])', {"a": 1}),
        ('context([{key: "a", value: 1}, {key: "a", value: 2}])', {"a": 2}),  # Camunda: last wins
        ("context([])", {}),
        ("context(get entries({a: 1, b: 2}))", {"a": 1, "b": 2}),
    ],
)
def test_context_results(expression: str, expected: Any) -> None:
    assert feel.evaluate(expression) == expected


def test_context_put_keeps_entry_order_and_the_original() -> None:
    original = {"a": 1, "b": 2, "c": 3}
    result = feel.evaluate('context put(m, "b", 9)', {"m": original})
    assert list(result) == ["a", "b", "c"]
    assert result["b"] == 9
    assert original["b"] == 2


@pytest.mark.parametrize(
    "expression",
    [
        'get value(null, "a")',
        'get value("foo", "foo")',
        "get value({a: 1}, 123)",
        'get value({a: 1}, ["a", 2])',
        "get value({a: 1}, [])",
        "get entries(null)",
        "get entries([1, 2])",
        "context put({}, null, 1)",
        'context put(null, "a", 1)',
        'context put([], "a", 1)',
        "context put({}, 1, 1)",
        "context put({y: {a: 0}}, [], 2)",
        'context put({y: {a: 0}}, ["y", null], 2)',
        'context put({y: {a: 0}}, ["y", "a", "b"], 2)',  # y.a is no context
        "context merge(null)",
        "context merge([1, 2])",
        "context merge([{a: 1}, 2, {b: 2}])",
        "context merge()",
        "context(null)",
        'context("foo")',
        "context([{value: 1}])",
        "context([{key: null, value: 1}])",
        'context([{key: "a"}])',
    ],
)
def test_unusable_arguments_give_null_and_a_warning(expression: str) -> None:
    result = feel.evaluate_detailed(expression, {})
    assert result.value is None
    assert FAILED in [kind for kind, _ in result.warnings]
