"""Opening the waits of catch events and delivering the events that fire them.

Where an element waits for a message, a timer or a signal, and which element instance bounds
that wait (`owner`):

- an intermediate catch event or a receive task: itself;
- a boundary event: the activity instance it is attached to (opened when the activity
  activates, closed when it ends);
- the start event of an event subprocess: the scope instance that holds the event subprocess
  (the process instance or an embedded subprocess);
- a catch event after an event-based gateway: the gateway instance.

A fired event (`deliver`) is routed by the same distinction to the catch event, to
`event_triggers` (boundary events and event subprocesses, written for all event kinds) or to
the event-based gateway.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import Element, ElementKind, EventType
from flowwire.bpmn.expressions import expression_body
from flowwire.engine import expressions, timers
from flowwire.engine.behaviors.base import merge_result
from flowwire.engine.clock import from_millis
from flowwire.engine.event_triggers import trigger_boundary_event, trigger_event_subprocess
from flowwire.engine.incidents import ErrorType, StepFailure, create_incident
from flowwire.engine.models import PROCESS_KIND, DeployedProcess
from flowwire.engine.multi_instance import MULTI_INSTANCE_BODY
from flowwire.engine.subscriptions import MESSAGE, SIGNAL, WAITS
from flowwire.store.records import (
    ElementInstanceRecord,
    ElementState,
    MessageRecord,
    SubscriptionRecord,
    TimerRecord,
)

if TYPE_CHECKING:
    from flowwire.engine.flow import Context

#: event types that wait through a subscription or a timer
WAITING_TYPES = frozenset({EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL})

#: catch events whose (non-interrupting) timers keep firing through a cycle
_CYCLING = frozenset({ElementKind.BOUNDARY_EVENT, ElementKind.START_EVENT})


# -- what an element instance opens -----------------------------------------------------------
def scope_waits(deployed: DeployedProcess, element: Element) -> tuple[Element, ...]:
    """The catch events an activation of `element` opens waits for: its message, timer and
    signal boundary events, and for a subprocess the such start events of its event
    subprocesses (cached per process version)."""
    cache_key = ("scope_waits", element.id)
    found: tuple[Element, ...] | None = deployed.memo.get(cache_key)
    if found is None:
        found = _find_scope_waits(deployed, element.id, element.kind)
        deployed.memo[cache_key] = found
    return found


def open_process_waits(
    ctx: Context, deployed: DeployedProcess, root: ElementInstanceRecord
) -> None:
    """Open the waits of the process's own event subprocesses for a new instance; one that
    cannot open (a correlation key that is no text) becomes an incident of the instance."""
    waits = process_waits(deployed)
    if not waits:
        return
    try:
        open_scope_waits(ctx, deployed, root, waits)
    except StepFailure as failure:
        create_incident(ctx, root, failure.error_type, failure.message)


def process_waits(deployed: DeployedProcess) -> tuple[Element, ...]:
    """The message, timer and signal start events of the process's own event subprocesses."""
    cache_key = ("scope_waits", "")
    found: tuple[Element, ...] | None = deployed.memo.get(cache_key)
    if found is None:
        found = _event_subprocess_starts(deployed, deployed.process.id)
        deployed.memo[cache_key] = found
    return found


def _find_scope_waits(
    deployed: DeployedProcess, element_id: str, kind: ElementKind
) -> tuple[Element, ...]:
    process = deployed.process
    found = [
        boundary
        for boundary in process.boundary_events(element_id)
        if boundary.event_type in WAITING_TYPES
    ]
    if kind is ElementKind.SUB_PROCESS:
        found.extend(_event_subprocess_starts(deployed, element_id))
    return tuple(found)


def _event_subprocess_starts(deployed: DeployedProcess, scope_id: str) -> tuple[Element, ...]:
    process = deployed.process
    starts: list[Element] = []
    for subprocess in process.event_subprocesses(scope_id):
        starts.extend(
            start
            for start in process.start_events(subprocess.id, event_type=None)
            if start.event_type in WAITING_TYPES
        )
    return tuple(starts)


