"""Start events that create instances by themselves: message, timer and signal start events
of a process (not of an event subprocess, which `catch_events` handles).

Deploying a new version of a process closes the start subscriptions and start timers of its
previous version and opens those of the new one, as Zeebe does: only the latest version is
started by events.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import Element, EventType
from flowwire.engine import timers
from flowwire.engine.behaviors.process import start_instance
from flowwire.engine.catch_events import add_subscription, add_timer, triggered_transition
from flowwire.engine.expressions import static_or_evaluated
from flowwire.engine.models import DeployedProcess
from flowwire.engine.subscriptions import MESSAGE, SIGNAL
from flowwire.store.records import InstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


def start_by_event(
    ctx: Context,
    deployed: DeployedProcess,
    start: Element,
    variables: Mapping[str, Any],
    details: dict[str, Any],
) -> InstanceRecord:
    """Create an instance of `deployed` at the start event that fired; its variables become
    the instance's variables. The history says which event started it."""
    instance = start_instance(ctx, deployed, variables, start=start)
    root = ctx.element(instance.key)
    assert root is not None
    ctx.record(root, triggered_transition(details["event"]), {"start_event": start.id, **details})
    return instance


def open_start_events(ctx: Context, deployed: DeployedProcess) -> None:
    """A new latest version was deployed: replace the previous version's start waits.
    Raises StepFailure when a timer start event's value cannot be used."""
    process_id = deployed.process.id
    for subscription in ctx.waits.start_subscriptions(process_id):
        ctx.waits.remove_subscription(subscription)
    for timer in ctx.waits.start_timers(process_id):
        ctx.waits.remove_timer(timer)
    for start in deployed.process.start_events(process_id, event_type=None):
        event = start.event
        if event is None:
            continue
        if event.type is EventType.MESSAGE and event.message_name:
            name = static_or_evaluated(event.message_name, {}, ctx.clock, "STRING")
            add_subscription(ctx, deployed, start, None, MESSAGE, str(name), None)
        elif event.type is EventType.SIGNAL and event.signal_name:
            name = static_or_evaluated(event.signal_name, {}, ctx.clock, "STRING")
            add_subscription(ctx, deployed, start, None, SIGNAL, str(name), None)
        elif event.type is EventType.TIMER:
            schedule = timers.evaluate(event, {}, ctx.now_datetime, ctx.clock)
            add_timer(ctx, deployed, start, None, schedule)
