"""Compile a FEEL syntax tree into nested Python closures.

Every node becomes a function ``f(env) -> value``; evaluation is then a chain of plain Python
calls with no tree walking. Hot paths (numbers and strings) are checked first, everything
else falls through to general helpers that implement FEEL's null-and-warning semantics:
an undefined operation yields ``None`` and records a warning on the evaluation.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import math
import operator
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from flowwire.feel import ast
from flowwire.feel.builtins import REGISTRY, Builtin
from flowwire.feel.compare import NotComparable, feel_compare, feel_equal
from flowwire.feel.context import (
    FEEL_TYPES,
    FUNCTION_INVOCATION_FAILURE,
    INVALID_TYPE,
    MISSING,
    NO_CONTEXT_ENTRY_FOUND,
    NO_FUNCTION_FOUND,
    NO_PROPERTY_FOUND,
    NO_VARIABLE_FOUND,
    NOT_COMPARABLE,
    PASS_TYPES,
    SMALL_INTS,
    Env,
    Evaluation,
    feel_value,
    int_number,
    leaf,
)
from flowwire.feel.errors import FeelError, FeelLimitError, InvalidArgument
from flowwire.feel.lexer import syntax_error
from flowwire.feel.values import (
    DECIMAL_CONTEXT,
    FeelFunction,
    Range,
    YearsMonthsDuration,
    to_feel,
    type_name,
)

Fn = Callable[[Env], Any]

_D = Decimal
_C = DECIMAL_CONTEXT
_ONE = Decimal(1)
_TEMPORAL = (_dt.date, _dt.time, _dt.timedelta, YearsMonthsDuration)

#: built-ins that feel-scala reads as literals when given a literal string
_LITERAL_CONSTRUCTORS = frozenset({"date", "time", "date and time", "duration"})

#: deepest syntax tree the compiler accepts (closures nest as deep as the tree)
MAX_TREE_DEPTH = 200


class UserFunction(FeelFunction):
    """A function defined in FEEL (``function(a, b) a + b``): takes exactly its parameters."""

    __slots__ = ()


# ---------------------------------------------------------------------------------------
# small helpers shared by the closures
# ---------------------------------------------------------------------------------------


def const(value: Any) -> Fn:
    """The compiled form of a literal."""

    def const(env: Env) -> Any:
        return value

    const.feel_const = value  # type: ignore[attr-defined]
    const.feel_static = True  # type: ignore[attr-defined]
    return const


_const = const


def _const_list(template: tuple[Any, ...]) -> Fn:
    def const_list(env: Env) -> Any:
        return list(template)

    const_list.feel_const_list = template  # type: ignore[attr-defined]
    const_list.feel_clean = True  # type: ignore[attr-defined]
    const_list.feel_static = True  # type: ignore[attr-defined]
    return const_list


def _const_context(template: dict[str, Any]) -> Fn:
    def const_context(env: Env) -> Any:
        return dict(template)

    const_context.feel_clean = True  # type: ignore[attr-defined]
    const_context.feel_static = True  # type: ignore[attr-defined]
    return const_context


def _const_value(fn: Fn) -> Any:
    return getattr(fn, "feel_const", MISSING)


def show(value: Any) -> str:
    """A short text of a value for warning messages (large containers are summarised, so a
    warning never formats a whole big variable)."""
    from flowwire.feel.format import to_feel_text

    if isinstance(value, list) and len(value) > 10:
        return f"a list of {len(value)} items"
    if isinstance(value, dict) and len(value) > 10:
        return f"a context of {len(value)} entries"
    try:
        text = to_feel_text(feel_value(value))
    except Exception:  # a foreign object: never let a message break the evaluation
        text = f"<{type_name(value)}>"
    return text if len(text) <= 80 else text[:77] + "..."


def _is_temporal(value: Any) -> bool:
    return isinstance(value, _TEMPORAL)


def _finite(ctx: Evaluation, result: Decimal, what: str) -> Decimal | None:
    if result.is_finite():
        return result
    ctx.warn(INVALID_TYPE, f"the result of {what} is out of the range of FEEL numbers")
    return None


def _temporal_op(ctx: Evaluation, op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    try:
        return op(a, b)
    except (TypeError, ValueError, OverflowError, ArithmeticError) as exc:
        ctx.warn(INVALID_TYPE, str(exc))
        return None


def add_values(ctx: Evaluation, a: Any, b: Any) -> Any:
    """``a + b`` in FEEL."""
    ta = type(a)
    if ta is _D and type(b) is _D:
        r = _C.add(a, b)
        return r if r.is_finite() else _finite(ctx, r, "an addition")
    if ta is str and type(b) is str:
        ctx.check_string_length(len(a) + len(b))
        return a + b
    if (_is_temporal(a) or _is_temporal(b)) and a is not None and b is not None:
        from flowwire.feel import temporal

        return _temporal_op(ctx, temporal.add, a, b)
    ctx.warn(INVALID_TYPE, f"can't add {show(b)} to {show(a)}")
    return None


def subtract_values(ctx: Evaluation, a: Any, b: Any) -> Any:
    """``a - b`` in FEEL."""
    if type(a) is _D and type(b) is _D:
        r = _C.subtract(a, b)
        return r if r.is_finite() else _finite(ctx, r, "a subtraction")
    if (_is_temporal(a) or _is_temporal(b)) and a is not None and b is not None:
        from flowwire.feel import temporal

        return _temporal_op(ctx, temporal.subtract, a, b)
    ctx.warn(INVALID_TYPE, f"can't subtract {show(b)} from {show(a)}")
    return None


def multiply_values(ctx: Evaluation, a: Any, b: Any) -> Any:
    """``a * b`` in FEEL."""
    if type(a) is _D and type(b) is _D:
        r = _C.multiply(a, b)
        return r if r.is_finite() else _finite(ctx, r, "a multiplication")
    if (_is_temporal(a) or _is_temporal(b)) and a is not None and b is not None:
        from flowwire.feel import temporal

        return _temporal_op(ctx, temporal.multiply, a, b)
    ctx.warn(INVALID_TYPE, f"can't multiply {show(a)} by {show(b)}")
    return None


def divide_values(ctx: Evaluation, a: Any, b: Any) -> Any:
    """``a / b`` in FEEL; division by zero yields null."""
    if type(a) is _D and type(b) is _D:
        if not b:
            ctx.warn(INVALID_TYPE, f"can't divide {show(a)} by zero")
            return None
        r = _C.divide(a, b)
        return r if r.is_finite() else _finite(ctx, r, "a division")
    if (_is_temporal(a) or _is_temporal(b)) and a is not None and b is not None:
        from flowwire.feel import temporal

        return _temporal_op(ctx, temporal.divide, a, b)
    ctx.warn(INVALID_TYPE, f"can't divide {show(a)} by {show(b)}")
    return None


def power_values(ctx: Evaluation, a: Any, b: Any) -> Any:
    """``a ** b``: exact for whole exponents, via binary floating point otherwise
    (as feel-scala does)."""
    if type(a) is not _D or type(b) is not _D:
        ctx.warn(INVALID_TYPE, f"can't raise {show(a)} to the power {show(b)}")
        return None
    if b == b.to_integral_value():
        if not b:
            return _ONE
        if abs(b) > 999_999_999:
            ctx.warn(INVALID_TYPE, f"the exponent {show(b)} is too large")
            return None
        r = _C.power(a, int(b))
        if r.is_nan() or not r.is_finite():
            ctx.warn(INVALID_TYPE, f"{show(a)} ** {show(b)} is not a FEEL number")
            return None
        return r
    try:
        f = math.pow(float(a), float(b))
    except (ValueError, OverflowError):
        f = math.nan
    if math.isnan(f) or math.isinf(f):
        ctx.warn(INVALID_TYPE, f"{show(a)} ** {show(b)} is not a FEEL number")
        return None
    return Decimal(repr(f))


def negate_value(ctx: Evaluation, v: Any) -> Any:
    if type(v) is _D:
        return _C.minus(v)
    if isinstance(v, (_dt.timedelta, YearsMonthsDuration)):
        return -v
    ctx.warn(INVALID_TYPE, f"can't negate {show(v)}")
    return None


_ARITH: dict[str, Callable[[Evaluation, Any, Any], Any]] = {
    "+": add_values,
    "-": subtract_values,
    "*": multiply_values,
    "/": divide_values,
    "**": power_values,
}


def equal_values(ctx: Evaluation, a: Any, b: Any) -> bool | None:
    """``a = b``: null (with a warning) for values of different types."""
    ta = type(a)
    if ta is type(b) and (ta is _D or ta is str or ta is bool):
        return a == b
    if ta is list or ta is dict:
        a = feel_value(a)
    if type(b) is list or type(b) is dict:
        b = feel_value(b)
    result = feel_equal(a, b)
    if result is None:
        ctx.warn(NOT_COMPARABLE, f"can't compare {show(a)} with {show(b)}")
    return result


def compare_values(ctx: Evaluation, a: Any, b: Any) -> int | None:
    """-1, 0, 1, or None (with a warning) when the values have no order."""
    ta = type(a)
    if ta is type(b) and (
        ta is _D
        or ta is str
        or (ta is _dt.datetime and a.tzinfo is None and b.tzinfo is None)
        or ta is _dt.date
    ):
        return (a > b) - (a < b)
    try:
        return feel_compare(a, b)
    except NotComparable:
        ctx.warn(NOT_COMPARABLE, f"can't compare {show(a)} with {show(b)}")
        return None


def _less(ctx: Evaluation, a: Any, b: Any) -> bool | None:
    c = compare_values(ctx, a, b)
    return None if c is None else c < 0


def _less_equal(ctx: Evaluation, a: Any, b: Any) -> bool | None:
    c = compare_values(ctx, a, b)
    return None if c is None else c <= 0


def _greater(ctx: Evaluation, a: Any, b: Any) -> bool | None:
    c = compare_values(ctx, a, b)
    return None if c is None else c > 0


def _greater_equal(ctx: Evaluation, a: Any, b: Any) -> bool | None:
    c = compare_values(ctx, a, b)
    return None if c is None else c >= 0


def _not_equal(ctx: Evaluation, a: Any, b: Any) -> bool | None:
    r = equal_values(ctx, a, b)
    return None if r is None else not r


_PYTHON_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

_COMPARE: dict[str, Callable[[Evaluation, Any, Any], bool | None]] = {
    "=": equal_values,
    "!=": _not_equal,
    "<": _less,
    "<=": _less_equal,
    ">": _greater,
    ">=": _greater_equal,
}


def _between_values(ctx: Evaluation, x: Any, lo: Any, hi: Any) -> bool | None:
    """``x between lo and hi`` for any values (null and a warning when not comparable)."""
    first = _greater_equal(ctx, x, lo)
    if first is False:
        return False
    second = _less_equal(ctx, x, hi)
    if second is False:
        return False
    return True if first is True and second is True else None


def in_range(ctx: Evaluation, value: Any, r: Range) -> bool | None:
    """Whether ``value`` lies in the range; None (with a warning) if not comparable."""
    if r.start is not None:
        c = compare_values(ctx, value, r.start)
        if c is None:
            return None
        if c < 0 or (c == 0 and not r.start_included):
            return False
    if r.end is not None:
        c = compare_values(ctx, value, r.end)
        if c is None:
            return None
        if c > 0 or (c == 0 and not r.end_included):
            return False
    return True


def get_path(ctx: Evaluation, value: Any, key: str) -> Any:
    """``value.key``: a context entry, a property, or a projection over a list."""
    if isinstance(value, dict):
        result = value.get(key, MISSING)
        if result is MISSING:
            keys = ", ".join(f"'{k}'" for k in list(value)[:10]) or "none (the context is empty)"
            ctx.warn(
                NO_CONTEXT_ENTRY_FOUND,
                f"no context entry found with key '{key}'; available keys: {keys}",
            )
            return None
        return result if type(result) in PASS_TYPES else leaf(result)
    if isinstance(value, list):  # a projection: the entry of each item
        out = []
        for item in value:
            if type(item) is dict:
                result = item.get(key, MISSING)
                if result is not MISSING:
                    out.append(result if type(result) in PASS_TYPES else leaf(result))
                    continue
            out.append(get_path(ctx, item if type(item) in PASS_TYPES else leaf(item), key))
        return out
    if value is None:
        ctx.warn(
            NO_CONTEXT_ENTRY_FOUND, f"no context entry found with key '{key}': the value is null"
        )
        return None
    from flowwire.feel import temporal

    try:
        return temporal.get_property(value, key)
    except (KeyError, TypeError, ValueError) as exc:
        detail = exc.args[0] if exc.args else ""
        ctx.warn(NO_PROPERTY_FOUND, f"no property '{key}' on {show(value)}. {detail}".strip())
        return None


def _index(items: list[Any], index: Decimal) -> Any:
    i = int(index)
    if i > 0:
        i -= 1
    else:
        i += len(items)
    if 0 <= i < len(items):
        item = items[i]
        return item if type(item) in PASS_TYPES else leaf(item)
    return None


def describe_builtin(overloads: list[Builtin]) -> str:
    shapes = []
    for ov in overloads:
        params = ", ".join(
            p.name + ("?" if p.optional else "") + ("..." if p.variadic else "") for p in ov.params
        )
        shapes.append(f"{ov.name}({params})")
    return " or ".join(shapes)


def checked_result(ctx: Evaluation, result: Any) -> Any:
    """Bound and normalise what a function returned (sizes, Python numbers)."""
    t = type(result)
    if t is _D or t is bool or result is None:
        return result
    if t is str:
        ctx.check_string_length(len(result))
        return result
    if t is list:
        ctx.check_list_size(len(result))
        return result
    if t in FEEL_TYPES:
        return result
    return feel_value(result)


def call_builtin(ctx: Evaluation, builtin: Builtin, args: list[Any]) -> Any:
    """Run a built-in; unusable arguments give null plus a warning."""
    try:
        result = builtin.impl(ctx, *args) if builtin.needs_context else builtin.impl(*args)
    except Exception as exc:
        return builtin_failure(ctx, builtin, args, exc)
    return checked_result(ctx, result)


def builtin_failure(ctx: Evaluation, builtin: Builtin, args: list[Any], exc: Exception) -> None:
    """Turn an exception of a built-in into null plus a warning (FeelErrors propagate)."""
    if isinstance(exc, (FeelError, RecursionError)):
        raise exc
    detail = str(exc) if isinstance(exc, InvalidArgument) else f"{type(exc).__name__}: {exc}"
    ctx.warn(
        FUNCTION_INVOCATION_FAILURE,
        f"failed to invoke function '{builtin.name}' with "
        f"({', '.join(show(a) for a in args)}): {detail}",
    )
    return None


def invoke_function(
    ctx: Evaluation,
    fn: Any,
    args: list[Any] | None,
    named: dict[str, Any] | None,
    label: str,
) -> Any:
    """Invoke a function value (user-defined, a built-in wrapper or a Python callable)."""
    if not isinstance(fn, FeelFunction):
        if not callable(fn):
            ctx.warn(NO_FUNCTION_FOUND, f"'{label}' is {show(fn)}, not a function")
            return None
        fn = to_feel(fn)
    params = fn.params
    if named is not None:
        unknown = [k for k in named if k not in params]
        if unknown:
            ctx.warn(
                FUNCTION_INVOCATION_FAILURE,
                f"function '{label}' has no parameter {', '.join(repr(u) for u in unknown)}; "
                f"its parameters are ({', '.join(params)})",
            )
            return None
        args = [named.get(p) for p in params]
    assert args is not None
    if isinstance(fn, UserFunction) and len(args) != len(params):
        ctx.warn(
            FUNCTION_INVOCATION_FAILURE,
            f"function '{label}' expects {len(params)} argument(s) "
            f"({', '.join(params)}) but got {len(args)}",
        )
        return None
    if not isinstance(fn, UserFunction):
        # functions from outside FEEL get FEEL values all the way down
        args = [a if type(a) in FEEL_TYPES else feel_value(a) for a in args]
    if fn.variadic and params and len(args) >= len(params) - 1:
        # the last parameter collects the remaining arguments as one list
        fixed = len(params) - 1
        rest = args[fixed:]
        if fixed == 0 and len(rest) == 1 and isinstance(rest[0], list):
            rest = rest[0]
        args = [*args[:fixed], rest]
    try:
        result = fn.invoke(*args)
    except (FeelError, RecursionError):
        raise
    except InvalidArgument as exc:
        ctx.warn(FUNCTION_INVOCATION_FAILURE, f"failed to invoke function '{label}': {exc}")
        return None
    except Exception as exc:  # a foreign callable must never crash an evaluation
        ctx.warn(
            FUNCTION_INVOCATION_FAILURE,
            f"failed to invoke function '{label}': {type(exc).__name__}: {exc}",
        )
        return None
    return checked_result(ctx, result)


def _number_range(ctx: Evaluation, start: Any, end: Any) -> list[Any] | None:
    """The items of ``start..end`` (ascending or descending, step 1)."""
    if type(start) is _D and type(end) is _D:
        count = int(abs(end - start)) + 1
        ctx.check_list_size(count)
        ctx.count_iterations(count)
        step = _ONE if end >= start else -_ONE
        return [_C.add(start, _C.multiply(step, _D(i))) for i in range(count)]
    if (
        isinstance(start, _dt.date)
        and isinstance(end, _dt.date)
        and not isinstance(start, _dt.datetime)
        and not isinstance(end, _dt.datetime)
    ):
        count = abs((end - start).days) + 1
        ctx.check_list_size(count)
        ctx.count_iterations(count)
        day = _dt.timedelta(days=1 if end >= start else -1)
        return [start + day * i for i in range(count)]
    ctx.warn(INVALID_TYPE, f"can't iterate from {show(start)} to {show(end)}: expected numbers")
    return None


def _range_items(ctx: Evaluation, r: Range) -> list[Any] | None:
    """The whole numbers (or dates) of a bounded range value, for iteration."""
    if r.start is None or r.end is None:
        ctx.warn(INVALID_TYPE, f"can't iterate over the unbounded range {show(r)}")
        return None
    if type(r.start) is _D and (
        r.start != r.start.to_integral_value() or r.end != r.end.to_integral_value()
    ):
        ctx.warn(INVALID_TYPE, f"can't iterate over {show(r)}: the end points must be integers")
        return None
    order = compare_values(ctx, r.start, r.end)
    if order is None or order > 0:
        ctx.warn(INVALID_TYPE, f"can't iterate over {show(r)}: its start is after its end")
        return None
    items = _number_range(ctx, r.start, r.end)
    if items is None:
        return None
    if items and not r.start_included:
        items = items[1:]
    if items and not r.end_included:
        items = items[:-1]
    return items


# ---------------------------------------------------------------------------------------
# closures over the caller's variables (used by the compiler and by the simple forms)
# ---------------------------------------------------------------------------------------


def root_variable(name: str) -> Fn:
    """``name`` read from the caller's variables (converted to a FEEL value on use)."""
    message = f"no variable found with name '{name}'"

    def root_variable(env: Env) -> Any:
        raw = env.raw
        if raw is not None:
            value = raw.get(name, MISSING)
            if value is not MISSING:
                t = type(value)
                if t in PASS_TYPES:
                    return value
                if t is int:
                    number = SMALL_INTS.get(value)
                    return int_number(value) if number is None else number
                return feel_value(value)
        env.ctx.warn(NO_VARIABLE_FOUND, message)
        return None

    return root_variable


