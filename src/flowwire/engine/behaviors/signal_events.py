"""Signal events. Catching (intermediate catch; boundary and event subprocess starts through
their scope): a subscription by signal name, fired by every broadcast of that name. Throwing
(intermediate throw and end event): broadcasts the signal with the event's input-mapping
results as its variables, then passes on (an end event ends its path)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine import expressions
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.behaviors.message_catch import WaitingCatchBehavior
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.engine.signals import broadcast
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class SignalCatchBehavior(WaitingCatchBehavior):
    """Waits for a broadcast of its signal."""


class SignalThrowBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        event = element.event
        if event is None or not event.signal_name:
            raise StepFailure(
                ErrorType.EXTRACT_VALUE_ERROR,
                f"the signal event '{element.id}' has no signal name: choose a signal with a name",
            )
        name = str(
            expressions.static_or_evaluated(
                event.signal_name, lambda: ctx.variables.visible(record), ctx.clock, "STRING"
            )
        )
        variables = dict(ctx.variables.local(record.key)) if element.inputs else {}
        ctx.record(record, "SIGNAL_BROADCAST", {"name": name})
        broadcast(ctx, name, variables, source=record)
        ctx.complete(record)
