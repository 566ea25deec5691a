"""Event subprocess: started only by `event_triggers.trigger_event_subprocess`, never by a
sequence flow. Activation applies its input mappings and puts the token on the start event that
fired (not on a none start event, which an event subprocess does not have); it completes, like
any subprocess, when no token is left inside, and then its path simply ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.sub_process import SubProcessBehavior
from flowwire.engine.event_triggers import start_triggered
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class EventSubProcessBehavior(SubProcessBehavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        ctx.wait(record)
        start_triggered(ctx, deployed, record)
