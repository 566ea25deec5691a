"""The interface every element behaviour implements, and the common activity behaviour.

A behaviour is stateless (one shared object per element kind); the element instance's state is
the `ElementInstanceRecord` it receives. The step loop (`flowwire.engine.flow.Context`) calls:

- `on_arrival` when a token reaches the element (joins decide here whether to activate),
- `activate` to run the ACTIVATING step (input mappings, then the element's own work; it
  either waits via `ctx.wait` or finishes via `ctx.complete`),
- `complete` to run the COMPLETING step (output mappings, choosing flows, `ctx.leave`),
- `terminate` when the element instance is cancelled (release jobs, child instances),
- `child_instance_completed` when a process instance it started completes,
- `recheck_join` when tokens that could still reach a waiting join have gone.

A StepFailure raised by `activate` or `complete` becomes an incident; resolving it calls the
same method again, so both must be safe to repeat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import Element
from flowwire.engine.models import DeployedProcess
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


class Behavior:
    """Default: a pass-through element that applies its variable mappings."""

    def on_arrival(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        scope: ElementInstanceRecord,
        flow_id: str | None,
    ) -> None:
        ctx.enter(deployed, element, scope)

    def activate(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        if element.inputs:
            ctx.variables.set_all_local(
                record, ctx.variables.evaluate_inputs(record, element.inputs)
            )
        self.execute(ctx, deployed, element, record)

    def execute(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        """The element's own work after its input mappings; default: none, complete at once."""
        ctx.complete(record)

    def complete(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        if element.outputs:
            ctx.variables.apply_outputs(record, element.outputs)
        ctx.leave_all(deployed, record)

    def terminate(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        record: ElementInstanceRecord,
    ) -> None:
        """Release what the element instance holds; default: nothing."""

    def child_instance_completed(
        self, ctx: Context, record: ElementInstanceRecord, child_root: ElementInstanceRecord
    ) -> None:
        """A process instance this element instance started has completed (call activity)."""

    def recheck_join(
        self,
        ctx: Context,
        deployed: DeployedProcess,
        element: Element,
        scope: ElementInstanceRecord,
    ) -> None:
        """Only joining gateways wait for tokens; others have nothing to re-check."""


def merge_result(
    ctx: Context,
    element: Element,
    record: ElementInstanceRecord,
    variables: Mapping[str, Any],
) -> None:
    """Variables produced by an element's work (job completion, script result, user task
    completion, a called instance's variables).

    With output mappings they become local variables of the element, so only the mappings'
    results reach the process; without, each propagates to the scope that defines it.
    """
    if not variables:
        return
    if element.outputs:
        ctx.variables.set_all_local(record, variables)
    else:
        ctx.variables.propagate(record, variables)
