"""The shortcut for the commonest expression shapes builds exactly the full parser's tree,
and leaves everything else (and every syntax error) to the full parser."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowwire import feel
from flowwire.feel import ast
from flowwire.feel.compiler import Compiler
from flowwire.feel.errors import FeelSyntaxError
from flowwire.feel.parser import parse_expression
from flowwire.feel.simple_forms import bound_names, compile_simple, parse_simple

SIMPLE = [
    "x",
    "  x  ",
    "order.tracking.id",
    "x = 21",
    "x=21",
    "amount >= 1000.50",
    'status != "done"',
    'x = "a, b (c)"',
    "x = true",
    "null = x",
    "a + b",
    "a-b",
    "price * 1.19",
    "a ** 2",
    "a / b",
    "x between 10 and 30",
    "order.total between low and high",
    'contains(x, "camunda")',
    "count(items)",
    "now()",
    "not(x)",
    "is defined(order.id)",
    'get value(m, "key")',
    "date(d)",
    'date and time(d) > date and time("2019-08-12T22:22:22")',
    "days and time duration(d)",
    "get or else(x, 1) = 2",
    'string join(names, ", ")',
    "sum(items.price) * 1.19",
    'orders[type = "priority"]',
    "orders[amount > 100]",
    "order.items[price <= limit]",
    "a.between",
    "a.b_c = and_c",
    "f (x , 2)",
    "first name(x)",
    "[1,2,3][2]",
    "[]",
    '["a", x, order.id, true]',
    "[1, 2][x]",
    "{x: 1, y: 2, z: 3}",
    "{}",
    '{"a b": 1, if: x, c: "d"}',
]

NOT_SIMPLE = [
    "",
    "x // a comment",
    "x /* comment */ = 1",
    'x = "a\\"b"',
    "x = -1",
    "x = .5",
    "x = 1e3",
    "first name = 1",
    "a + b + c",
    "x = 1 = 2",
    "if x then 1 else 2",
    "for o in orders return o.id",
    "[1..3]",
    "[[1]]",
    "[1, 2][x > 1]",
    "{a b: 1}",
    "{a: {b: 1}}",
    "{a: 1}.a",
    '{"a\\"": 1}',
    "f(g(x))",
    "f(a: 1)",
    "a.b(1)",
    "true.x",
    "x in [1..3]",
    "x instance of number",
    "ä = 1",
    "x's = 1",
    "`x` = 1",
    '@"2020-01-01"',
    "x and y",
    "function(a) a",
    "and(x)",
    "x.y z = 1",
    "a.b and_c",
    "x = 21)",
    "x =",
    "x ==",
]


@pytest.mark.parametrize("text", SIMPLE)
def test_simple_shapes_give_the_full_parsers_tree(text: str) -> None:
    tree = parse_simple(text)
    assert tree is not None, "expected the shortcut to read this shape"
    parsed = parse_expression(text)
    assert tree == parsed.node
    assert bound_names(tree) == parsed.bound_names


@pytest.mark.parametrize("text", NOT_SIMPLE)
def test_other_texts_are_left_to_the_full_parser(text: str) -> None:
    assert parse_simple(text) is None
    assert compile_simple(text) is None


def _same_closure(ours: Any, theirs: Any) -> bool:
    """Whether two compiled forms are the same code over equal captured values."""
    if isinstance(ours, (list, tuple)):
        return (
            type(ours) is type(theirs)
            and len(ours) == len(theirs)
            and all(_same_closure(a, b) for a, b in zip(ours, theirs, strict=True))
        )
    code = getattr(ours, "__code__", None)
    if code is None:
        return bool(ours is theirs or ours == theirs)
    if getattr(theirs, "__code__", None) is not code:
        return False
    if not _same_closure(list(ours.__dict__.values()), list(theirs.__dict__.values())):
        return False
    cells = [cell.cell_contents for cell in ours.__closure__ or ()]
    return _same_closure(cells, [cell.cell_contents for cell in theirs.__closure__ or ()])


def _compiled_by_the_full_parser(text: str) -> Any:
    parsed = parse_expression(text)
    return Compiler(text, parsed.bound_names, parsed.defines_functions).compile(parsed.node)


@pytest.mark.parametrize("text", [t for t in SIMPLE if "-" not in t])
def test_simple_shapes_compile_as_the_full_parsers_tree_does(text: str) -> None:
    compiled = compile_simple(text)
    assert compiled is not None
    assert _same_closure(compiled, _compiled_by_the_full_parser(text))


def test_the_closure_comparison_tells_different_expressions_apart() -> None:
    for ours, theirs in [
        ("x = 21", "x = 22"),
        ("x = 21", "x != 21"),
        ("x between 1 and 2", "x between 1 and 3"),
        ("a.b.c", "a.b.d"),
        ("count(x)", "count(y)"),
        ("[1, 2][1]", "[1, 2][2]"),
    ]:
        assert not _same_closure(compile_simple(ours), _compiled_by_the_full_parser(theirs))


def test_a_subtraction_is_left_to_the_full_parser() -> None:
    assert parse_simple("a - b") is not None
    assert compile_simple("a - b") is None  # ``Date-Time`` may be one name


def test_the_tree_keeps_positions_for_messages() -> None:
    tree = parse_simple('  contains(x, "camunda")')
    assert tree == ast.Call(
        2, "contains", None, (ast.Name(11, "x"), ast.Const(14, "camunda")), None
    )
    path = parse_simple("a.bc.d")
    assert path == ast.Path(4, ast.Path(1, ast.Name(0, "a"), "bc"), "d")


def test_results_and_warnings_are_those_of_the_full_parser() -> None:
    result = feel.evaluate_detailed("order.total > 100", {"order": {}})
    assert result.value is None
    assert [kind for kind, _ in result.warnings] == ["NO_CONTEXT_ENTRY_FOUND", "NOT_COMPARABLE"]
    assert feel.evaluate("x between 10 and 30", {"x": 21}) is True
    assert feel.evaluate('orders[type = "a"].id', {"orders": [{"type": "a", "id": 1}]}) == [
        Decimal(1)
    ]
    assert feel.evaluate("=sum(items.price) * 2", {"items": [{"price": 1}, {"price": 2}]}) == 6
    # a context key shadows a built-in of the same name for the entries after it
    assert feel.evaluate("{count: 2, n: count}") == {"count": Decimal(2), "n": Decimal(2)}


def test_a_subtraction_may_still_be_a_hyphenated_name() -> None:
    assert feel.evaluate("Date-Time", {"Date-Time": 5}) == 5
    assert feel.evaluate("a-b", {"a": 3, "b": 1}) == 2
    assert feel.evaluate('x = "a-b"', {"a-b": 1, "x": "a-b"}) is True


def test_syntax_errors_still_come_from_the_full_parser() -> None:
    with pytest.raises(FeelSyntaxError) as caught:
        feel.compile("x = 21)")
    assert (caught.value.line, caught.value.column) == (1, 7)


def test_a_nesting_limit_of_zero_still_rejects_calls() -> None:
    with pytest.raises(FeelSyntaxError, match="nested too deeply"):
        feel.compile("count(x)", limits=feel.Limits(max_nesting=0))


_PIECES = [
    "x", "a", "item", "date", "and", "time", "between", "or", "not", "true", "null",
    "in", "get", "value", "else", "function", "1", "21", "1.5", ".5", '"s"', '"a,b"',
    "=", "!=", "<=", ">", "+", "-", "*", "**", "(", ")", "[", "]", ",", ".", "..", ":",
    "?", "{", "}", "{", "[", ":", ",", "/*c*/", "é",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_PIECES), st.sampled_from(["", " ", "\n"])),
        min_size=1,
        max_size=9,
    )
)
def test_any_text_the_shortcut_reads_parses_to_the_same_tree(
    pieces: list[tuple[str, str]],
) -> None:
    text = "".join(piece + space for piece, space in pieces)
    tree = parse_simple(text)
    if tree is not None:
        parsed = parse_expression(text)
        assert tree == parsed.node
        assert bound_names(tree) == parsed.bound_names
    try:
        compiled = compile_simple(text)
    except FeelSyntaxError as error:  # e.g. not(a, b): the compiler's own error
        with pytest.raises(FeelSyntaxError) as expected:
            _compiled_by_the_full_parser(text)
        assert (str(error), error.column) == (str(expected.value), expected.value.column)
        return
    if compiled is not None:
        assert _same_closure(compiled, _compiled_by_the_full_parser(text))
