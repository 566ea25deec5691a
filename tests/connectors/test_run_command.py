"""`flowwire run` runs connector tasks in-process: one command takes a process with a REST
connector task to completion, or to an incident with a non-zero exit code."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from flowwire.cli.main import main
from support.http_server import LoopbackServer, Reply

from .models import connector_task, one_task_process


def _model(tmp_path: Path, url: str, *, retries: str = "1") -> Path:
    task = connector_task(
        "task",
        inputs=[
            ("noAuth", "authentication.type"),
            ("GET", "method"),
            (url, "url"),
        ],
        headers={"resultExpression": "={temperature: response.body.current.temperature}"},
        retries=retries,
    )
    path = tmp_path / "weather.bpmn"
    path.write_text(one_task_process("weather", task), encoding="utf-8")
    return path


def test_run_completes_a_rest_connector_task_and_prints_the_call(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.route("GET", "/weather", Reply(200, {"current": {"temperature": 21.5}}))
    result = CliRunner().invoke(main, ["run", str(_model(tmp_path, f"{server.base}/weather"))])
    assert result.exit_code == 0, result.output
    assert "connector task (io.camunda:http-json:1" in result.output
    assert "completed in" in result.output
    assert '"temperature": 21.5' in result.output
    assert [r.path for r in server.requests] == ["/weather"]


def test_run_exits_non_zero_with_the_incident_when_the_call_keeps_failing(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.route("GET", "/weather", Reply(503, {"error": "down"}))
    result = CliRunner().invoke(main, ["run", str(_model(tmp_path, f"{server.base}/weather"))])
    assert result.exit_code == 1, result.output
    assert "JOB_NO_RETRIES at element 'task'" in result.output


def test_run_names_a_connector_reference_that_cannot_be_loaded(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["run", str(_model(tmp_path, "http://127.0.0.1:9/x")), "--connector", "no_such:thing"],
    )
    assert result.exit_code == 1
    assert "no_such" in result.output
