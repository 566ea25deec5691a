"""Numeric built-ins of DMN 1.5 plus Camunda's ``decimal(n, scale, mode)`` and ``random number()``.

All arithmetic runs in :data:`~flowwire.feel.values.DECIMAL_CONTEXT` (34 digits, half-even)
so results do not depend on the caller's thread-local decimal context. The helpers
:func:`require_number` and :func:`to_int` are shared by the other built-in families.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import random
from decimal import Decimal
from typing import Any

from flowwire.feel.builtins.registry import builtin
from flowwire.feel.errors import InvalidArgument
from flowwire.feel.values import DECIMAL_CONTEXT, YearsMonthsDuration, type_name

#: DMN 1.5 bounds the scale of the rounding functions to DECIMAL128's exponent range.
MIN_SCALE = -6111
MAX_SCALE = 6176

#: Rounding modes of ``decimal(n, scale, mode)``, named as java.math.RoundingMode.
ROUNDING_MODES = {
    "UP": decimal.ROUND_UP,
    "DOWN": decimal.ROUND_DOWN,
    "CEILING": decimal.ROUND_CEILING,
    "FLOOR": decimal.ROUND_FLOOR,
    "HALF_UP": decimal.ROUND_HALF_UP,
    "HALF_DOWN": decimal.ROUND_HALF_DOWN,
    "HALF_EVEN": decimal.ROUND_HALF_EVEN,
    "UNNECESSARY": "UNNECESSARY",
}

_TWO = Decimal(2)

#: Bound on the digits of the integers that exact remainders work with.
_MAX_EXACT_DIGITS = 20_000
_EXACT = decimal.Context(prec=_MAX_EXACT_DIGITS + 2, Emin=-999_999, Emax=999_999, traps=[])

#: Default of an optional parameter, to tell "not given" from an explicit null.
MISSING: Any = object()


def require_number(value: Any, function: str, param: str) -> Decimal:
    """The argument as a finite number, or InvalidArgument naming the parameter."""
    if isinstance(value, Decimal) and value.is_finite():
        return value
    raise InvalidArgument(f"{function}() expects a number for '{param}', but got {describe(value)}")


def to_int(value: Any, function: str, param: str) -> int:
    """A number argument as an int, truncated toward zero like Java's ``intValue``.

    Numbers beyond 18 digits are rejected rather than turned into huge Python ints.
    """
    number = require_number(value, function, param)
    if number.adjusted() > 18:
        raise InvalidArgument(f"{function}() got {number} for '{param}', which is too large")
    return int(number)


def finite(result: Decimal, function: str) -> Decimal:
    """The result, unless it overflowed FEEL's number range (then InvalidArgument)."""
    if not result.is_finite():
        raise InvalidArgument(f"the result of {function}() is too large for a FEEL number")
    return result


def describe(value: Any) -> str:
    """A short description of an argument for error messages."""
    if value is None:
        return "null"
    name = type_name(value)
    if isinstance(value, (str, Decimal, bool)):
        text = repr(value) if isinstance(value, str) else str(value).lower()
        if len(text) > 40:
            text = text[:37] + "..."
        return f"{name} {text}"
    return name


def round_to_scale(n: Decimal, scale: int, mode: str, function: str) -> Decimal:
    """``n`` with ``scale`` digits after the point, rounded by a :mod:`decimal` mode.

    ``mode`` may also be ``"UNNECESSARY"``: the value must already fit the scale.
    """
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise InvalidArgument(
            f"{function}() needs a scale between {MIN_SCALE} and {MAX_SCALE}, but got {scale}"
        )
    if -_exponent(n) <= scale:
        return n  # already within the scale: nothing to round
    quantum = Decimal((0, (1,), -scale))
    # enough precision for every digit the rounded value keeps (plus a carry)
    context = decimal.Context(prec=max(n.adjusted() + scale + 2, 1), traps=[])
    if mode == "UNNECESSARY":
        rounded = n.quantize(quantum, rounding=decimal.ROUND_DOWN, context=context)
        if rounded != n:
            raise InvalidArgument(
                f"{function}(): {n} can't be written with scale {scale} without rounding; "
                "choose another rounding mode"
            )
    else:
        rounded = n.quantize(quantum, rounding=mode, context=context)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # no negative zero


def _scaled(function: str, n: Any, scale: Any, mode: str) -> Decimal:
    number = require_number(n, function, "n")
    digits = 0 if scale is MISSING else to_int(scale, function, "scale")
    return round_to_scale(number, digits, mode, function)


@builtin("decimal", "n", "scale")
def decimal_(n: Any, scale: Any) -> Decimal:
    """``decimal(n, scale)``: round half-even to ``scale`` decimal places."""
    return _scaled("decimal", n, scale, decimal.ROUND_HALF_EVEN)


