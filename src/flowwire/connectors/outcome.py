"""From a connector's result or failure to one job command: complete, fail or throw.

The order is Camunda's: build the output variables (`resultVariable` gets the whole response,
`resultExpression` maps it), then evaluate the `errorExpression` — on success over the
response and the result variables, on failure over `error` and `job` — and let a
`bpmnError(...)` or `jobError(...)` it returns decide. Without an error from the expression a
success completes the job and a failure takes the retry path.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flowwire import feel
from flowwire.connectors.errors import ConnectorError, ConnectorInputError, ConnectorRetryError
from flowwire.connectors.feel_functions import BPMN_ERROR, FUNCTIONS, JOB_ERROR
from flowwire.connectors.headers import ConnectorHeaders, parse_backoff
from flowwire.connectors.jobs import Job
from flowwire.connectors.values import to_plain
from flowwire.feel.format import to_feel_text
from flowwire.feel.values import type_name


@dataclass(frozen=True, slots=True)
class Complete:
    variables: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Fail:
    message: str
    retries: int
    backoff: _dt.timedelta = _dt.timedelta(0)
    variables: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ThrowError:
    code: str
    message: str = ""
    variables: dict[str, Any] = field(default_factory=dict)


Outcome = Complete | Fail | ThrowError


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """A connector failure as error expressions see it (`error.type`, `.message`, ...)."""

    type: str
    message: str
    code: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, exc: BaseException) -> ErrorInfo:
        if isinstance(exc, ConnectorError):
            return cls(type(exc).__name__, exc.message, exc.code, to_plain(exc.variables))
        return cls(type(exc).__name__, str(exc) or type(exc).__name__)

    def as_context(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "message": self.message,
            "code": self.code,
            "variables": self.variables,
        }

    def describe(self) -> str:
        """The failure in one line, for the job's error message and so for incidents."""
        message = self.message or self.type
        if self.code and self.code not in message:
            return f"{message} (error code {self.code})"
        return message


def incident_now(message: str) -> Fail:
    """A failure no retry can fix: the engine raises an incident at once."""
    return Fail(message=message, retries=0)


def on_success(job: Job, headers: ConnectorHeaders, response: Any) -> Outcome:
    """The outcome of a connector that returned `response`."""
    response = to_plain(response)
    try:
        variables = result_variables(headers, response)
    except ConnectorInputError as exc:
        return incident_now(exc.message)
    if headers.error_expression is None:
        return Complete(variables)
    scope: dict[str, Any] = {}
    if isinstance(response, dict):
        scope.update(response)
    scope.update(variables)
    scope["response"] = response
    scope["job"] = {"retries": job.retries}
    decided = _error_expression_outcome(job, headers, scope)
    return decided if decided is not None else Complete(variables)


def on_failure(job: Job, headers: ConnectorHeaders, exc: BaseException) -> Outcome:
    """The outcome of a connector that raised `exc`."""
    if isinstance(exc, ConnectorInputError):
        return incident_now(exc.message)
    error = ErrorInfo.of(exc)
    if headers.error_expression is not None:
        scope = {"error": error.as_context(), "job": {"retries": job.retries}}
        decided = _error_expression_outcome(job, headers, scope)
        if decided is not None:
            return decided
    retries = job.retries - 1
    backoff = headers.retry_backoff
    if isinstance(exc, ConnectorRetryError):
        if exc.retries is not None:
            retries = exc.retries
        if exc.backoff is not None:
            backoff = exc.backoff
    return Fail(
        message=error.describe(),
        retries=max(retries, 0),
        backoff=backoff,
        variables={"error": error.as_context()},
    )


