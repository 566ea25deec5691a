"""RFC 9457 problem responses, as Camunda's REST API answers errors.

Every error the API raises becomes `application/problem+json` with `type`, `title` (Camunda's
problem names: NOT_FOUND, INVALID_ARGUMENT, INVALID_STATE, ...), `status`, `detail` and
`instance` (the request path). Engine errors map by their `problem_type`, so the HTTP layer
never has to know which command raised them.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from flowwire.engine.errors import DeploymentRejected, EngineError

PROBLEM_JSON = "application/problem+json"

_STATUS_BY_PROBLEM = {"NOT_FOUND": 404, "INVALID_STATE": 409, "INVALID_ARGUMENT": 400}
_TITLE_BY_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "INVALID_STATE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_ERROR",
    501: "NOT_IMPLEMENTED",
    504: "DEADLINE_EXCEEDED",
}


class ApiProblem(Exception):
    """An error answer: raise it from a handler to stop with this status and detail."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or _TITLE_BY_STATUS.get(status, "ERROR")
        self.extensions = extensions or {}


def bad_request(detail: str) -> ApiProblem:
    return ApiProblem(400, detail)


def not_implemented(detail: str) -> ApiProblem:
    return ApiProblem(501, detail)


def from_engine_error(exc: EngineError) -> ApiProblem:
    """The problem for an error the engine raised (deployment rejections list every reason)."""
    status = _STATUS_BY_PROBLEM.get(exc.problem_type, 400)
    if isinstance(exc, DeploymentRejected):
        return ApiProblem(
            400,
            str(exc),
            title="INVALID_ARGUMENT",
            extensions={"problems": list(exc.problems)},
        )
    return ApiProblem(status, str(exc), title=exc.problem_type)


def problem_response(problem: ApiProblem, instance: str) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": instance,
    }
    body.update(problem.extensions)
    headers = {"WWW-Authenticate": 'Bearer realm="flowwire"'} if problem.status == 401 else None
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


async def handle_api_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return problem_response(exc, request.url.path)


async def handle_engine_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EngineError)
    return problem_response(from_engine_error(exc), request.url.path)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer as problems too, naming what exists instead."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        detail = (
            f"flowwire does not serve {request.method} {request.url.path}: "
            "see /v2/openapi.json for the supported endpoints"
        )
    elif exc.status_code == 405:
        detail = f"{request.url.path} does not accept {request.method}"
    else:
        detail = str(exc.detail)
    return problem_response(ApiProblem(exc.status_code, detail), request.url.path)


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    """A bug, not bad input: answer 500 as a problem (the traceback goes to the log)."""
    return problem_response(
        ApiProblem(500, f"flowwire failed to handle the request: {type(exc).__name__}: {exc}"),
        request.url.path,
    )
