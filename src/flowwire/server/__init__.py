"""The HTTP side of `flowwire serve`: an ASGI app (Starlette) with health, the inbound
connector listing and the webhook endpoints."""

from flowwire.server.app import DEFAULT_MAX_BODY_BYTES, create_app

__all__ = ["DEFAULT_MAX_BODY_BYTES", "create_app"]