def open_scope_waits(
    ctx: Context,
    deployed: DeployedProcess,
    record: ElementInstanceRecord,
    catches: tuple[Element, ...],
) -> None:
    """Open the waits of an activity's boundary events / a scope's event subprocesses.

    A multi-instance iteration shares its element id with the body around it; only the body
    holds the boundary events, so an iteration opens none of them, and the body opens nothing
    else (a subprocess's event subprocesses run in each iteration's scope).
    """
    if record.kind == MULTI_INSTANCE_BODY:
        catches = tuple(c for c in catches if c.kind is ElementKind.BOUNDARY_EVENT)
    elif record.scope_key is not None and record.kind != PROCESS_KIND:
        scope = ctx.element(record.scope_key)
        if scope is not None and scope.element_id == record.element_id:
            catches = tuple(c for c in catches if c.kind is not ElementKind.BOUNDARY_EVENT)
    if record.data.get(WAITS):
        ctx.waits.element_ended(record.key)  # a retried activation opens its waits afresh
    variables: dict[str, Any] | None = None
    for catch in catches:
        if variables is None:
            variables = ctx.variables.visible(record)
        open_wait(ctx, deployed, catch, record, variables)


def drop_earlier_waits(
    ctx: Context, deployed: DeployedProcess, element: Element, record: ElementInstanceRecord
) -> None:
    """Before an element opens its own waits: drop what an earlier, failed activation attempt
    opened (for an activity with boundary events `open_scope_waits` has done so already)."""
    if record.data.get(WAITS) and not scope_waits(deployed, element):
        ctx.waits.element_ended(record.key)


def open_wait(
    ctx: Context,
    deployed: DeployedProcess,
    catch: Element,
    owner: ElementInstanceRecord,
    variables: dict[str, Any],
) -> None:
    """Open the subscription or timer of one catch event, bound to `owner`."""
    event = catch.event
    assert event is not None
    if event.type is EventType.TIMER:
        schedule = timers.evaluate(event, variables, ctx.now_datetime, ctx.clock)
        add_timer(ctx, deployed, catch, owner, schedule)
        return
    if event.type is EventType.SIGNAL:
        name = _name(ctx, event.signal_name, variables, "signal name")
        add_subscription(ctx, deployed, catch, owner, SIGNAL, name, None)
        return
    name = _name(ctx, event.message_name, variables, "message name")
    key = correlation_key(ctx, event.correlation_key or "", variables)
    subscription = add_subscription(ctx, deployed, catch, owner, MESSAGE, name, key)
    ctx.enqueue(_correlate_buffered, ctx, subscription)


def _name(ctx: Context, text: str | None, variables: dict[str, Any], what: str) -> str:
    if not text:
        raise StepFailure(ErrorType.EXTRACT_VALUE_ERROR, f"the {what} is empty: set one")
    value = expressions.static_or_evaluated(text, variables, ctx.clock, "STRING")
    return str(value)


def correlation_key(ctx: Context, text: str, variables: Mapping[str, Any]) -> str:
    """A subscription's correlation key: FEEL giving a string or a number (as text)."""
    value, _ = expressions.evaluate(text, variables, ctx.clock, ErrorType.EXTRACT_VALUE_ERROR)
    key = key_text(value)
    if key is None:
        raise StepFailure(
            ErrorType.EXTRACT_VALUE_ERROR,
            f"Failed to extract the correlation key for '{expression_body(text)}': The value "
            f"must be either a string or a number, but was '{expressions.type_name(value)}'. "
            "Make sure the variable it reads is set before this element is reached.",
        )
    return key


