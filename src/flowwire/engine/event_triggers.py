"""How a caught event continues the process: boundary events and event subprocesses.

Every catching mechanism (errors and escalations found by walking the scope chain, messages,
timers and signals found through their subscriptions) ends here, so interrupting and
non-interrupting behave the same whatever the trigger:

- A boundary event is a child of the attached activity's flow scope. Interrupting: the attached
  activity (and everything inside it) is terminated first; non-interrupting: it keeps running.
  Then a new element instance of the boundary event activates and leaves through its flows.
- An event subprocess runs inside the scope that holds it. Interrupting: every other child of the
  scope is terminated (tokens in transit and at joins dropped) and the scope accepts no further
  event subprocess; non-interrupting: it runs beside them. The scope completes when its last
  token, the event subprocess included, is gone.

The trigger's variables are handled like a job's result (Camunda 8): with output mappings on
the catch event they become its local variables and only the mappings' results leave it;
without, they propagate to the scope that defines each name. `mapping_only` values (e.g.
`errorCode`, `errorMessage`) are visible to the catch event's mappings but never propagated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import Element, ElementKind, EventType
from flowwire.engine.models import PROCESS_KIND, DeployedProcess
from flowwire.store.records import ElementInstanceRecord, ElementState

if TYPE_CHECKING:
    from flowwire.engine.flow import Context

#: key in a scope's `data` naming the interrupting event subprocess that runs in it
INTERRUPTED = "interrupted_by"
#: key in an event subprocess instance's `data` holding its trigger until it activates
TRIGGER = "trigger"


@dataclass(frozen=True, slots=True)
class Catch:
    """A catch event found for a thrown error or escalation.

    `element` is a boundary event (then `host` is the activity instance it is attached to) or
    the start event of an event subprocess (then `host` is the scope instance that holds it).
    """

    element: Element
    host: ElementInstanceRecord

    @property
    def is_boundary(self) -> bool:
        return self.element.kind is ElementKind.BOUNDARY_EVENT


# -- finding catch events -------------------------------------------------------------------
def find_catch(
    ctx: Context, source: ElementInstanceRecord, event_type: EventType, code: str
) -> Catch | None:
    """The nearest catch event for `code` of an error or escalation thrown at `source`.

    Walks outwards from `source`: the boundary events of each activity instance on the way
    (the thrower itself, enclosing subprocesses, call activities), and the event subprocesses
    of each enclosing scope (inner scope first), crossing from a called instance into the
    call activity of its parent. At each stop an event naming exactly `code` wins over one
    without a code (which catches every code). Returns None when nothing catches it.
    """
    record = source
    while True:
        deployed = ctx.model_of(record)
        scope = _flow_scope(ctx, record)
        # an instance inside a multi-instance body shares the body's element id; the body holds
        # the boundary events, and the body is no scope of its own for event subprocesses
        inner_of_body = scope is not None and scope.element_id == record.element_id
        if (
            record.kind != PROCESS_KIND
            and record.state == ElementState.ACTIVATED
            and not inner_of_body
        ):
            found = _best(deployed.process.boundary_events(record.element_id), event_type, code)
            if found is not None:
                return Catch(found, record)
        if scope is None:
            caller = _caller(ctx, record)
            if caller is None:
                return None
            record = caller
            continue
        if _accepts_event_subprocess(scope) and not inner_of_body:
            element = deployed.process.elements.get(record.element_id)
            from_event_subprocess = element is not None and element.is_event_subprocess
            if not from_event_subprocess:
                found = _best(_event_subprocess_starts(deployed, scope), event_type, code)
                if found is not None:
                    return Catch(found, scope)
        record = scope


def _flow_scope(ctx: Context, record: ElementInstanceRecord) -> ElementInstanceRecord | None:
    if record.scope_key is None:
        return None
    scope = ctx.element(record.scope_key)
    if scope is None:
        raise LookupError(f"flow scope {record.scope_key} is missing from the store")
    return scope


def _caller(ctx: Context, root: ElementInstanceRecord) -> ElementInstanceRecord | None:
    """The call activity instance that started this process instance, if any."""
    instance = ctx.instance(root.instance_key)
    if instance is None or instance.parent_element_instance_key is None:
        return None
    return ctx.element(instance.parent_element_instance_key)


def _accepts_event_subprocess(scope: ElementInstanceRecord) -> bool:
    return scope.state == ElementState.ACTIVATED and INTERRUPTED not in scope.data


def _event_subprocess_starts(
    deployed: DeployedProcess, scope: ElementInstanceRecord
) -> list[Element]:
    process = deployed.process
    scope_id = process.id if scope.kind == PROCESS_KIND else scope.element_id
    starts: list[Element] = []
    for subprocess in process.event_subprocesses(scope_id):
        starts.extend(process.start_events(subprocess.id, event_type=None))
    return starts


def _best(candidates: Iterable[Element], event_type: EventType, code: str) -> Element | None:
    catch_all: Element | None = None
    for element in candidates:
        event = element.event
        if event is None or event.type is not event_type:
            continue
        own = event.error_code if event_type is EventType.ERROR else event.escalation_code
        if own is None or own == "":
            if catch_all is None:
                catch_all = element
        elif own == code:
            return element
    return catch_all


# -- triggering -----------------------------------------------------------------------------
def trigger_boundary_event(
    ctx: Context,
    attached: ElementInstanceRecord,
    boundary: Element,
    variables: Mapping[str, Any],
    *,
    mapping_only: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
) -> ElementInstanceRecord | None:
    """Fire `boundary` of the active activity instance `attached`.

    Interrupting (`cancelActivity`, always for errors) terminates `attached` first. Returns
    the boundary event's element instance, or None when `attached` is no longer active (the
    event came too late and is dropped). `details` go into the history entry.
    """
    if attached.state != ElementState.ACTIVATED:
        return None
    scope = _flow_scope(ctx, attached)
    assert scope is not None, "a boundary event is attached to an activity inside a scope"
    deployed = ctx.model_of(attached)
    interrupting = boundary.cancel_activity or boundary.event_type is EventType.ERROR
    scope.tokens += 1  # the boundary's token, so terminating the activity cannot end the scope
    ctx.changed(scope)
    if interrupting:
        ctx.terminate(attached)
    record = ctx.new_element(boundary.id, boundary.kind, scope.instance_key, scope)
    ctx.record(
        record,
        "ACTIVATED",
        {
            "attached_to": attached.element_id,
            "attached_key": attached.key,
            "interrupting": interrupting,
            **(details or {}),
        },
    )
    _hand_over_variables(ctx, boundary, record, variables, mapping_only)
    ctx.enqueue(ctx.activate, deployed, boundary, record)
    return record


def trigger_event_subprocess(
    ctx: Context,
    scope: ElementInstanceRecord,
    start: Element,
    variables: Mapping[str, Any],
    *,
    mapping_only: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
) -> ElementInstanceRecord | None:
    """Start the event subprocess that `start` begins, inside the scope instance `scope`.

    Interrupting (`isInterrupting`, always for errors) terminates everything else in `scope`
    first. Returns the event subprocess instance, or None when `scope` no longer accepts
    events (it ended, is being terminated, or an interrupting event subprocess already runs
    in it).
    """
    if not _accepts_event_subprocess(scope):
        return None
    deployed = ctx.model_of(scope)
    subprocess = deployed.process.elements[start.scope_id]
    interrupting = start.cancel_activity or start.event_type is EventType.ERROR
    scope.tokens += 1  # the event subprocess's token
    if interrupting:
        scope.data[INTERRUPTED] = subprocess.id
        ctx.clear_scope(scope, keep=0)
    ctx.changed(scope)
    record = ctx.new_element(subprocess.id, subprocess.kind, scope.instance_key, scope)
    record.data[TRIGGER] = {
        "start": start.id,
        "variables": dict(variables),
        "mapping_only": dict(mapping_only or {}),
    }
    ctx.record(
        record,
        "ACTIVATED",
        {"start_event": start.id, "interrupting": interrupting, **(details or {})},
    )
    ctx.enqueue(ctx.activate, deployed, subprocess, record)
    return record


def start_triggered(
    ctx: Context, deployed: DeployedProcess, subprocess: ElementInstanceRecord
) -> None:
    """Put the token of an activated event subprocess on the start event that triggered it,
    with the trigger's variables (called by the event subprocess behaviour)."""
    trigger: dict[str, Any] = subprocess.data.pop(TRIGGER)
    ctx.changed(subprocess)
    start = deployed.process.elements[trigger["start"]]
    subprocess.tokens += 1
    record = ctx.new_element(start.id, start.kind, subprocess.instance_key, subprocess)
    ctx.record(record, "ACTIVATED")
    _hand_over_variables(ctx, start, record, trigger["variables"], trigger["mapping_only"])
    ctx.enqueue(ctx.activate, deployed, start, record)


def _hand_over_variables(
    ctx: Context,
    element: Element,
    record: ElementInstanceRecord,
    variables: Mapping[str, Any],
    mapping_only: Mapping[str, Any] | None,
) -> None:
    if element.outputs:
        ctx.variables.set_all_local(record, {**(mapping_only or {}), **variables})
        return
    if element.inputs and mapping_only:
        ctx.variables.set_all_local(record, mapping_only)
    if variables:
        ctx.variables.propagate(record, variables)
