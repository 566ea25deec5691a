"""Camunda's extension functions: ``get or else``, ``assert`` (the one built-in that aborts an
evaluation) and ``fromAi``."""

from __future__ import annotations

import pytest

from flowwire import feel
from flowwire.feel.errors import FeelAssertionError, FeelError


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('get or else("this", "default")', "this"),
        ('get or else(null, "default")', "default"),
        ("get or else(null, null)", None),
        ("get or else(false, true)", False),
        ('get or else(value: missing, default: "d")', "d"),
    ],
)
def test_get_or_else(expression: str, expected: object) -> None:
    assert feel.evaluate(expression) == expected


def test_assert_returns_the_value_when_the_condition_holds() -> None:
    assert feel.evaluate("assert(x, x >= 0)", {"x": 4}) == 4
    assert feel.evaluate('assert(x, x != null, "x is missing")', {"x": "v"}) == "v"


def test_failed_assert_aborts_with_the_cause() -> None:
    with pytest.raises(FeelAssertionError, match="'x' should be positive"):
        feel.evaluate("assert(x, x >= 0, \"'x' should be positive\")", {"x": -1})


def test_failed_assert_without_cause_has_a_default_message() -> None:
    with pytest.raises(FeelError, match="condition is not fulfilled"):
        feel.evaluate("assert(x, x != null)", {})


def test_a_null_condition_fails_the_assertion() -> None:
    with pytest.raises(FeelAssertionError):
        feel.evaluate("assert(1, null)")


@pytest.mark.parametrize(
    "expression",
    [
        "fromAi(toolCall.query)",
        'fromAi(toolCall.query, "The search query")',
        'fromAi(toolCall.query, "The search query", "string")',
        'fromAi(value: toolCall.query, type: "string")',
        'fromAi(toolCall.query, null, "string", {enum: ["a", "b"]}, {required: true})',
    ],
)
def test_from_ai_returns_its_value(expression: str) -> None:
    assert feel.evaluate(expression, {"toolCall": {"query": "flowwire"}}) == "flowwire"