def scoped_variable(name: str) -> Fn:
    """``name`` inside a scope (a loop, a filter, a function, a context): the innermost
    binding, else the caller's variable."""
    message = f"no variable found with name '{name}'"

    def variable(env: Env) -> Any:
        value = env.vars.get(name, MISSING)
        if value is MISSING:
            value = env.lookup(name)
            if value is MISSING:
                env.ctx.warn(NO_VARIABLE_FOUND, message)
                return None
            return value
        return value if type(value) in PASS_TYPES else leaf(value)

    return variable


def root_path(name: str, keys: list[str]) -> Fn:
    """``a.b.c`` on a caller's variable, in one step (common in BPMN conditions)."""
    message = f"no variable found with name '{name}'"

    def root_path(env: Env) -> Any:
        raw = env.raw
        value = raw.get(name, MISSING) if raw is not None else MISSING
        if value is MISSING:
            env.ctx.warn(NO_VARIABLE_FOUND, message)
            return None
        if type(value) not in PASS_TYPES:
            value = leaf(value)
        for key in keys:
            if type(value) is dict:
                result = value.get(key, MISSING)
                if result is not MISSING:
                    value = result if type(result) in PASS_TYPES else leaf(result)
                    continue
            value = get_path(env.ctx, value, key)
        return value

    return root_path


