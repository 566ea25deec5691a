"""Evaluating a webhook's FEEL properties, turning FEEL trouble into a caller-facing reason."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flowwire import feel
from flowwire.connectors.values import to_plain


class FeelFailure(Exception):
    """A webhook expression could not give a usable value (answered with 422)."""


def evaluate(name: str, text: str, variables: Mapping[str, Any]) -> Any:
    """The value of the FEEL property `name`. A null result that FEEL warned about is a
    failure (a missing path, a function on the wrong type), so the caller learns why."""
    try:
        result = feel.compile(text).evaluate_detailed(variables)
    except feel.FeelError as err:
        raise FeelFailure(f"{name} failed: {err}") from None
    if result.value is None and result.warnings:
        reasons = "; ".join(message for _, message in result.warnings)
        raise FeelFailure(f"{name} gave null: {reasons}")
    return result.value


def evaluate_lenient(text: str, variables: Mapping[str, Any]) -> Any:
    """The value, or None with warnings ignored (for conditions, where null means "no")."""
    try:
        return feel.compile(text).evaluate(variables)
    except feel.FeelError as err:
        raise FeelFailure(str(err)) from None


def to_json_bytes(value: Any) -> bytes:
    """A FEEL value as a JSON body (numbers as numbers, temporals as ISO text)."""
    return json.dumps(to_plain(value), separators=(",", ":"), ensure_ascii=False).encode()
