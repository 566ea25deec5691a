"""The commonest expression shapes, read with one regular expression and compiled directly.

Most expressions in process models are short: a name or a path (``order.total``), a
comparison with a literal (``x > 10``), ``x between 1 and 9``, a call with plain arguments
(``contains(x, "a")``, ``date and time(d)``), one operator between two of those, a filter
``list[key = "value"]``, a list or context of literals. For these, tokenizing, recursive
descent and walking a tree cost more than the rest of compiling and evaluating together.
:func:`compile_simple` recognises them with a single ``fullmatch`` and builds their closures
with the compiler's own factories and methods; :func:`parse_simple` builds the tree the full
parser would build (the same nodes, positions and names) for the shapes compiled from a tree.
Anything else — comments, escapes, keywords, multi-word variable names, non-ASCII names,
nesting, subtraction — returns None and takes the full parser, which also reports every
syntax error. ``tests/feel/test_simple_forms.py`` checks both against the full parser.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flowwire.feel import ast
from flowwire.feel.compiler import (
    Compiler,
    Fn,
    between_root_variable,
    compare_root_variable,
    const,
    root_path,
    root_variable,
    scoped_variable,
)
from flowwire.feel.parser import COMPOUND_NAMES, KEYWORDS

# (possessive quantifiers: no shape needs a name, number or run of words cut short, and not
# trying to is what keeps a failing match, e.g. of a ``for`` expression, cheap)
_NAME = r"[A-Za-z_][A-Za-z0-9_]*+"
_PATH = rf"{_NAME}(?:\.{_NAME})*+"
_NUMBER = r"[0-9]++(?:\.[0-9]++)?+"
_STRING = r'"[^"\\]*+"'
#: a literal or a (possibly dotted) name
_ATOM = rf"(?:{_STRING}|{_NUMBER}|{_PATH})"
#: a call of a (possibly multi-word) function name with plain positional arguments
_CALL = rf"{_NAME}(?:\s+{_NAME})*+\s*\(\s*(?:{_ATOM}(?:\s*,\s*{_ATOM})*)?\s*\)"
_OPERAND = rf"(?:{_CALL}|{_ATOM})"
_ENTRY = rf"(?:{_NAME}|{_STRING})\s*:\s*{_ATOM}"
_COMPARE = r"<=|>=|!=|[=<>]"
_OPERATOR = rf"{_COMPARE}|\*\*|[-+*/]"

_SHAPES = re.compile(
    rf"""\s*(?:
      (?P<left>{_OPERAND})(?:
          \s*(?P<op>{_OPERATOR})\s*(?P<right>{_OPERAND})
        | \s+(?P<between>between)\s+(?P<low>{_OPERAND})\s+and\s+(?P<high>{_OPERAND})
        | \s*(?P<open>\[)\s*(?P<key>{_ATOM})\s*(?P<test>{_COMPARE})\s*(?P<against>{_ATOM})\s*\]
      )?
    | (?P<list>\[\s*(?:{_ATOM}(?:\s*,\s*{_ATOM})*)?\s*\])(?:\s*(?P<index>\[)\s*(?P<at>{_ATOM})\s*\])?
    | (?P<context>\{{\s*(?:{_ENTRY}(?:\s*,\s*{_ENTRY})*)?\s*\}})
    )\s*""",
    re.VERBOSE,
)
_ARGUMENT = re.compile(_ATOM)
#: the group that ends each shape (``match.lastindex``)
_LEFT, _OP, _RIGHT, _LOW, _HIGH, _KEY, _TEST, _AGAINST, _LIST, _AT, _CONTEXT = (
    _SHAPES.groupindex[name]
    for name in (
        *("left", "op", "right", "low", "high", "key", "test", "against"),
        *("list", "at", "context"),
    )
)
_DIGIT = re.compile("[0-9]")
_CONTEXT_ENTRY = re.compile(rf"({_NAME}|{_STRING})\s*:\s*({_ATOM})")

_COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})
_LITERAL_WORDS = {"true": True, "false": False, "null": None}
#: words that never start or continue a plain name here ("not" only as ``not(...)``)
_NOT_NAMES = KEYWORDS | {"not"}
_COMPOUNDS = frozenset(COMPOUND_NAMES)


class _NotSimple(Exception):
    """The text matched a shape but holds a word the full parser reads otherwise."""


def compile_simple(text: str) -> Fn | None:
    """The compiled form of ``text`` if it has one of the simple shapes (and no subtraction,
    which may also be a name such as ``Date-Time``), else None (full parser).

    Names, paths, literals, calls, one operator between two of them, ``name between
    number and number`` and ``list[key op literal]`` get their closures straight from the
    compiler's factories and methods, without a tree; the rest (other ``between`` and filter
    forms, lists, contexts) is compiled from :func:`parse_simple`'s tree. Either way the
    result is what the compiler makes of the full parser's tree."""
    match = _SHAPES.fullmatch(text)
    if match is None:
        return None
    shape = match.lastindex
    try:
        if shape == _LEFT:
            return _operand_fn(match.group(_LEFT), match.start(_LEFT), text)
        if shape == _RIGHT:
            left, op, right = match.group(_LEFT, _OP, _RIGHT)
            if op == "-":
                return None
            variable = left if _plain_name(left) else None
            if variable is not None and op in _COMPARISONS and right[0] <= "9":
                literal = right[1:-1] if right[0] == '"' else Decimal(right)
                return compare_root_variable(variable, op, literal)  # the commonest
            compiler = Compiler(text, set(), False)
            left_fn = _operand_fn(left, match.start(_LEFT), text, compiler)
            right_fn = _operand_fn(right, match.start(_RIGHT), text, compiler)
            if op in _COMPARISONS:
                return compiler.compare(op, left_fn, right_fn, variable)
            return compiler.arithmetic(op, left_fn, right_fn)
        if shape == _HIGH:
            value, low, high = match.group(_LEFT, _LOW, _HIGH)
            if _plain_name(value) and _DIGIT.match(low) and _DIGIT.match(high):
                fn = root_variable(value)
                return between_root_variable(value, fn, Decimal(low), Decimal(high))
        elif shape == _AGAINST:
            base, key, test, against = match.group(_LEFT, _KEY, _TEST, _AGAINST)
            if _plain_name(key) and against[0] <= "9":  # ``orders[type = "priority"]``
                literal = against[1:-1] if against[0] == '"' else Decimal(against)
                compiler = Compiler(text, set(), False)
                items = _operand_fn(base, match.start(_LEFT), text, compiler)
                test_fn = compiler.compare_constant(test, scoped_variable(key), literal)
                return compiler.filter_by_entry(items, test_fn, key, test, literal)
    except _NotSimple:
        return None
    tree = _tree(text, match)
    if tree is None:
        return None
    names = bound_names(tree) if type(tree) is ast.ContextLit else set()
    return Compiler(text, names, False).compile(tree)  # (a tree three levels deep at most)


