"""Who may call the API: nobody needs credentials on loopback; elsewhere a bearer token or
basic credentials are required, and exposing the API without them must be asked for."""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress

from starlette.types import ASGIApp, Receive, Scope, Send

from flowwire.api.problems import ApiProblem, problem_response

#: paths (inside the API) anyone may read: the API description holds no data
PUBLIC_PATHS = frozenset({"/openapi.json"})


class InsecureBinding(ValueError):
    """Serving the API beyond loopback without credentials was not explicitly allowed."""


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(
    host: str, *, token: str | None, basic: tuple[str, str] | None, insecure: bool
) -> None:
    """Refuse to serve the API on a non-loopback address without credentials."""
    if is_loopback(host) or token or basic or insecure:
        return
    raise InsecureBinding(
        f"refusing to serve the REST API on {host} without credentials: anyone who can reach "
        "that address could deploy and run processes. Pass --api-token TOKEN (or basic "
        "credentials), bind to 127.0.0.1, or add --insecure if the network is trusted."
    )


class RequireCredentials:
    """ASGI middleware: every request but the public ones carries the token or credentials."""

    def __init__(self, app: ASGIApp, *, token: str | None, basic: tuple[str, str] | None) -> None:
        self.app = app
        self.token = token
        self.basic = basic

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        path = scope.get("root_path", "") + scope.get("path", "")
        response = problem_response(
            ApiProblem(
                401,
                "this flowwire API needs credentials: send 'Authorization: Bearer <token>' "
                "(flowwire serve --api-token) or basic credentials",
            ),
            path,
        )
        await response(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        path: str = scope.get("path", "")
        root: str = scope.get("root_path", "")
        if path.removeprefix(root) in PUBLIC_PATHS:
            return True
        header = ""
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                header = value.decode("latin-1")
                break
        scheme, _, credentials = header.partition(" ")
        credentials = credentials.strip()
        if self.token and scheme.lower() == "bearer":
            return hmac.compare_digest(credentials.encode(), self.token.encode())
        if self.basic and scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return False
            user, _, password = decoded.partition(":")
            return hmac.compare_digest(user.encode(), self.basic[0].encode()) & hmac.compare_digest(
                password.encode(), self.basic[1].encode()
            )
        return False
