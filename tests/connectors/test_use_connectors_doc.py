"""The examples of `use-connectors.md`, run end to end: BPMN processes with REST connector
tasks, the engine, the connector runtime and a real HTTP server on loopback."""

from __future__ import annotations

import pytest

from support.http_server import LoopbackServer, Reply

from .models import connector_task, one_task_process
from .support import Harness

WEATHER_BODY = {
    "latitude": 52.52,
    "longitude": 13.4,
    "generationtime_ms": 0.22804737091064453,
    "utc_offset_seconds": 0,
    "timezone": "GMT",
    "timezone_abbreviation": "GMT",
    "elevation": 45.0,
    "current_weather": {
        "temperature": 1.0,
        "windspeed": 10.1,
        "winddirection": 186.0,
        "weathercode": 2,
        "time": "2023-01-19T14:00",
    },
}

FAHRENHEIT = """= {
  berlinWeather: response.current_weather.temperature,
  berlinWindSpeed: response.current_weather.windspeed,
  berlinWeatherInFahrenheit: response.current_weather.temperature * 1.8 + 32
}"""

HTTP_ERRORS = """= if error.code = "404" then
  bpmnError("404", "Got a 404")
else if error.code = "500" then
  bpmnError("500", "Got a 500")
else
  null"""

HUMIDITY = """= if response.body.main.humidity < 0 then
  bpmnError("HUMIDITY-FAIL", "Received invalid humidity")
else null"""


def rest_task(url: str, task_headers: dict[str, str], **inputs: str) -> str:
    """A REST task (GET, no authentication); `inputs` are further target=source mappings."""
    mappings = [('="GET"', "method"), (url, "url"), ('="noAuth"', "authentication.type")]
    mappings += [(source, target) for target, source in inputs.items()]
    return connector_task("task", inputs=mappings, headers=task_headers)


@pytest.fixture
def weather(server: LoopbackServer) -> LoopbackServer:
    server.route(
        "GET",
        "/v1/forecast",
        Reply(200, WEATHER_BODY, headers=[("Content-Type", "application/json; charset=utf-8")]),
    )
    return server


def test_result_variable_gets_the_whole_response(weather: LoopbackServer) -> None:
    harness = Harness()
    xml = one_task_process(
        "weather",
        rest_task(f'="{weather.base}/v1/forecast"', {"resultVariable": "myWeatherResponse"}),
    )
    key = harness.start(xml)
    assert harness.drive() == 1
    assert harness.state(key) == "COMPLETED"
    response = harness.variables(key)["myWeatherResponse"]
    assert response["status"] == 200
    assert response["body"] == WEATHER_BODY
    assert response["headers"]["content-type"] == "application/json; charset=utf-8"


def test_result_expression_maps_temperature_wind_and_fahrenheit(weather: LoopbackServer) -> None:
    harness = Harness()
    xml = one_task_process(
        "weather",
        rest_task(
            f'="{weather.base}/v1/forecast"',
            {"resultExpression": FAHRENHEIT.replace("response.current", "response.body.current")},
        ),
    )
    key = harness.start(xml)
    harness.drive()
    variables = harness.variables(key)
    assert variables["berlinWeather"] == 1.0
    assert variables["berlinWindSpeed"] == 10.1
    assert variables["berlinWeatherInFahrenheit"] == pytest.approx(33.8)
    assert "response" not in variables


def test_result_expression_sees_response_keys_directly(weather: LoopbackServer) -> None:
    harness = Harness()
    xml = one_task_process(
        "weather",
        rest_task(
            f'="{weather.base}/v1/forecast"',
            {"resultExpression": "={code: status, zone: body.timezone}"},
        ),
    )
    key = harness.start(xml)
    harness.drive()
    assert harness.variables(key) == {"code": 200, "zone": "GMT"}


@pytest.mark.parametrize(("status", "code"), [(404, "404"), (500, "500")])
def test_http_errors_become_bpmn_errors_with_the_status_code(
    server: LoopbackServer, status: int, code: str
) -> None:
    server.route("GET", "/site", Reply(status, {"oops": True}))
    harness = Harness()
    xml = one_task_process(
        "site", rest_task(f'="{server.base}/site"', {"errorExpression": HTTP_ERRORS})
    )
    key = harness.start(xml)
    harness.drive()
    incident = harness.incident(key)
    # no error boundary in this model: the thrown error is unhandled
    assert incident.error_type == "UNHANDLED_ERROR_EVENT"
    assert f"'{code}'" in incident.message
    assert f"Got a {code}" in incident.message
    assert len(server.requests) == 1  # a BPMN error is not retried