def _operand_fn(text: str, start: int, source: str, compiler: Compiler | None = None) -> Fn:
    """The compiled form of an operand (as the compiler makes of its tree)."""
    first = text[0]
    if first == '"':
        return const(text[1:-1])
    if first <= "9":
        return const(Decimal(text))
    if text[-1] == ")":
        opening = text.index("(")
        name = _function_name(text[:opening])
        if compiler is None:
            compiler = Compiler(source, set(), False)
        args = [
            _operand_fn(found.group(), start + found.start(), source, compiler)
            for found in _ARGUMENT.finditer(text, opening + 1, len(text) - 1)
        ]
        return compiler.call_by_name(start, name, args, None)
    if "." in text:
        head, *keys = text.split(".")
        if head in _NOT_NAMES:
            raise _NotSimple
        return root_path(head, keys)
    if text in _NOT_NAMES:
        if text in _LITERAL_WORDS:
            return const(_LITERAL_WORDS[text])
        raise _NotSimple
    return root_variable(text)


def _plain_name(text: str) -> bool:
    """Whether an operand is a one-word variable name (no literal, path or call)."""
    return text[0] > "9" and text[-1] != ")" and "." not in text and text not in _NOT_NAMES


def parse_simple(text: str) -> ast.Node | None:
    """The tree of ``text`` if it has one of the simple shapes, else None (full parser).
    The names a tree binds itself are those of its context keys (see :func:`bound_names`)."""
    match = _SHAPES.fullmatch(text)
    if match is None:
        return None
    return _tree(text, match)


