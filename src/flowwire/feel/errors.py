"""FEEL's exception hierarchy.

FEEL itself turns almost every failure into ``null`` plus a warning; only syntax errors,
failed ``assert()`` calls and exceeded resource limits raise.
"""

from __future__ import annotations


class FeelError(Exception):
    """Base of every error raised by the FEEL package."""


class FeelSyntaxError(FeelError):
    """The expression text is not valid FEEL. ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int, expression: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.expression = expression

    def __str__(self) -> str:
        return f"{self.message} (line {self.line}, column {self.column})"

    def pointer(self) -> str:
        """The offending line of the expression with a caret under the column."""
        lines = self.expression.splitlines() or [""]
        text = lines[self.line - 1] if 0 < self.line <= len(lines) else ""
        return f"{text}\n{' ' * max(self.column - 1, 0)}^"


class FeelAssertionError(FeelError):
    """An ``assert(value, condition[, cause])`` call whose condition was not true."""


class FeelLimitError(FeelError):
    """Evaluation exceeded a configured bound (recursion depth, list size, iterations)."""


class InvalidArgument(Exception):
    """Raised by a built-in for arguments it cannot handle.

    The evaluator turns it into ``null`` plus a FUNCTION_INVOCATION_FAILURE warning, the
    way Camunda's engine does; it never escapes the FEEL package.
    """
