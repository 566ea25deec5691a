"""A connector written with the SDK, as a package author would: used by the template and
discovery tests (`--connector connectors.weather_connector_for_tests:weather`)."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import BaseModel

from flowwire.connectors import OutboundContext, connector_field, outbound_connector


class Units(enum.Enum):
    METRIC = "metric"
    IMPERIAL = "imperial"


class Location(BaseModel):
    city: str = connector_field(label="City", group="where", feel="optional")
    country: str | None = connector_field(None, label="Country code", group="where")


class WeatherInput(BaseModel):
    location: Location
    units: Units = connector_field(Units.METRIC, group="options")
    detail: Literal["current", "daily"] = connector_field("current", group="options")
    days: int = connector_field(3, label="Days ahead", group="options")
    alerts: bool = connector_field(False, group="options")
    apiKey: str = connector_field(label="API key", group="auth", secret=True)
    note: str | None = connector_field(
        None, template_type="Text", group="options", placeholder="anything"
    )


@outbound_connector(
    type="io.example:weather:1",
    name="Weather",
    groups=[("where", "Location"), ("options", "Options"), ("auth", "Authentication")],
)
async def weather(data: WeatherInput, ctx: OutboundContext) -> dict[str, object]:
    """Current weather for a city.

    Longer text that is not part of the template description.
    """
    return {"city": data.location.city, "units": data.units.value}


@outbound_connector(type="io.example:echo:1")
def echo(data: dict[str, object]) -> dict[str, object]:
    return data


CONNECTORS = [weather, echo]
