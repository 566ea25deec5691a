"""Camunda's extension functions that belong to no DMN family: ``get or else``, ``assert``
and ``fromAi``.

``assert`` is the one built-in that aborts an evaluation: a failed condition raises
:class:`~flowwire.feel.errors.FeelAssertionError` instead of yielding null.
"""

from __future__ import annotations

from typing import Any

from flowwire.feel.builtins.registry import builtin
from flowwire.feel.errors import FeelAssertionError

DEFAULT_ASSERTION_MESSAGE = "The condition is not fulfilled"


@builtin("get or else", "value", "default")
def get_or_else(value: Any, default: Any) -> Any:
    """The value, or the default when the value is null."""
    return default if value is None else value


@builtin("assert", "value", "condition", "cause?")
def assert_(value: Any, condition: Any, cause: Any = None) -> Any:
    """The value if the condition is true; otherwise the evaluation fails with the cause."""
    if condition is True:
        return value
    if isinstance(cause, str):
        raise FeelAssertionError(cause)
    raise FeelAssertionError(DEFAULT_ASSERTION_MESSAGE)


@builtin("fromAi", "value", "description?", "type?", "schema?", "options?")
def from_ai(
    value: Any,
    description: Any = None,
    type_: Any = None,
    schema: Any = None,
    options: Any = None,
) -> Any:
    """The value unchanged: Camunda 8's marker for a value an AI agent supplies.

    The other parameters describe the value to the agent integration; FEEL ignores them.
    """
    return value
