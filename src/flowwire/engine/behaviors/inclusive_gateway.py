"""Inclusive gateway: forks into every outgoing flow whose condition is true (the default flow
when none is, else a CONDITION_ERROR incident). As a join it waits for the tokens that can
still arrive: it activates once every incoming flow has a token, or when no other token of its
flow scope (active element, or token waiting at another join) can reach it any more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.behaviors.exclusive_gateway import choose_flows
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class InclusiveGatewayBehavior(Behavior):
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
        else:
            ctx.request_join_check(scope)

    def recheck_join(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        scope: ElementInstanceRecord,
    ) -> None:
        joins: dict[str, dict[str, int]] = scope.data.get("joins", {})
        waiting = joins.get(element.id)
        if not waiting:
            return
        for child in ctx.children(scope.key):
            if element.id in deployed.reachable(child.element_id):
                return
        for other, tokens in joins.items():
            if other != element.id and tokens and element.id in deployed.reachable(other):
                return
        ctx.consume_join(scope, element.id, [flow for flow, count in waiting.items() if count > 0])
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
        if not deployed.process.outgoing(element.id):
            ctx.leave(deployed, record, ())
            return
        ctx.leave(deployed, record, choose_flows(ctx, deployed, element, record, first_only=False))
