"""Element templates generated from connector input models validate against Camunda's schema
and describe the model: groups, labels, dropdowns, FEEL modes, conditions, the standard tail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from flowwire.cli.main import main
from flowwire.connectors import discover
from flowwire.connectors.sdk import connector_of
from flowwire.connectors.templates import element_template

from .weather_connector_for_tests import echo, weather

REFERENCE = "connectors.weather_connector_for_tests:CONNECTORS"


@pytest.fixture(scope="module")
def validator(shared_dir: Path) -> jsonschema.Draft7Validator:
    path = shared_dir / "element-templates" / "schema" / "zeebe-element-templates.schema.json"
    return jsonschema.Draft7Validator(json.loads(path.read_text(encoding="utf-8")))


def assert_valid(validator: jsonschema.Draft7Validator, template: dict[str, Any]) -> None:
    problems = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(template)]
    assert problems == []


def by_id(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in template["properties"] if "id" in p}


def test_the_schema_accepts_camundas_own_rest_template(
    validator: jsonschema.Draft7Validator, shared_dir: Path
) -> None:
    path = shared_dir / "element-templates" / "rest" / "http-json-connector.json"
    assert_valid(validator, json.loads(path.read_text(encoding="utf-8")))


def test_every_builtin_template_validates(validator: jsonschema.Draft7Validator) -> None:
    for connector in discover(installed=False):
        assert_valid(validator, element_template(connector))


def test_rest_template_uses_camundas_property_names() -> None:
    registry = discover(installed=False)
    rest = registry.get("io.camunda:http-json:1")
    assert rest is not None
    template = element_template(rest)
    bindings = {
        p["binding"].get("name")
        for p in template["properties"]
        if p["binding"]["type"] == "zeebe:input"
    }
    assert {
        "authentication.type",
        "authentication.token",
        "authentication.oauthTokenEndpoint",
        "authentication.clientAuthentication",
        "method",
        "url",
        "headers",
        "queryParameters",
        "body",
        "connectionTimeoutInSeconds",
        "readTimeoutInSeconds",
        "followRedirects",
        "ignoreNullValues",
    } <= bindings
    auth = by_id(template)["authentication.type"]
    assert [c["value"] for c in auth["choices"]][:2] == ["noAuth", "apiKey"]
    assert auth["value"] == "noAuth"
    token = by_id(template)["authentication.bearer.token"]
    assert token["condition"] == {
        "property": "authentication.type",
        "equals": "bearer",
        "type": "simple",
    }
    assert token["secret"] is True


def test_sdk_model_becomes_properties(validator: jsonschema.Draft7Validator) -> None:
    template = element_template(connector_of(weather))
    assert_valid(validator, template)
    assert template["id"] == "io.example.weather.v1"
    assert template["description"] == "Current weather for a city."
    assert [g["id"] for g in template["groups"]] == [
        "where",
        "options",
        "auth",
        "connector",
        "output",
        "error",
        "retries",
    ]
    props = by_id(template)
    assert props["location.city"]["label"] == "City"
    assert props["location.city"]["feel"] == "optional"
    assert props["location.city"]["binding"] == {"name": "location.city", "type": "zeebe:input"}
    assert props["location.city"]["constraints"] == {"notEmpty": True}
    assert props["location.country"]["optional"] is True
    assert props["units"]["type"] == "Dropdown"
    assert props["units"]["choices"] == [
        {"name": "METRIC", "value": "metric"},
        {"name": "IMPERIAL", "value": "imperial"},
    ]
    assert props["units"]["value"] == "metric"
    assert props["detail"]["choices"][1] == {"name": "daily", "value": "daily"}
    assert props["days"] == {
        **props["days"],
        "type": "Number",
        "value": 3,
        "label": "Days ahead",
        "feel": "static",
    }
    assert props["alerts"]["type"] == "Boolean" and props["alerts"]["value"] is False
    assert props["apiKey"]["secret"] is True
    assert props["note"]["type"] == "Text" and props["note"]["placeholder"] == "anything"
    tail = {p["id"]: p for p in template["properties"][-7:]}
    assert tail["resultExpression"]["binding"] == {
        "key": "resultExpression",
        "type": "zeebe:taskHeader",
    }
    assert tail["retryCount"]["binding"] == {"property": "retries", "type": "zeebe:taskDefinition"}
    assert template["properties"][0] == {
        "value": "io.example:weather:1",
        "binding": {"property": "type", "type": "zeebe:taskDefinition"},
        "type": "Hidden",
    }


def test_a_connector_without_a_model_gets_the_tail_only(
    validator: jsonschema.Draft7Validator,
) -> None:
    template = element_template(connector_of(echo))
    assert_valid(validator, template)
    assert [p.get("id") for p in template["properties"]][1:3] == ["version", "id"]


def test_cli_exports_each_connector_as_a_file(
    tmp_path: Path, validator: jsonschema.Draft7Validator
) -> None:
    result = CliRunner().invoke(
        main,
        ["templates", "export", "-o", str(tmp_path / "out"), "--connector", REFERENCE],
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "io.example-weather-1.json" in names
    assert "io.camunda-http-json-1.json" in names
    for path in (tmp_path / "out").iterdir():
        assert_valid(validator, json.loads(path.read_text(encoding="utf-8")))


def test_cli_exports_chosen_types_and_names_unknown_ones(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "templates",
            "export",
            "io.example:weather:1",
            "-o",
            str(tmp_path),
            "--connector",
            REFERENCE,
        ],
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["io.example-weather-1.json"]
    result = runner.invoke(main, ["templates", "export", "io.nope:1", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "no connector for type 'io.nope:1'" in result.output


def test_cli_reports_a_bad_reference(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["templates", "export", "-o", str(tmp_path), "--connector", "no_such_module:fn"]
    )
    assert result.exit_code == 1
    assert "cannot import module 'no_such_module'" in result.output
