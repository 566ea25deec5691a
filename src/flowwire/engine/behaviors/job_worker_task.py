"""Job-worker tasks: service, send and business rule tasks (and script tasks implemented by a
worker) with a `zeebe:taskDefinition`. Activation creates a job and waits; the job's
completion (`complete_job`) completes the task."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine import jobs
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class JobWorkerTaskBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        jobs.create_job(ctx, deployed, element, record)
        ctx.wait(record)

    def terminate(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        jobs.cancel_jobs(ctx, record)
