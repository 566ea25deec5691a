"""A real HTTP server on loopback for connector tests: scripted routes, recorded requests,
and an OAuth 2.0 token endpoint (client credentials and refresh token grants)."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(self.body.decode())


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    reason: str | None = None
    delay: float = 0.0

    def encoded(self) -> tuple[bytes, list[tuple[str, str]]]:
        headers = list(self.headers)
        if self.body is None:
            return b"", headers
        if isinstance(self.body, bytes):
            return self.body, headers
        if isinstance(self.body, str):
            if not any(k.lower() == "content-type" for k, _ in headers):
                headers.append(("Content-Type", "text/plain; charset=utf-8"))
            return self.body.encode(), headers
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "application/json; charset=utf-8"))
        return json.dumps(self.body).encode(), headers


Route = Callable[[Recorded], Reply]


@dataclass
class OAuthServer:
    client_id: str = "flowwire-client"
    client_secret: str = "s3cr3t-client"
    refresh_token: str = "refresh-me"
    expires_in: int = 3600
    issued: list[str] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def token_route(self, request: Recorded) -> Reply:
        self.requests.append(request)
        form = {k: v[0] for k, v in request.form().items()}
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        header = request.headers.get("authorization", "")
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        grant = form.get("grant_type")
        if grant == "client_credentials":
            ok = client_id == self.client_id and client_secret == self.client_secret
        elif grant == "refresh_token":
            ok = client_id == self.client_id and form.get("refresh_token") == self.refresh_token
        else:
            return Reply(400, {"error": "unsupported_grant_type"})
        if not ok:
            return Reply(401, {"error": "invalid_client", "error_description": "bad credentials"})
        token = f"token-{len(self.issued) + 1}"
        self.issued.append(token)
        return Reply(
            200, {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}
        )

    def protected_route(self, request: Recorded) -> Reply:
        header = request.headers.get("authorization", "")
        if header.startswith("Bearer ") and header[7:] in self.issued:
            return Reply(200, {"token": header[7:]})
        return Reply(401, {"error": "invalid_token"})


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (e.g. after its read timeout) is not a test failure."""


class LoopbackServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Recorded] = []
        self.oauth = OAuthServer()
        self.route("POST", "/oauth/token", self.oauth.token_route)
        self.route("GET", "/oauth/protected", self.oauth.protected_route)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parsed = urllib.parse.urlsplit(self.path)
                recorded = Recorded(
                    self.command,
                    parsed.path,
                    urllib.parse.parse_qs(parsed.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                recorded.raw_path = self.path  # type: ignore[attr-defined]
                server.requests.append(recorded)
                route = server.routes.get((self.command, parsed.path)) or server.routes.get(
                    ("*", parsed.path)
                )
                reply = route(recorded) if route else Reply(404, {"error": "no route"})
                if reply.delay:
                    time.sleep(reply.delay)
                data, headers = reply.encoded()
                self.send_response(reply.status, reply.reason)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def route(self, method: str, path: str, route: Route | Reply) -> None:
        self.routes[(method, path)] = (
            route if callable(route) else (lambda _r, _reply=route: _reply)
        )

    def last(self, path: str | None = None) -> Recorded:
        matching = [r for r in self.requests if path is None or r.path == path]
        assert matching, f"no request to {path}"
        return matching[-1]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
