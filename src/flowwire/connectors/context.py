"""What a connector function gets besides its input: the job's identity, headers and tools."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flowwire.connectors.jobs import Job
from flowwire.connectors.resources import SharedResources
from flowwire.connectors.secrets.masking import mask_text

if TYPE_CHECKING:
    import httpx

    from flowwire.connectors.secrets.providers import SecretResolver


class MaskingLogger(logging.LoggerAdapter):
    """A logger that masks secret values and tags each line with the job it belongs to."""

    def log(self, level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
        if not self.isEnabledFor(level):
            return
        text = str(msg) % args if args else str(msg)
        extra = dict(self.extra or {})
        kwargs["extra"] = {**extra, **(kwargs.get("extra") or {})}
        prefix = f"[job {extra.get('job_key')} {extra.get('element_id')}] "
        self.logger.log(level, prefix + mask_text(text), **kwargs)


@dataclass
class OutboundContext:
    """Passed as the second argument to a connector function.

    `headers` are the task headers (`zeebe:taskHeader`); `variables` the job's variables with
    secrets already replaced (the input model is usually the better way to read them).
    """

    job: Job
    logger: logging.Logger | logging.LoggerAdapter
    secrets: SecretResolver
    variables: dict[str, Any] = field(default_factory=dict)
    #: objects kept for the life of the runtime (caches, clients), see `SharedResources`
    resources: SharedResources = field(default_factory=SharedResources)
    _http_client: httpx.AsyncClient | None = None

    @property
    def job_key(self) -> int:
        return self.job.key

    @property
    def job_type(self) -> str:
        return self.job.type

    @property
    def element_id(self) -> str:
        return self.job.element_id

    @property
    def element_instance_key(self) -> int:
        return self.job.element_instance_key

    @property
    def process_instance_key(self) -> int:
        return self.job.process_instance_key

    @property
    def process_id(self) -> str:
        return self.job.process_id

    @property
    def retries(self) -> int:
        return self.job.retries

    @property
    def headers(self) -> dict[str, str]:
        return self.job.custom_headers

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The runtime's shared HTTP client (connection pooling, proxies from the environment)."""
        if self._http_client is None:
            raise RuntimeError(
                "this context has no HTTP client; run the connector through ConnectorRuntime"
            )
        return self._http_client


def job_logger(job: Job, base: logging.Logger | None = None) -> MaskingLogger:
    return MaskingLogger(
        base or logging.getLogger("flowwire.connectors.job"),
        {"job_key": job.key, "element_id": job.element_id, "job_type": job.type},
    )
