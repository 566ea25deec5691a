"""The process itself: the root element instance of an instance (its key is the instance
key). It starts at the none start event, completes when no token is left, and tells the
calling call activity (if any) that it is done."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import Element
from flowwire.engine.catch_events import open_process_waits
from flowwire.engine.models import PROCESS_KIND, DeployedProcess
from flowwire.store.records import (
    ElementInstanceRecord,
    ElementState,
    InstanceRecord,
    InstanceState,
)

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


def start_instance(
    ctx: Context,
    deployed: DeployedProcess,
    variables: Mapping[str, Any],
    parent: ElementInstanceRecord | None = None,
    start: Element | None = None,
) -> InstanceRecord:
    """Create a process instance with its variables and put a token on its none start event
    (or on `start`, a message, timer or signal start event that fired).

    The caller checked that the process has a none start event. Raises NotJsonError when a
    variable cannot be stored.
    """
    process_id = deployed.process.id
    if start is None:
        start = deployed.none_start(process_id)
    assert start is not None
    key = ctx.next_key()
    root_key = key
    if parent is not None:
        parent_instance = ctx.instance(parent.instance_key)
        assert parent_instance is not None
        root_key = parent_instance.root_instance_key
    instance = InstanceRecord(
        key=key,
        definition_key=deployed.key,
        process_id=process_id,
        version=deployed.definition.version,
        state=InstanceState.ACTIVE,
        parent_instance_key=parent.instance_key if parent is not None else None,
        parent_element_instance_key=parent.key if parent is not None else None,
        root_instance_key=root_key,
        created_at=ctx.now,
    )
    ctx.add_instance(instance)
    root = ctx.new_element(process_id, PROCESS_KIND, key, None, key=key)
    ctx.record(root, "ACTIVATED")
    ctx.variables.set_all_local(root, variables)
    root.state = ElementState.ACTIVATED
    open_process_waits(ctx, deployed, root)
    ctx.start_token(deployed, root, start)
    return instance


#: the root's `data` key holding the correlation key of the message that started the instance
MESSAGE_START_KEY = "message_start_key"


class ProcessBehavior:
    """Completion and termination of the process instance itself."""

    def complete(self, ctx: Context, root: ElementInstanceRecord) -> None:
        instance = self._end(ctx, root, InstanceState.COMPLETED)
        ctx.ended(root, ElementState.COMPLETED)
        ctx.record(root, "COMPLETED")
        if instance.parent_element_instance_key is not None:
            caller = ctx.element(instance.parent_element_instance_key)
            if caller is not None:
                deployed = ctx.model_of(caller)
                element = deployed.process.elements[caller.element_id]
                ctx.behavior(deployed, element).child_instance_completed(ctx, caller, root)

    def terminate(self, ctx: Context, root: ElementInstanceRecord) -> None:
        self._end(ctx, root, InstanceState.TERMINATED)

    def _end(
        self, ctx: Context, root: ElementInstanceRecord, state: InstanceState
    ) -> InstanceRecord:
        instance = ctx.instance(root.instance_key)
        assert instance is not None
        instance.state = state
        instance.ended_at = ctx.now
        ctx.instance_changed(instance)
        if MESSAGE_START_KEY in root.data:
            from flowwire.engine.messages import message_started_instance_ended

            ctx.enqueue(
                message_started_instance_ended,
                ctx,
                instance.process_id,
                root.data[MESSAGE_START_KEY],
            )
        return instance
