"""Embedded subprocess: its own variable scope; a token starts at its none start event and the
subprocess completes when no token is left inside (then its output mappings apply)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class SubProcessBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        start = deployed.none_start(element.id)
        if start is None:
            raise StepFailure(
                ErrorType.UNKNOWN,
                f"the subprocess '{element.id}' has no none start event: add one to the model",
            )
        ctx.wait(record)
        ctx.start_token(deployed, record, start)
