"""Call activity: starts the latest version of another process as a child instance and
completes when the child completes.

Variables (Camunda 8): the child receives every variable the call activity sees
(`propagateAllParentVariables`, default) or only the call activity's local variables, i.e. its
input mappings' results. When the child completes, its variables come back like a job's
(`propagateAllChildVariables`, default): propagated, or local to the call activity when output
mappings pick what leaves. Terminating the call activity terminates the child instance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowwire.bpmn import Element
from flowwire.engine import expressions
from flowwire.engine.behaviors.base import Behavior, merge_result
from flowwire.engine.behaviors.process import start_instance
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord, ElementState

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class CallActivityBehavior(Behavior):
    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        called = element.called_element
        if called is None:
            raise StepFailure(
                ErrorType.CALLED_ELEMENT_ERROR,
                f"the call activity '{element.id}' names no process to call: "
                "add zeebe:calledElement processId",
            )
        process_id = expressions.static_or_evaluated(
            called.process_id, lambda: ctx.variables.visible(record), ctx.clock, "STRING"
        )
        definition_key = ctx.tx.definition_key(process_id)
        if definition_key is None:
            raise StepFailure(
                ErrorType.CALLED_ELEMENT_ERROR,
                f"Expected process with BPMN process id '{process_id}' to be deployed, but not "
                "found. Deploy it, then resolve the incident.",
            )
        child = ctx.model(definition_key)
        if child.none_start(child.process.id) is None:
            raise StepFailure(
                ErrorType.CALLED_ELEMENT_ERROR,
                f"the called process '{process_id}' has no none start event, so a call "
                "activity cannot start it",
            )
        if called.propagate_all_parent_variables:
            variables = ctx.variables.visible(record)
        else:
            variables = dict(ctx.variables.local(record.key))
        ctx.wait(record)
        instance = start_instance(ctx, child, variables, parent=record)
        record.data["child"] = instance.key
        ctx.record(record, "CHILD_INSTANCE_CREATED", {"instance_key": instance.key})

    def child_instance_completed(
        self, ctx: Context, record: ElementInstanceRecord, child_root: ElementInstanceRecord
    ) -> None:
        """The called instance completed: take over its variables and complete."""
        if record.state != ElementState.ACTIVATED:
            return
        deployed = ctx.model_of(record)
        element = deployed.process.elements[record.element_id]
        called = element.called_element
        if element.outputs or (called is not None and called.propagate_all_child_variables):
            merge_result(ctx, element, record, dict(ctx.variables.local(child_root.key)))
        ctx.complete(record)

    def terminate(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        child_key = record.data.get("child")
        if child_key is None:
            return
        child_root = ctx.element(child_key)
        if child_root is not None:
            ctx.terminate(child_root)
