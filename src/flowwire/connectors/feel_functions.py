"""`bpmnError(...)` and `jobError(...)`: FEEL functions for result and error expressions.

They are passed to the expression as function-valued variables. Each builds a context with the
keys Camunda's connector runtime uses (`errorType`, `code`/`errorCode`,
`message`/`errorMessage`, `variables`, and for job errors `retries`, `retryBackoff`); the
runtime reads such a context back with `flowwire.connectors.outcome`.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from flowwire.feel.errors import InvalidArgument
from flowwire.feel.values import FeelFunction, type_name

BPMN_ERROR = "bpmnError"
JOB_ERROR = "jobError"


def _text(value: Any, name: str, function: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidArgument(f"{function}(): '{name}' must be a string, not {type_name(value)}")


def _context(value: Any, function: str) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise InvalidArgument(f"{function}(): 'variables' must be a context, not {type_name(value)}")


def bpmn_error(code: Any, message: Any = None, variables: Any = None) -> dict[str, Any]:
    """`bpmnError(code[, message[, variables]])`: the job throws this BPMN error."""
    text_code = _text(code, "code", BPMN_ERROR)
    if not text_code:
        raise InvalidArgument("bpmnError(): 'code' must be a non-empty string")
    text_message = _text(message, "message", BPMN_ERROR) or ""
    return {
        "errorType": BPMN_ERROR,
        "code": text_code,
        "message": text_message,
        "errorCode": text_code,
        "errorMessage": text_message,
        "variables": _context(variables, BPMN_ERROR),
    }


def job_error(
    message: Any, variables: Any = None, retries: Any = None, retry_backoff: Any = None
) -> dict[str, Any]:
    """`jobError(message[, variables[, retries[, retryBackoff]]])`: the job fails.

    `retries` left after this failure (default: one less than now); `retryBackoff` a duration
    (`duration("PT10S")`) or its ISO text (default: the task's `retryBackoff` header).
    """
    text_message = _text(message, "message", JOB_ERROR)
    if retries is not None and not (
        isinstance(retries, Decimal) and retries == retries.to_integral_value() and retries >= 0
    ):
        raise InvalidArgument("jobError(): 'retries' must be a whole number of 0 or more")
    if retry_backoff is not None and not isinstance(retry_backoff, str | _dt.timedelta):
        raise InvalidArgument(
            "jobError(): 'retryBackoff' must be a duration such as duration(\"PT30S\")"
        )
    return {
        "errorType": JOB_ERROR,
        "message": text_message or "",
        "errorMessage": text_message or "",
        "variables": _context(variables, JOB_ERROR),
        "retries": retries,
        "retryBackoff": retry_backoff,
    }


BPMN_ERROR_FUNCTION = FeelFunction(bpmn_error, ("code", "message", "variables"), BPMN_ERROR)
JOB_ERROR_FUNCTION = FeelFunction(
    job_error, ("message", "variables", "retries", "retryBackoff"), JOB_ERROR
)

#: variables to add to every result and error expression
FUNCTIONS: dict[str, FeelFunction] = {
    BPMN_ERROR: BPMN_ERROR_FUNCTION,
    JOB_ERROR: JOB_ERROR_FUNCTION,
}