def compare_root_variable(name: str, op: str, constant: Any) -> Fn:
    """``x op 10`` / ``x = "a"`` on a caller's variable: the commonest condition, read and
    compared inline (``constant`` is a number or a string)."""
    python_op = _PYTHON_COMPARE[op]
    general = _COMPARE[op]
    kind = type(constant)
    message = f"no variable found with name '{name}'"

    def compare_variable(env: Env) -> Any:
        raw = env.raw
        a = raw.get(name, MISSING) if raw is not None else MISSING
        if type(a) is kind:
            return python_op(a, constant)
        if a is MISSING:
            env.ctx.warn(NO_VARIABLE_FOUND, message)
            a = None
        elif type(a) not in PASS_TYPES:
            a = leaf(a)
            if type(a) is kind:
                return python_op(a, constant)
        return general(env.ctx, a, constant)

    return compare_variable


def between_root_variable(name: str, value: Fn, lowest: Decimal, highest: Decimal) -> Fn:
    """``amount between 10 and 30`` on a caller's variable (``value`` reads it the general
    way, for conversions and the warning of a missing variable)."""

    def between_variable(env: Env) -> Any:
        raw = env.raw
        x = raw.get(name) if raw is not None else None
        if type(x) is not _D:
            x = value(env)
            if type(x) is not _D:
                return _between_values(env.ctx, x, lowest, highest)
        return lowest <= x <= highest

    return between_variable


# ---------------------------------------------------------------------------------------
# the compiler
# ---------------------------------------------------------------------------------------


