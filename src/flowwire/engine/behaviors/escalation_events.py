"""Escalation intermediate throw and end events.

The escalation goes to the nearest matching escalation catch (boundary event on an enclosing
activity, escalation event subprocess of an enclosing scope, across call activities). If that
catch interrupts, the thrower's scope is terminated with the thrower in it; otherwise, and when
nothing catches the escalation (which is no incident in Camunda 8), the thrower completes: an
intermediate throw event continues along its flows, an end event ends its path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.behaviors.error_end_event import thrown_code
from flowwire.engine.bpmn_errors import throw_escalation
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class EscalationThrowBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        code = thrown_code(ctx, element, record)
        ctx.record(record, "ESCALATION_THROWN", {"escalation_code": code})
        throw_escalation(ctx, record, code, dict(ctx.variables.local(record.key)))
        ctx.complete(record)  # a no-op when an interrupting catch terminated the thrower
