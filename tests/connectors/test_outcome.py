"""The rules that turn a connector's result or failure into complete, fail or throw; the
`bpmnError`/`jobError` FEEL functions; input binding messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

import pytest
from pydantic import BaseModel

from flowwire import feel
from flowwire.connectors import ConnectorError, ConnectorInputError, Job
from flowwire.connectors.binding import bind_input
from flowwire.connectors.feel_functions import FUNCTIONS
from flowwire.connectors.headers import ConnectorHeaders
from flowwire.connectors.outcome import Complete, Fail, ThrowError, on_failure, on_success

JOB = Job(
    key=1,
    type="t",
    process_instance_key=2,
    element_id="task",
    element_instance_key=3,
    retries=3,
    deadline=None,
)
RESPONSE = {"status": 200, "headers": {}, "body": {"main": {"humidity": -1}}}


def headers(**values: str) -> ConnectorHeaders:
    return ConnectorHeaders.parse(values)


def test_without_headers_a_success_completes_without_variables() -> None:
    assert on_success(JOB, headers(), RESPONSE) == Complete({})


def test_result_variable_and_expression_together() -> None:
    outcome = on_success(
        JOB,
        headers(resultVariable="all", resultExpression="={humidity: body.main.humidity}"),
        RESPONSE,
    )
    assert outcome == Complete({"all": RESPONSE, "humidity": -1})


def test_bpmn_error_function_builds_camunda_and_seed_doc_keys() -> None:
    value = feel.evaluate('bpmnError("123", "error received")', dict(FUNCTIONS))
    assert value["code"] == "123"
    assert value["message"] == "error received"
    assert value["errorType"] == "bpmnError"
    assert value["errorCode"] == "123"
    assert value["errorMessage"] == "error received"
    assert value["variables"] == {}


def test_job_error_function() -> None:
    value = feel.evaluate('jobError("boom", {a: 1}, 2, duration("PT10S"))', dict(FUNCTIONS))
    assert value["errorType"] == "jobError"
    assert value["retries"] == 2
    assert value["retryBackoff"] == timedelta(seconds=10)


def test_bad_function_arguments_give_null_with_a_warning() -> None:
    result = feel.evaluate_detailed('bpmnError(123, "x")', dict(FUNCTIONS))
    assert result.value is None
    assert any("'code' must be a string" in message for _, message in result.warnings)


def test_error_expression_on_success_sees_result_variables_and_response() -> None:
    expression = (
        '=if humidity < 0 and response.status = 200 then bpmnError("H", "bad", {h: humidity}) '
        "else null"
    )
    outcome = on_success(
        JOB,
        headers(resultExpression="={humidity: body.main.humidity}", errorExpression=expression),
        RESPONSE,
    )
    assert outcome == ThrowError("H", "bad", {"h": -1})


def test_error_expression_on_failure_sees_error_and_job() -> None:
    expression = (
        '=bpmnError(error.code, error.type + ": " + error.message + " " + string(job.retries))'
    )
    outcome = on_failure(JOB, headers(errorExpression=expression), ConnectorError("E1", "broken"))
    assert outcome == ThrowError("E1", "ConnectorError: broken 3")


@pytest.mark.parametrize("result", ["=null", "={}", '=if false then bpmnError("x") else null'])
def test_null_or_empty_context_means_no_error(result: str) -> None:
    assert on_success(JOB, headers(errorExpression=result), RESPONSE) == Complete({})
    failed = on_failure(JOB, headers(errorExpression=result), ConnectorError("X", "m"))
    assert isinstance(failed, Fail) and failed.retries == 2


def test_failures_decrement_retries_and_use_the_backoff_header() -> None:
    outcome = on_failure(JOB, headers(retryBackoff="PT5S"), RuntimeError("connection reset"))
    assert outcome == Fail(
        "connection reset",
        2,
        timedelta(seconds=5),
        {
            "error": {
                "type": "RuntimeError",
                "message": "connection reset",
                "code": None,
                "variables": {},
            }
        },
    )


@pytest.mark.parametrize(
    ("expression", "text"),
    [
        ('="not a context"', "must produce null, {} or an error"),
        ('={message: "no code"}', "without a non-empty code"),
        ("=1 +", "is not valid FEEL"),
        ('={errorType: "other", code: "x"}', "of type 'other'"),
    ],
)
def test_unusable_error_expressions_raise_an_incident(expression: str, text: str) -> None:
    outcome = on_success(JOB, headers(errorExpression=expression), RESPONSE)
    assert isinstance(outcome, Fail)
    assert outcome.retries == 0
    assert text in outcome.message


def test_input_errors_are_incidents_without_evaluating_the_error_expression() -> None:
    outcome = on_failure(
        JOB, headers(errorExpression='=bpmnError("X")'), ConnectorInputError("url: field required")
    )
    assert outcome == Fail("url: field required", 0)


def test_unparsable_backoff_header() -> None:
    with pytest.raises(ConnectorInputError, match="'soon'"):
        headers(retryBackoff="soon")


class Nested(BaseModel):
    token: str


class Inputs(BaseModel):
    url: str
    method: Literal["GET", "POST"]
    count: int = 1
    auth: Nested | None = None


def test_binding_names_every_bad_field() -> None:
    with pytest.raises(ConnectorInputError) as raised:
        bind_input(Inputs, {"method": "PUT", "count": "many", "auth": {}})
    assert raised.value.problems == [
        "url: field required",
        "method: input should be 'GET' or 'POST'",
        "count: input should be a valid integer, unable to parse string as an integer",
        "auth.token: field required",
    ]


def test_binding_ignores_other_variables_and_converts_loosely() -> None:
    bound = bind_input(Inputs, {"url": "http://x", "method": "GET", "count": "3", "other": 1})
    assert bound == Inputs(url="http://x", method="GET", count=3)
