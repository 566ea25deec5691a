"""Parallel gateway: forks into every outgoing flow; as a join it waits until a token has
arrived on each incoming flow (tokens of its own flow scope), then passes one token on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class ParallelGatewayBehavior(Behavior):
    def on_arrival(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        scope: ElementInstanceRecord,
        flow_id: str | None,
    ) -> None:
        incoming = element.incoming
        if len(incoming) <= 1:
            ctx.enter(deployed, element, scope)
            return
        waiting = ctx.add_join_token(scope, element.id, flow_id)
        if all(waiting.get(flow, 0) > 0 for flow in incoming):
            ctx.consume_join(scope, element.id, incoming)
            ctx.enter(deployed, element, scope)

    def activate(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        ctx.complete(record)

    def complete(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        ctx.leave_all(deployed, record)
