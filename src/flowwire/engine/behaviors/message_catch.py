"""Intermediate message catch event: opens a subscription (message name and correlation key
evaluated now) and waits; a correlated message's variables are merged like a job's result and
the event completes. A message buffered before the event was reached correlates at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.catch_events import drop_earlier_waits, open_wait
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class WaitingCatchBehavior(Behavior):
    """An element that waits for its own event (message, timer or signal); the wait closes
    when the element ends, whichever way."""

    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        drop_earlier_waits(ctx, deployed, element, record)
        open_wait(ctx, deployed, element, record, ctx.variables.visible(record))
        ctx.wait(record)


class MessageCatchBehavior(WaitingCatchBehavior):
    """Waits for a message with the subscription's name and correlation key."""