def key_text(value: Any) -> str | None:
    """A correlation key value as text: strings as they are, numbers without a needless
    fraction (42, not 42.0); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else value
        if number == number.to_integral_value():
            return str(int(number))
        return str(number.normalize())
    return None


def add_subscription(
    ctx: Context,
    deployed: DeployedProcess,
    catch: Element,
    owner: ElementInstanceRecord | None,
    event_type: str,
    name: str,
    key: str | None,
) -> SubscriptionRecord:
    record = SubscriptionRecord(
        key=ctx.next_key(),
        event_type=event_type,
        name=name,
        correlation_key=key,
        definition_key=deployed.key,
        process_id=deployed.process.id,
        element_id=catch.id,
        instance_key=owner.instance_key if owner is not None else None,
        element_instance_key=owner.key if owner is not None else None,
        interrupting=catch.cancel_activity,
        created_at=ctx.now,
    )
    ctx.waits.add_subscription(record, owner)
    if owner is not None:
        ctx.record(
            owner,
            "SUBSCRIPTION_OPENED",
            {"event": event_type, "name": name, "correlation_key": key, "catch": catch.id},
        )
    return record


def add_timer(
    ctx: Context,
    deployed: DeployedProcess,
    catch: Element,
    owner: ElementInstanceRecord | None,
    schedule: timers.Schedule,
) -> TimerRecord:
    repetitions = schedule.repetitions
    if owner is not None and (catch.cancel_activity or catch.kind not in _CYCLING):
        repetitions = 1  # only non-interrupting boundary / event subprocess timers cycle
    record = TimerRecord(
        key=ctx.next_key(),
        due=schedule.due,
        definition_key=deployed.key,
        process_id=deployed.process.id,
        element_id=catch.id,
        instance_key=owner.instance_key if owner is not None else None,
        element_instance_key=owner.key if owner is not None else None,
        repetitions=repetitions,
        cycle_interval=schedule.interval,
        created_at=ctx.now,
    )
    ctx.waits.add_timer(record, owner)
    if owner is not None:
        ctx.record(
            owner,
            "TIMER_CREATED",
            {"timer_key": record.key, "catch": catch.id, "due": _iso_millis(schedule.due)},
        )
    return record


def _iso_millis(millis: int) -> str:
    return from_millis(millis).isoformat().replace("+00:00", "Z")


# -- buffered messages ----------------------------------------------------------------------
def _correlate_buffered(ctx: Context, subscription: SubscriptionRecord) -> None:
    """A message subscription just opened: the oldest buffered message for it that has not
    reached this process yet is correlated at once."""
    if not ctx.waits.subscription_is_open(subscription):
        return
    assert subscription.correlation_key is not None
    for message in ctx.waits.buffered_messages(
        subscription.name, subscription.correlation_key, ctx.now
    ):
        if subscription.process_id in message.correlated:
            continue
        if deliver(ctx, subscription, message.variables, message_details(message)):
            message.correlated.append(subscription.process_id)
            ctx.waits.message_changed(message)
        return


def message_details(message: MessageRecord) -> dict[str, Any]:
    """The history details of a correlated message (which one and why)."""
    return {
        "event": MESSAGE,
        "message_key": message.key,
        "name": message.name,
        "correlation_key": message.correlation_key,
    }


# -- delivering -----------------------------------------------------------------------------
def deliver(
    ctx: Context,
    subscription: SubscriptionRecord | TimerRecord,
    variables: Mapping[str, Any],
    details: dict[str, Any],
) -> bool:
    """Fire the catch event of an instance-bound subscription or timer; False when the event
    came too late (its element no longer waits)."""
    assert subscription.element_instance_key is not None
    owner = ctx.element(subscription.element_instance_key)
    if owner is None or owner.state != ElementState.ACTIVATED:
        return False
    ctx.lock(owner.instance_key)
    deployed = ctx.model_of(owner)
    catch = deployed.process.elements[subscription.element_id]
    if catch.kind is ElementKind.BOUNDARY_EVENT:
        return trigger_boundary_event(ctx, owner, catch, variables, details=details) is not None
    if catch.kind is ElementKind.START_EVENT:
        return trigger_event_subprocess(ctx, owner, catch, variables, details=details) is not None
    if owner.kind == ElementKind.EVENT_BASED_GATEWAY:
        from flowwire.engine.behaviors.event_based_gateway import take_event

        take_event(ctx, deployed, owner, catch, variables, details)
        return True
    complete_catch(ctx, deployed, catch, owner, variables, details)
    return True


def complete_catch(
    ctx: Context,
    deployed: DeployedProcess,
    catch: Element,
    record: ElementInstanceRecord,
    variables: Mapping[str, Any],
    details: dict[str, Any],
) -> None:
    """A waiting catch event or receive task got its event: close its waits, take the
    event's variables (like a job's result) and complete it."""
    ctx.waits.element_ended(record.key)
    ctx.record(record, _TRIGGERED[details.get("event", MESSAGE)], details)
    merge_result(ctx, catch, record, variables)
    ctx.complete(record)


_TRIGGERED = {
    MESSAGE: "MESSAGE_CORRELATED",
    SIGNAL: "SIGNAL_RECEIVED",
    "timer": "TIMER_TRIGGERED",
}


def triggered_transition(event: str) -> str:
    return _TRIGGERED[event]
