"""Jobs: long-polling activation, completion, failure, BPMN errors, retries updates.

Activation answers as soon as jobs of the type exist; otherwise it waits up to the request's
`requestTimeout`, woken by any command sent through this API and rechecking the engine a few
times a second (timers, retry backoffs and webhooks create work without an API call).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api.bodies import DEFAULT_TENANT, Fields, check_tenant, json_object
from flowwire.api.clock_control import epoch_millis
from flowwire.api.context import RECHECK_SECONDS, ApiContext, api_context, path_key
from flowwire.api.problems import bad_request, not_implemented
from flowwire.engine import ActivatedJob
from flowwire.engine.clock import to_millis

#: the long-polling time when a request gives no (or a zero) requestTimeout, as Zeebe's gateway
DEFAULT_REQUEST_TIMEOUT_MS = 10_000
_LEASES = "job leases are not implemented; activate without 'withLease'"


async def activate_jobs(request: Request) -> Response:
    fields = Fields(
        await json_object(request),
        known=(
            "type",
            "worker",
            "timeout",
            "maxJobsToActivate",
            "fetchVariable",
            "requestTimeout",
            "tenantIds",
            "tenantFilter",
        ),
        unsupported={"withLease": _LEASES},
        where="the job activation",
    )
    job_type = fields.required_string("type")
    worker = fields.string("worker") or "default"
    timeout = fields.duration_ms("timeout", required=True, minimum=1)
    max_jobs = fields.integer("maxJobsToActivate", required=True, minimum=1, maximum=10_000)
    fetch = fields.string_list("fetchVariable")
    check_tenant(fields.string_list("tenantIds"), "the job activation")
    tenant_filter = fields.string("tenantFilter")
    if tenant_filter not in (None, "PROVIDED", "ASSIGNED"):
        raise bad_request(f"'tenantFilter' must be PROVIDED or ASSIGNED, got {tenant_filter!r}")
    wait_ms = fields.integer("requestTimeout")
    if wait_ms is None or wait_ms == 0:
        wait_ms = DEFAULT_REQUEST_TIMEOUT_MS
    assert timeout is not None and max_jobs is not None

    context = api_context(request)
    wait_ms = min(wait_ms, context.max_wait_ms)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max(wait_ms, 0) / 1000
    first_try = True
    while True:
        # after the first try a read decides whether the activating write is worth it, so a
        # wake-up of many waiting workers does not become as many write transactions
        if first_try or _activatable(context, job_type):
            # inline like a command, but leasing jobs gives no other worker anything to do
            jobs = context.engine.activate_jobs(
                job_type,
                worker,
                max_jobs=max_jobs,
                timeout=timedelta(milliseconds=timeout),
                fetch_variables=fetch,
            )
            if jobs:
                return JSONResponse({"jobs": [_job(job) for job in jobs]})
        first_try = False
        remaining = deadline - loop.time()
        if remaining <= 0 or await request.is_disconnected():
            return JSONResponse({"jobs": []})
        await context.wait_for_change(min(RECHECK_SECONDS, remaining))


def _activatable(context: ApiContext, job_type: str) -> bool:
    """Whether a job of the type could be activated now: a read, cheaper than the write
    transaction of an activation that finds nothing."""
    engine = context.engine
    with engine.store.read() as tx:
        return bool(tx.claim_jobs(job_type, to_millis(engine.clock.now()), 1))


def _job(job: ActivatedJob) -> dict[str, Any]:
    return {
        "type": job.type,
        "processDefinitionId": job.process_id,
        "processDefinitionVersion": job.process_version,
        "elementId": job.element_id,
        "customHeaders": job.custom_headers,
        "worker": job.worker,
        "retries": job.retries,
        "deadline": epoch_millis(job.deadline),
        "variables": job.variables,
        "tenantId": DEFAULT_TENANT,
        "physicalTenantId": "default",
        "jobKey": str(job.key),
        "processInstanceKey": str(job.process_instance_key),
        "processDefinitionKey": str(job.definition_key),
        "elementInstanceKey": str(job.element_instance_key),
        "kind": "BPMN_ELEMENT",
        "listenerEventType": "UNSPECIFIED",
        "userTask": None,
        "tags": [],
        "rootProcessInstanceKey": str(job.process_instance_key),
        "businessId": None,
        "priority": 0,
    }


async def complete_job(request: Request) -> Response:
    key = path_key(request, "jobKey")
    fields = Fields(
        await json_object(request, optional=True),
        known=("variables",),
        unsupported={
            "result": "job results (user task corrections, ad-hoc activation) are not implemented",
            "jobLeaseToken": _LEASES,
            "businessId": "business ids are not implemented",
        },
        where="the job completion",
    )
    context = api_context(request)
    await context.command(context.engine.complete_job, key, fields.variables())
    return Response(status_code=204)


async def fail_job(request: Request) -> Response:
    key = path_key(request, "jobKey")
    fields = Fields(
        await json_object(request, optional=True),
        known=("retries", "errorMessage", "retryBackOff", "variables"),
        unsupported={"jobLeaseToken": _LEASES},
        where="the job failure",
    )
    retries = fields.integer("retries", minimum=0) or 0
    backoff = fields.duration_ms("retryBackOff") or 0
    context = api_context(request)
    await context.command(
        context.engine.fail_job,
        key,
        retries,
        error_message=fields.string("errorMessage") or "",
        retry_backoff=timedelta(milliseconds=backoff),
        variables=fields.variables(),
    )
    return Response(status_code=204)


async def throw_error(request: Request) -> Response:
    key = path_key(request, "jobKey")
    fields = Fields(
        await json_object(request),
        known=("errorCode", "errorMessage", "variables"),
        unsupported={"jobLeaseToken": _LEASES},
        where="the job error",
    )
    code = fields.required_string("errorCode")
    context = api_context(request)
    await context.command(
        context.engine.throw_error,
        key,
        code,
        error_message=fields.string("errorMessage") or "",
        variables=fields.variables(),
    )
    return Response(status_code=204)


async def update_job(request: Request) -> Response:
    key = path_key(request, "jobKey")
    fields = Fields(
        await json_object(request),
        known=("changeset",),
        unsupported={"jobLeaseToken": _LEASES},
        where="the job update",
    )
    changeset = fields.raw("changeset")
    if not isinstance(changeset, dict):
        raise bad_request(
            "the job update needs 'changeset': an object with 'retries' and/or 'timeout'"
        )
    change = Fields(
        changeset, known=("retries", "timeout", "priority"), where="the job update's changeset"
    )
    if change.raw("priority") is not None:
        raise not_implemented(
            "flowwire has no job priorities ('changeset.priority'): jobs are activated "
            "oldest first; leave 'priority' out"
        )
    retries = change.integer("retries", minimum=1)
    timeout = change.duration_ms("timeout", minimum=0)
    if retries is None and timeout is None:
        raise bad_request(
            "the job update's changeset needs 'retries' (at least 1) and/or 'timeout' "
            "(ms from now, at least 0)"
        )
    context = api_context(request)
    # the timeout first: it is the change that can be refused for the job's state (409),
    # and then nothing has changed yet
    if timeout is not None:
        await context.command(
            context.engine.update_job_timeout, key, timedelta(milliseconds=timeout)
        )
    if retries is not None:
        await context.command(context.engine.update_job_retries, key, retries)
    return Response(status_code=204)


routes = [
    Route("/jobs/activation", activate_jobs, methods=["POST"]),
    Route("/jobs/{jobKey}/completion", complete_job, methods=["POST"]),
    Route("/jobs/{jobKey}/failure", fail_job, methods=["POST"]),
    Route("/jobs/{jobKey}/error", throw_error, methods=["POST"]),
    Route("/jobs/{jobKey}", update_job, methods=["PATCH"]),
]
