"""The engine's exceptions. Each API error carries a `problem_type` the REST layer maps to a
status code (NOT_FOUND 404, INVALID_STATE 409, INVALID_ARGUMENT 400)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class EngineError(Exception):
    """Base of the errors the engine API raises."""

    problem_type = "ENGINE_ERROR"


class NotFound(EngineError):
    """The key or id names nothing the engine knows."""

    problem_type = "NOT_FOUND"


class InvalidState(EngineError):
    """The command does not fit the current state (job already completed, instance ended...)."""

    problem_type = "INVALID_STATE"


class InvalidArgument(EngineError):
    """The command's arguments are wrong (bad variables, negative retries, rejected BPMN...)."""

    problem_type = "INVALID_ARGUMENT"


class DeploymentRejected(InvalidArgument):
    """Resources that cannot be deployed; `problems` lists every reason ("resource: problem"),
    `causes` holds the underlying errors (e.g. `BpmnValidationError` with structured problems)."""

    def __init__(self, problems: Sequence[str], causes: Sequence[Exception] = ()) -> None:
        self.problems = list(problems)
        self.causes = list(causes)
        super().__init__(
            "the deployment was rejected, nothing was deployed:\n"
            + "\n".join(f"  {p}" for p in self.problems)
        )


class ThrowBpmnError(Exception):
    """Raised by an in-process job handler to throw a BPMN error instead of failing the job.

    The engine turns it into `throw_error(job, error_code, message, variables)`.
    """

    def __init__(
        self, error_code: str, message: str = "", variables: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message or error_code)
        self.error_code = error_code
        self.message = message
        self.variables = dict(variables or {})
