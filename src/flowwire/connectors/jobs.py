"""The job contract the connector runtime needs, and its adapter for the in-process engine.

The runtime knows jobs only through `JobClient` (activate, complete, fail, throw error) — the
contract a Camunda 8 cluster offers too — so the same runtime can later drive a remote engine.
`EngineJobClient` runs the synchronous `flowwire.engine.Engine` calls in a worker thread of its
own, so a slow store never blocks the event loop that runs the connectors — or, given a
`GroupCommitter` (as in `flowwire serve`), sends activations and job results through it on the
event loop, so they share transactions with each other and with the webhook and REST API
commands.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Job:
    """An activated job as the runtime sees it (a copy of the engine's `ActivatedJob`)."""

    key: int
    type: str
    process_instance_key: int
    element_id: str
    element_instance_key: int
    retries: int
    deadline: datetime | None
    custom_headers: dict[str, str] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    process_id: str = ""
    process_version: int | None = None
    definition_key: int | None = None
    worker: str = ""

    @classmethod
    def from_activated(cls, activated: Any) -> Job:
        """Copy the fields of an engine `ActivatedJob` (or any object with the same names)."""
        return cls(
            key=activated.key,
            type=activated.type,
            process_instance_key=activated.process_instance_key,
            element_id=activated.element_id,
            element_instance_key=activated.element_instance_key,
            retries=int(activated.retries),
            deadline=getattr(activated, "deadline", None),
            custom_headers=dict(getattr(activated, "custom_headers", None) or {}),
            variables=dict(getattr(activated, "variables", None) or {}),
            process_id=getattr(activated, "process_id", ""),
            process_version=getattr(activated, "process_version", None),
            definition_key=getattr(activated, "definition_key", None),
            worker=getattr(activated, "worker", ""),
        )


class JobClient(Protocol):
    """What the runtime asks of an engine. Every method may raise the engine's errors."""

    async def activate_jobs(
        self, job_type: str, worker: str, max_jobs: int, timeout: timedelta
    ) -> list[Job]: ...

    async def complete_job(self, job_key: int, variables: Mapping[str, Any]) -> None: ...

    async def fail_job(
        self,
        job_key: int,
        retries: int,
        error_message: str,
        retry_backoff: timedelta,
        variables: Mapping[str, Any] | None,
    ) -> None: ...

    async def throw_error(
        self,
        job_key: int,
        error_code: str,
        error_message: str,
        variables: Mapping[str, Any] | None,
    ) -> None: ...


class EngineJobClient:
    """`JobClient` for an in-process `flowwire.engine.Engine` (any object with its job API)."""

    def __init__(self, engine: Any, *, threads: int = 1, commands: Any = None) -> None:
        """`commands`: a `flowwire.engine.group_commit.GroupCommitter` for the job results."""
        self.engine = engine
        self.commands = commands
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="flowwire-jobs"
        )

    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(*args, **kwargs))

    async def activate_jobs(
        self, job_type: str, worker: str, max_jobs: int, timeout: timedelta
    ) -> list[Job]:
        activated = await self._run(
            self.engine.activate_jobs, job_type, worker, max_jobs=max_jobs, timeout=timeout
        )
        return [Job.from_activated(job) for job in activated]

    async def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """An engine command: in the next group commit when there is a committer (activations
        and results then share transactions with everything else), else on the thread."""
        if self.commands is not None:
            return await self.commands.run(fn, *args, **kwargs)
        return await self._call(fn, *args, **kwargs)

    async def complete_job(self, job_key: int, variables: Mapping[str, Any]) -> None:
        await self._run(self.engine.complete_job, job_key, dict(variables))

    async def fail_job(
        self,
        job_key: int,
        retries: int,
        error_message: str,
        retry_backoff: timedelta,
        variables: Mapping[str, Any] | None,
    ) -> None:
        await self._run(
            self.engine.fail_job,
            job_key,
            retries,
            error_message=error_message,
            retry_backoff=retry_backoff,
            variables=dict(variables) if variables else None,
        )

    async def throw_error(
        self,
        job_key: int,
        error_code: str,
        error_message: str,
        variables: Mapping[str, Any] | None,
    ) -> None:
        await self._run(
            self.engine.throw_error,
            job_key,
            error_code,
            error_message=error_message,
            variables=dict(variables) if variables else None,
        )

    async def waiting_jobs(self, job_type: str) -> int:
        """How many jobs of the type are not activated yet (after an empty activation: the
        ones waiting out a retry backoff)."""
        jobs = await self._call(self.engine.jobs, state="ACTIVATABLE", job_type=job_type)
        return len(jobs)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
