"""The connector layer's exceptions.

A connector tells the runtime what went wrong by raising one of these; the runtime turns them
into job commands: `ConnectorError` keeps the normal retry path (and gives an error expression
a `code` to route on), `ConnectorRetryError` overrides the retry decision, and
`ConnectorInputError` (bad input, missing secret) raises an incident at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any


class ConnectorsError(Exception):
    """Base of the connector layer's errors."""


class ConnectorError(ConnectorsError):
    """A technical failure with an optional code, seen by error expressions as `error.code`.

    `variables` is structured data about the failure (the REST connector puts the HTTP
    response there); an error expression sees it as `error.variables`.
    """

    def __init__(
        self,
        code: str | None = None,
        message: str = "",
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = None if code is None else str(code)
        self.message = message or (f"connector error {self.code}" if self.code else "")
        self.variables = dict(variables or {})
        super().__init__(self.message)


class ConnectorRetryError(ConnectorError):
    """A failure that decides its own retries and backoff instead of `retries - 1`."""

    def __init__(
        self,
        message: str = "",
        *,
        retries: int | None = None,
        backoff: timedelta | None = None,
        code: str | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        if retries is not None and retries < 0:
            raise ValueError(f"retries must be 0 or more, not {retries}")
        if backoff is not None and backoff < timedelta(0):
            raise ValueError(f"backoff must not be negative, not {backoff}")
        super().__init__(code, message, variables)
        self.retries = retries
        self.backoff = backoff


class ConnectorInputError(ConnectorsError):
    """The job's input cannot be used: retrying would not help, so an incident is raised."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])


class SecretNotFoundError(ConnectorInputError):
    """An input refers to a secret no provider knows."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Secret with name '{name}' is not available")
        self.name = name


class ConnectorDefinitionError(ConnectorsError):
    """A connector is declared wrongly (bad decorator use, duplicate type, bad reference)."""


class ConnectorTimeoutError(ConnectorError):
    """The connector did not finish within its job's lease and was cancelled."""
