"""The outbound connector runtime: an asyncio job worker for every registered connector type.

For each job: parse the runtime's task headers, replace secret references in the variables,
bind them to the connector's input model, run the connector (cancelled when the job's lease
runs out), map the result and evaluate the error expression (`outcome`), mask secret values,
then complete, fail or throw on the job. It speaks to the engine only through `JobClient`.

`ConnectorRuntime` is the async API (`run_until_idle()` for tests and one-shot runs, `serve()`
for a long-running worker); `ConnectorSession` wraps it for synchronous callers such as the
CLI, keeping one event loop (and so one HTTP connection pool and OAuth token cache) alive.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import httpx

from flowwire.connectors.binding import bind_input
from flowwire.connectors.context import OutboundContext, job_logger
from flowwire.connectors.errors import (
    ConnectorInputError,
    ConnectorTimeoutError,
)
from flowwire.connectors.headers import TEMPLATE_ID, TEMPLATE_VERSION, ConnectorHeaders
from flowwire.connectors.jobs import EngineJobClient, Job, JobClient
from flowwire.connectors.outcome import (
    Complete,
    Fail,
    Outcome,
    ThrowError,
    incident_now,
    on_failure,
    on_success,
)
from flowwire.connectors.resources import SharedResources
from flowwire.connectors.sdk import ConnectorRegistry, OutboundConnector, discover
from flowwire.connectors.secrets.masking import install_log_masking, mask_text, mask_value
from flowwire.connectors.secrets.placeholders import replace_secrets
from flowwire.connectors.secrets.providers import SecretResolver, default_resolver

log = logging.getLogger(__name__)

DEFAULT_WORKER = "flowwire-connectors"


@dataclass(frozen=True, slots=True)
class JobReport:
    """What the runtime did with one job, for logs and for `flowwire run`'s output."""

    job: Job
    connector: str
    outcome: Outcome | None
    seconds: float
    command_error: str | None = None

    @property
    def template_id(self) -> str | None:
        """The element template the task was modeled with (`elementTemplateId`), for metrics."""
        return self.job.custom_headers.get(TEMPLATE_ID)

    @property
    def template_version(self) -> str | None:
        return self.job.custom_headers.get(TEMPLATE_VERSION)

    def describe(self) -> str:
        where = f"{self.job.element_id} ({self.job.type}, job {self.job.key})"
        took = f"{self.seconds:.2f}s"
        if self.command_error is not None:
            return f"connector {where}: the engine refused the result: {self.command_error}"
        outcome = self.outcome
        if isinstance(outcome, Complete):
            names = ", ".join(sorted(outcome.variables)) or "no variables"
            return f"connector {where}: completed in {took} -> {names}"
        if isinstance(outcome, ThrowError):
            text = f": {outcome.message}" if outcome.message else ""
            return f"connector {where}: threw BPMN error '{outcome.code}'{text} after {took}"
        if isinstance(outcome, Fail):
            if outcome.retries <= 0:
                return f"connector {where}: failed, no retries left (incident): {outcome.message}"
            wait = f", next try in {outcome.backoff}" if outcome.backoff else ""
            return (
                f"connector {where}: failed after {took}: {outcome.message} "
                f"({outcome.retries} retries left{wait})"
            )
        return f"connector {where}: no outcome"


ReportCallback = Callable[[JobReport], None]