class Compiler:
    """Compiles one syntax tree. ``text`` is used for error positions."""

    def __init__(
        self, text: str, bound_names: set[str] | None = None, defines_functions: bool = True
    ) -> None:
        self.text = text
        #: False when the text has no ``function`` definitions (scopes can then be reused)
        self.defines_functions = defines_functions
        self.depth = 0
        #: > 0 while compiling code that runs in a child scope (not the root variables)
        self.scope = 0
        #: names the expression itself binds (context keys, parameters, iterator names)
        self.bound_names: set[str] = bound_names if bound_names is not None else set()

    @contextlib.contextmanager
    def scoped(self) -> Iterator[None]:
        """Compile code that runs in a child scope (loops, filters, functions, ...)."""
        self.scope += 1
        try:
            yield
        finally:
            self.scope -= 1

    def compile_scoped(self, node: ast.Node) -> Fn:
        self.scope += 1
        fn = self.compile(node)
        self.scope -= 1  # (after an error the compiler is discarded)
        return fn

    def compile(self, node: ast.Node) -> Fn:
        depth = self.depth = self.depth + 1
        if depth > MAX_TREE_DEPTH:
            raise syntax_error(
                self.text, node.pos, "the expression is nested too deeply: simplify it"
            )
        fn = _DISPATCH[node.__class__](self, node)
        self.depth = depth - 1  # (after an error the compiler is discarded)
        return fn

    def _fold(self, fn: Fn, *children: Fn) -> Fn:
        """Evaluate ``fn`` now if all its inputs are constants and it is warning-free."""
        for child in children:
            if _const_value(child) is MISSING:
                return fn
        ctx = Evaluation()
        try:
            value = fn(ctx)
        except FeelError:
            return fn
        if ctx.warnings or isinstance(value, (list, dict, FeelFunction)):
            return fn
        return _const(value)

    # ---------------------------------------------------------------- leaves

    def _c_const(self, node: ast.Const) -> Fn:
        return _const(node.value)

    def _c_temporal(self, node: ast.TemporalLiteral) -> Fn:
        from flowwire.feel import temporal

        try:
            return _const(temporal.parse_temporal(node.text))
        except ValueError as exc:
            message = f'invalid temporal literal @"{node.text}": {exc}'

            def invalid(env: Env) -> Any:
                env.ctx.warn(INVALID_TYPE, message)
                return None

            return invalid

    def _c_name(self, node: ast.Name) -> Fn:
        return scoped_variable(node.name) if self.scope else root_variable(node.name)

    def _c_input(self, node: ast.InputValue) -> Fn:
        def input_value(env: Env) -> Any:
            value = env.lookup("?")
            if value is MISSING:
                env.ctx.warn(
                    NO_VARIABLE_FOUND, "'?' (the input value) is only available in unary tests"
                )
                return None
            return value

        return input_value

    # ---------------------------------------------------------------- paths and filters

    def _c_path(self, node: ast.Path) -> Fn:
        key = node.key
        if isinstance(node.base, ast.Name) and self.scope:
            return self._name_path(node.base.name, key)
        if not self.scope:
            keys: list[str] = []
            current: ast.Node = node
            while isinstance(current, ast.Path):
                keys.append(current.key)
                current = current.base
            if isinstance(current, ast.Name):
                keys.reverse()
                return root_path(current.name, keys)
        base = self.compile(node.base)

        def path(env: Env) -> Any:
            value = base(env)
            if type(value) is dict:
                result = value.get(key, MISSING)
                if result is not MISSING:
                    return result if type(result) in PASS_TYPES else leaf(result)
            return get_path(env.ctx, value, key)

        return self._fold(path, base)

    def _name_path(self, name: str, key: str) -> Fn:
        """``name.key`` inside a scope (e.g. ``o.id`` in a loop), in one step."""
        message = f"no variable found with name '{name}'"

        def name_path(env: Env) -> Any:
            value = env.vars.get(name, MISSING)
            if value is MISSING:
                value = env.lookup(name)
                if value is MISSING:
                    env.ctx.warn(NO_VARIABLE_FOUND, message)
                    return None
            if type(value) is dict:
                result = value.get(key, MISSING)
                if result is not MISSING:
                    return result if type(result) in PASS_TYPES else leaf(result)
            return get_path(env.ctx, value, key)

        return name_path

    def _c_filter(self, node: ast.Filter) -> Fn:
        base = self.compile(node.base)
        items = getattr(base, "feel_const_list", None)
        literal = self._leaf_const(node.condition)
        if type(literal) is _D and items is not None:  # ``[1, 2, 3][2]``
            return _const(_index(list(items), literal))
        cond = self.compile_scoped(node.condition)
        index = _const_value(cond)
        if type(index) is _D and items is not None:
            return _const(_index(list(items), index))
        if type(index) is _D:
            const_index = index

            def by_index(env: Env) -> Any:
                items = base(env)
                if type(items) is not list:
                    if items is None:
                        return None
                    items = [items]
                return _index(items, const_index)

            return by_index
        fast = self._filter_by_entry(node, base, cond)
        if fast is not None:
            return fast
        boolean = isinstance(
            node.condition,
            (ast.Compare, ast.Call, ast.And, ast.Or, ast.Not, ast.Between, ast.In, ast.InstanceOf),
        ) or isinstance(_const_value(cond), bool)
        fresh = self.defines_functions and _defines_function(node.condition)

        def by_condition(env: Env) -> Any:
            items = base(env)
            if type(items) is not list:
                if items is None:
                    env.ctx.warn(INVALID_TYPE, "can't filter null: expected a list")
                    return None
                items = [items]
            if not items:
                return []
            ctx = env.ctx
            ctx.count_iterations(len(items))
            # one scope for `item` and one for the item's own entries, reused per item
            item_vars: dict[str, Any] = {"item": None}
            item_scope = Env(item_vars, env, ctx)
            entry_scope = Env(item_vars, item_scope, ctx)
            out: list[Any] = []
            if boolean and not fresh:  # the common case, kept tight
                append = out.append
                for item in items:
                    if type(item) is dict:
                        item_vars["item"] = item
                        entry_scope.vars = item
                        if cond(entry_scope) is True:
                            append(item)
                        continue
                    if type(item) not in PASS_TYPES:
                        item = leaf(item)
                    item_vars["item"] = item
                    if cond(item_scope) is True:
                        append(item)
                return out
            first = True
            for item in items:
                if type(item) not in PASS_TYPES:
                    item = leaf(item)
                if fresh:
                    item_vars = {"item": item}
                    item_scope = Env(item_vars, env, ctx)
                    entry_scope = Env(item_vars, item_scope, ctx)
                else:
                    item_vars["item"] = item
                if type(item) is dict:
                    entry_scope.vars = item
                    decision = cond(entry_scope)
                else:
                    decision = cond(item_scope)
                if first and not boolean:
                    first = False
                    if type(decision) is _D:
                        return _index(items, decision)
                if decision is True:
                    out.append(item)
            return out

        return by_condition

    def _filter_by_entry(self, node: ast.Filter, base: Fn, cond: Fn) -> Fn | None:
        """``list[key op constant]`` (e.g. ``orders[type = "priority"]``): compare each
        item's entry directly; items that don't fit (no such entry, another type) take the
        general path, so the result is the same."""
        condition = node.condition
        if not (
            isinstance(condition, ast.Compare)
            and isinstance(condition.left, ast.Name)
            and isinstance(condition.right, ast.Const)
            and type(condition.right.value) in (_D, str)
            and not self.defines_functions
        ):
            return None
        return self.filter_by_entry(
            base, cond, condition.left.name, condition.op, condition.right.value
        )

    def filter_by_entry(self, base: Fn, cond: Fn, key: str, op: str, constant: Any) -> Fn:
        """``base[key op constant]`` with ``cond`` the compiled condition (for the items
        that don't fit the direct comparison)."""
        kind = type(constant)
        python_op = _PYTHON_COMPARE[op]
        by_item = key == "item"

        def filter_by_entry(env: Env) -> Any:
            items = base(env)
            if type(items) is not list:
                if items is None:
                    env.ctx.warn(INVALID_TYPE, "can't filter null: expected a list")
                    return None
                items = [items]
            ctx = env.ctx
            ctx.count_iterations(len(items))
            out: list[Any] = []
            append = out.append
            # the scopes of the general path are made only when an item needs them
            item_vars: dict[str, Any] = {"item": None}
            item_scope: Env | None = None
            entry_scope: Env | None = None
            for item in items:
                if type(item) is dict:
                    value = item.get(key, MISSING)
                    if type(value) is kind:
                        if python_op(value, constant):
                            append(item)
                        continue
                    if entry_scope is None:
                        item_scope = Env(item_vars, env, ctx)
                        entry_scope = Env(item_vars, item_scope, ctx)
                    item_vars["item"] = item
                    entry_scope.vars = item
                    if cond(entry_scope) is True:
                        append(item)
                    continue
                if type(item) not in PASS_TYPES:
                    item = leaf(item)
                if by_item and type(item) is kind:
                    if python_op(item, constant):
                        append(item)
                    continue
                if item_scope is None:
                    item_scope = Env(item_vars, env, ctx)
                    entry_scope = Env(item_vars, item_scope, ctx)
                item_vars["item"] = item
                if cond(item_scope) is True:
                    append(item)
            return out

        return filter_by_entry

    # ---------------------------------------------------------------- functions

    def _c_function(self, node: ast.FunctionDef) -> Fn:
        body = self.compile_scoped(node.body)
        params = node.params

        def define(env: Env) -> Any:
            def invoke(*args: Any) -> Any:
                ctx = env.ctx
                ctx.depth += 1
                try:
                    if ctx.depth > ctx.limits.max_call_depth:
                        raise FeelLimitError(
                            f"function calls nest deeper than {ctx.limits.max_call_depth} "
                            "levels; check for endless recursion or raise "
                            "feel.Limits.max_call_depth"
                        )
                    result = body(Env(dict(zip(params, args, strict=False)), env, ctx))
                    return result if type(result) in FEEL_TYPES else feel_value(result)
                finally:
                    ctx.depth -= 1

            return UserFunction(invoke, params, "anonymous function")

        return define

    def _c_call(self, node: ast.Call) -> Fn:
        args = [self.compile(a) for a in node.args]
        named = [(k, self.compile(v)) for k, v in node.named] if node.named is not None else None
        if node.name is None:
            assert node.callee is not None
            return self._call_value(node, self.compile(node.callee), args, named)
        return self.call_by_name(node.pos, node.name, args, named)

    def call_by_name(
        self, pos: int, name: str, args: list[Fn], named: list[tuple[str, Fn]] | None
    ) -> Fn:
        """A call of the function ``name`` (a built-in, or a function variable) at source
        offset ``pos``, with its arguments compiled."""
        if name == "not":
            return self._call_not(pos, args, named)
        if name == "is defined" and len(args) == 1 and named is None:
            return self._call_is_defined(name, args[0])
        overloads = REGISTRY.get(name)
        if overloads is None:
            return self._call_variable_only(name, args, named)
        if named is None:
            builtin = _overload_for(overloads, len(args))
            arg_fns = args
        else:
            builtin, arg_fns = self._bind_named(overloads, named)
        return self._call_builtin(name, builtin, overloads, arg_fns, args, named)

    @staticmethod
    def _bind_named(
        overloads: list[Builtin], named: list[tuple[str, Fn]]
    ) -> tuple[Builtin | None, list[Fn]]:
        given = dict(named)
        for ov in overloads:
            names = [p.name for p in ov.params]
            if not all(k in names for k in given):
                continue
            if not all(p.name in given for p in ov.params if not p.optional and not p.variadic):
                continue
            last = max((names.index(k) for k in given), default=-1)
            fns: list[Fn] = []
            for p in ov.params[: last + 1]:
                fn = given.get(p.name)
                if p.variadic and fn is not None:
                    fns.append(_spread(fn))
                else:
                    fns.append(fn if fn is not None else _const(None))
            return ov, fns
        return None, []

    def _shadowable(self, name: str) -> bool:
        """True if the expression itself may bind ``name`` (then every call of that built-in
        looks for a function variable first; otherwise only the caller's variables can)."""
        return name in self.bound_names

    def _call_builtin(
        self,
        name: str,
        builtin: Builtin | None,
        overloads: list[Builtin],
        arg_fns: list[Fn],
        args: list[Fn],
        named: list[tuple[str, Fn]] | None,
    ) -> Fn:
        static = self._shadowable(name)
        if builtin is None:
            count = len(named) if named is not None else len(args)
            given = (
                f"the named arguments {', '.join(k for k, _ in named)}"
                if named is not None
                else f"{count} argument(s)"
            )
            message = (
                f"function '{name}' can't be called with {given}; use {describe_builtin(overloads)}"
            )

            def mismatch(env: Env) -> Any:
                if static or (env.ctx.raw is not None and name in env.ctx.raw):
                    fn = env.lookup(name)
                    if fn is not MISSING and _is_function(fn):
                        return _invoke_with(env, fn, args, named, name)
                env.ctx.warn(FUNCTION_INVOCATION_FAILURE, message)
                return None

            return mismatch
        bound: Builtin = builtin
        spread = named is not None and any([getattr(f, "feel_spread", False) for f in arg_fns])
        impl = bound.impl
        if len(arg_fns) == 1 and not bound.needs_context and not spread:
            a0 = arg_fns[0]

            def call1(env: Env) -> Any:
                if static or (env.ctx.raw is not None and name in env.ctx.raw):
                    fn = env.lookup(name)
                    if fn is not MISSING and _is_function(fn):
                        return _invoke_with(env, fn, args, named, name)
                x = a0(env)
                if type(x) not in FEEL_TYPES:
                    x = feel_value(x)
                try:
                    result = impl(x)
                except Exception as exc:
                    return builtin_failure(env.ctx, bound, [x], exc)
                t = type(result)
                if t is _D or t is bool or result is None:
                    return result
                return checked_result(env.ctx, result)

            if name in _LITERAL_CONSTRUCTORS and not static:
                # date("2020-01-01") & co. with a literal are constants, as in feel-scala
                return self._fold(call1, a0)
            return call1
        if len(arg_fns) == 2 and not bound.needs_context and not spread:
            a0, a1 = arg_fns
            second = _const_value(a1)
            if second is not MISSING and type(second) in FEEL_TYPES:

                def call2_constant(env: Env) -> Any:
                    if static or (env.ctx.raw is not None and name in env.ctx.raw):
                        fn = env.lookup(name)
                        if fn is not MISSING and _is_function(fn):
                            return _invoke_with(env, fn, args, named, name)
                    x = a0(env)
                    if type(x) not in FEEL_TYPES:
                        x = feel_value(x)
                    try:
                        result = impl(x, second)
                    except Exception as exc:
                        return builtin_failure(env.ctx, bound, [x, second], exc)
                    t = type(result)
                    if t is _D or t is bool or result is None:
                        return result
                    return checked_result(env.ctx, result)

                return call2_constant

            def call2(env: Env) -> Any:
                if static or (env.ctx.raw is not None and name in env.ctx.raw):
                    fn = env.lookup(name)
                    if fn is not MISSING and _is_function(fn):
                        return _invoke_with(env, fn, args, named, name)
                x = a0(env)
                if type(x) not in FEEL_TYPES:
                    x = feel_value(x)
                y = a1(env)
                if type(y) not in FEEL_TYPES:
                    y = feel_value(y)
                try:
                    result = impl(x, y)
                except Exception as exc:
                    return builtin_failure(env.ctx, bound, [x, y], exc)
                t = type(result)
                if t is _D or t is bool or result is None:
                    return result
                return checked_result(env.ctx, result)

            return call2

        def call(env: Env) -> Any:
            if static or (env.ctx.raw is not None and name in env.ctx.raw):
                fn = env.lookup(name)
                if fn is not MISSING and _is_function(fn):
                    return _invoke_with(env, fn, args, named, name)
            values: list[Any] = []
            for f in arg_fns:
                v = f(env)
                if type(v) not in FEEL_TYPES:
                    v = feel_value(v)
                if getattr(f, "feel_spread", False):
                    values.extend(v if isinstance(v, list) else [v])
                else:
                    values.append(v)
            return call_builtin(env.ctx, bound, values)

        return call

    def _call_variable_only(
        self, name: str, args: list[Fn], named: list[tuple[str, Fn]] | None
    ) -> Fn:
        message = f"no function found with name '{name}'"

        def call_variable(env: Env) -> Any:
            fn = env.lookup(name)
            if fn is MISSING or not _is_function(fn):
                env.ctx.warn(NO_FUNCTION_FOUND, message)
                return None
            return _invoke_with(env, fn, args, named, name)

        return call_variable

    def _call_value(
        self, node: ast.Call, callee: Fn, args: list[Fn], named: list[tuple[str, Fn]] | None
    ) -> Fn:
        label = _label(node.callee)

        def call_value(env: Env) -> Any:
            fn = callee(env)
            if fn is None:
                env.ctx.warn(NO_FUNCTION_FOUND, f"no function found at '{label}'")
                return None
            return _invoke_with(env, fn, args, named, label)

        return call_value

    def _call_not(self, pos: int, args: list[Fn], named: list[tuple[str, Fn]] | None) -> Fn:
        if named is not None and len(named) == 1 and named[0][0] == "negand":
            args = [named[0][1]]
        elif named is not None or len(args) != 1:
            raise syntax_error(self.text, pos, "not() takes exactly one argument")
        operand = args[0]
        static = self._shadowable("not")

        def negation(env: Env) -> Any:
            if static or _shadows(env, "not"):
                fn = env.lookup("not")
                if fn is not MISSING and _is_function(fn):
                    return _invoke_with(env, fn, args, None, "not")
            value = operand(env)
            if value is True:
                return False
            if value is False:
                return True
            return None

        return negation

    def _call_is_defined(self, name: str, operand: Fn) -> Fn:
        static = self._shadowable(name)

        def is_defined(env: Env) -> Any:
            ctx = env.ctx
            if static or (env.ctx.raw is not None and name in env.ctx.raw):
                fn = env.lookup(name)
                if fn is not MISSING and _is_function(fn):
                    return _invoke_with(env, fn, [operand], None, name)
            ctx.muted += 1
            try:
                value = operand(env)
            finally:
                ctx.muted -= 1
            return value is not None

        return is_defined

    # ---------------------------------------------------------------- literals

    def _c_list(self, node: ast.ListLit) -> Fn:
        if self.depth < MAX_TREE_DEPTH and all(type(i) is ast.Const for i in node.items):
            return _const_list(tuple(i.value for i in node.items))  # type: ignore[attr-defined]
        items = [self.compile(i) for i in node.items]
        constants = [_const_value(f) for f in items]
        if MISSING not in constants:
            return _const_list(tuple(constants))

        def make_list(env: Env) -> Any:
            return [f(env) for f in items]

        return make_list

    def _c_context(self, node: ast.ContextLit) -> Fn:
        if self.depth < MAX_TREE_DEPTH and all(type(v) is ast.Const for _, v in node.entries):
            return _const_context({k: v.value for k, v in node.entries})  # type: ignore[attr-defined]
        entries = [(k, self.compile_scoped(v)) for k, v in node.entries]
        if all(_const_value(f) is not MISSING for _, f in entries):
            return _const_context({k: _const_value(f) for k, f in entries})

        def make_context(env: Env) -> Any:
            result: dict[str, Any] = {}
            scope = Env(result, env, env.ctx)
            for key, fn in entries:
                result[key] = fn(scope)
            return result

        return make_context

    def _c_range(self, node: ast.RangeLit) -> Fn:
        start = self.compile(node.start) if node.start is not None else None
        end = self.compile(node.end) if node.end is not None else None
        si, ei = node.start_included, node.end_included

        def make_range(env: Env) -> Any:
            low = start(env) if start is not None else None
            high = end(env) if end is not None else None
            if (start is not None and low is None) or (end is not None and high is None):
                env.ctx.warn(INVALID_TYPE, "a range needs non-null end points")
                return None
            if low is not None and high is not None:
                try:
                    feel_compare(low, high)
                except NotComparable:
                    env.ctx.warn(
                        INVALID_TYPE,
                        f"invalid range: {show(low)} and {show(high)} are not of the same type",
                    )
                    return None
            else:
                point = low if low is not None else high
                if isinstance(point, (bool, list, dict, Range, FeelFunction)):
                    env.ctx.warn(INVALID_TYPE, f"invalid range end point {show(point)}")
                    return None
            return Range(
                low, high, si if start is not None else False, ei if end is not None else False
            )

        return self._fold(make_range, *(f for f in (start, end) if f is not None))

    # ---------------------------------------------------------------- operators

    def _c_input_compare(self, node: ast.InputCompare) -> Fn:
        operand = self.compile(node.operand)
        op = node.op
        message = (
            f"'{op} x' is a unary test: use it in unary tests or after 'in', "
            f"or write '? {op} x' / a range"
        )

        def input_compare(env: Env) -> Any:
            value = env.lookup("?")
            if value is MISSING:
                env.ctx.warn(INVALID_TYPE, message)
                return None
            return _COMPARE[op](env.ctx, value, operand(env))

        return input_compare

    def _c_negate(self, node: ast.Negate) -> Fn:
        operand = self.compile(node.operand)

        def negate(env: Env) -> Any:
            value = operand(env)
            if type(value) is _D:
                return _C.minus(value)
            return negate_value(env.ctx, value)

        return self._fold(negate, operand)

    def _c_arith(self, node: ast.Arith) -> Fn:
        # flatten left-leaning chains (a + b - c ...) so long sums don't nest closures deeply
        chain: list[tuple[str, ast.Node]] = []
        current: ast.Node = node
        group = ("+", "-") if node.op in ("+", "-") else ("*", "/") if node.op in ("*", "/") else ()
        while isinstance(current, ast.Arith) and current.op in group:
            chain.append((current.op, current.right))
            current = current.left
        if not chain:
            return self._binary_arith(node.op, self.compile(node.left), self.compile(node.right))
        chain.reverse()
        fn = self.compile(current)
        if len(chain) > 8:
            first = fn
            steps = [(_ARITH[op], self.compile(right)) for op, right in chain]

            def arith_chain(env: Env) -> Any:
                value = first(env)
                ctx = env.ctx
                for operation, right in steps:
                    value = operation(ctx, value, right(env))
                return value

            return arith_chain
        for op, right in chain:
            fn = self._binary_arith(op, fn, self.compile(right))
        return fn

    def arithmetic(self, op: str, left: Fn, right: Fn) -> Fn:
        """``left op right`` for one of ``+ - * / **``, compiled."""
        return self._binary_arith(op, left, right)

    def _binary_arith(self, op: str, left: Fn, right: Fn) -> Fn:
        if op == "+":

            def plus(env: Env) -> Any:
                a = left(env)
                b = right(env)
                if type(a) is _D and type(b) is _D:
                    r = _C.add(a, b)
                    if r.is_finite():
                        return r
                return add_values(env.ctx, a, b)

            fn = plus
        elif op == "-":

            def minus(env: Env) -> Any:
                a = left(env)
                b = right(env)
                if type(a) is _D and type(b) is _D:
                    r = _C.subtract(a, b)
                    if r.is_finite():
                        return r
                return subtract_values(env.ctx, a, b)

            fn = minus
        elif op == "*":

            def times(env: Env) -> Any:
                a = left(env)
                b = right(env)
                if type(a) is _D and type(b) is _D:
                    r = _C.multiply(a, b)
                    if r.is_finite():
                        return r
                return multiply_values(env.ctx, a, b)

            fn = times
        else:
            operation = _ARITH[op]

            def arith(env: Env) -> Any:
                return operation(env.ctx, left(env), right(env))

            fn = arith
        return self._fold(fn, left, right)

    def _leaf_const(self, node: ast.Node) -> Any:
        """The value of a literal child that needs no compiling of its own (MISSING if it
        is no literal, or if compiling it would exceed the depth bound)."""
        if type(node) is ast.Const and self.depth < MAX_TREE_DEPTH:
            return node.value
        return MISSING

    def _c_compare(self, node: ast.Compare) -> Fn:
        variable = node.left.name if type(node.left) is ast.Name and not self.scope else None
        literal = self._leaf_const(node.right)
        if type(literal) in (_D, str):  # ``x op 10``: the right side is used as it is
            if variable is not None:
                return compare_root_variable(variable, node.op, literal)
            return self.compare_constant(node.op, self.compile(node.left), literal)
        return self.compare(node.op, self.compile(node.left), self.compile(node.right), variable)

    def compare(self, op: str, left: Fn, right: Fn, variable: str | None = None) -> Fn:
        """``left op right`` compiled; ``variable`` names the caller's variable that
        ``left`` reads, if it reads one."""
        constant = _const_value(right)
        if type(constant) in (_D, str):
            if variable is not None:
                return compare_root_variable(variable, op, constant)
            return self.compare_constant(op, left, constant)
        if op == "=":

            def equal(env: Env) -> Any:
                a = left(env)
                b = right(env)
                ta = type(a)
                if ta is type(b) and (ta is _D or ta is str or ta is bool):
                    return a == b
                return equal_values(env.ctx, a, b)

            fn: Fn = equal
        elif op == "!=":

            def not_equal(env: Env) -> Any:
                a = left(env)
                b = right(env)
                ta = type(a)
                if ta is type(b) and (ta is _D or ta is str or ta is bool):
                    return a != b
                return _not_equal(env.ctx, a, b)

            fn = not_equal
        else:
            compare = _COMPARE[op]
            if op == "<":

                def less(env: Env) -> Any:
                    a = left(env)
                    b = right(env)
                    ta = type(a)
                    if ta is type(b) and (ta is _D or ta is str):
                        return a < b
                    return compare(env.ctx, a, b)

                fn = less
            elif op == ">":

                def greater(env: Env) -> Any:
                    a = left(env)
                    b = right(env)
                    ta = type(a)
                    if ta is type(b) and (ta is _D or ta is str):
                        return a > b
                    return compare(env.ctx, a, b)

                fn = greater
            else:

                def ordered(env: Env) -> Any:
                    return compare(env.ctx, left(env), right(env))

                fn = ordered
        return self._fold(fn, left, right)

    def compare_constant(self, op: str, left: Fn, constant: Any) -> Fn:
        """``f(x) op 10`` / ``a.b = "a"``: compared inline when the types fit."""
        python_op = _PYTHON_COMPARE[op]
        general = _COMPARE[op]
        kind = type(constant)

        def compare_constant(env: Env) -> Any:
            a = left(env)
            if type(a) is kind:
                return python_op(a, constant)
            return general(env.ctx, a, constant)

        return self._fold(compare_constant, left)

    def _c_and(self, node: ast.And) -> Fn:
        operands = self._flatten(node, ast.And)

        def conjunction(env: Env) -> Any:
            result: bool | None = True
            for operand in operands:
                value = operand(env)
                if value is False:
                    return False
                if value is not True:
                    result = None
            return result

        return self._fold(conjunction, *operands)

    def _c_or(self, node: ast.Or) -> Fn:
        operands = self._flatten(node, ast.Or)

        def disjunction(env: Env) -> Any:
            result: bool | None = False
            for operand in operands:
                value = operand(env)
                if value is True:
                    return True
                if value is not False:
                    result = None
            return result

        return self._fold(disjunction, *operands)

    def _flatten(self, node: ast.And | ast.Or, kind: type) -> list[Fn]:
        parts: list[ast.Node] = []
        current: ast.Node = node
        while isinstance(current, kind):
            parts.append(current.right)  # type: ignore[attr-defined]
            current = current.left  # type: ignore[attr-defined]
        parts.append(current)
        parts.reverse()
        return [self.compile(p) for p in parts]

    def _c_not(self, node: ast.Not) -> Fn:
        operand = self.compile(node.operand)

        def negation(env: Env) -> Any:
            value = operand(env)
            return (not value) if type(value) is bool else None

        return self._fold(negation, operand)

    def _c_between(self, node: ast.Between) -> Fn:
        value = self.compile(node.value)
        variable = node.value if isinstance(node.value, ast.Name) and not self.scope else None
        on_variable = variable is not None
        lowest, highest = self._leaf_const(node.low), self._leaf_const(node.high)
        if not on_variable or type(lowest) is not _D or type(highest) is not _D:
            low = self.compile(node.low)
            high = self.compile(node.high)
            lowest, highest = _const_value(low), _const_value(high)
        if variable is not None and type(lowest) is _D and type(highest) is _D:
            return between_root_variable(variable.name, value, lowest, highest)

        def between(env: Env) -> Any:
            x = value(env)
            lo = low(env)
            hi = high(env)
            if type(x) is _D and type(lo) is _D and type(hi) is _D:
                return lo <= x <= hi
            return _between_values(env.ctx, x, lo, hi)

        return self._fold(between, value, low, high)

    def _c_in(self, node: ast.In) -> Fn:
        from flowwire.feel.unary import any_of, compile_positive_test

        value = self.compile(node.value)
        with self.scoped():
            tests = [compile_positive_test(self, t) for t in node.tests]
        if len(tests) == 1:
            test = tests[0]

            def in_one(env: Env) -> Any:
                return test(env, value(env))

            return in_one

        def in_any(env: Env) -> Any:
            x = value(env)
            return any_of(tests, env, x)

        return in_any

    def _c_instance_of(self, node: ast.InstanceOf) -> Fn:
        from flowwire.feel.unary import type_checker

        value = self.compile(node.value)
        check = type_checker(node.type)

        def instance_of(env: Env) -> Any:
            x = value(env)
            return check(x if type(x) in FEEL_TYPES else feel_value(x))

        return self._fold(instance_of, value)

    # ---------------------------------------------------------------- control flow

    def _c_if(self, node: ast.If) -> Fn:
        condition = self.compile(node.condition)
        then = self.compile(node.then)
        otherwise = self.compile(node.otherwise)

        def choose(env: Env) -> Any:
            if condition(env) is True:
                return then(env)
            return otherwise(env)

        return choose

    def _iteration(self, iterators: tuple[ast.Iterator, ...]) -> list[tuple[str, Fn, Fn | None]]:
        compiled = []
        for i, it in enumerate(iterators):
            if i:
                self.scope += 1
            compiled.append(
                (it.name, self.compile(it.source), self.compile(it.end) if it.end else None)
            )
        self.scope -= len(iterators) - 1
        return compiled

    def _c_for(self, node: ast.For) -> Fn:
        projection = self._projection(node)
        if projection is not None:
            return projection
        iterators = self._iteration(node.iterators)
        body = self.compile_scoped(node.body)
        uses_partial = "partial" in self.text and any(
            isinstance(n, ast.Name) and n.name == "partial" for n in ast.walk(node.body)
        )
        fresh = self.defines_functions and _defines_function(node.body)
        last = len(iterators) - 1

        def run(env: Env) -> Any:
            results: list[Any] = []
            if _loop(env, iterators, 0, last, body, results, uses_partial, fresh) is None:
                return None
            return results

        return run

    def _projection(self, node: ast.For) -> Fn | None:
        """``for o in orders return o.id``: read the entry of each item directly; items that
        are not contexts with that entry take the general path (same result, same
        warnings)."""
        body = node.body
        if not (
            len(node.iterators) == 1
            and node.iterators[0].end is None
            and isinstance(body, ast.Path)
            and isinstance(body.base, ast.Name)
            and body.base.name == node.iterators[0].name
            and body.base.name != "partial"
        ):
            return None
        source = self.compile(node.iterators[0].source)
        key = body.key

        def project(env: Env) -> Any:
            items = _iteration_items(env, source, None)
            if items is None:
                return None
            ctx = env.ctx
            out: list[Any] = []
            append = out.append
            for item in items:
                if type(item) is dict:
                    value = item.get(key, MISSING)
                    if value is not MISSING:
                        append(value if type(value) in PASS_TYPES else leaf(value))
                        continue
                append(get_path(ctx, item if type(item) in PASS_TYPES else leaf(item), key))
            return out

        return project

    def _c_quantified(self, node: ast.Quantified) -> Fn:
        iterators = self._iteration(node.iterators)
        condition = self.compile_scoped(node.condition)
        every = node.every
        last = len(iterators) - 1

        def run(env: Env) -> Any:
            state: list[Any] = [every]
            if _quantify(env, iterators, 0, last, condition, every, state) is None:
                return None
            return state[0]

        return run


