"""Inbound connectors: webhooks that start process instances (and, with message correlation,
wake waiting ones), configured by `zeebe:property` entries as Camunda's templates write them."""

from flowwire.connectors.inbound.config import (
    WEBHOOK_TYPE,
    ConfigProblem,
    InboundConfigError,
    WebhookConfig,
    parse_webhook,
)
from flowwire.connectors.inbound.manager import InboundManager, deploy_paths
from flowwire.connectors.inbound.registry import Activation, Endpoint, Registry
from flowwire.connectors.inbound.request import IncomingRequest, request_context
from flowwire.connectors.inbound.webhook import Reply, handle, method_allowed, rejection

__all__ = [
    "WEBHOOK_TYPE",
    "Activation",
    "ConfigProblem",
    "Endpoint",
    "InboundConfigError",
    "InboundManager",
    "IncomingRequest",
    "Registry",
    "Reply",
    "WebhookConfig",
    "deploy_paths",
    "handle",
    "method_allowed",
    "parse_webhook",
    "rejection",
    "request_context",
]