class ConnectorRuntime:
    """Runs connector jobs against an engine; use as `async with ConnectorRuntime(...)`."""

    def __init__(
        self,
        engine: Any,
        connectors: ConnectorRegistry | Iterable[Any] | None = None,
        *,
        secrets: SecretResolver | None = None,
        worker: str = DEFAULT_WORKER,
        poll_interval: float = 0.1,
        http_client: httpx.AsyncClient | None = None,
        on_report: ReportCallback | None = None,
        commands: Any = None,
    ) -> None:
        """`commands`: the server's `GroupCommitter`, so job results share its transactions."""
        self.client: JobClient = _job_client(engine, commands)
        self._owns_client = self.client is not engine
        if connectors is None:
            registry = discover()
        elif isinstance(connectors, ConnectorRegistry):
            registry = connectors
        else:
            registry = ConnectorRegistry(connectors)
        self.registry = registry
        self.secrets = secrets if secrets is not None else default_resolver()
        self.worker = worker
        self.poll_interval = poll_interval
        self._http_client = http_client
        self._owns_http = http_client is None
        self._on_report = on_report
        self._wake: dict[str, asyncio.Event] = {}
        self._listening: tuple[Any, Callable[[frozenset[str]], None]] | None = None
        self.resources = SharedResources()

    # -- lifecycle ----------------------------------------------------------------------
    async def __aenter__(self) -> ConnectorRuntime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def start(self) -> None:
        install_log_masking()
        if self._http_client is None:
            self._http_client = new_http_client()
        engine: Any = getattr(self.client, "engine", None)
        if self._listening is None and hasattr(engine, "add_job_listener"):
            loop = asyncio.get_running_loop()

            def jobs_created(job_types: frozenset[str]) -> None:
                if not loop.is_closed():
                    loop.call_soon_threadsafe(self._wake_types, job_types)

            engine.add_job_listener(jobs_created)
            self._listening = (engine, jobs_created)

    def _wake_types(self, job_types: frozenset[str]) -> None:
        """New jobs of these types exist: their pollers activate now, not at the next poll."""
        for job_type in job_types:
            event = self._wake.get(job_type)
            if event is not None:
                event.set()

    async def aclose(self) -> None:
        if self._listening is not None:
            engine, listener = self._listening
            engine.remove_job_listener(listener)
            self._listening = None
        await self.resources.aclose()
        if self._http_client is not None and self._owns_http:
            await self._http_client.aclose()
            self._http_client = None
        if self._owns_client and isinstance(self.client, EngineJobClient):
            self.client.close()

    @property
    def http_client(self) -> httpx.AsyncClient:
        if self._http_client is None:
            self._http_client = new_http_client()
        return self._http_client

    # -- running ------------------------------------------------------------------------
    async def run_until_idle(
        self, max_rounds: int = 10_000, *, wait_for_retries: timedelta | None = None
    ) -> int:
        """Activate and run jobs until a round finds none; returns how many jobs ran.

        Jobs waiting out a retry backoff are not activatable yet: by default they end the run;
        with `wait_for_retries` the run waits (in real time, at most that long in all) for
        them to come due, so a one-shot run ends with each job done or out of retries.
        """
        handled = 0
        loop = asyncio.get_running_loop()
        wait_until = (
            None if wait_for_retries is None else loop.time() + wait_for_retries.total_seconds()
        )
        for _ in range(max_rounds):
            batch: list[tuple[OutboundConnector, Job]] = []
            for connector in self.registry:
                jobs = await self.client.activate_jobs(
                    connector.type, self.worker, connector.max_in_flight, connector.timeout
                )
                batch.extend((connector, job) for job in jobs)
            if batch:
                await asyncio.gather(*(self._handle(c, job) for c, job in batch))
                handled += len(batch)
                continue
            if wait_until is None or loop.time() >= wait_until or not await self._backing_off():
                return handled
            await asyncio.sleep(min(self.poll_interval * 5, max(wait_until - loop.time(), 0)))
        return handled

    async def _backing_off(self) -> bool:
        """Whether a job of a registered type waits for its retry backoff to pass."""
        waiting = getattr(self.client, "waiting_jobs", None)
        if waiting is None:
            return False
        for connector in self.registry:
            if await waiting(connector.type):
                return True
        return False

    async def serve(self, stop: asyncio.Event | None = None) -> None:
        """Poll every connector type until `stop` is set, then let running jobs finish."""
        stop = stop or asyncio.Event()
        pollers = [
            asyncio.create_task(self._poll(connector, stop), name=f"poll {connector.type}")
            for connector in self.registry
        ]
        try:
            await asyncio.gather(*pollers)
        finally:
            for poller in pollers:
                poller.cancel()

    async def _poll(self, connector: OutboundConnector, stop: asyncio.Event) -> None:
        wake = self._wake.setdefault(connector.type, asyncio.Event())
        running: set[asyncio.Task[JobReport]] = set()
        stopping = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                # cleared before activating: a wake-up that arrives meanwhile (a job committed
                # just after this activation looked) makes the next wait return at once
                wake.clear()
                free = connector.max_in_flight - len(running)
                activated = 0
                if free > 0:
                    try:
                        jobs = await self.client.activate_jobs(
                            connector.type, self.worker, free, connector.timeout
                        )
                    except Exception:
                        log.exception("activating jobs of type %s failed", connector.type)
                        jobs = []
                    activated = len(jobs)
                    for job in jobs:
                        task = asyncio.create_task(self._handle(connector, job))
                        running.add(task)
                        task.add_done_callback(running.discard)
                        task.add_done_callback(lambda _: self._wake_all())
                if activated and len(running) < connector.max_in_flight:
                    continue
                waiter = asyncio.create_task(wake.wait())
                await asyncio.wait(
                    {waiter, stopping}, timeout=self.poll_interval, return_when="FIRST_COMPLETED"
                )
                waiter.cancel()
        finally:
            stopping.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)

    def _wake_all(self) -> None:
        for event in self._wake.values():
            event.set()

    # -- one job ------------------------------------------------------------------------
    async def handle(self, job: Job) -> JobReport:
        """Run one activated job (its type must be registered) and send the outcome."""
        connector = self.registry.get(job.type)
        if connector is None:
            report = JobReport(job, "", incident_now(f"no connector for job type '{job.type}'"), 0)
            await self._send(job, report.outcome)  # type: ignore[arg-type]
            return report
        return await self._handle(connector, job)

    async def _handle(self, connector: OutboundConnector, job: Job) -> JobReport:
        started = time.perf_counter()
        outcome = await self._outcome(connector, job)
        outcome = _masked(outcome)
        command_error = await self._send(job, outcome)
        report = JobReport(
            job, connector.type, outcome, time.perf_counter() - started, command_error
        )
        log.info("%s", mask_text(report.describe()))
        if self._on_report is not None:
            try:
                self._on_report(report)
            except Exception:
                log.exception("the job report callback failed")
        return report

    async def _outcome(self, connector: OutboundConnector, job: Job) -> Outcome:
        try:
            headers = ConnectorHeaders.parse(job.custom_headers)
        except ConnectorInputError as exc:
            return incident_now(exc.message)
        try:
            variables = replace_secrets(job.variables, self.secrets.require)
            value: Any = variables
            if connector.input_model is not None:
                value = bind_input(connector.input_model, variables)
        except ConnectorInputError as exc:
            return incident_now(exc.message)
        context = OutboundContext(
            job=job,
            logger=job_logger(job),
            secrets=self.secrets,
            variables=variables,
            resources=self.resources,
            _http_client=self.http_client,
        )
        limit = _cancel_after(connector.timeout)
        try:
            result = await asyncio.wait_for(connector.call(value, context), limit)
        except TimeoutError:
            timeout = ConnectorTimeoutError(
                message=(
                    f"the connector did not finish within {limit:.0f}s (the job's lease is "
                    f"{connector.timeout}) and was cancelled"
                )
            )
            return on_failure(job, headers, timeout)
        except Exception as exc:
            return on_failure(job, headers, exc)
        return on_success(job, headers, result)

    async def _send(self, job: Job, outcome: Outcome) -> str | None:
        """Send the outcome; returns the engine's refusal as text, or None when accepted."""
        try:
            await self._command(job, outcome)
            return None
        except Exception as exc:
            problem = getattr(exc, "problem_type", None)
            message = mask_text(str(exc))
            if problem == "INVALID_ARGUMENT" and not isinstance(outcome, Fail):
                # e.g. a result the engine cannot store: an incident says so
                try:
                    await self._command(job, incident_now(message))
                except Exception as second:
                    log.warning(
                        "job %s: failing it also failed: %s", job.key, mask_text(str(second))
                    )
            log.warning("job %s: the engine refused the outcome: %s", job.key, message)
            return message

    async def _command(self, job: Job, outcome: Outcome) -> None:
        if isinstance(outcome, Complete):
            await self.client.complete_job(job.key, outcome.variables)
        elif isinstance(outcome, ThrowError):
            await self.client.throw_error(job.key, outcome.code, outcome.message, outcome.variables)
        else:
            await self.client.fail_job(
                job.key, outcome.retries, outcome.message, outcome.backoff, outcome.variables
            )