#: syntax node type -> the Compiler method that compiles it
_DISPATCH: dict[type, Callable[[Compiler, Any], Fn]] = {
    ast.Const: Compiler._c_const,
    ast.TemporalLiteral: Compiler._c_temporal,
    ast.Name: Compiler._c_name,
    ast.InputValue: Compiler._c_input,
    ast.Path: Compiler._c_path,
    ast.Filter: Compiler._c_filter,
    ast.Call: Compiler._c_call,
    ast.FunctionDef: Compiler._c_function,
    ast.ListLit: Compiler._c_list,
    ast.ContextLit: Compiler._c_context,
    ast.RangeLit: Compiler._c_range,
    ast.Negate: Compiler._c_negate,
    ast.InputCompare: Compiler._c_input_compare,
    ast.Arith: Compiler._c_arith,
    ast.Compare: Compiler._c_compare,
    ast.And: Compiler._c_and,
    ast.Or: Compiler._c_or,
    ast.Not: Compiler._c_not,
    ast.Between: Compiler._c_between,
    ast.In: Compiler._c_in,
    ast.InstanceOf: Compiler._c_instance_of,
    ast.If: Compiler._c_if,
    ast.For: Compiler._c_for,
    ast.Quantified: Compiler._c_quantified,
}


#: (required, maximum) argument counts per built-in overload (``id`` -> counts; the
#: registry's overloads live as long as the process)
_ARITY: dict[int, tuple[int, float]] = {}


