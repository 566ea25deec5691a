"""The built-in REST connector (`io.camunda:http-json:1`)."""

from flowwire.connectors.rest.connector import TYPE, http_json
from flowwire.connectors.rest.model import HttpJsonRequest

__all__ = ["TYPE", "HttpJsonRequest", "http_json"]
