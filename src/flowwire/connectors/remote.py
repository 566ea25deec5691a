"""A `JobClient` over Camunda's REST API (v2): the connector runtime as a remote job worker.

The same contract as the in-process engine (activate, complete, fail, throw error), spoken to
any server of the Orchestration Cluster API: another `flowwire serve`, or a Camunda 8 cluster.
Activation long-polls (`requestTimeout`), so an idle worker costs one open request per job
type; when the server cannot be reached, activation backs off (up to `max_backoff`) instead
of hammering it. Refusals come back as `RemoteApiError` with the engine's `problem_type`, so
the runtime treats them exactly like the in-process engine's errors.

Authentication: none, a bearer token, basic credentials, or OAuth client credentials (the
token is fetched from the identity provider and renewed before it expires).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Generator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from flowwire.connectors.jobs import Job

log = logging.getLogger(__name__)

_PROBLEMS = {400: "INVALID_ARGUMENT", 404: "NOT_FOUND", 409: "INVALID_STATE"}


class RemoteApiError(Exception):
    """The API refused a command; `problem_type` as the engine's errors (NOT_FOUND, ...)."""

    def __init__(self, status: int, detail: str, title: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.problem_type = _PROBLEMS.get(status, title or "REMOTE_ERROR")


class BearerToken(httpx.Auth):
    """A fixed bearer token (`flowwire serve --api-token`)."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


class OAuthClientCredentials(httpx.Auth):
    """OAuth 2.0 client credentials, as Camunda 8 clusters (self-managed Identity/Keycloak,
    SaaS) issue them; the token is cached until shortly before it expires and fetched again
    once if the API answers 401."""

    requires_response_body = True

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        audience: str | None = None,
        scope: str | None = None,
        refresh_margin: float = 30.0,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.audience = audience
        self.scope = scope
        self.refresh_margin = refresh_margin
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def _token_request(self) -> httpx.Request:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        if self.audience:
            form["audience"] = self.audience
        if self.scope:
            form["scope"] = self.scope
        return httpx.Request("POST", self.token_url, data=form)

    def _store(self, response: httpx.Response) -> None:
        if response.status_code != 200:
            raise RemoteApiError(
                response.status_code,
                f"the OAuth server {self.token_url} refused the client credentials "
                f"({response.status_code}): {response.text[:300]}; check the client id, "
                "secret and audience",
                "UNAUTHORIZED",
            )
        body = response.json()
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise RemoteApiError(
                502, f"the OAuth server {self.token_url} answered without an access_token"
            )
        lifetime = float(body.get("expires_in") or 300)
        with self._lock:
            self._token = token
            self._expires = time.monotonic() + max(lifetime - self.refresh_margin, 1.0)

    def _valid_token(self) -> str | None:
        with self._lock:
            if self._token is not None and time.monotonic() < self._expires:
                return self._token
            return None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._valid_token()
        if token is None:
            self._store((yield self._token_request()))
            token = self._valid_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self._store((yield self._token_request()))
            request.headers["Authorization"] = f"Bearer {self._valid_token()}"
            yield request


def api_base(rest_address: str) -> str:
    """The `/v2` base URL from a REST address given with or without it."""
    base = rest_address.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"the REST address must start with http:// or https://, got {base!r}")
    return base if base.endswith("/v2") else f"{base}/v2"


class RemoteJobClient:
    """`JobClient` for a Camunda 8 REST API; use as `async with RemoteJobClient(url)`.
    `request_timeout` is how long an activation waits for jobs (0: answer at once)."""

    def __init__(
        self,
        rest_address: str,
        *,
        auth: httpx.Auth | None = None,
        request_timeout: timedelta = timedelta(seconds=5),
        max_backoff: timedelta = timedelta(seconds=10),
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base = api_base(rest_address)
        self.request_timeout_ms = int(request_timeout / timedelta(milliseconds=1))
        self.max_backoff = max_backoff.total_seconds()
        self._http = http_client or httpx.AsyncClient(
            auth=auth,
            timeout=httpx.Timeout(30.0, read=self.request_timeout_ms / 1000 + 30.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
        )
        self._owns_http = http_client is None
        self._failures = 0

    async def __aenter__(self) -> RemoteJobClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def _post(self, path: str, body: Mapping[str, Any] | None) -> httpx.Response:
        response = await self._http.post(f"{self.base}{path}", json=body)
        if response.status_code >= 400:
            raise _error(response)
        return response

    async def activate_jobs(
        self, job_type: str, worker: str, max_jobs: int, timeout: timedelta
    ) -> list[Job]:
        """Long-poll for jobs; an unreachable or failing server answers `[]` after a backoff."""
        body = {
            "type": job_type,
            "worker": worker,
            "maxJobsToActivate": max_jobs,
            "timeout": int(timeout / timedelta(milliseconds=1)),
            # 0 would mean the server's default wait; no wait is -1
            "requestTimeout": self.request_timeout_ms if self.request_timeout_ms > 0 else -1,
        }
        try:
            response = await self._post("/jobs/activation", body)
        except (httpx.TransportError, RemoteApiError) as exc:
            if isinstance(exc, RemoteApiError) and exc.status < 500 and exc.status != 429:
                raise
            self._failures += 1
            delay = min(0.5 * 2 ** min(self._failures - 1, 10), self.max_backoff)
            log.warning(
                "activating %s jobs at %s failed (%s); retrying in %.1fs",
                job_type,
                self.base,
                exc,
                delay,
            )
            await asyncio.sleep(delay)
            return []
        self._failures = 0
        return [_job(item) for item in response.json().get("jobs", [])]

    async def complete_job(self, job_key: int, variables: Mapping[str, Any]) -> None:
        await self._post(f"/jobs/{job_key}/completion", {"variables": dict(variables)})

    async def fail_job(
        self,
        job_key: int,
        retries: int,
        error_message: str,
        retry_backoff: timedelta,
        variables: Mapping[str, Any] | None,
    ) -> None:
        body: dict[str, Any] = {
            "retries": retries,
            "errorMessage": error_message,
            "retryBackOff": int(retry_backoff / timedelta(milliseconds=1)),
        }
        if variables:
            body["variables"] = dict(variables)
        await self._post(f"/jobs/{job_key}/failure", body)

    async def throw_error(
        self,
        job_key: int,
        error_code: str,
        error_message: str,
        variables: Mapping[str, Any] | None,
    ) -> None:
        body: dict[str, Any] = {"errorCode": error_code, "errorMessage": error_message}
        if variables:
            body["variables"] = dict(variables)
        await self._post(f"/jobs/{job_key}/error", body)


def _error(response: httpx.Response) -> RemoteApiError:
    title = None
    detail = response.text[:1000]
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        title = body.get("title") if isinstance(body.get("title"), str) else None
        if isinstance(body.get("detail"), str):
            detail = body["detail"]
    return RemoteApiError(response.status_code, f"{response.status_code}: {detail}", title)


def _job(item: Mapping[str, Any]) -> Job:
    deadline = item.get("deadline")
    version = item.get("processDefinitionVersion")
    definition = item.get("processDefinitionKey")
    return Job(
        key=int(item["jobKey"]),
        type=str(item["type"]),
        process_instance_key=int(item["processInstanceKey"]),
        element_id=str(item.get("elementId", "")),
        element_instance_key=int(item["elementInstanceKey"]),
        retries=int(item.get("retries", 0)),
        deadline=(
            datetime.fromtimestamp(deadline / 1000, UTC) if isinstance(deadline, int) else None
        ),
        custom_headers={str(k): str(v) for k, v in (item.get("customHeaders") or {}).items()},
        variables=dict(item.get("variables") or {}),
        process_id=str(item.get("processDefinitionId", "")),
        process_version=int(version) if version is not None else None,
        definition_key=int(definition) if definition is not None else None,
        worker=str(item.get("worker", "")),
    )
