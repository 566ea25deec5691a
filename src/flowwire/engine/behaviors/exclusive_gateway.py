"""Exclusive gateway: the first outgoing flow (document order) whose condition is true, else
the default flow, else a CONDITION_ERROR incident. Joining needs no synchronisation: every
arriving token passes on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element, SequenceFlow
from flowwire.engine import expressions
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class ExclusiveGatewayBehavior(Behavior):
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
        flows = deployed.process.outgoing(element.id)
        if not flows:
            ctx.leave(deployed, record, ())
            return
        chosen = choose_flows(ctx, deployed, element, record, first_only=True)
        ctx.leave(deployed, record, chosen)


def choose_flows(
    ctx: Context,
    deployed: DeployedProcess,
    element: Element,
    record: ElementInstanceRecord,
    first_only: bool,
) -> list[SequenceFlow]:
    """The outgoing flows whose condition holds (all of them, or the first), else the default
    flow; raises a CONDITION_ERROR StepFailure when there is neither. A flow without condition
    counts as true; a condition whose result is not a boolean counts as not true."""
    chosen: list[SequenceFlow] = []
    default: SequenceFlow | None = None
    warnings: list[str] = []
    variables = None
    for flow in deployed.process.outgoing(element.id):
        if flow.id == element.default_flow:
            default = flow
            continue
        if flow.condition is None:
            chosen.append(flow)
        else:
            if variables is None:
                variables = ctx.variables.visible(record)
            value, found = expressions.evaluate(
                flow.condition, variables, ctx.clock, ErrorType.CONDITION_ERROR
            )
            if value is True:
                chosen.append(flow)
            elif value is not False:
                detail = f"the condition of '{flow.id}' ({flow.condition}) gave {expressions.type_name(value)}"
                if found:
                    detail += " (" + "; ".join(f"[{k}] {m}" for k, m in found) + ")"
                warnings.append(detail)
        if first_only and chosen:
            return chosen
    if chosen:
        return chosen
    if default is not None:
        return [default]
    message = (
        f"No outgoing sequence flow of '{element.id}' could be taken: no condition was true "
        "and there is no default flow. Set the variables the conditions use (then resolve the "
        "incident) or add a default flow."
    )
    if warnings:
        message += " Non-boolean results: " + "; ".join(warnings) + "."
    raise StepFailure(ErrorType.CONDITION_ERROR, message)
