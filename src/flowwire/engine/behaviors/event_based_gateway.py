"""Event-based gateway: waits for whichever of the catch events after it happens first.

Activated, it opens the wait of every intermediate catch event its flows lead to (message,
timer, signal), bound to the gateway. The first event to fire closes all of them, completes
the gateway, and the token moves along that event's flow: the catch event is entered and
completes at once with the event's variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import Element, ElementKind
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.catch_events import (
    WAITING_TYPES,
    complete_catch,
    drop_earlier_waits,
    open_wait,
)
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord, ElementState

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class EventBasedGatewayBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        drop_earlier_waits(ctx, deployed, element, record)
        variables = ctx.variables.visible(record)
        for flow in deployed.process.outgoing(element.id):
            target = deployed.process.elements[flow.target]
            if (
                target.kind is not ElementKind.INTERMEDIATE_CATCH_EVENT
                or target.event_type not in WAITING_TYPES
            ):
                raise StepFailure(
                    ErrorType.UNKNOWN,
                    f"the event-based gateway '{element.id}' leads to '{target.id}', which is "
                    "not an intermediate message, timer or signal catch event: connect the "
                    "gateway only to such catch events",
                )
            open_wait(ctx, deployed, target, record, variables)
        ctx.wait(record)


def take_event(
    ctx: Context,
    deployed: DeployedProcess,
    gateway: ElementInstanceRecord,
    catch: Element,
    variables: Mapping[str, Any],
    details: dict[str, Any],
) -> None:
    """The event of `catch` happened first: leave the gateway towards it and complete it."""
    ctx.waits.element_ended(gateway.key)
    flow = next(f for f in deployed.process.outgoing(gateway.element_id) if f.target == catch.id)
    assert gateway.scope_key is not None
    scope = ctx.element(gateway.scope_key)
    assert scope is not None
    scope.tokens += 1  # the token moves on to the catch event
    ctx.changed(scope)
    ctx.record(gateway, "EVENT_SELECTED", {"catch": catch.id, **details})
    ctx.leave(deployed, gateway, ())
    ctx.record_flow(scope, flow.id)
    record = ctx.new_element(catch.id, catch.kind, scope.instance_key, scope)
    ctx.record(record, "ACTIVATED")
    record.state = ElementState.ACTIVATED
    complete_catch(ctx, deployed, catch, record, variables, details)
