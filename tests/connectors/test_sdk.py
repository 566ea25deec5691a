"""Declaring connectors and finding them: decorator rules, references, entry points."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from flowwire.connectors import (
    ConnectorDefinitionError,
    ConnectorRegistry,
    OutboundContext,
    discover,
    load_reference,
    outbound_connector,
)
from flowwire.connectors.sdk import connector_of, installed_connectors

from .weather_connector_for_tests import WeatherInput, echo, weather


def test_the_decorator_keeps_the_function_and_describes_it() -> None:
    connector = connector_of(weather)
    assert connector.type == "io.example:weather:1"
    assert connector.name == "Weather"
    assert connector.input_model is WeatherInput
    assert connector.takes_context and connector.is_async
    plain = connector_of(echo)
    assert plain.input_model is None and not plain.takes_context and not plain.is_async
    assert plain.name == "echo"


def test_the_input_model_can_be_given_explicitly() -> None:
    class Model(BaseModel):
        x: int

    @outbound_connector(type="io.example:explicit:1", input_model=Model)
    def explicit(data, ctx):  # type: ignore[no-untyped-def]
        return None

    assert connector_of(explicit).input_model is Model


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type": ""}, "needs a job type"),
        ({"type": "x", "max_in_flight": 0}, "max_in_flight"),
        ({"type": "x", "timeout": timedelta(0)}, "timeout must be positive"),
    ],
)
def test_bad_declarations_are_explained(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConnectorDefinitionError, match=message):
        outbound_connector(**kwargs)


def test_a_function_with_the_wrong_parameters_is_refused() -> None:
    with pytest.raises(ConnectorDefinitionError, match="must take the input"):

        @outbound_connector(type="io.example:bad:1")
        def bad(a: Any, b: Any, c: Any) -> None: ...


def test_references_load_one_connector_or_a_list() -> None:
    [single] = load_reference("connectors.weather_connector_for_tests:weather")
    assert single.type == "io.example:weather:1"
    many = load_reference("connectors.weather_connector_for_tests:CONNECTORS")
    assert [c.type for c in many] == ["io.example:weather:1", "io.example:echo:1"]


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("no_colon", "is not a connector reference"),
        ("no_such_module_xyz:fn", "cannot import module 'no_such_module_xyz'"),
        ("connectors.weather_connector_for_tests:missing", "has no 'missing'"),
        ("connectors.weather_connector_for_tests:WeatherInput", "is not a connector"),
    ],
)
def test_bad_references_are_explained(reference: str, message: str) -> None:
    with pytest.raises(ConnectorDefinitionError, match=message):
        load_reference(reference)


def test_later_sources_replace_a_type() -> None:
    @outbound_connector(type="io.camunda:http-json:1", name="My REST")
    async def my_rest(data: dict[str, Any], ctx: OutboundContext) -> None:
        return None

    registry = discover(installed=False)
    registry.add(my_rest)
    replaced = registry.get("io.camunda:http-json:1")
    assert replaced is not None and replaced.name == "My REST"
    assert len(ConnectorRegistry([weather, echo])) == 2


def test_installed_packages_declare_connectors_as_entry_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "acme_connectors_for_tests.py").write_text(
        "from flowwire.connectors import outbound_connector\n"
        "@outbound_connector(type='io.acme:ping:1', name='Ping')\n"
        "def ping(data):\n"
        "    return {'pong': True}\n"
    )
    dist = tmp_path / "acme_connectors_for_tests-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-connectors\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[flowwire.connectors]\nping = acme_connectors_for_tests:ping\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert [c.type for c in installed_connectors()] == ["io.acme:ping:1"]
        assert "io.acme:ping:1" in discover().types()
        assert "io.acme:ping:1" not in discover(installed=False).types()
    finally:
        sys.modules.pop("acme_connectors_for_tests", None)


def test_a_broken_entry_point_names_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "broken_for_tests-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[flowwire.connectors]\nbroken = module_that_is_not_there_xyz:fn\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ConnectorDefinitionError, match="entry point 'broken'"):
        installed_connectors()
