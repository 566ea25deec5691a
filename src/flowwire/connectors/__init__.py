"""Outbound connectors: the runtime that turns connector tasks into calls, the Python SDK to
write connectors, secrets handling, and the built-in REST connector.

::

    from flowwire.connectors import outbound_connector, ConnectorError, OutboundContext

    @outbound_connector(type="io.example:weather:1", name="Weather")
    async def weather(input: WeatherInput, ctx: OutboundContext) -> dict: ...

The layer knows the engine only through the job contract (`flowwire.connectors.jobs`).
"""

from flowwire.connectors.context import OutboundContext
from flowwire.connectors.errors import (
    ConnectorDefinitionError,
    ConnectorError,
    ConnectorInputError,
    ConnectorRetryError,
    ConnectorsError,
    ConnectorTimeoutError,
    SecretNotFoundError,
)
from flowwire.connectors.fields import connector_field
from flowwire.connectors.jobs import EngineJobClient, Job, JobClient
from flowwire.connectors.runtime import (
    ConnectorRuntime,
    ConnectorSession,
    JobReport,
    run_connectors,
)
from flowwire.connectors.sdk import (
    ConnectorRegistry,
    OutboundConnector,
    discover,
    load_reference,
    outbound_connector,
)

__all__ = [
    "ConnectorDefinitionError",
    "ConnectorError",
    "ConnectorInputError",
    "ConnectorRegistry",
    "ConnectorRetryError",
    "ConnectorRuntime",
    "ConnectorSession",
    "ConnectorTimeoutError",
    "ConnectorsError",
    "EngineJobClient",
    "Job",
    "JobClient",
    "JobReport",
    "OutboundConnector",
    "OutboundContext",
    "SecretNotFoundError",
    "connector_field",
    "discover",
    "load_reference",
    "outbound_connector",
    "run_connectors",
]
