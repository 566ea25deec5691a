"""FEEL, the expression language of Camunda 8 (feel-scala semantics), for Python.

::

    from flowwire import feel
    feel.evaluate("x + 1", {"x": 2})                 # Decimal('3')
    feel.unary_test("< 10", 5)                       # True
    expression = feel.compile("order.total > 100")   # parse once, evaluate many times
    expression.evaluate({"order": {"total": 120}})   # True
    feel.evaluate_detailed("a.b", {"a": {}}).warnings
    # [('NO_CONTEXT_ENTRY_FOUND', "no context entry found with key 'b'; ...")]

Failures inside an expression give ``None`` plus a warning; only syntax errors
(:class:`FeelSyntaxError`), failed ``assert()`` calls (:class:`FeelAssertionError`) and
exceeded :class:`Limits` (:class:`FeelLimitError`) raise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flowwire.feel import unary as _unary
from flowwire.feel.cache import LruCache
from flowwire.feel.compiler import Compiler, Fn
from flowwire.feel.context import (
    FEEL_TYPES,
    NO_VARIABLE_FOUND,
    Clock,
    Env,
    Evaluation,
    Limits,
    default_limits,
    feel_value,
    leaf,
    set_default_limits,
)
from flowwire.feel.errors import (
    FeelAssertionError,
    FeelError,
    FeelLimitError,
    FeelSyntaxError,
)
from flowwire.feel.lexer import syntax_error
from flowwire.feel.parser import name_candidates, parse_expression, parse_unary_tests
from flowwire.feel.simple_forms import compile_simple
from flowwire.feel.values import FeelFunction, Range, YearsMonthsDuration

__all__ = [
    "CompiledExpression",
    "CompiledUnaryTests",
    "EvaluationResult",
    "FeelAssertionError",
    "FeelError",
    "FeelFunction",
    "FeelLimitError",
    "FeelSyntaxError",
    "Limits",
    "Range",
    "YearsMonthsDuration",
    "clear_cache",
    "compile",
    "compile_unary_tests",
    "default_limits",
    "evaluate",
    "evaluate_detailed",
    "set_default_limits",
    "unary_test",
]

#: a word, a '-' and a word without spaces: maybe a name such as ``Date-Time``
_HYPHENATED = re.compile(r"[^\W\d][\w'’]*-\w")

_RECURSION_MESSAGE = (
    "the evaluation nests too deeply (deeply nested values or deep recursion of functions); "
    "flatten the input or simplify the expression"
)


@dataclass(slots=True)
class EvaluationResult:
    """The value of an evaluation plus its warnings as ``(kind, message)`` pairs."""

    value: Any
    warnings: list[tuple[str, str]] = field(default_factory=list)


_NOTHING: frozenset[str] = frozenset()


def _raw(variables: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if variables is None or type(variables) is dict:
        return variables
    if not isinstance(variables, Mapping):
        raise TypeError(
            f"variables must be a mapping of names to values, not {type(variables).__name__}"
        )
    return variables


#: finished evaluations kept for reuse: creating one costs more than resetting it
_POOL: list[Evaluation] = []
_POOL_SIZE = 32


def _recycle(ctx: Evaluation) -> None:
    """Reset an evaluation to its class defaults and keep it for the next call."""
    extra = ctx.__dict__
    if extra:
        extra.clear()
    ctx.raw = None
    if len(_POOL) < _POOL_SIZE:
        _POOL.append(ctx)


class CompiledExpression:
    """A parsed and compiled expression; evaluating it does no parsing."""

    __slots__ = (
        "_alternative",
        "_alternative_names",
        "_candidates",
        "_clean",
        "_fn",
        "_nesting",
        "_reusable",
        "_static",
        "text",
    )

    def __init__(
        self,
        text: str,
        fn: Fn,
        alternative: Fn | None,
        alternative_names: frozenset[str],
        defines_functions: bool = True,
        nesting: int = 0,
        known_names: bool = False,
    ) -> None:
        self.text = text
        self._fn = fn
        #: multi-word names (``values in a list``) that, given as variables, change the
        #: parse; worked out when an evaluation first misses a variable (None until then)
        self._candidates: tuple[str, ...] | None = () if known_names else None
        self._nesting = nesting
        self._alternative = alternative
        self._alternative_names = alternative_names
        #: the result is known to hold FEEL values only (literals), no final conversion
        self._clean = getattr(fn, "feel_clean", False) and alternative is None
        #: function values keep their scope, so only evaluations without them are recycled
        self._reusable = not defines_functions
        #: a literal whose value needs no variables (e.g. ``[1, 2]``, folded ``2 * 3``)
        self._static = getattr(fn, "feel_static", False) and alternative is None

    def _variant(
        self, variables: Mapping[str, Any] | None, warnings: list[tuple[str, str]]
    ) -> CompiledExpression | None:
        """After an evaluation missed a variable: the expression parsed with the multi-word
        variable names it mentions (``values in a list``), if the variables have such names.
        Reading them only then keeps ordinary evaluations free of the look-up."""
        if not variables or self._candidates == ():
            return None
        if all(kind != NO_VARIABLE_FOUND for kind, _ in warnings):
            return None
        if self._candidates is None:
            self._candidates = name_candidates(_strip_prefix(self.text))
        present = frozenset(name for name in self._candidates if name in variables)
        if not present:
            return None
        return _compile_known(self.text, present, self._nesting)

    def _choose(self, variables: Mapping[str, Any]) -> Fn:
        """Names like "Date-Time" win over a subtraction when such variables exist."""
        if all(name in variables for name in self._alternative_names):
            return self._alternative  # type: ignore[return-value]
        return self._fn

    def _evaluation(
        self, variables: Mapping[str, Any] | None, clock: Clock | None, limits: Limits | None
    ) -> Evaluation:
        if variables is not None and type(variables) is not dict:
            variables = _raw(variables)
        if self._reusable:
            try:
                ctx = _POOL.pop()
            except IndexError:
                ctx = Evaluation(variables)
            else:
                ctx.raw = variables
        else:
            ctx = Evaluation(variables)
        if limits is not None:
            ctx.limits = limits
        if clock is not None:
            ctx.clock = clock
        return ctx

    def evaluate(
        self,
        variables: Mapping[str, Any] | None = None,
        *,
        clock: Clock | None = None,
        limits: Limits | None = None,
    ) -> Any:
        """The value of the expression for these variables."""
        if self._static:
            return self._fn(None)  # type: ignore[arg-type]
        # (the steps of _evaluation and _recycle, inlined: this is the hot path)
        if variables is not None and type(variables) is not dict:
            variables = _raw(variables)
        reusable = self._reusable
        if reusable and _POOL:
            try:
                ctx = _POOL.pop()
            except IndexError:  # taken by another thread meanwhile
                ctx = Evaluation(variables)
            else:
                ctx.raw = variables
        else:
            ctx = Evaluation(variables)
        if limits is not None:
            ctx.limits = limits
        if clock is not None:
            ctx.clock = clock
        fn = self._choose(variables) if self._alternative and variables else self._fn
        try:
            value = fn(ctx)
            if type(value) not in FEEL_TYPES and not self._clean:
                value = feel_value(value)
        except RecursionError:
            raise FeelLimitError(_RECURSION_MESSAGE) from None
        warnings = ctx.warnings
        if reusable:
            extra = ctx.__dict__
            if extra:
                extra.clear()
            ctx.raw = None
            if len(_POOL) < _POOL_SIZE:
                _POOL.append(ctx)
        if warnings is not None:
            variant = self._variant(variables, warnings)
            if variant is not None:
                return variant.evaluate(variables, clock=clock, limits=limits)
        return value

    def evaluate_detailed(
        self,
        variables: Mapping[str, Any] | None = None,
        *,
        clock: Clock | None = None,
        limits: Limits | None = None,
    ) -> EvaluationResult:
        """The value plus the warnings recorded while evaluating."""
        ctx = self._evaluation(variables, clock, limits)
        fn = self._choose(ctx.raw) if self._alternative and ctx.raw else self._fn
        try:
            value = fn(ctx)
            if type(value) not in FEEL_TYPES:
                value = feel_value(value)
        except RecursionError:
            raise FeelLimitError(_RECURSION_MESSAGE) from None
        warnings = ctx.warnings or []
        if self._reusable:
            _recycle(ctx)
        if warnings:
            variant = self._variant(variables, warnings)
            if variant is not None:
                return variant.evaluate_detailed(variables, clock=clock, limits=limits)
        return EvaluationResult(value, warnings)

    def __repr__(self) -> str:
        return f"CompiledExpression({self.text!r})"


class CompiledUnaryTests:
    """Parsed unary tests (e.g. a decision-table input entry such as ``[1..5], > 10``)."""

    __slots__ = ("_test", "text")

    def __init__(self, text: str, test: _unary.Test) -> None:
        self.text = text
        self._test = test

    def _run(
        self,
        input_value: Any,
        variables: Mapping[str, Any] | None,
        clock: Clock | None,
        limits: Limits | None,
    ) -> tuple[bool | None, Evaluation]:
        raw = _raw(variables)
        ctx = Evaluation(raw)
        if limits is not None:
            ctx.limits = limits
        if clock is not None:
            ctx.clock = clock
        try:
            value = leaf(input_value)
            env = Env({"?": value}, ctx, ctx)
            return self._test(env, value), ctx
        except RecursionError:
            raise FeelLimitError(_RECURSION_MESSAGE) from None

    def test(
        self,
        input_value: Any,
        variables: Mapping[str, Any] | None = None,
        *,
        clock: Clock | None = None,
        limits: Limits | None = None,
    ) -> bool | None:
        """True if the input passes, False if not, None if undecidable (e.g. wrong type)."""
        return self._run(input_value, variables, clock, limits)[0]

    def test_detailed(
        self,
        input_value: Any,
        variables: Mapping[str, Any] | None = None,
        *,
        clock: Clock | None = None,
        limits: Limits | None = None,
    ) -> EvaluationResult:
        """The outcome plus the warnings recorded while testing."""
        value, ctx = self._run(input_value, variables, clock, limits)
        return EvaluationResult(value, ctx.warnings or [])

    def __repr__(self) -> str:
        return f"CompiledUnaryTests({self.text!r})"


def _strip_prefix(text: str) -> str:
    """Drop a leading ``=`` (BPMN attribute style), keeping columns for error messages."""
    stripped = text.lstrip()
    if stripped.startswith("=") and not stripped.startswith("=="):
        index = len(text) - len(stripped)
        return text[:index] + " " + text[index + 1 :]
    return text


def _compile_tree(source: str, parsed: Any) -> Fn:
    compiler = Compiler(source, parsed.bound_names, parsed.defines_functions)
    try:
        return compiler.compile(parsed.node)
    except RecursionError:
        raise syntax_error(source, 0, "the expression is nested too deeply: simplify it") from None


def _build_expression(
    text: str, max_nesting: int, known_names: frozenset[str] = _NOTHING
) -> CompiledExpression:
    if not isinstance(text, str):
        raise TypeError(f"a FEEL expression must be a string, not {type(text).__name__}")
    first = text[:1]
    source = _strip_prefix(text) if first == "=" or first.isspace() else text
    simple = compile_simple(source) if max_nesting > 0 and not known_names else None
    if simple is not None:  # the commonest shapes: no tokens, no parser, no '-'
        return CompiledExpression(text, simple, None, _NOTHING, False, max_nesting)
    parsed = parse_expression(source, max_nesting=max_nesting, known_names=known_names)
    fn = _compile_tree(source, parsed)
    defines_functions = parsed.defines_functions
    alternative: Fn | None = None
    names: frozenset[str] = frozenset()
    if known_names:
        return CompiledExpression(
            text, fn, None, names, defines_functions, max_nesting, known_names=True
        )
    if "-" in source and _HYPHENATED.search(source):
        try:
            joined = parse_expression(source, max_nesting=max_nesting, join_symbol_names=True)
        except FeelSyntaxError:
            joined = None
        if joined is not None and joined.joined_names:
            names = frozenset(joined.joined_names)
            alternative = _compile_tree(source, joined)
    return CompiledExpression(text, fn, alternative, names, defines_functions, max_nesting)


def _compile_known(text: str, names: frozenset[str], max_nesting: int) -> CompiledExpression:
    """``text`` parsed with these multi-word variable names (cached by text and names)."""
    return _expressions.get_or_create(
        (text, max_nesting, names), lambda: _build_expression(text, max_nesting, names)
    )


def _compile_for(
    expression: str, variables: Mapping[str, Any] | None, limits: Limits | None
) -> CompiledExpression:
    """``compile(expression)``; when that fails, the text may still read as an expression
    once the multi-word variable names it mentions (``Extra days case 1``) are known."""
    try:
        return compile(expression, limits=limits)
    except FeelSyntaxError as error:
        if not variables or not isinstance(expression, str):
            raise
        candidates = name_candidates(_strip_prefix(expression))
        present = frozenset(name for name in candidates if name in variables)
        if not present:
            raise
        nesting = (limits or Evaluation.limits).max_nesting
        try:
            return _compile_known(expression, present, nesting)
        except FeelSyntaxError:
            raise error from None


def _build_unary_tests(text: str, max_nesting: int) -> CompiledUnaryTests:
    if not isinstance(text, str):
        raise TypeError(f"unary tests must be a string, not {type(text).__name__}")
    parsed = parse_unary_tests(text, max_nesting=max_nesting)
    compiler = Compiler(text, parsed.bound_names, parsed.defines_functions)
    try:
        with compiler.scoped():  # the tests run in a scope that binds '?'
            test = _unary.compile_unary_tests(compiler, parsed.node)  # type: ignore[arg-type]
    except RecursionError:
        raise syntax_error(text, 0, "the tests are nested too deeply: simplify them") from None
    return CompiledUnaryTests(text, test)


_expressions: LruCache[CompiledExpression] = LruCache(4096)
_unary_tests: LruCache[CompiledUnaryTests] = LruCache(4096)


def compile(expression: str, *, limits: Limits | None = None) -> CompiledExpression:
    """Parse and compile ``expression`` (cached by text). Raises FeelSyntaxError."""
    nesting = Evaluation.limits.max_nesting if limits is None else limits.max_nesting
    key = (expression, nesting)
    compiled = _expressions.get(key)
    if compiled is None:
        compiled = _expressions.put(key, _build_expression(expression, nesting))
    return compiled


def compile_unary_tests(tests: str, *, limits: Limits | None = None) -> CompiledUnaryTests:
    """Parse and compile unary tests (cached by text). Raises FeelSyntaxError."""
    nesting = (limits or Evaluation.limits).max_nesting
    return _unary_tests.get_or_create((tests, nesting), lambda: _build_unary_tests(tests, nesting))


def clear_cache() -> None:
    """Forget every cached compiled expression and unary test."""
    _expressions.clear()
    _unary_tests.clear()


def evaluate(
    expression: str,
    variables: Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    limits: Limits | None = None,
) -> Any:
    """Evaluate a FEEL expression with the given variables."""
    return _compile_for(expression, variables, limits).evaluate(
        variables, clock=clock, limits=limits
    )


def evaluate_detailed(
    expression: str,
    variables: Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    limits: Limits | None = None,
) -> EvaluationResult:
    """Evaluate and also return the warnings (``.value``, ``.warnings``)."""
    return _compile_for(expression, variables, limits).evaluate_detailed(
        variables, clock=clock, limits=limits
    )


def unary_test(
    tests: str,
    input_value: Any,
    variables: Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    limits: Limits | None = None,
) -> bool | None:
    """Whether ``input_value`` passes the unary tests (None when undecidable)."""
    return compile_unary_tests(tests, limits=limits).test(
        input_value, variables, clock=clock, limits=limits
    )
