"""How Camunda 8 tells an expression from static text in an attribute.

A value that starts with "=" is a FEEL expression; anything else is used as written.
"""

from __future__ import annotations

from typing import NamedTuple


class StaticOrExpression(NamedTuple):
    """An attribute value split into its kind and its text (FEEL without the "=")."""

    is_expression: bool
    text: str


def is_expression(text: str | None) -> bool:
    """True when the value is a FEEL expression, i.e. starts with "=" (leading blanks allowed)."""
    return text is not None and text.lstrip().startswith("=")


def expression_body(text: str) -> str:
    """The FEEL text of an expression value, without its leading "="."""
    stripped = text.lstrip()
    return stripped[1:] if stripped.startswith("=") else text


def static_or_expression(text: str) -> StaticOrExpression:
    """Split a value into (True, FEEL text) or (False, static text)."""
    if is_expression(text):
        return StaticOrExpression(True, expression_body(text))
    return StaticOrExpression(False, text)