def result_variables(headers: ConnectorHeaders, response: Any) -> dict[str, Any]:
    """The process variables a response becomes; `ConnectorInputError` for a bad mapping."""
    variables: dict[str, Any] = {}
    if headers.result_variable is not None:
        variables[headers.result_variable.strip()] = response
    if headers.result_expression is not None:
        scope: dict[str, Any] = dict(response) if isinstance(response, dict) else {}
        scope["response"] = response
        scope.update(FUNCTIONS)
        value, warnings = _evaluate(headers.result_expression, scope, "resultExpression")
        if not isinstance(value, dict):
            raise ConnectorInputError(
                "the resultExpression must produce a context such as "
                f"{{myVariable: response.body}}, but it produced {_shown(value)}"
                + _warning_text(warnings)
            )
        variables.update(to_plain(value))
    return variables


def _error_expression_outcome(
    job: Job, headers: ConnectorHeaders, scope: dict[str, Any]
) -> Outcome | None:
    assert headers.error_expression is not None
    scope = {**scope, **FUNCTIONS}
    try:
        value, warnings = _evaluate(headers.error_expression, scope, "errorExpression")
    except ConnectorInputError as exc:
        return incident_now(exc.message)
    try:
        return interpret_error_result(job, headers, value)
    except ConnectorInputError as exc:
        return incident_now(exc.message + _warning_text(warnings))


def interpret_error_result(job: Job, headers: ConnectorHeaders, value: Any) -> Outcome | None:
    """What an error expression's value asks for: None (no error), a throw or a failure."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict):
        raise ConnectorInputError(
            "the errorExpression must produce null, {} or an error such as "
            f'bpmnError("CODE", "message"), but it produced {_shown(value)}'
        )
    error_type = value.get("errorType")
    if error_type == JOB_ERROR:
        return _job_error(job, headers, value)
    if error_type not in (None, BPMN_ERROR):
        raise ConnectorInputError(
            f"the errorExpression produced an error of type '{error_type}'; "
            "use bpmnError(...) or jobError(...)"
        )
    code = value.get("code", value.get("errorCode"))
    if not isinstance(code, str) or not code.strip():
        raise ConnectorInputError(
            "the errorExpression produced a context without a non-empty code: "
            f'{_shown(value)}; use bpmnError("CODE", "message")'
        )
    message = value.get("message", value.get("errorMessage")) or ""
    variables = value.get("variables") or {}
    if not isinstance(variables, dict):
        raise ConnectorInputError("the variables of a BPMN error must be a context")
    return ThrowError(code, str(message), to_plain(variables))


def _job_error(job: Job, headers: ConnectorHeaders, value: Mapping[str, Any]) -> Fail:
    retries_value = value.get("retries")
    if retries_value is None:
        retries = max(job.retries - 1, 0)
    elif isinstance(retries_value, Decimal | int) and int(retries_value) >= 0:
        retries = int(retries_value)
    else:
        raise ConnectorInputError("jobError(): retries must be a whole number of 0 or more")
    backoff_value = value.get("retryBackoff")
    if backoff_value is None:
        backoff = headers.retry_backoff
    elif isinstance(backoff_value, _dt.timedelta):
        backoff = backoff_value
    else:
        backoff = parse_backoff(str(backoff_value), "the retryBackoff of jobError()")
    if backoff < _dt.timedelta(0):
        raise ConnectorInputError("jobError(): retryBackoff must not be negative")
    message = str(value.get("message", value.get("errorMessage")) or "job error")
    variables = to_plain(value.get("variables") or {})
    return Fail(message, retries, backoff, variables or None)


def _evaluate(text: str, scope: dict[str, Any], header: str) -> tuple[Any, list[tuple[str, str]]]:
    try:
        result = feel.compile(text).evaluate_detailed(scope)
    except feel.FeelSyntaxError as exc:
        raise ConnectorInputError(f"the {header} is not valid FEEL: {exc}") from None
    except feel.FeelError as exc:
        raise ConnectorInputError(f"the {header} failed: {exc}") from None
    return result.value, result.warnings


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    text = to_feel_text(value)
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{type_name(value)} {text}"


def _warning_text(warnings: list[tuple[str, str]]) -> str:
    if not warnings:
        return ""
    return " (" + "; ".join(message for _, message in warnings[:3]) + ")"