@builtin("decimal", "n", "scale", "mode")
def decimal_with_mode(n: Any, scale: Any, mode: Any) -> Decimal:
    """Camunda's ``decimal(n, scale, mode)`` with a java.math.RoundingMode name (any case)."""
    if not isinstance(mode, str) or mode.upper() not in ROUNDING_MODES:
        raise InvalidArgument(
            f"decimal() expects a rounding mode, one of {', '.join(ROUNDING_MODES)}, "
            f"but got {describe(mode)}"
        )
    return _scaled("decimal", n, scale, ROUNDING_MODES[mode.upper()])


@builtin("floor", "n", "scale?")
def floor(n: Any, scale: Any = MISSING) -> Decimal:
    return _scaled("floor", n, scale, decimal.ROUND_FLOOR)


@builtin("ceiling", "n", "scale?")
def ceiling(n: Any, scale: Any = MISSING) -> Decimal:
    return _scaled("ceiling", n, scale, decimal.ROUND_CEILING)


@builtin("round up", "n", "scale?")
def round_up(n: Any, scale: Any = MISSING) -> Decimal:
    """Round away from zero."""
    return _scaled("round up", n, scale, decimal.ROUND_UP)


@builtin("round down", "n", "scale?")
def round_down(n: Any, scale: Any = MISSING) -> Decimal:
    """Round toward zero."""
    return _scaled("round down", n, scale, decimal.ROUND_DOWN)


@builtin("round half up", "n", "scale?")
def round_half_up(n: Any, scale: Any = MISSING) -> Decimal:
    return _scaled("round half up", n, scale, decimal.ROUND_HALF_UP)


@builtin("round half down", "n", "scale?")
def round_half_down(n: Any, scale: Any = MISSING) -> Decimal:
    return _scaled("round half down", n, scale, decimal.ROUND_HALF_DOWN)


def _abs(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite():
        return value.copy_abs()
    if isinstance(value, _dt.timedelta):
        return abs(value)
    if isinstance(value, YearsMonthsDuration):
        return YearsMonthsDuration(abs(value.months))
    raise InvalidArgument(f"abs() expects a number or a duration, but got {describe(value)}")


# Camunda accepts both the spec's parameter name ``n`` and ``number``.
builtin("abs", "n")(_abs)
builtin("abs", "number")(_abs)


@builtin("modulo", "dividend", "divisor")
def modulo(dividend: Any, divisor: Any) -> Decimal:
    """The remainder with the sign of the divisor: ``modulo(-12, 5) = 3``, ``modulo(12, -5) = -3``."""
    a = require_number(dividend, "modulo", "dividend")
    b = require_number(divisor, "modulo", "divisor")
    if b.is_zero():
        raise InvalidArgument("modulo() can't divide by a divisor of 0")
    return DECIMAL_CONTEXT.plus(floored_remainder(a, b, "modulo"))


def floored_remainder(a: Decimal, b: Decimal, function: str) -> Decimal:
    """``a - b * floor(a / b)``, computed exactly on integers however far apart a and b are."""
    exponent = min(_exponent(a), _exponent(b))
    if max(a.adjusted(), b.adjusted()) - exponent > _MAX_EXACT_DIGITS:
        raise InvalidArgument(f"{function}() can't compute with {a} and {b} exactly")
    scaled_a = int(a.scaleb(-exponent, _EXACT))
    scaled_b = int(b.scaleb(-exponent, _EXACT))
    return Decimal(scaled_a % scaled_b).scaleb(exponent, _EXACT)


def _exponent(n: Decimal) -> int:
    exponent = n.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers only (require_number)
    return exponent


@builtin("sqrt", "number")
def sqrt(number: Any) -> Decimal:
    n = require_number(number, "sqrt", "number")
    if n.is_signed() and not n.is_zero():
        raise InvalidArgument(f"sqrt() needs a number >= 0, but got {n}")
    return n.sqrt(DECIMAL_CONTEXT)


@builtin("log", "number")
def log(number: Any) -> Decimal:
    """The natural logarithm."""
    n = require_number(number, "log", "number")
    if n <= 0:
        raise InvalidArgument(f"log() needs a number > 0, but got {n}")
    return n.ln(DECIMAL_CONTEXT)


@builtin("exp", "number")
def exp(number: Any) -> Decimal:
    """Euler's number raised to the given power."""
    n = require_number(number, "exp", "number")
    return finite(n.exp(DECIMAL_CONTEXT), "exp")


@builtin("odd", "number")
def odd(number: Any) -> bool:
    """True for odd integers; false for even ones and for numbers with a fraction (as Camunda)."""
    n = require_number(number, "odd", "number")
    return floored_remainder(n, _TWO, "odd") == 1


@builtin("even", "number")
def even(number: Any) -> bool:
    """True for even integers; false for odd ones and for numbers with a fraction (as Camunda)."""
    n = require_number(number, "even", "number")
    return floored_remainder(n, _TWO, "even").is_zero()


@builtin("random number")
def random_number() -> Decimal:
    """A random number in [0, 1) (Camunda extension); not for security purposes."""
    return Decimal(repr(random.random()))