def test_other_http_errors_take_the_retry_path(server: LoopbackServer) -> None:
    server.route("GET", "/site", Reply(403, {"denied": True}))
    harness = Harness()
    xml = one_task_process(
        "site", rest_task(f'="{server.base}/site"', {"errorExpression": HTTP_ERRORS})
    )
    key = harness.start(xml)
    harness.drive()
    incident = harness.incident(key)
    assert incident.error_type == "JOB_NO_RETRIES"
    assert "Forbidden" in incident.message
    assert len(server.requests) == 3  # the default: 3 retries


def test_error_boundary_events_route_404_and_500(server: LoopbackServer) -> None:
    task = rest_task(f'="{server.base}/site"', {"errorExpression": HTTP_ERRORS})
    xml = one_task_process(
        "routing", task, error_boundaries=[("admin", "404"), ("website_team", "500")]
    )
    harness = Harness()
    for status, boundary in ((404, "admin"), (500, "website_team")):
        server.route("GET", "/site", Reply(status))
        key = harness.start(xml)
        harness.drive()
        assert harness.state(key) == "COMPLETED"
        ended = [e.element_id for e in harness.engine.element_instances(key)]
        assert f"end_{boundary}" in ended
        assert "end" not in ended


def test_response_value_becomes_a_bpmn_error(server: LoopbackServer) -> None:
    server.route("GET", "/station", Reply(200, {"main": {"humidity": -3}}))
    harness = Harness()
    xml = one_task_process(
        "station", rest_task(f'="{server.base}/station"', {"errorExpression": HUMIDITY})
    )
    key = harness.start(xml)
    harness.drive()
    incident = harness.incident(key)
    assert incident.error_type == "UNHANDLED_ERROR_EVENT"
    assert "HUMIDITY-FAIL" in incident.message
    assert "Received invalid humidity" in incident.message


def test_valid_humidity_completes(server: LoopbackServer) -> None:
    server.route("GET", "/station", Reply(200, {"main": {"humidity": 40}}))
    harness = Harness()
    xml = one_task_process(
        "station",
        rest_task(
            f'="{server.base}/station"',
            {"errorExpression": HUMIDITY, "resultVariable": "reading"},
        ),
    )
    key = harness.start(xml)
    harness.drive()
    assert harness.state(key) == "COMPLETED"
    assert harness.variables(key)["reading"]["body"] == {"main": {"humidity": 40}}


def test_secret_in_a_header_with_the_legacy_form(server: LoopbackServer) -> None:
    server.route("GET", "/api", Reply(200, {"ok": True}))
    harness = Harness(secrets={"MY_API_KEY": "k-9f8e7d6c"})
    task = rest_task(
        f'="{server.base}/api"',
        {"resultVariable": "result"},
        headers='= { myHeader: "secrets.MY_API_KEY"}',
    )
    key = harness.start(one_task_process("secret_header", task))
    harness.drive()
    assert server.last("/api").headers["myheader"] == "k-9f8e7d6c"
    assert harness.state(key) == "COMPLETED"
    assert "k-9f8e7d6c" not in repr(harness.variables(key))
    assert "k-9f8e7d6c" not in repr(harness.engine.history(key))


def test_secret_placeholder_inside_a_feel_string(server: LoopbackServer) -> None:
    server.route("GET", "/acme-4711/accounting", Reply(200, {"books": []}))
    harness = Harness(secrets={"TENANT_ID": "acme-4711"})
    task = rest_task(
        '= "http://" + baseUrl + "/{{secrets.TENANT_ID}}/accounting"',
        {"resultVariable": "result"},
    )
    key = harness.start(
        one_task_process("secret_url", task), {"baseUrl": f"127.0.0.1:{server.port}"}
    )
    harness.drive()
    assert harness.state(key) == "COMPLETED"
    assert server.last().path == "/acme-4711/accounting"
    # the secret is replaced in the connector's copy only: never in variables or history
    assert "acme-4711" not in repr(harness.variables(key))
    assert "acme-4711" not in repr(harness.engine.history(key))


def test_missing_secret_is_an_incident_at_once(server: LoopbackServer) -> None:
    harness = Harness()
    task = rest_task(f'="{server.base}/{{{{secrets.NOT_THERE}}}}"', {})
    key = harness.start(one_task_process("missing", task))
    harness.drive()
    incident = harness.incident(key)
    assert incident.message == "Secret with name 'NOT_THERE' is not available"
    assert server.requests == []


def test_retries_twelve_are_honoured(server: LoopbackServer) -> None:
    server.route("GET", "/flaky", Reply(503))
    harness = Harness()
    task = connector_task(
        "task",
        inputs=[('="GET"', "method"), (f'="{server.base}/flaky"', "url")],
        retries="12",
    )
    key = harness.start(one_task_process("twelve", task))
    harness.drive()
    assert len(server.requests) == 12
    incident = harness.incident(key)
    assert incident.error_type == "JOB_NO_RETRIES"
    assert "Service Unavailable" in incident.message