def _cancel_after(lease: timedelta) -> float:
    """Seconds to let a connector run: its lease less a margin to report before it expires."""
    seconds = lease.total_seconds()
    return max(seconds - min(1.0, seconds * 0.1), seconds * 0.5)


def _masked(outcome: Outcome) -> Outcome:
    if isinstance(outcome, Complete):
        return Complete(mask_value(outcome.variables))
    if isinstance(outcome, ThrowError):
        return ThrowError(outcome.code, mask_text(outcome.message), mask_value(outcome.variables))
    return replace(
        outcome,
        message=mask_text(outcome.message),
        variables=mask_value(outcome.variables) if outcome.variables else outcome.variables,
    )


def _job_client(engine: Any, commands: Any = None) -> JobClient:
    activate = getattr(engine, "activate_jobs", None)
    if activate is None:
        raise TypeError(f"{type(engine).__name__} has no activate_jobs(): pass an Engine")
    if inspect.iscoroutinefunction(activate):
        return engine
    return EngineJobClient(engine, commands=commands)


def new_http_client() -> httpx.AsyncClient:
    """The shared client: pooled connections, proxies from the standard environment variables,
    no automatic redirects (each request decides)."""
    return httpx.AsyncClient(
        trust_env=True,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        timeout=httpx.Timeout(20.0),
    )


class ConnectorSession:
    """A `ConnectorRuntime` for synchronous code, on an event loop of its own::

    with ConnectorSession(engine, discover(["my_pkg.weather:weather"])) as session:
        session.run_until_idle()
    """

    def __init__(self, engine: Any, connectors: Any = None, **options: Any) -> None:
        self._runner = asyncio.Runner()
        self.runtime = ConnectorRuntime(engine, connectors, **options)
        self._runner.run(self.runtime.start())

    def run_until_idle(
        self, max_rounds: int = 10_000, *, wait_for_retries: timedelta | None = None
    ) -> int:
        """See `ConnectorRuntime.run_until_idle`."""
        return self._runner.run(
            self.runtime.run_until_idle(max_rounds, wait_for_retries=wait_for_retries)
        )

    def close(self) -> None:
        try:
            self._runner.run(self.runtime.aclose())
        finally:
            self._runner.close()

    def __enter__(self) -> ConnectorSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_connectors(
    engine: Any,
    references: Iterable[str] = (),
    *,
    on_report: ReportCallback | None = None,
    secrets: SecretResolver | None = None,
    wait_for_retries: timedelta | None = None,
) -> int:
    """Run every available connector's jobs until none is left (waiting up to
    `wait_for_retries` for jobs in a retry backoff); returns how many ran."""
    with ConnectorSession(
        engine, discover(references), on_report=on_report, secrets=secrets
    ) as session:
        return session.run_until_idle(wait_for_retries=wait_for_retries)
