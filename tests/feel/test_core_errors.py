"""Syntax errors with positions, limits and the compile cache."""

from __future__ import annotations

import pytest

from flowwire import feel


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("1 +", 1, 4, "expected an expression"),
        ("if x then 1", 1, 12, "'else'"),
        ("a b )", 1, 5, "')'"),
        ('"abc', 1, 1, "not closed"),
        ("[1, 2", 1, 6, "']'"),
        ("x\n  + * 2", 2, 5, "expected an expression"),
        ("{a 1}", 1, 5, "':'"),
        ("for x in [1] x", 1, 14, "'return'"),
        ("1 ! 2", 1, 3, "'!='"),
        ("`abc", 1, 1, "not closed"),
        ("/* open", 1, 1, "not closed"),
        ("x instance of", 1, 14, "type"),
    ],
)
def test_syntax_errors_point_at_the_offending_token(
    text: str, line: int, column: int, fragment: str
) -> None:
    with pytest.raises(feel.FeelSyntaxError) as info:
        feel.compile(text)
    error = info.value
    assert (error.line, error.column) == (line, column)
    assert fragment in error.message


def test_syntax_error_pointer() -> None:
    with pytest.raises(feel.FeelSyntaxError) as info:
        feel.compile("a + * 2")
    assert info.value.pointer() == "a + * 2\n    ^"


def test_deep_nesting_is_a_syntax_error() -> None:
    for text in ("(" * 10_000 + "1" + ")" * 10_000, "[" * 10_000, "-" * 10_000 + "1"):
        with pytest.raises(feel.FeelSyntaxError):
            feel.compile(text)


def test_reasonable_nesting_works() -> None:
    assert feel.evaluate("(" * 30 + "1" + ")" * 30) == 1


def test_huge_range_fails_fast() -> None:
    with pytest.raises(feel.FeelLimitError, match="max_list_size"):
        feel.evaluate("for i in 1..1000000000 return i")


def test_iteration_limit() -> None:
    limits = feel.Limits(max_iterations=1000)
    with pytest.raises(feel.FeelLimitError, match="iterations"):
        feel.evaluate("for i in 1..100, j in 1..100 return i", limits=limits)


def test_endless_recursion_hits_the_call_depth_limit() -> None:
    with pytest.raises(feel.FeelLimitError):
        feel.evaluate("{f: function(n) f(n + 1), r: f(1)}.r")


def test_string_growth_is_bounded() -> None:
    text = '{f: function(s, n) if n = 0 then s else f(s + s, n - 1), r: f("ab", 40)}.r'
    with pytest.raises(feel.FeelLimitError, match="max_string_length"):
        feel.evaluate(text)


def test_default_limits_can_be_replaced() -> None:
    original = feel.default_limits()
    try:
        feel.set_default_limits(feel.Limits(max_list_size=10))
        with pytest.raises(feel.FeelLimitError):
            feel.evaluate("for i in 1..20 return i")
    finally:
        feel.set_default_limits(original)
    assert len(feel.evaluate("for i in 1..20 return i")) == 20


def test_compile_is_cached_by_text() -> None:
    assert feel.compile("1 + 2") is feel.compile("1 + 2")
    compiled = feel.compile("x * 2")
    assert compiled.evaluate({"x": 4}) == 8
    assert compiled.evaluate_detailed({"x": 5}).value == 10


def test_variables_must_be_a_mapping() -> None:
    with pytest.raises(TypeError):
        feel.evaluate("x", ["not", "a", "mapping"])  # type: ignore[arg-type]