def _tree(text: str, match: re.Match[str]) -> ast.Node | None:
    try:
        shape = match.lastindex  # the last group that took part tells the shape
        if shape == _LEFT:
            return _operand(match.group(_LEFT), match.start(_LEFT))
        if shape == _RIGHT:
            left, op, right = match.group(_LEFT, _OP, _RIGHT)
            node = ast.Compare if op in _COMPARISONS else ast.Arith
            return node(
                match.start(_OP),
                op,
                _operand(left, match.start(_LEFT)),
                _operand(right, match.start(_RIGHT)),
            )
        if shape == _HIGH:
            return ast.Between(
                match.start("between"),
                _operand(match.group(_LEFT), match.start(_LEFT)),
                _operand(match.group("low"), match.start("low")),
                _operand(match.group(_HIGH), match.start(_HIGH)),
            )
        if shape == _AGAINST:
            condition = ast.Compare(
                match.start("test"),
                match.group("test"),
                _operand(match.group("key"), match.start("key")),
                _operand(match.group(_AGAINST), match.start(_AGAINST)),
            )
            return ast.Filter(
                match.start("open"), _operand(match.group(_LEFT), match.start(_LEFT)), condition
            )
        if shape == _CONTEXT:
            return _context(text, *match.span(_CONTEXT))
        start, end = match.span("list")
        items = ast.ListLit(
            start,
            tuple(
                [
                    _operand(found.group(), found.start())
                    for found in _ARGUMENT.finditer(text, start + 1, end - 1)
                ]
            ),
        )
        if shape == _LIST:
            return items
        return ast.Filter(match.start("index"), items, _operand(match.group(_AT), match.start(_AT)))
    except _NotSimple:
        return None


def _context(text: str, start: int, end: int) -> ast.Node:
    entries = []
    for found in _CONTEXT_ENTRY.finditer(text, start + 1, end - 1):
        key, value = found.group(1, 2)
        if key[0] == '"':
            key = key[1:-1]
        entries.append((key, _operand(value, found.start(2))))
    return ast.ContextLit(start, tuple(entries))


def bound_names(node: ast.Node) -> set[str]:
    """The names a tree of :func:`parse_simple` binds itself (as the full parser's
    ``bound_names``): the keys of a context literal."""
    if type(node) is ast.ContextLit:
        return {key for key, _ in node.entries}
    return set()


def _operand(text: str, start: int) -> ast.Node:
    first = text[0]
    if first == '"':
        return ast.Const(start, text[1:-1])
    if first <= "9":  # a digit (names start with a letter or '_')
        return ast.Const(start, Decimal(text))
    if text[-1] == ")":
        return _call(text, start)
    if "." in text:
        return _path(text, start)
    if text in _NOT_NAMES:
        return _word(text, start)
    return ast.Name(start, text)


def _path(text: str, start: int) -> ast.Node:
    head, *keys = text.split(".")
    if head in _NOT_NAMES:
        raise _NotSimple  # ``true.x``, ``if.x``: left to the full parser
    node: ast.Node = ast.Name(start, head)
    offset = start + len(head)
    for key in keys:
        node = ast.Path(offset, node, key)
        offset += len(key) + 1
    return node


def _word(word: str, start: int) -> ast.Node:
    """A keyword where a name may stand: a literal, or not simple."""
    if word in _LITERAL_WORDS:
        return ast.Const(start, _LITERAL_WORDS[word])
    raise _NotSimple


def _function_name(text: str) -> str:
    """The name of a called function from the text before its '(' (words joined by one
    space); a keyword in it leaves the text to the full parser."""
    words = text.split()
    if len(words) == 1:
        name = words[0]
        if name in _NOT_NAMES and name != "not":
            raise _NotSimple
        return name
    if tuple(words) not in _COMPOUNDS and any(word in _NOT_NAMES for word in words):
        raise _NotSimple
    return " ".join(words)


def _call(text: str, start: int) -> ast.Node:
    opening = text.index("(")
    name = _function_name(text[:opening])
    args = tuple(
        [
            _operand(found.group(), start + found.start())
            for found in _ARGUMENT.finditer(text, opening + 1, len(text) - 1)
        ]
    )
    return ast.Call(start, name, None, args, None)
