"""A task built from Camunda's REST element template runs unchanged: the model is written
the way Camunda Modeler applies the template's default values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest

from support.http_server import LoopbackServer, Reply

from .models import one_task_process
from .support import Harness


def applies(prop: dict[str, Any], values: dict[str, Any]) -> bool:
    condition = prop.get("condition")
    if not condition:
        return True
    current = values.get(condition["property"])
    if "equals" in condition:
        return current == condition["equals"]
    if "oneOf" in condition:
        return current in condition["oneOf"]
    return True


def modeled_source(prop: dict[str, Any], value: Any) -> str:
    """How Camunda Modeler writes a value into the XML."""
    if prop.get("feel") == "required":
        return "=" + str(value)
    if isinstance(value, bool):
        return "=" + ("true" if value else "false")
    if isinstance(value, int | float):
        return "=" + str(value)
    return str(value)


def task_from_template(template: dict[str, Any], user_values: dict[str, Any]) -> str:
    values = {p["id"]: p["value"] for p in template["properties"] if "id" in p and "value" in p}
    values.update(user_values)
    job_type, retries = "", "3"
    inputs: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    for prop in template["properties"]:
        value = values.get(prop.get("id", ""), prop.get("value"))
        binding = prop["binding"]
        if value is None or value == "" or not applies(prop, values):
            continue
        if binding["type"] == "zeebe:taskDefinition":
            if binding["property"] == "type":
                job_type = value
            else:
                retries = str(value)
        elif binding["type"] == "zeebe:input":
            inputs.append((modeled_source(prop, value), binding["name"]))
        elif binding["type"] == "zeebe:taskHeader":
            headers.append((binding["key"], modeled_source(prop, value)))
    mapping = "".join(
        f"<zeebe:input source={quoteattr(s)} target={quoteattr(t)} />" for s, t in inputs
    )
    header_xml = "".join(
        f"<zeebe:header key={quoteattr(k)} value={quoteattr(v)} />" for k, v in headers
    )
    return (
        f'<bpmn:serviceTask id="task" name="REST" zeebe:modelerTemplate="{template["id"]}" '
        f'zeebe:modelerTemplateVersion="{template["version"]}">'
        "<bpmn:extensionElements>"
        f'<zeebe:taskDefinition type="{job_type}" retries="{retries}" />'
        f"<zeebe:ioMapping>{mapping}</zeebe:ioMapping>"
        f"<zeebe:taskHeaders>{header_xml}</zeebe:taskHeaders>"
        "</bpmn:extensionElements>"
        "<bpmn:incoming>to_task</bpmn:incoming><bpmn:outgoing>from_task</bpmn:outgoing>"
        "</bpmn:serviceTask>"
    )


@pytest.fixture
def rest_template(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "element-templates" / "rest" / "http-json-connector.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_defaults_of_the_shared_rest_template_run_unchanged(
    server: LoopbackServer, rest_template: dict[str, Any]
) -> None:
    server.route("GET", "/posts/1", Reply(200, {"post": {"userId": 7}}))
    task = task_from_template(rest_template, {"url": f"{server.base}/posts/1"})
    assert 'source="GET" target="method"' in task
    assert 'source="noAuth" target="authentication.type"' in task
    harness = Harness()
    key = harness.start(one_task_process("templated", task))
    harness.drive()
    assert harness.engine.incidents(instance_key=key) == []
    # the template's default result expression: {myResponseBody: response.body}
    assert harness.variables(key) == {"myResponseBody": {"post": {"userId": 7}}}
    request = server.last("/posts/1")
    assert request.method == "GET"
    assert "authorization" not in request.headers


def test_the_shared_template_with_feel_values_runs(
    server: LoopbackServer, rest_template: dict[str, Any]
) -> None:
    """The same task with every choice written as FEEL (`="GET"`), the form the engine
    evaluates today; the template's default headers, retries and backoff are kept."""
    server.route("POST", "/posts", Reply(201, {"id": 101}))
    task = task_from_template(
        rest_template,
        {
            "url": f'="{server.base}/posts"',
            "method": "POST",
            "body": '={title: "hello"}',
            "authentication.type": "bearer",
            "authentication.token": "t-0123456789",
        },
    )
    for static in ("POST", "bearer", "JSON", "t-0123456789"):
        task = task.replace(f'source="{static}"', f'source="=&quot;{static}&quot;"')
    harness = Harness()
    key = harness.start(one_task_process("templated", task))
    harness.drive()
    assert harness.variables(key) == {"myResponseBody": {"id": 101}}
    assert harness.reports[0].template_id == "io.camunda.connectors.HttpJson.v2"
    assert harness.reports[0].template_version == "17"
    request = server.last("/posts")
    assert request.json() == {"title": "hello"}
    assert request.headers["authorization"] == "Bearer t-0123456789"
