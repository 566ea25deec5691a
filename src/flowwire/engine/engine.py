"""The engine API: every command is one store transaction.

A command loads what it needs, changes it in memory, lets the step loop carry the tokens as
far as they go (`Context.run`) and flushes everything in one commit. If anything raises, the
transaction rolls back and the store is exactly as before the command.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from flowwire import bpmn
from flowwire.bpmn import Definitions
from flowwire.engine import deletion, deployer, jobs, queries
from flowwire.engine.behaviors.base import merge_result
from flowwire.engine.behaviors.process import start_instance
from flowwire.engine.behaviors.registry import Registry, default_registry
from flowwire.engine.clock import Clock, SystemClock, from_millis, millis, to_millis
from flowwire.engine.deletion import DefinitionDeletion
from flowwire.engine.errors import (
    EngineError,
    InvalidArgument,
    InvalidState,
    NotFound,
    ThrowBpmnError,
)
from flowwire.engine.event_api import EventCommands
from flowwire.engine.flow import MAX_STEPS, Context
from flowwire.engine.incidents import mark_resolved
from flowwire.engine.models import ModelCache
from flowwire.engine.results import (
    ActivatedJob,
    Deployment,
    ElementInstanceInfo,
    HistoryEntry,
    IncidentInfo,
    InstanceInfo,
    InstanceResult,
    JobInfo,
    ProcessDefinition,
)
from flowwire.engine.state import ENDED
from flowwire.engine.values import NotJsonError, check_variables, encode
from flowwire.store.base import Store, StoreTransaction
from flowwire.store.records import IncidentState, InstanceRecord, InstanceState

log = logging.getLogger("flowwire.engine")

T = TypeVar("T")

#: an in-process job handler: gets the activated job, returns variables to complete it with
JobHandler = Callable[[ActivatedJob], Mapping[str, Any] | None]

#: told the job types of the jobs a commit created (see `Engine.add_job_listener`)
JobListener = Callable[[frozenset[str]], None]

#: the worker name jobs run by `run_until_idle` are activated under
IN_PROCESS_WORKER = "flowwire-in-process"


class Engine(EventCommands):
    """Runs Camunda 8 BPMN processes on a store. Safe to share between threads.

    Message, signal, timer and clock commands come from `EventCommands`."""

    def __init__(
        self,
        store: Store,
        clock: Clock | None = None,
        *,
        registry: Registry | None = None,
        max_steps_per_command: int = MAX_STEPS,
    ) -> None:
        """`max_steps_per_command` bounds the work of one command, so a process that loops
        without a wait state is rejected instead of hanging the engine."""
        self.store = store
        self.max_steps_per_command = max_steps_per_command
        self.clock: Clock = clock or SystemClock()
        self._registry = registry or default_registry()
        self._supported = self._registry.supported()
        self._models = ModelCache(self._parse_stored)
        self._handlers: dict[str, JobHandler] = {}
        self._batch = threading.local()
        self._job_listeners: list[JobListener] = []

    def close(self) -> None:
        """Close the store (the engine cannot be used afterwards)."""
        self.store.close()

    # -- plumbing -------------------------------------------------------------------------
    def _parse_stored(self, xml: bytes, resource_name: str) -> Definitions:
        return bpmn.parse(xml, resource_name=resource_name, supported=self._supported)

    def _context_time(self) -> tuple[int, datetime]:
        moment = self.clock.now()
        return to_millis(moment), moment

    def _context(self, tx: StoreTransaction, now: int, moment: datetime) -> Context:
        return Context(tx, self._models, self._registry, now, moment, self.max_steps_per_command)

    def _execute(self, command: Callable[[Context], T]) -> T:
        """Run one command in its own transaction, or in the open batch of `run_batch`."""
        batch: Context | None = getattr(self._batch, "ctx", None)
        if batch is not None:
            try:
                result = command(batch)
                batch.run()
                return result
            except NotJsonError as exc:
                raise InvalidArgument(str(exc)) from None
        now, moment = self._context_time()
        try:
            with self.store.transaction() as tx:
                ctx = self._context(tx, now, moment)
                result = command(ctx)
                ctx.run()
                ctx.flush()
        except NotJsonError as exc:
            raise InvalidArgument(str(exc)) from None
        self._committed(ctx)
        return result

    # -- job notifications ----------------------------------------------------------------
    def add_job_listener(self, listener: JobListener) -> None:
        """Call `listener(job_types)` after every commit that created jobs, so a worker in
        this process (the connector runtime) starts on them at once instead of at its next
        poll. It runs on the committing thread and must only hand the news on."""
        self._job_listeners.append(listener)

    def remove_job_listener(self, listener: JobListener) -> None:
        if listener in self._job_listeners:
            self._job_listeners.remove(listener)

    def _committed(self, ctx: Context) -> None:
        if self._job_listeners:
            created = ctx.created_job_types()
            if created:
                for listener in list(self._job_listeners):
                    try:
                        listener(created)
                    except Exception:
                        log.exception("a job listener failed")

    def run_batch(self, calls: Sequence[Callable[[], T]]) -> list[T]:
        """Run several command calls (e.g. `lambda: engine.create_instance(...)`) in one
        transaction and one unit of work, so concurrent requests share one commit and one
        flush instead of paying for their own (group commit; see `group_commit.py`).

        All or nothing: if any call raises, nothing of the batch is stored and the exception
        propagates; a caller that needs each command's own outcome then runs the calls one by
        one. Only commands that run as one `_execute` belong in a batch: a call that opens a
        transaction of its own (deploy, `await_completion`, queries) fails with a StoreError.
        """
        if getattr(self._batch, "ctx", None) is not None:
            raise InvalidState("run_batch cannot be nested")
        now, moment = self._context_time()
        with self.store.transaction() as tx:
            ctx = self._context(tx, now, moment)
            self._batch.ctx = ctx
            try:
                results = [call() for call in calls]
                ctx.flush()
            finally:
                self._batch.ctx = None
        self._committed(ctx)
        return results

    def _execute_batch(self, commands: Sequence[Callable[[Context], object]]) -> None:
        """Run several commands (one round of job results) in one transaction and one unit of
        work, so their writes are batched as well. If one of them is rejected or anything
        fails, that transaction rolls back and each command runs in its own instead."""
        if len(commands) > 1:
            now, moment = self._context_time()
            try:
                with self.store.transaction() as tx:
                    ctx = self._context(tx, now, moment)
                    for command in commands:
                        command(ctx)
                        ctx.run()
                    ctx.flush()
                self._committed(ctx)
                return
            except Exception as exc:
                log.info("applying %d job results one by one: %s", len(commands), exc)
        for command in commands:
            try:
                self._execute(command)
            except EngineError as exc:
                log.warning("a job result was rejected: %s", exc)

    # -- deployment -----------------------------------------------------------------------
    def deploy(
        self,
        source: str | bytes | Path | Sequence[str | bytes | Path],
        resource_name: str | None = None,
    ) -> Deployment:
        """Deploy one or more BPMN resources (paths or XML), all or nothing."""
        resources = deployer.read_sources(source, resource_name)
        parsed = deployer.parse_all(resources, self._supported)
        now, _ = self._context_time()
        with self.store.transaction() as tx:
            deployment_key, stored = deployer.store_versions(tx, parsed, now)
            self._open_start_events(tx, stored)
        for record, process in stored:
            if process is not None:
                self._models.put(record, process)
        return Deployment(deployment_key, [deployer.definition_info(r) for r, _ in stored])

    def delete_definition(self, key: int) -> DefinitionDeletion:
        """Delete a deployed process version (Camunda's resource deletion): it starts no new
        instance, its start events stop, running instances finish on it; see `deletion.py`."""
        return self._execute(lambda ctx: deletion.delete_definition(ctx, key))

    def definitions(self, process_id: str | None = None) -> list[ProcessDefinition]:
        with self.store.read() as tx:
            return [deployer.definition_info(r) for r in tx.definitions(process_id)]

    # -- instances ------------------------------------------------------------------------
    def create_instance(
        self,
        process_id: str | None = None,
        variables: Mapping[str, Any] | None = None,
        *,
        version: int | None = None,
        definition_key: int | None = None,
        await_completion: bool = False,
    ) -> InstanceResult:
        """Start an instance of the latest (or the given) version of a process.

        With `await_completion`, in-process handlers run until nothing is left to do; the
        result then carries the variables if the instance completed (else it is ACTIVE).
        """
        values = check_variables(variables)

        def command(ctx: Context) -> InstanceResult:
            if definition_key is not None:
                deployed = ctx.models.get(ctx.tx, definition_key)
                # asked of the store, not the cached model: another process (`flowwire
                # delete`) may have deleted this version since it was cached
                if deployed is None or (
                    ctx.tx.definition_key(
                        deployed.definition.process_id, deployed.definition.version
                    )
                    != definition_key
                ):
                    raise NotFound(f"no process definition with key {definition_key}")
            elif process_id is None:
                raise InvalidArgument("name the process to start: a process id or definition key")
            else:
                key = ctx.tx.definition_key(process_id, version)
                if key is None and version is not None:
                    raise NotFound(f"process '{process_id}' has no version {version}")
                if key is None:
                    raise NotFound(
                        f"no process with id '{process_id}' is deployed: deploy its BPMN file first"
                    )
                deployed = ctx.model(key)
            if deployed.none_start(deployed.process.id) is None:
                raise InvalidArgument(
                    f"process '{deployed.process.id}' has no none start event, so it cannot be "
                    "started by create_instance"
                )
            instance = start_instance(ctx, deployed, values)
            ctx.run()
            return _instance_result(instance, ctx.variables.local(instance.key))

        created = self._execute(command)
        if not await_completion or created.state != InstanceState.ACTIVE:
            return created
        self.run_until_idle()
        with self.store.read() as tx:
            record = tx.instance(created.key)
            assert record is not None
            return _instance_result(record, queries.variables(tx, created.key, None))

    def cancel_instance(self, instance_key: int) -> None:
        """Terminate a process instance: all its element instances, jobs and called instances."""

        def command(ctx: Context) -> None:
            instance = ctx.instance(instance_key)
            if instance is None:
                raise NotFound(f"no process instance with key {instance_key}")
            if instance.state != InstanceState.ACTIVE:
                raise InvalidState(
                    f"process instance {instance_key} is already {instance.state.lower()}"
                )
            if instance.parent_instance_key is not None:
                raise InvalidState(
                    f"process instance {instance_key} was started by a call activity of instance "
                    f"{instance.parent_instance_key}: cancel that instance instead"
                )
            ctx.lock(instance_key)
            root = ctx.element(instance_key)
            if root is None:
                raise InvalidState(f"process instance {instance_key} has no active root scope")
            ctx.terminate(root)

        self._execute(command)

    def set_variables(
        self, scope_key: int, variables: Mapping[str, Any], local: bool = False
    ) -> None:
        """Set variables on a process instance or element instance: propagated to where each
        name is defined (else the root), or all in that scope with `local=True`."""
        values = check_variables(variables)

        def command(ctx: Context) -> None:
            record = ctx.element(scope_key)
            if record is None or record.state in ENDED:
                raise NotFound(
                    f"no active process instance or element instance with key {scope_key}"
                )
            ctx.lock(record.instance_key)
            if local:
                ctx.variables.set_all_local(record, values)
            else:
                ctx.variables.propagate(record, values)

        self._execute(command)

    # -- jobs -----------------------------------------------------------------------------
    def activate_jobs(
        self,
        job_type: str,
        worker: str,
        max_jobs: int = 32,
        timeout: timedelta = timedelta(minutes=5),
        fetch_variables: Sequence[str] | None = None,
    ) -> list[ActivatedJob]:
        """Lease up to `max_jobs` jobs of a type to `worker` until now + `timeout`."""
        if max_jobs < 1:
            raise InvalidArgument(f"max_jobs must be at least 1, got {max_jobs}")
        if timeout < timedelta(0):
            raise InvalidArgument("the job timeout must not be negative")
        timeout_ms = millis(timeout)

        def command(ctx: Context) -> list[ActivatedJob]:
            activated = jobs.activate(ctx, job_type, worker, max_jobs, timeout_ms, fetch_variables)
            return [
                ActivatedJob(
                    key=job.key,
                    type=job.type,
                    process_instance_key=job.instance_key,
                    process_id=job.process_id,
                    process_version=job.version,
                    definition_key=job.definition_key,
                    element_id=job.element_id,
                    element_instance_key=job.element_instance_key,
                    custom_headers=dict(job.custom_headers),
                    worker=worker,
                    retries=job.retries,
                    deadline=from_millis(job.deadline or ctx.now),
                    variables=variables,
                )
                for job, variables in activated
            ]

        return self._execute(command)

    def complete_job(self, job_key: int, variables: Mapping[str, Any] | None = None) -> None:
        values = check_variables(variables)
        self._execute(lambda ctx: jobs.complete(ctx, job_key, values))

    def fail_job(
        self,
        job_key: int,
        retries: int,
        error_message: str = "",
        retry_backoff: timedelta = timedelta(0),
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        """Report a failed attempt: with retries left the job is retried after the backoff,
        with 0 an incident JOB_NO_RETRIES is raised. `variables` are set on the task."""
        values = check_variables(variables)
        backoff = millis(retry_backoff)
        self._execute(lambda ctx: jobs.fail(ctx, job_key, retries, error_message, backoff, values))

    def throw_error(
        self,
        job_key: int,
        error_code: str,
        error_message: str = "",
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        """Throw a BPMN error from the job's task (UNHANDLED_ERROR_EVENT if nothing catches)."""
        values = check_variables(variables)
        self._execute(lambda ctx: jobs.throw_error(ctx, job_key, error_code, error_message, values))

    def update_job_retries(self, job_key: int, retries: int) -> None:
        self._execute(lambda ctx: jobs.update_retries(ctx, job_key, retries))

    def update_job_timeout(self, job_key: int, timeout: timedelta) -> None:
        """Give an activated job a new deadline `timeout` from now (NotFound: no such open
        job; InvalidState: the job is not activated or its lease already ran out)."""
        timeout_ms = millis(timeout)
        self._execute(lambda ctx: jobs.update_timeout(ctx, job_key, timeout_ms))

    # -- user tasks -----------------------------------------------------------------------
    def complete_user_task(
        self, element_instance_key: int, variables: Mapping[str, Any] | None = None
    ) -> None:
        """Complete a waiting user task, optionally with variables (merged like a job's)."""
        values = check_variables(variables)

        def command(ctx: Context) -> None:
            record = ctx.element(element_instance_key)
            if record is None:
                raise NotFound(
                    f"no active user task with element instance key {element_instance_key} "
                    "(it does not exist, or it was already completed or terminated)"
                )
            if record.kind != bpmn.ElementKind.USER_TASK:
                raise InvalidArgument(
                    f"element instance {element_instance_key} is a {record.kind} "
                    f"('{record.element_id}'), not a user task"
                )
            if record.state != "ACTIVATED":
                raise InvalidState(
                    f"user task '{record.element_id}' ({element_instance_key}) is "
                    f"{record.state.lower()}, not waiting to be completed"
                )
            ctx.lock(record.instance_key)
            element = ctx.model_of(record).process.elements[record.element_id]
            ctx.record(record, "USER_TASK_COMPLETED")
            merge_result(ctx, element, record, values)
            ctx.complete(record)

        self._execute(command)

    # -- incidents ------------------------------------------------------------------------
    def resolve_incident(self, incident_key: int) -> None:
        """Mark an incident resolved and retry what failed (a job becomes activatable again,
        a failed activation or completion step runs again)."""

        def command(ctx: Context) -> None:
            incident = ctx.incident(incident_key)
            if incident is None:
                raise NotFound(f"no incident with key {incident_key}")
            if incident.state != IncidentState.ACTIVE:
                raise InvalidState(f"incident {incident_key} is already resolved")
            ctx.lock(incident.instance_key)
            record = ctx.element(incident.element_instance_key)
            if incident.job_key is not None:
                job = ctx.job(incident.job_key)
                if job is not None:
                    jobs.reopen(ctx, job)
                mark_resolved(ctx, incident, record)
                return
            mark_resolved(ctx, incident, record)
            if record is not None and record.state not in ENDED:
                ctx.retry(record)

        self._execute(command)

    # -- in-process workers ---------------------------------------------------------------
    def register_handler(self, job_type: str, handler: JobHandler) -> None:
        """Run `handler(job)` for jobs of this type in `run_until_idle`; the mapping it returns
        completes the job, raising fails it (one retry less), `ThrowBpmnError` throws."""
        self._handlers[job_type] = handler

    def run_until_idle(self, max_steps: int = 100_000) -> int:
        """Work off every activatable job that has an in-process handler and fire due timers,
        until none is left (or `max_steps` jobs ran). Returns the number of jobs handled."""
        handled = 0
        while handled < max_steps:
            progressed = self.fire_due_timers() > 0
            for job_type, handler in list(self._handlers.items()):
                batch = self.activate_jobs(
                    job_type, IN_PROCESS_WORKER, max_jobs=min(128, max_steps - handled)
                )
                if not batch:
                    continue
                progressed = True
                self._execute_batch([self._handle(handler, job) for job in batch])
                handled += len(batch)
                if handled >= max_steps:
                    break
            if not progressed:
                break
        return handled

    def _handle(self, handler: JobHandler, job: ActivatedJob) -> Callable[[Context], None]:
        """Run the handler now; return the command that reports its outcome."""
        try:
            result = handler(job)
            values = check_variables(result, "the handler's result")
            for value in values.values():
                encode(value)
        except ThrowBpmnError as thrown:
            code, message, extra = thrown.error_code, thrown.message, thrown.variables
            return lambda ctx: jobs.throw_error(ctx, job.key, code, message, extra)
        except Exception as exc:
            log.info("handler for job %s (%s) failed: %s", job.key, job.type, exc)
            text = str(exc) or type(exc).__name__
            retries = max(job.retries - 1, 0)
            return lambda ctx: jobs.fail(ctx, job.key, retries, text, 0, {})
        return lambda ctx: jobs.complete(ctx, job.key, values)

    # -- queries --------------------------------------------------------------------------
    def get_instance(self, instance_key: int) -> InstanceInfo:
        with self.store.read() as tx:
            info = queries.instance(tx, instance_key)
        if info is None:
            raise NotFound(f"no process instance with key {instance_key}")
        return info

    def instances(
        self, state: str | None = None, process_id: str | None = None, limit: int = 1000
    ) -> list[InstanceInfo]:
        with self.store.read() as tx:
            return queries.instances(tx, state, process_id, limit)

    def element_instances(self, instance_key: int) -> list[ElementInstanceInfo]:
        with self.store.read() as tx:
            if tx.instance(instance_key) is None:
                raise NotFound(f"no process instance with key {instance_key}")
            return queries.element_instances(tx, instance_key)

    def variables(self, instance_key: int, scope_key: int | None = None) -> dict[str, Any]:
        """The variables of a scope (default: the instance's root scope) as plain JSON values."""
        with self.store.read() as tx:
            if tx.instance(instance_key) is None:
                raise NotFound(f"no process instance with key {instance_key}")
            return queries.variables(tx, instance_key, scope_key)

    def incidents(
        self, state: str | None = "ACTIVE", instance_key: int | None = None
    ) -> list[IncidentInfo]:
        with self.store.read() as tx:
            return queries.incidents(tx, state, instance_key)

    def jobs(
        self,
        instance_key: int | None = None,
        state: str | None = None,
        job_type: str | None = None,
    ) -> list[JobInfo]:
        with self.store.read() as tx:
            return queries.jobs(tx, instance_key, state, job_type)

    def history(self, instance_key: int) -> list[HistoryEntry]:
        with self.store.read() as tx:
            if tx.instance(instance_key) is None:
                raise NotFound(f"no process instance with key {instance_key}")
            return queries.history(tx, instance_key)


def _instance_result(instance: InstanceRecord, variables: Mapping[str, Any]) -> InstanceResult:
    """The create_instance answer: variables only for an instance that already completed."""
    completed = instance.state == InstanceState.COMPLETED
    return InstanceResult(
        instance.key,
        instance.definition_key,
        instance.process_id,
        instance.version,
        instance.state,
        dict(variables) if completed else None,
    )
