"""Recursive-descent parser for FEEL expressions and unary tests (feel-scala's grammar).

Operator precedence, loosest first: ``for/if/some/every/function`` -> ``or`` -> ``and`` ->
comparisons (``= != < <= > >= between in instance of``) -> ``+ -`` -> ``* /`` -> ``**`` ->
unary minus -> postfix (``.name``, ``[filter]``, ``(arguments)``) -> literals and names.

Names may contain spaces: consecutive words that are not keywords form one name
(``Applicant Age``). The built-ins whose names contain a keyword (``date and time``, ...)
are recognised as compounds. Nesting is bounded so that hostile input raises
:class:`FeelSyntaxError` instead of exhausting the Python stack.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flowwire.feel import ast
from flowwire.feel.errors import FeelSyntaxError
from flowwire.feel.lexer import (
    EOF,
    NAME,
    NUMBER,
    OP,
    QUOTED_NAME,
    STRING,
    TEMPORAL,
    Token,
    syntax_error,
    tokenize,
)

#: words that end a name with spaces and can't be variable names themselves
KEYWORDS = frozenset(
    {
        "and",
        "or",
        "in",
        "for",
        "return",
        "if",
        "then",
        "else",
        "some",
        "every",
        "satisfies",
        "instance",
        "between",
        "function",
        "null",
        "true",
        "false",
    }
)

#: built-in names that contain a keyword; recognised before a '('
COMPOUND_NAMES: tuple[tuple[str, ...], ...] = (
    ("date", "and", "time"),
    ("years", "and", "months", "duration"),
    ("days", "and", "time", "duration"),
    ("get", "or", "else"),
)

#: type names of ``instance of`` made of several words
_TYPE_COMPOUNDS: tuple[tuple[str, ...], ...] = (
    ("days", "and", "time", "duration"),
    ("years", "and", "months", "duration"),
    ("date", "and", "time"),
    ("date", "time"),
)

_COMPOUND_STARTS = frozenset(words[0] for words in COMPOUND_NAMES)
_TEXTUAL = frozenset({"if", "for", "some", "every"})
#: words that need a look before being read as (the start of) a name
_SPECIAL_WORDS = KEYWORDS | {"not"} | frozenset(words[0] for words in COMPOUND_NAMES)
_OR, _AND, _COMPARISON, _ADDITIVE = 1, 2, 3, 4
_OP_LEVELS = {
    "=": _COMPARISON,
    "!=": _COMPARISON,
    "<": _COMPARISON,
    "<=": _COMPARISON,
    ">": _COMPARISON,
    ">=": _COMPARISON,
    "+": _ADDITIVE,
    "-": _ADDITIVE,
    "*": 5,
    "/": 5,
    "**": 6,
}
_WORD_LEVELS = {
    "or": _OR,
    "and": _AND,
    "between": _COMPARISON,
    "in": _COMPARISON,
    "instance": _COMPARISON,
}
_POSTFIX_OPENERS = frozenset({".", "[", "("})
_LEAF_KINDS = frozenset({NAME, NUMBER, STRING})
_PREFIX_TESTS = frozenset({"<", "<=", ">", ">=", "=", "!="})
_INTERVAL_ENDS = frozenset({"]", ")", "["})
_KEY_SYMBOLS = frozenset({"-", "+", "/", "*", ".", "?"})

#: default bound on syntactic nesting (parentheses, lists, contexts, calls, ...)
DEFAULT_MAX_NESTING = 64


class Parser:
    """Parses one text; create a new instance per text."""

    def __init__(
        self,
        text: str,
        *,
        max_nesting: int = DEFAULT_MAX_NESTING,
        join_symbol_names: bool = False,
        known_names: frozenset[str] = frozenset(),
    ) -> None:
        self.text = text
        self.tokens = tokenize(text)
        #: multi-word names that contain keywords or numbers (``values in a list``), read as
        #: one name where they occur: first word -> (token count, name), longest first
        self.known: dict[str, list[tuple[int, str]]] = {}
        if known_names:
            for name in known_names:
                self._add_known(name)
        self.index = 0
        self.token = self.tokens[0]
        self.depth = 0
        self.max_nesting = max_nesting
        self.join_symbol_names = join_symbol_names
        #: names such as ``Date-Time`` read while ``join_symbol_names`` is on
        self.joined_names: set[str] = set()
        #: names the text binds itself: context keys, parameters, iterator variables
        self.bound_names: set[str] = set()
        #: whether the text defines functions (their values keep the evaluation's scope)
        self.defines_functions = False
        self._no_filter_depth = -1
        self.node: ast.Node | None = None

    # ------------------------------------------------------------------ helpers

    def seek(self, index: int) -> None:
        """Move to token ``index`` (used to backtrack)."""
        self.index = index
        self.token = self.tokens[index]

    def peek(self, offset: int = 1) -> Token:
        i = self.index + offset
        return self.tokens[i] if i < len(self.tokens) else self.tokens[-1]

    def advance(self) -> Token:
        token = self.token
        if token.kind != EOF:
            self.index += 1
            self.token = self.tokens[self.index]
        return token

    def at_op(self, value: str) -> bool:
        token = self.token
        return token.kind == OP and token.value == value

    def at_word(self, value: str) -> bool:
        token = self.token
        return token.kind == NAME and token.value == value

    def expect_op(self, value: str, context: str = "") -> Token:
        token = self.token
        if token.kind != OP or token.value != value:
            raise self.error(f"expected '{value}'{context}")
        self.index += 1
        self.token = self.tokens[self.index]
        return token

    def expect_word(self, value: str, context: str = "") -> Token:
        if not self.at_word(value):
            raise self.error(f"expected '{value}'{context}")
        return self.advance()

    def error(self, expected: str, token: Token | None = None) -> FeelSyntaxError:
        token = token or self.token
        return syntax_error(self.text, token.start, f"{expected} but found {token.describe()}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.max_nesting:
            raise syntax_error(
                self.text,
                self.token.start,
                "the expression is nested too deeply: simplify it or split it up",
            )

    def leave(self) -> None:
        self.depth -= 1

    def _add_known(self, name: str) -> None:
        words = tokenize(name)[:-1]
        if len(words) < 2 or any(t.kind not in (NAME, NUMBER) for t in words):
            return
        entries = self.known.setdefault(words[0].value, [])
        if (len(words), name) not in entries:
            entries.append((len(words), name))
            entries.sort(reverse=True)

    def _known_name_at(self) -> tuple[int, str] | None:
        """The longest known multi-word name starting at the current token, if any."""
        index = self.index
        tokens = self.tokens
        for count, name in self.known[self.token.value]:
            stop = index + count
            if (
                stop < len(tokens)
                and all(t.kind in (NAME, NUMBER) for t in tokens[index + 1 : stop])
                and self._source_words(index, stop) == name
            ):
                return count, name
        return None

    def _plain_word(self, word: str) -> bool:
        """Whether ``word`` on its own can only be a one-word variable name here."""
        return not (
            word in _SPECIAL_WORDS or self.join_symbol_names or (self.known and word in self.known)
        )

    def _is_keyword_at(self, i: int) -> bool:
        token = self.tokens[i]
        if token.kind != NAME:
            return False
        if token.value == "not":
            nxt = self.tokens[i + 1]
            return nxt.kind == OP and nxt.value == "("
        return token.value in KEYWORDS

    # ------------------------------------------------------------------ entry points

    def parse_expression_text(self) -> ast.Node:
        if self.token.kind == EOF:
            raise self.error("expected an expression")
        node = self.expression()
        if self.token.kind != EOF:
            raise self.error(self._unexpected_hint())
        return node

    def parse_unary_tests_text(self) -> ast.UnaryTests:
        start = self.token.start
        if self.token.kind == EOF:
            raise self.error("expected unary tests (use '-' to accept any input)")
        if self.at_op("-") and self.peek().kind == EOF:
            return ast.UnaryTests(start, (), any_input=True)
        if self.at_word("not") and self.peek().kind == OP and self.peek().value == "(":
            saved = self.index
            self.advance()
            self.advance()
            self.enter()
            try:
                tests = self.test_list()
                self.expect_op(")", " to close 'not('")
                if self.token.kind == EOF:
                    return ast.UnaryTests(start, tests, negated=True)
            except FeelSyntaxError:
                pass
            finally:
                self.leave()
            self.seek(saved)
        tests = self.test_list()
        if self.token.kind != EOF:
            raise self.error(self._unexpected_hint(", or ',' before the next test"))
        return ast.UnaryTests(start, tests)

    def test_list(self) -> tuple[ast.Node, ...]:
        tests = [self.expression()]
        while self.at_op(","):
            self.advance()
            tests.append(self.expression())
        return tuple(tests)

    def _unexpected_hint(self, extra: str = "") -> str:
        token = self.token
        openers = {"then": "if", "else": "if", "return": "for", "satisfies": "some/every"}
        if token.kind == NAME and token.value in openers:
            return f"'{token.value}' needs a matching '{openers[token.value]}' before it;" + (
                " expected an operator or the end of the expression" + extra
            )
        return "expected an operator or the end of the expression" + extra

    # ------------------------------------------------------------------ expressions

    def expression(self) -> ast.Node:
        """A full (textual) expression."""
        token = self.token
        if token.kind == NAME:
            value = token.value
            if value in _TEXTUAL:
                self.enter()
                try:
                    if value == "if":
                        return self.if_expression()
                    if value == "for":
                        return self.for_expression()
                    return self.quantified_expression()
                finally:
                    self.leave()
        return self.binary(_OR)

    def if_expression(self) -> ast.Node:
        start = self.advance().start
        condition = self.expression()
        self.expect_word("then", " after the condition of 'if'")
        then = self.expression()
        self.expect_word("else", " ('if' needs an 'else' branch)")
        otherwise = self.expression()
        return ast.If(start, condition, then, otherwise)

    def for_expression(self) -> ast.Node:
        start = self.advance().start
        iterators = self.iterators("for")
        self.expect_word("return", " after the iterators of 'for'")
        body = self.expression()
        return ast.For(start, iterators, body)

    def quantified_expression(self) -> ast.Node:
        token = self.advance()
        iterators = self.iterators(token.value)
        self.expect_word("satisfies", f" after the iterators of '{token.value}'")
        condition = self.expression()
        return ast.Quantified(token.start, token.value == "every", iterators, condition)

    def iterators(self, keyword: str) -> tuple[ast.Iterator, ...]:
        result = []
        while True:
            name = self.name_words(f"expected a variable name after '{keyword}'")
            self.bound_names.add(name)
            self.expect_word("in", f" after the variable '{name}'")
            source = self.expression()
            end = None
            if self.at_op(".."):
                self.advance()
                end = self.expression()
            result.append(ast.Iterator(name, source, end))
            if not self.at_op(","):
                return tuple(result)
            self.advance()

    def binary(self, min_level: int) -> ast.Node:
        """Operators by precedence climbing: ``or`` (1) < ``and`` (2) < comparisons (3)
        < ``+ -`` (4) < ``* /`` (5) < ``**`` (6); all left-associative."""
        token = self.token
        kind = token.kind
        if kind in _LEAF_KINDS:
            # a lone name, number or string before an operator (the common operand) is
            # read here directly; anything else goes the full way through postfix()
            following = self.tokens[self.index + 1]
            if following.kind == OP:
                simple = following.value not in _POSTFIX_OPENERS
            else:
                simple = following.kind == EOF or (kind != NAME and following.kind == NAME)
            if simple and kind == NAME and not self._plain_word(token.value):
                simple = False
            if simple:
                self.index += 1
                self.token = following
                if kind == NAME:
                    left: ast.Node = ast.Name(token.start, token.value)
                elif kind == NUMBER:
                    left = ast.Const(token.start, Decimal(token.value))
                else:
                    left = ast.Const(token.start, token.value)
            else:
                left = self.postfix()
        elif kind != OP:
            left = self.postfix()
        elif min_level <= _COMPARISON and token.value in _PREFIX_TESTS:
            left = self.prefix_test(token)
        else:
            left = self.unary()
        while True:
            token = self.token
            kind = token.kind
            if kind == OP:
                level = _OP_LEVELS.get(token.value)
            elif kind == NAME:
                level = _WORD_LEVELS.get(token.value)
            else:
                return left
            if level is None or level < min_level:
                return left
            self.advance()
            if level == _COMPARISON:
                left = self.comparison_rest(token, left)
            elif level > _COMPARISON:
                left = ast.Arith(token.start, token.value, left, self.binary(level + 1))
            elif level == _AND:
                left = ast.And(token.start, left, self.binary(_AND + 1))
            else:
                left = ast.Or(token.start, left, self.binary(_OR + 1))

    def prefix_test(self, token: Token) -> ast.Node:
        """``< x``, ``<= x``, ``> x``, ``>= x`` (ranges with an open side), ``= x``, ``!= x``."""
        self.advance()
        operand = self.binary(_ADDITIVE)
        op = token.value
        if op in ("=", "!="):
            # a unary test (DMN 1.5), valid in tests and after 'in'
            return ast.InputCompare(token.start, op, operand)
        if op in ("<", "<="):
            return ast.RangeLit(token.start, None, operand, False, op == "<=")
        return ast.RangeLit(token.start, operand, None, op == ">=", False)

    def comparison_rest(self, token: Token, left: ast.Node) -> ast.Node:
        value = token.value
        if token.kind == OP:
            return ast.Compare(token.start, value, left, self.binary(_ADDITIVE))
        if value == "between":
            low = self.binary(_ADDITIVE)
            self.expect_word("and", " in 'between ... and ...'")
            return ast.Between(token.start, left, low, self.binary(_ADDITIVE))
        if value == "in":
            return ast.In(token.start, left, self.in_tests())
        self.expect_word("of", " after 'instance'")
        return ast.InstanceOf(token.start, left, self.type_ref())

    def in_tests(self) -> tuple[ast.Node, ...]:
        if not self.at_op("("):
            return (self.binary(_COMPARISON),)
        start = self.advance().start
        self.enter()
        try:
            first = self.expression()
            if self.at_op(".."):
                return (self.interval_rest(start, False, first),)
            tests = [first]
            while self.at_op(","):
                self.advance()
                tests.append(self.expression())
            self.expect_op(")", " to close the list of tests after 'in'")
            return tuple(tests)
        finally:
            self.leave()

    def unary(self) -> ast.Node:
        if self.at_op("-"):
            pos = self.advance().start
            self.enter()
            try:
                operand = self.unary()
            finally:
                self.leave()
            if isinstance(operand, ast.Const) and isinstance(operand.value, Decimal):
                return ast.Const(pos, -operand.value)
            return ast.Negate(pos, operand)
        return self.postfix()

    def postfix(self) -> ast.Node:
        node = self.primary()
        depth = self.depth
        while True:
            token = self.token
            if token.kind != OP:
                return node
            if token.value == ".":
                self.advance()
                node = ast.Path(token.start, node, self.path_key())
            elif token.value == "[":
                if self._no_filter_depth == depth:
                    return node
                self.advance()
                self.enter()
                try:
                    condition = self.expression()
                finally:
                    self.leave()
                self.expect_op("]", " to close the filter")
                node = ast.Filter(token.start, node, condition)
            elif token.value == "(":
                node = self.call(token.start, None, node)
            else:
                return node

    def path_key(self) -> str:
        token = self.token
        if token.kind == QUOTED_NAME:
            self.advance()
            return token.value
        if token.kind != NAME:
            raise self.error("expected a name after '.'")
        return self.name_words("expected a name after '.'", allow_first_keyword=True)

    # ------------------------------------------------------------------ primaries

    def primary(self) -> ast.Node:
        token = self.token
        kind = token.kind
        if kind == NAME:
            return self.word_primary(token)
        if kind == NUMBER:
            self.advance()
            return ast.Const(token.start, Decimal(token.value))
        if kind == STRING:
            self.advance()
            return ast.Const(token.start, token.value)
        if kind == QUOTED_NAME:
            self.advance()
            return self._maybe_call(token.start, token.value)
        if kind == TEMPORAL:
            self.advance()
            return ast.TemporalLiteral(token.start, token.value)
        if kind == OP:
            value = token.value
            if value == "(":
                return self.parenthesized()
            if value == "[":
                return self.list_or_interval()
            if value == "]":
                self.advance()
                return self.interval_after_start(token.start, False)
            if value == "{":
                return self.context()
            if value == "?":
                self.advance()
                return ast.InputValue(token.start)
            if value in _PREFIX_TESTS:
                return self.binary(_COMPARISON)
        if kind == EOF:
            raise self.error("expected an expression")
        raise self.error("expected an expression")

    def word_primary(self, token: Token) -> ast.Node:
        value = token.value
        if self.known and value in self.known:
            match = self._known_name_at()
            if match is not None:
                self.seek(self.index + match[0])
                return self._maybe_call(token.start, match[1])
        if value not in _SPECIAL_WORDS:
            # the common case: a variable or function name
            following = self.tokens[self.index + 1]
            if following.kind == NAME or self.join_symbol_names:
                return self._maybe_call(token.start, self.name_words("expected a name"))
            self.advance()
            if following.kind == OP and following.value == "(":
                return self.call(token.start, value, None)
            return ast.Name(token.start, value)
        if value == "null":
            self.advance()
            return ast.Const(token.start, None)
        if value == "true":
            self.advance()
            return ast.Const(token.start, True)
        if value == "false":
            self.advance()
            return ast.Const(token.start, False)
        if value == "function":
            return self.function_definition()
        if value in ("if", "for", "some", "every"):
            return self.expression()
        if value in ("not", "and", "or") and self.peek().kind == OP and self.peek().value == "(":
            # the functions not(), and() and or() (keywords only between operands)
            self.advance()
            return self.call(token.start, value, None)
        compound = self._compound_at(COMPOUND_NAMES) if value in _COMPOUND_STARTS else None
        after = self.peek(len(compound)) if compound is not None else None
        if compound is not None and after is not None and after.kind == OP and after.value == "(":
            self.seek(self.index + len(compound))
            return self.call(token.start, " ".join(compound), None)
        if value in KEYWORDS:
            raise self.error("expected an expression")
        name = self.name_words("expected a name")
        return self._maybe_call(token.start, name)

    def _maybe_call(self, pos: int, name: str) -> ast.Node:
        if self.at_op("("):
            return self.call(pos, name, None)
        return ast.Name(pos, name)

    def _compound_at(self, compounds: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
        for words in compounds:
            if all(
                self.peek(i).kind == NAME and self.peek(i).value == word
                for i, word in enumerate(words)
            ):
                return words
        return None

    def name_words(self, message: str, *, allow_first_keyword: bool = False) -> str:
        """Read a (possibly multi-word) name: words up to the next keyword or symbol."""
        token = self.token
        if token.kind == QUOTED_NAME:
            self.advance()
            return token.value
        if token.kind != NAME or (not allow_first_keyword and self._is_keyword_at(self.index)):
            raise self.error(message)
        following = self.tokens[self.index + 1]
        if following.kind != NAME and not self.join_symbol_names:
            self.advance()  # a one-word name (the common case)
            return token.value
        words = [self._word_with_symbols()]
        while True:
            token = self.token
            if token.kind != NAME or self._is_keyword_at(self.index):
                break
            words.append(self._word_with_symbols())
        return " ".join(words)

    def _word_with_symbols(self) -> str:
        """One word; with ``join_symbol_names``, also ``Date-Time`` written without spaces."""
        token = self.advance()
        if not self.join_symbol_names:
            return token.value
        start = token.start
        end = token.end
        while (
            self.at_op("-")
            and not self.token.spaced
            and self.peek().kind in (NAME, NUMBER)
            and not self.peek().spaced
        ):
            self.advance()
            end = self.advance().end
        word = self.text[start:end]
        if end != token.end:
            self.joined_names.add(word)
        return word

    def parenthesized(self) -> ast.Node:
        start = self.advance().start
        self.enter()
        try:
            if self.at_op(")"):
                raise self.error("expected an expression inside '()'")
            first = self.expression()
            if self.at_op(".."):
                return self.interval_rest(start, False, first)
            self.expect_op(")", " to close '('")
            return first
        finally:
            self.leave()

    def list_or_interval(self) -> ast.Node:
        start = self.advance().start
        self.enter()
        try:
            if self.at_op("]"):
                self.advance()
                return ast.ListLit(start, ())
            first = self.expression()
            if self.at_op(".."):
                return self.interval_rest(start, True, first)
            items = [first]
            while self.at_op(","):
                self.advance()
                items.append(self.expression())
            self.expect_op("]", " to close the list")
            return ast.ListLit(start, tuple(items))
        finally:
            self.leave()

    def interval_after_start(self, start: int, start_included: bool) -> ast.Node:
        self.enter()
        try:
            first = self.expression()
            if not self.at_op(".."):
                raise self.error("expected '..' in the interval")
            return self.interval_rest(start, start_included, first)
        finally:
            self.leave()

    def interval_rest(self, start: int, start_included: bool, low: ast.Node) -> ast.Node:
        self.expect_op("..")
        saved = self.index
        try:
            high = self.expression()
            if not (self.token.kind == OP and self.token.value in _INTERVAL_ENDS):
                raise self.error("expected ']', ')' or '[' to close the interval")
        except FeelSyntaxError:
            # "]1..x[" : the closing '[' must not start a filter of the end point
            self.seek(saved)
            outer = self._no_filter_depth
            self._no_filter_depth = self.depth
            try:
                high = self.expression()
            finally:
                self._no_filter_depth = outer
            if not (self.token.kind == OP and self.token.value in _INTERVAL_ENDS):
                raise self.error("expected ']', ')' or '[' to close the interval") from None
        end_included = self.advance().value == "]"
        return ast.RangeLit(start, low, high, start_included, end_included)

    def context(self) -> ast.Node:
        start = self.advance().start
        self.enter()
        try:
            entries: list[tuple[str, ast.Node]] = []
            if self.at_op("}"):
                self.advance()
                return ast.ContextLit(start, ())
            while True:
                first = self.index
                key = self.context_key()
                self.bound_names.add(key)
                if self.index - first > 1 and any(
                    t.kind == NUMBER or t.value in KEYWORDS for t in self.tokens[first : self.index]
                ):
                    # a key such as ``days in weekend`` is a name for the entries after it
                    self._add_known(key)
                self.expect_op(":", f" after the context key '{key}'")
                entries.append((key, self.expression()))
                if self.at_op(","):
                    self.advance()
                    continue
                self.expect_op("}", " or ',' in the context")
                return ast.ContextLit(start, tuple(entries))
        finally:
            self.leave()

    def context_key(self) -> str:
        token = self.token
        if token.kind in (STRING, QUOTED_NAME):
            self.advance()
            return token.value
        first = self.index
        while True:
            token = self.token
            if token.kind in (NAME, NUMBER) or (token.kind == OP and token.value in _KEY_SYMBOLS):
                self.advance()
            else:
                break
        if self.index == first:
            raise self.error("expected a context key (a name or a string)")
        return self._source_words(first, self.index)

    def _source_words(self, first: int, stop: int) -> str:
        """The source text of tokens ``first..stop-1`` with whitespace runs made single spaces."""
        tokens = self.tokens[first:stop]
        if all(t.kind == NAME for t in tokens):
            return " ".join(t.value for t in tokens)
        parts = [tokens[0].value]
        for t in tokens[1:]:
            parts.append((" " if t.spaced else "") + t.value)
        return "".join(parts)

    def function_definition(self) -> ast.Node:
        start = self.advance().start
        self.defines_functions = True
        self.expect_op("(", " after 'function'")
        params: list[str] = []
        if not self.at_op(")"):
            while True:
                params.append(self.name_words("expected a parameter name"))
                self.bound_names.add(params[-1])
                if self.at_op(":"):
                    self.advance()
                    self.type_ref()
                if not self.at_op(","):
                    break
                self.advance()
        self.expect_op(")", " to close the parameter list")
        if self.at_word("external"):
            raise self.error("external functions are not supported; expected the function body")
        self.enter()
        try:
            body = self.expression()
        finally:
            self.leave()
        return ast.FunctionDef(start, tuple(params), body)

    def call(self, pos: int, name: str | None, callee: ast.Node | None) -> ast.Node:
        self.expect_op("(")
        self.enter()
        try:
            if self.at_op(")"):
                self.advance()
                return ast.Call(pos, name, callee, (), None)
            if self._looks_named():
                named: list[tuple[str, ast.Node]] = []
                while True:
                    key_start = self.index
                    while self.token.kind in (NAME, QUOTED_NAME):
                        self.advance()
                    if not self.at_op(":") or self.index == key_start:
                        raise self.error(
                            "expected 'name: value' (arguments are either all named or all "
                            "positional)"
                        )
                    key = self._source_words(key_start, self.index)
                    self.advance()
                    named.append((key, self.expression()))
                    if not self.at_op(","):
                        break
                    self.advance()
                self.expect_op(")", " to close the argument list")
                return ast.Call(pos, name, callee, (), tuple(named))
            args = [self.expression()]
            while self.at_op(","):
                self.advance()
                args.append(self.expression())
            self.expect_op(")", " or ',' in the argument list")
            return ast.Call(pos, name, callee, tuple(args), None)
        finally:
            self.leave()

    def _looks_named(self) -> bool:
        i = self.index
        tokens = self.tokens
        while tokens[i].kind in (NAME, QUOTED_NAME):
            i += 1
        return i > self.index and tokens[i].kind == OP and tokens[i].value == ":"

    # ------------------------------------------------------------------ types

    def type_ref(self) -> ast.TypeRef:
        token = self.token
        if token.kind == QUOTED_NAME:
            self.advance()
            name = token.value
        elif token.kind == NAME:
            compound = self._compound_at(_TYPE_COMPOUNDS)
            if compound is not None:
                self.seek(self.index + len(compound))
                name = " ".join(compound)
            else:
                start = self.advance()
                end = start.end
                while (
                    (self.at_op("-") or self.at_op("."))
                    and not self.token.spaced
                    and self.peek().kind == NAME
                    and not self.peek().spaced
                ):
                    self.advance()
                    end = self.advance().end
                name = self.text[start.start : end]
        else:
            raise self.error("expected a type name after 'instance of'")
        if not self.at_op("<"):
            return ast.TypeRef(name)
        self.advance()
        self.enter()
        try:
            if name == "context":
                fields: list[tuple[str, ast.TypeRef]] = []
                while True:
                    key = self.name_words("expected a context key in the type")
                    self.expect_op(":", " after the key in the context type")
                    fields.append((key, self.type_ref()))
                    if not self.at_op(","):
                        break
                    self.advance()
                self.expect_op(">", " to close the type")
                return ast.TypeRef(name, fields=tuple(fields))
            args = [self.type_ref()] if not self.at_op(">") else []
            while self.at_op(","):
                self.advance()
                args.append(self.type_ref())
            self.expect_op(">", " to close the type")
            result = None
            if name == "function" and self.at_op("-") and self.peek().value == ">":
                self.advance()
                self.advance()
                result = self.type_ref()
            return ast.TypeRef(name, tuple(args), result=result)
        finally:
            self.leave()


def parse_expression(
    text: str,
    *,
    max_nesting: int = DEFAULT_MAX_NESTING,
    join_symbol_names: bool = False,
    known_names: frozenset[str] = frozenset(),
) -> Parser:
    """Parse an expression; the parser holds the tree (``node``), the names it binds and
    the names joined across symbols. ``known_names`` are multi-word names (variables) that
    contain keywords or numbers and are read as one name wherever they occur."""
    parser = Parser(
        text,
        max_nesting=max_nesting,
        join_symbol_names=join_symbol_names,
        known_names=known_names,
    )
    try:
        parser.node = parser.parse_expression_text()
    except RecursionError:
        raise syntax_error(text, 0, "the expression nests too deeply: simplify it") from None
    return parser


#: longest multi-word name (in words) that :func:`name_candidates` offers
_MAX_CANDIDATE_WORDS = 8
_WORD = r"(?:[^\W\d]|\$)[\w'’$]*|\d+(?:\.\d+)?"
#: two or more words or numbers separated by whitespace only
_WORD_RUN = re.compile(rf"(?<![\w'’$.])(?:{_WORD})(?:\s+(?:{_WORD}))+")
#: a word followed by a keyword or a number: the quick test before looking for runs
_MAYBE_RUN = re.compile(r"[\w'’$]\s+(?:\d|(?:" + "|".join(sorted(KEYWORDS)) + r")(?![\w'’$]))")
_DIGITS = frozenset("0123456789")


def name_candidates(text: str) -> tuple[str, ...]:
    """The multi-word names that the text would read differently if they were variables:
    runs of words and numbers that include a keyword or a number (``values in a list``,
    ``Extra days case 1``), starting and ending with a word that is no keyword. Plain word
    runs are names already, and the built-ins' compound names are left out. (A filter on
    the variables' names: a run inside a string literal costs a lookup, nothing more.)"""
    if _MAYBE_RUN.search(text) is None:
        return ()
    found: list[str] = []
    for match in _WORD_RUN.finditer(text):
        words = match.group().split()
        special = [word in KEYWORDS or word[0] in _DIGITS for word in words]
        count = len(words)
        for i in range(count - 1):
            if special[i]:
                continue
            seen = False
            for j in range(i + 1, min(count, i + _MAX_CANDIDATE_WORDS)):
                if special[j]:
                    seen = True
                    if words[j] in KEYWORDS:
                        continue
                elif not seen:
                    continue
                run = tuple(words[i : j + 1])
                if run not in COMPOUND_NAMES:
                    name = " ".join(run)
                    if name not in found:
                        found.append(name)
    return tuple(found)


def parse_unary_tests(text: str, *, max_nesting: int = DEFAULT_MAX_NESTING) -> Parser:
    """Parse a unary-tests text (decision-table input entries, ``x in ...`` tests); the
    parser holds the tree (``node``) and the names it binds."""
    parser = Parser(text, max_nesting=max_nesting)
    try:
        parser.node = parser.parse_unary_tests_text()
    except RecursionError:
        raise syntax_error(text, 0, "the tests nest too deeply: simplify them") from None
    return parser
