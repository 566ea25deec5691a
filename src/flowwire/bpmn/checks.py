"""Checks on single attribute values: FEEL syntax and variable names.

The parser runs them as it reads each attribute, so a problem carries the XML line of the very
extension element that holds the bad value.
"""

from __future__ import annotations

import re

from flowwire import feel

from .errors import Problem
from .expressions import expression_body, is_expression

#: a variable name or a dotted path of names, as Zeebe accepts for mapping targets
_NAME = r"[^\W\d]\w*"
_VARIABLE_PATH = re.compile(rf"{_NAME}(?:\.{_NAME})*")
_VARIABLE_NAME = re.compile(_NAME)


def feel_problem(
    text: str, *, element_id: str, what: str, line: int | None, always_feel: bool = False
) -> Problem | None:
    """A Problem when `text` is an expression ("=...", or any text if `always_feel`) that
    does not compile; None when it compiles or is static text."""
    if not (always_feel or is_expression(text)):
        return None
    body = expression_body(text)
    if not body.strip():
        return Problem(
            element_id,
            f"the {what} is an empty expression: write a FEEL expression after '='",
            line,
        )
    try:
        feel.compile(body)
    except feel.FeelSyntaxError as err:
        return Problem(
            element_id,
            f"invalid FEEL in the {what}: {err.message} (line {err.line}, column {err.column} "
            f"of the expression '{_shorten(body)}'): correct the expression",
            line,
        )
    except feel.FeelError as err:
        return Problem(
            element_id,
            f"invalid FEEL in the {what}: {err} (expression '{_shorten(body)}'): simplify the "
            "expression",
            line,
        )
    return None


def is_variable_path(text: str) -> bool:
    """True for `name` or `name.name...`, the targets a mapping may write to."""
    return _VARIABLE_PATH.fullmatch(text) is not None


def is_variable_name(text: str) -> bool:
    """True for a single variable name (letters, digits, underscores; not starting with a digit)."""
    return _VARIABLE_NAME.fullmatch(text) is not None


def _shorten(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
