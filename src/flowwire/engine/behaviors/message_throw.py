"""Message intermediate throw and message end events: like Zeebe, flowwire runs them as
job-worker elements (`zeebe:taskDefinition`), so a worker or connector sends the message; the
event completes when the job does (an end event then ends its path)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.job_worker_task import JobWorkerTaskBehavior
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class MessageThrowBehavior(JobWorkerTaskBehavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        if element.task_definition is None:
            raise StepFailure(
                ErrorType.UNKNOWN,
                f"the message {element.kind.value} '{element.id}' has no job type: add "
                "zeebe:taskDefinition with the type of the worker that sends the message",
            )
        super().execute(ctx, deployed, element, record)