def _overload_for(overloads: list[Builtin], count: int) -> Builtin | None:
    """The first overload that takes ``count`` positional arguments."""
    for overload in overloads:
        arity = _ARITY.get(id(overload))
        if arity is None:
            arity = _ARITY[id(overload)] = (overload.required, overload.maximum)
        if arity[0] <= count <= arity[1]:
            return overload
    return None


def _defines_function(node: ast.Node) -> bool:
    """Whether evaluating ``node`` may create a function value that keeps its scope."""
    return any(isinstance(n, ast.FunctionDef) for n in ast.walk(node))


def _shadows(env: Env, name: str) -> bool:
    """Whether the caller passed a variable named like the built-in ``name``."""
    raw = env.ctx.raw
    return raw is not None and name in raw


def _spread(fn: Fn) -> Fn:
    def spread(env: Env) -> Any:
        return fn(env)

    spread.feel_spread = True  # type: ignore[attr-defined]
    return spread


def _is_function(value: Any) -> bool:
    return isinstance(value, FeelFunction) or (
        callable(value) and not isinstance(value, (type, Mapping))
    )


def _invoke_with(
    env: Env, fn: Any, args: list[Fn], named: list[tuple[str, Fn]] | None, label: str
) -> Any:
    if named is not None:
        return invoke_function(env.ctx, fn, None, {k: f(env) for k, f in named}, label)
    return invoke_function(env.ctx, fn, [f(env) for f in args], None, label)


