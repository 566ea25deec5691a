"""Jobs: the work a job-worker task hands to a worker, and the commands workers send back.

A job is ACTIVATABLE until a worker activates it, which leases it until a deadline; an expired
lease makes it activatable again (the `due` column holds "next activatable at"). Completing it
completes the task; failing it with retries left makes it activatable again after the backoff;
failing it with no retries left (or throwing an uncaught BPMN error) raises an incident that,
once the retries are raised and the incident resolved, makes it activatable again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flowwire.bpmn import Element
from flowwire.bpmn.expressions import is_expression
from flowwire.engine import expressions
from flowwire.engine.behaviors.base import merge_result
from flowwire.engine.bpmn_errors import throw_bpmn_error
from flowwire.engine.errors import InvalidArgument, InvalidState, NotFound
from flowwire.engine.flow import Context
from flowwire.engine.incidents import ErrorType, StepFailure, create_incident
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import (
    ElementInstanceRecord,
    ElementState,
    HistoryRecord,
    JobRecord,
    JobState,
)

#: states in which a worker may still report on a job
_OPEN = (JobState.ACTIVATABLE, JobState.ACTIVATED)


def create_job(
    ctx: Context, deployed: DeployedProcess, element: Element, record: ElementInstanceRecord
) -> JobRecord:
    """Create the job of a job-worker element instance (type and retries may be FEEL)."""
    definition = element.task_definition
    assert definition is not None
    visible = None
    if is_expression(definition.type) or is_expression(definition.retries):
        visible = ctx.variables.visible(record)
    job_type = definition.type
    if visible is not None and is_expression(job_type):
        job_type = expressions.expect(job_type, visible, ctx.clock, "STRING")
    retries = _retries(ctx, definition.retries, visible)
    process = deployed.definition
    job = JobRecord(
        key=ctx.next_key(),
        type=job_type,
        state=JobState.ACTIVATABLE,
        retries=retries,
        due=ctx.now,
        worker=None,
        deadline=None,
        instance_key=record.instance_key,
        element_instance_key=record.key,
        element_id=element.id,
        definition_key=process.key,
        process_id=process.process_id,
        version=process.version,
        custom_headers=element.task_headers,
        scopes=(*record.path, record.key),
        error_message=None,
        created_at=ctx.now,
    )
    ctx.add_job(job)
    record.data["job"] = job.key
    ctx.record(record, "JOB_CREATED", {"job_key": job.key, "type": job_type, "retries": retries})
    return job


def _retries(ctx: Context, text: str, visible: dict[str, Any] | None) -> int:
    if visible is not None and is_expression(text):
        value = expressions.expect(text, visible, ctx.clock, "NUMBER")
    else:
        value = text.strip()
    try:
        return int(value)
    except (TypeError, ValueError):
        raise StepFailure(
            ErrorType.EXTRACT_VALUE_ERROR,
            f"the job retries '{text}' are not a whole number: write e.g. retries=\"3\"",
        ) from None


def cancel_jobs(ctx: Context, record: ElementInstanceRecord) -> None:
    """The element instance is terminated: its open job can no longer be worked on."""
    key = record.data.get("job")
    if key is None:
        return
    job = ctx.job(key)
    if job is None or job.state in (JobState.COMPLETED, JobState.CANCELED):
        return
    job.state = JobState.CANCELED
    job.ended_at = ctx.now
    job.due = None
    ctx.job_changed(job)
    ctx.record(record, "JOB_CANCELED", {"job_key": job.key})


# -- worker commands ------------------------------------------------------------------------
def activate(
    ctx: Context,
    job_type: str,
    worker: str,
    max_jobs: int,
    timeout_ms: int,
    fetch_variables: Sequence[str] | None,
) -> list[tuple[JobRecord, dict[str, Any]]]:
    """Lease up to `max_jobs` activatable jobs of a type; returns each with its variables."""
    jobs = ctx.tx.claim_jobs(job_type, ctx.now, max_jobs)
    if not jobs:
        return []
    deadline = ctx.now + timeout_ms
    ctx.variables.preload(sorted({scope for job in jobs for scope in job.scopes}))
    models = ctx.models
    result = []
    for job in jobs:
        job = ctx.jobs.setdefault(job.key, job)
        transition = (
            "JOB_TIMED_OUT_REACTIVATED" if job.state == JobState.ACTIVATED else "JOB_ACTIVATED"
        )
        job.state = JobState.ACTIVATED
        job.worker = worker
        job.deadline = deadline
        job.due = deadline
        ctx.job_changed(job)
        deployed = models.get(ctx.tx, job.definition_key)
        kind = deployed.process.elements[job.element_id].kind if deployed else None
        ctx.history.append(
            HistoryRecord(
                job.instance_key,
                ctx.now,
                job.element_instance_key,
                None,
                job.element_id,
                kind,
                transition,
                {"job_key": job.key, "worker": worker},
            )
        )
        variables = ctx.variables.visible_in(job.scopes)
        if fetch_variables is not None:
            variables = {n: variables[n] for n in fetch_variables if n in variables}
        result.append((job, variables))
    return result


def _open_job(ctx: Context, key: int, action: str) -> tuple[JobRecord, ElementInstanceRecord]:
    job = ctx.job(key)
    if job is None or job.state in (JobState.COMPLETED, JobState.CANCELED):
        raise NotFound(
            f"no open job with key {key}: it does not exist, or it was already completed or "
            "canceled"
        )
    if job.state not in _OPEN:
        raise InvalidState(f"cannot {action} job {key}: it is {_describe(job.state)}")
    ctx.preload_elements(job.scopes)
    record = ctx.element(job.element_instance_key)
    if record is None or record.state != ElementState.ACTIVATED:
        raise InvalidState(f"cannot {action} job {key}: its element instance is no longer active")
    ctx.lock(record.instance_key)
    return job, record


def _describe(state: str) -> str:
    return {
        JobState.FAILED: "failed without retries and waits for its incident to be resolved",
        JobState.ERROR_THROWN: "waiting for its unhandled-error incident to be resolved",
    }.get(JobState(state), state.lower())


def _element(ctx: Context, record: ElementInstanceRecord) -> Element:
    return ctx.model_of(record).process.elements[record.element_id]


def complete(ctx: Context, key: int, variables: Mapping[str, Any]) -> None:
    job, record = _open_job(ctx, key, "complete")
    job.state = JobState.COMPLETED
    job.ended_at = ctx.now
    job.due = None
    ctx.job_changed(job)
    ctx.record(record, "JOB_COMPLETED", {"job_key": key})
    merge_result(ctx, _element(ctx, record), record, variables)
    ctx.complete(record)


def fail(
    ctx: Context,
    key: int,
    retries: int,
    error_message: str,
    backoff_ms: int,
    variables: Mapping[str, Any],
) -> None:
    if retries < 0:
        raise InvalidArgument(f"retries must be 0 or more, got {retries}")
    if backoff_ms < 0:
        raise InvalidArgument("the retry backoff must not be negative")
    job, record = _open_job(ctx, key, "fail")
    if variables:
        ctx.variables.set_all_local(record, variables)
    job.retries = retries
    job.error_message = error_message or None
    job.worker = None
    job.deadline = None
    ctx.job_changed(job)
    ctx.record(
        record,
        "JOB_FAILED",
        {"job_key": key, "retries": retries, "message": error_message, "backoff_ms": backoff_ms},
    )
    if retries > 0:
        job.state = JobState.ACTIVATABLE
        job.due = ctx.now + backoff_ms
        return
    job.state = JobState.FAILED
    job.due = None
    create_incident(
        ctx,
        record,
        ErrorType.JOB_NO_RETRIES,
        error_message or "No more retries left.",
        job_key=key,
    )


def throw_error(
    ctx: Context, key: int, error_code: str, error_message: str, variables: Mapping[str, Any]
) -> None:
    if not error_code:
        raise InvalidArgument("an error code is required to throw a BPMN error")
    job, record = _open_job(ctx, key, "throw an error for")
    job.state = JobState.ERROR_THROWN
    job.error_message = error_message or None
    job.worker = None
    job.deadline = None
    job.due = None
    ctx.job_changed(job)
    ctx.record(
        record, "JOB_ERROR_THROWN", {"job_key": key, "code": error_code, "message": error_message}
    )
    throw_bpmn_error(ctx, record, error_code, error_message, variables, job_key=key)


def update_retries(ctx: Context, key: int, retries: int) -> None:
    if retries < 1:
        raise InvalidArgument(
            f"retries must be at least 1 to make the job workable again, got {retries}"
        )
    job = ctx.job(key)
    if job is None or job.state in (JobState.COMPLETED, JobState.CANCELED):
        raise NotFound(f"no open job with key {key}: it does not exist or has finished")
    job.retries = retries
    ctx.job_changed(job)
    record = ctx.element(job.element_instance_key)
    if record is not None:
        ctx.record(record, "JOB_RETRIES_UPDATED", {"job_key": key, "retries": retries})


def update_timeout(ctx: Context, key: int, timeout_ms: int) -> None:
    """Move an activated job's deadline to `timeout_ms` from now (Zeebe's timeout update): a
    worker that needs longer extends its lease instead of losing the job to another worker."""
    if timeout_ms < 0:
        raise InvalidArgument(f"the job timeout must not be negative, got {timeout_ms} ms")
    job = ctx.job(key)
    if job is None or job.state in (JobState.COMPLETED, JobState.CANCELED):
        raise NotFound(f"no open job with key {key}: it does not exist or has finished")
    deadline = job.deadline
    if job.state != JobState.ACTIVATED or deadline is None or deadline <= ctx.now:
        state = "timed out" if job.state == JobState.ACTIVATED else _describe(job.state)
        raise InvalidState(
            f"cannot update the timeout of job {key}: it is {state}, not activated; "
            "only a job a worker holds has a timeout"
        )
    job.deadline = job.due = ctx.now + timeout_ms
    ctx.job_changed(job)
    record = ctx.element(job.element_instance_key)
    if record is not None:
        ctx.record(record, "JOB_TIMEOUT_UPDATED", {"job_key": key, "deadline": job.deadline})


def reopen(ctx: Context, job: JobRecord) -> None:
    """Make a job activatable again after its incident was resolved."""
    if job.retries <= 0:
        raise InvalidState(
            f"job {job.key} has no retries left: update its retries (update_job_retries) "
            "before resolving the incident"
        )
    job.state = JobState.ACTIVATABLE
    job.due = ctx.now
    job.worker = None
    job.deadline = None
    ctx.job_changed(job)
