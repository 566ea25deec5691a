"""Variable values: JSON in the store, plain Python in the API, FEEL values in expressions.

Camunda keeps every variable as a JSON value, so FEEL results are converted before they are
stored: integral numbers become JSON integers, other numbers doubles, temporal values their ISO
text (as FEEL's `string()` writes them), ranges their FEEL text. Reading gives back plain JSON
Python (dict, list, str, int, float, bool, None); FEEL converts those on input.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flowwire.engine.errors import InvalidArgument
from flowwire.feel.values import FeelFunction, Range, YearsMonthsDuration

_SCALARS = (str, int, float, bool, type(None))


class NotJsonError(ValueError):
    """A value that cannot be stored as a JSON variable."""


def _default(value: Any) -> Any:
    """`json` hook for the non-JSON values FEEL and Python callers produce."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotJsonError(f"the number {value} has no JSON form")
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta, YearsMonthsDuration, Range)):
        from flowwire.feel.format import to_string

        return to_string(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, FeelFunction) or callable(value):
        raise NotJsonError("a function cannot be stored as a variable")
    raise NotJsonError(f"a {type(value).__name__} is not a JSON value")


_encoder = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default
)


def encode(value: Any) -> tuple[Any, str]:
    """The stored JSON text of a value, with the plain Python value it reads back as.

    Raises `NotJsonError` with a message naming what cannot be stored.
    """
    try:
        text = _encoder.encode(value)
    except NotJsonError:
        raise
    except (TypeError, ValueError, RecursionError) as exc:
        raise NotJsonError(str(exc)) from exc
    if isinstance(value, _SCALARS) and not (type(value) is float and value != value):
        return value, text
    return json.loads(text), text


def decode(text: str) -> Any:
    return json.loads(text)


def check_variables(variables: Mapping[str, Any] | None, what: str = "variables") -> dict[str, Any]:
    """Validate a variables argument: a mapping from non-empty names to JSON values."""
    if variables is None:
        return {}
    if not isinstance(variables, Mapping):
        raise InvalidArgument(
            f"{what} must be a mapping of variable names to JSON values, "
            f"got {type(variables).__name__}"
        )
    for name in variables:
        if not isinstance(name, str) or not name:
            raise InvalidArgument(f"{what}: variable names must be non-empty strings, got {name!r}")
    return dict(variables)


def json_variables(variables: Mapping[str, Any] | None, what: str = "variables") -> dict[str, Any]:
    """`check_variables`, with every value turned into the plain JSON it will be stored as.

    For values kept outside the variable table (buffered messages, signals), whose rows are
    written as JSON directly: a Decimal or a date from a caller must not fail there.
    """
    values = check_variables(variables, what)
    for name, value in values.items():
        if not isinstance(value, _SCALARS):
            try:
                values[name] = encode(value)[0]
            except NotJsonError as exc:
                raise InvalidArgument(f"{what}: '{name}' cannot be stored: {exc}") from exc
        elif isinstance(value, float) and value != value:
            raise InvalidArgument(f"{what}: '{name}' is NaN, which has no JSON form")
    return values
