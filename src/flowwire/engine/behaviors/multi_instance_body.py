"""The behaviour of an activity with a multi-instance marker: a body wrapping the activity.

Both the body and its inner instances carry the activity's element id, so the step loop finds
this one behaviour for all of them; it tells them apart by the element instance's kind. The body
runs the loop (`flowwire.engine.multi_instance`); an inner instance is the plain activity (a
job-worker task, script or user task, subprocess, call activity) and gets the wrapped behaviour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine import multi_instance
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.models import DeployedProcess
from flowwire.engine.multi_instance import MULTI_INSTANCE_BODY
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class MultiInstanceBodyBehavior(Behavior):
    """A multi-instance body around `inner`, the behaviour of the activity itself."""

    def __init__(self, inner: Behavior) -> None:
        self.inner = inner

    def on_arrival(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        scope: ElementInstanceRecord,
        flow_id: str | None,
    ) -> None:
        body = ctx.new_element(element.id, MULTI_INSTANCE_BODY, scope.instance_key, scope)
        ctx.record(body, "ACTIVATED")
        ctx.activate(deployed, element, body)

    def activate(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        if record.kind == MULTI_INSTANCE_BODY:
            multi_instance.activate_body(ctx, deployed, element, record)
        else:
            self.inner.activate(ctx, deployed, element, record)

    def complete(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        if record.kind == MULTI_INSTANCE_BODY:
            multi_instance.complete_body(ctx, deployed, element, record)
            return
        # an inner instance: its output mappings write from its own scope (they may update
        # the output element); leaving hands it over to the body
        if element.outputs:
            ctx.variables.apply_outputs(record, element.outputs, own_scope=True)
        ctx.leave_all(deployed, record)

    def terminate(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        if record.kind == MULTI_INSTANCE_BODY:
            multi_instance.terminate_body(ctx, record)
        else:
            self.inner.terminate(ctx, deployed, element, record)
            multi_instance.inner_terminated(ctx, record)

    def child_instance_completed(
        self, ctx: Context, record: ElementInstanceRecord, child_root: ElementInstanceRecord
    ) -> None:
        self.inner.child_instance_completed(ctx, record, child_root)