def _label(node: ast.Node | None) -> str:
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.Path):
        return f"{_label(node.base)}.{node.key}"
    return "function"


def _iteration_items(env: Env, source: Fn, end: Fn | None) -> list[Any] | None:
    ctx = env.ctx
    value = source(env)
    if end is not None:
        return _number_range(ctx, value, end(env))
    if type(value) is list:
        ctx.count_iterations(len(value))
        return value
    if isinstance(value, Range):
        return _range_items(ctx, value)
    ctx.warn(INVALID_TYPE, f"can't iterate over {show(value)}: expected a list")
    return None


def _loop(
    env: Env,
    iterators: list[tuple[str, Fn, Fn | None]],
    i: int,
    last: int,
    body: Fn,
    results: list[Any],
    uses_partial: bool,
    fresh: bool,
) -> bool | None:
    name, source, end = iterators[i]
    items = _iteration_items(env, source, end)
    if items is None:
        return None
    ctx = env.ctx
    if i == last:
        limit = ctx.limits.max_list_size
        if len(results) + len(items) > limit:
            ctx.check_list_size(len(results) + len(items))
        scope: dict[str, Any] = {name: None, "partial": results}
        inner = Env(scope, env, ctx)
        if not fresh and not uses_partial:
            append = results.append
            for item in items:
                scope[name] = item if type(item) in PASS_TYPES else leaf(item)
                append(body(inner))
            return True
        for item in items:
            if type(item) not in PASS_TYPES:
                item = leaf(item)
            if fresh:
                scope = {name: item, "partial": results}
                inner = Env(scope, env, ctx)
            else:
                scope[name] = item
            if uses_partial:
                scope["partial"] = list(results)
            results.append(body(inner))
        return True
    for item in items:
        inner = Env({name: item if type(item) in PASS_TYPES else leaf(item)}, env, ctx)
        if _loop(inner, iterators, i + 1, last, body, results, uses_partial, fresh) is None:
            return None
    return True


def _quantify(
    env: Env,
    iterators: list[tuple[str, Fn, Fn | None]],
    i: int,
    last: int,
    condition: Fn,
    every: bool,
    state: list[Any],
) -> bool | None:
    """Fold the condition over the iterations; ``state[0]`` holds the running result and
    the return value says whether to go on (False = decided)."""
    name, source, end = iterators[i]
    items = _iteration_items(env, source, end)
    if items is None:
        return None
    ctx = env.ctx
    for item in items:
        scope = Env({name: item if type(item) in PASS_TYPES else leaf(item)}, env, ctx)
        if i == last:
            value = condition(scope)
            if every:
                if value is False:
                    state[0] = False
                    return False
            elif value is True:
                state[0] = True
                return False
            if value is not True and value is not False:
                state[0] = None
        else:
            go_on = _quantify(scope, iterators, i + 1, last, condition, every, state)
            if go_on is None:
                return None
            if go_on is False:
                return False
    return True
