"""Unary tests (decision-table input entries and the right side of ``in``) and the type
checks of ``instance of``.

A positive unary test is compiled to ``test(env, input) -> True | False | None``:
- a boolean or ``null`` literal, a comparison ``< x`` or an interval compares with the input;
- an expression that uses ``?`` must yield a boolean (anything else is null);
- any other expression passes when it yields ``true``, a list containing the input, a range
  containing the input, or a value equal to the input (feel-scala's rules).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flowwire.feel import ast
from flowwire.feel.compare import feel_equal
from flowwire.feel.context import FEEL_TYPES, NOT_COMPARABLE, Env, feel_value
from flowwire.feel.values import FeelFunction, Range, YearsMonthsDuration

if TYPE_CHECKING:
    from flowwire.feel.compiler import Compiler

Test = Callable[[Env, Any], "bool | None"]


def any_of(tests: list[Test], env: Env, value: Any) -> bool | None:
    """True if a test passes; otherwise None if a test was undecidable, else False."""
    result: bool | None = False
    for test in tests:
        outcome = test(env, value)
        if outcome is True:
            return True
        if outcome is not False:
            result = None
    return result


def compile_unary_tests(compiler: Compiler, node: ast.UnaryTests) -> Test:
    """The whole unary-tests text: ``-``, ``t1, t2, ...`` or ``not(t1, ...)``."""
    if node.any_input:
        return lambda env, value: True
    tests = [compile_positive_test(compiler, t) for t in node.tests]
    if node.negated:

        def negated(env: Env, value: Any) -> bool | None:
            result = any_of(tests, env, value)
            return None if result is None else not result

        return negated
    if len(tests) == 1:
        return tests[0]
    return lambda env, value: any_of(tests, env, value)


def compile_positive_test(compiler: Compiler, node: ast.Node) -> Test:
    from flowwire.feel.compiler import equal_values, in_range, show

    if isinstance(node, ast.Const) and (node.value is None or isinstance(node.value, bool)):
        expected = node.value

        def equals_literal(env: Env, value: Any) -> bool | None:
            return equal_values(env.ctx, value, expected)

        return equals_literal
    if isinstance(node, ast.RangeLit):
        return _interval_test(compiler, node)
    if isinstance(node, ast.InputCompare):
        operand = compiler.compile(node.operand)
        negate = node.op == "!="

        def input_equals(env: Env, value: Any) -> bool | None:
            result = equal_values(env.ctx, value, operand(Env({"?": value}, env, env.ctx)))
            return None if result is None else result != negate

        return input_equals
    if isinstance(node, ast.Const) and isinstance(node.value, (Decimal, str)):
        constant = node.value

        def equals_constant(env: Env, value: Any) -> bool | None:
            if type(value) is type(constant):
                return bool(value == constant)
            result = feel_equal(value, constant)
            if result is None:
                env.ctx.warn(NOT_COMPARABLE, f"can't compare {show(value)} with {show(constant)}")
            return result

        return equals_constant
    expression = compiler.compile(node)
    if "?" in compiler.text and _uses_input(node):

        def with_input(env: Env, value: Any) -> bool | None:
            result = expression(Env({"?": value}, env, env.ctx))
            return result if type(result) is bool else None

        return with_input

    def matches(env: Env, value: Any) -> bool | None:
        result = expression(env)
        if result is True:
            return True
        if type(result) not in FEEL_TYPES:
            result = feel_value(result)
        if type(value) not in FEEL_TYPES:
            value = feel_value(value)
        if isinstance(result, list):
            return any(
                (
                    in_range(env.ctx, value, item)
                    if isinstance(item, Range)
                    else feel_equal(value, item)
                )
                is True
                for item in result
            )
        if isinstance(result, Range):
            return in_range(env.ctx, value, result)
        equal = feel_equal(value, result)
        if equal is True:
            return True
        if result is False:
            return False
        if equal is None:
            env.ctx.warn(NOT_COMPARABLE, f"can't compare {show(value)} with {show(result)}")
            return None
        return False

    return matches


def _uses_input(node: ast.Node) -> bool:
    return any(isinstance(n, ast.InputValue) for n in ast.walk(node))


def _interval_test(compiler: Compiler, node: ast.RangeLit) -> Test:
    """``< x``, ``>= x``, ``[a..b]`` ... compared with the input directly, so that a null
    end point or an input of another type gives null (not a failed equality)."""
    from flowwire.feel.compiler import compare_values

    start = compiler.compile(node.start) if node.start is not None else None
    end = compiler.compile(node.end) if node.end is not None else None
    start_included = node.start_included
    end_included = node.end_included

    def interval(env: Env, value: Any) -> bool | None:
        ctx = env.ctx
        scope = Env({"?": value}, env, ctx)
        low = compare_values(ctx, value, start(scope)) if start is not None else -1
        high = compare_values(ctx, value, end(scope)) if end is not None else 1
        if low is None or high is None:
            return None
        after_start = start is None or low > 0 or (low == 0 and start_included)
        before_end = end is None or high < 0 or (high == 0 and end_included)
        return after_start and before_end

    return interval


# ---------------------------------------------------------------------------------------
# instance of
# ---------------------------------------------------------------------------------------

_ALIASES = {
    "date time": "date and time",
    "dateTime": "date and time",
    "year-month-duration": "years and months duration",
    "yearMonthDuration": "years and months duration",
    "day-time-duration": "days and time duration",
    "dayTimeDuration": "days and time duration",
    "Any": "Any",
    "any": "Any",
    "Null": "Null",
    "null": "Null",
}


def _is_date(v: Any) -> bool:
    return isinstance(v, _dt.date) and not isinstance(v, _dt.datetime)


_SIMPLE: dict[str, Callable[[Any], bool]] = {
    "number": lambda v: type(v) is Decimal,
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "date": _is_date,
    "time": lambda v: isinstance(v, _dt.time),
    "date and time": lambda v: isinstance(v, _dt.datetime),
    "days and time duration": lambda v: isinstance(v, _dt.timedelta),
    "years and months duration": lambda v: isinstance(v, YearsMonthsDuration),
    "list": lambda v: isinstance(v, list),
    "context": lambda v: isinstance(v, dict),
    "range": lambda v: isinstance(v, Range),
    "function": lambda v: isinstance(v, FeelFunction) or callable(v),
    "Any": lambda v: v is not None,
    "Null": lambda v: v is None,
}


def type_checker(ref: ast.TypeRef) -> Callable[[Any], bool]:
    """A predicate for ``value instance of <ref>``."""
    name = _ALIASES.get(ref.name, ref.name)
    simple = _SIMPLE.get(name)
    if simple is None:
        return lambda v: False
    if name == "list" and ref.args:
        element = type_checker(ref.args[0])
        return lambda v: isinstance(v, list) and all(element(x) for x in v)
    if name == "range" and ref.args:
        point = type_checker(ref.args[0])
        return lambda v: (
            isinstance(v, Range) and all(p is None or point(p) for p in (v.start, v.end))
        )
    if name == "context" and ref.fields:
        fields = [(key, type_checker(t)) for key, t in ref.fields]
        return lambda v: (
            isinstance(v, dict)
            and all(key in v and (v[key] is None or check(v[key])) for key, check in fields)
        )
    return simple
