"""Messages: publish (with an optional time to live and message id) and correlate.

A published message goes to every process instance that has an open subscription with its
name and correlation key (to one subscription per instance: the oldest), and starts an
instance of every process whose latest version has a message start event of that name - but
not while an instance of that process started by a message with the same (non-empty)
correlation key is still active. With a time to live the message is then buffered: a
subscription that opens before it expires gets it, once per process (a buffered message
reaches each process id at most once). A message id makes publishing idempotent: a second
message with the same name, correlation key and id is rejected while the first is buffered.

`correlate` is the unbuffered variant that must reach someone: it fails with NotFound when
nothing waits for the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.engine.behaviors.process import MESSAGE_START_KEY
from flowwire.engine.catch_events import deliver, message_details
from flowwire.engine.errors import InvalidArgument, InvalidState, NotFound
from flowwire.engine.start_events import start_by_event
from flowwire.engine.subscriptions import MESSAGE
from flowwire.store.records import MessageRecord, SubscriptionRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


def publish(
    ctx: Context,
    name: str,
    correlation_key: str,
    variables: Mapping[str, Any],
    time_to_live_ms: int,
    message_id: str | None,
) -> tuple[MessageRecord, list[int]]:
    """Publish a message; returns it with the keys of the instances it reached (started or
    correlated)."""
    _check(name, time_to_live_ms)
    if message_id is not None and ctx.waits.buffered_messages(
        name, correlation_key, ctx.now, message_id
    ):
        raise InvalidState(
            f"a message with id '{message_id}', name '{name}' and correlation key "
            f"'{correlation_key}' was already published and is still buffered: publish it "
            "with another message id, or leave the id out to publish it again"
        )
    if time_to_live_ms > 0:
        ctx.tx.expire_messages(ctx.now)
    message = MessageRecord(
        key=ctx.next_key(),
        name=name,
        correlation_key=correlation_key,
        variables=dict(variables),
        message_id=message_id,
        expires_at=ctx.now + time_to_live_ms,
        correlated=[],
        created_at=ctx.now,
    )
    reached = _correlate(ctx, message)
    if time_to_live_ms > 0:
        ctx.waits.add_message(message)
    return message, reached


def correlate(
    ctx: Context, name: str, correlation_key: str, variables: Mapping[str, Any]
) -> tuple[MessageRecord, list[int]]:
    """Correlate a message now, without buffering; NotFound when nothing waits for it."""
    message, reached = publish(ctx, name, correlation_key, variables, 0, None)
    if not reached:
        raise NotFound(
            f"no process instance waits for the message '{name}' with correlation key "
            f"'{correlation_key}', and no process starts with it: check the name and key, or "
            "publish the message with a time to live so that it waits"
        )
    return message, reached


def _check(name: str, time_to_live_ms: int) -> None:
    if not name:
        raise InvalidArgument("a message needs a name: the name its catch events wait for")
    if time_to_live_ms < 0:
        raise InvalidArgument("the time to live of a message must not be negative")


def _correlate(ctx: Context, message: MessageRecord) -> list[int]:
    details = message_details(message)
    reached: list[int] = []
    starts = []
    for subscription in ctx.waits.subscriptions(MESSAGE, message.name, message.correlation_key):
        if subscription.instance_key is None:
            starts.append(subscription)
            continue
        if subscription.instance_key in reached:
            continue  # one subscription per process instance
        if deliver(ctx, subscription, message.variables, details):
            reached.append(subscription.instance_key)
            if subscription.process_id not in message.correlated:
                message.correlated.append(subscription.process_id)
    for subscription in starts:
        process_id = subscription.process_id
        if process_id in message.correlated:
            continue
        key = message.correlation_key
        if key and ctx.tx.message_start_instance(process_id, key) is not None:
            continue  # an instance started with this key is still active
        reached.append(_start(ctx, subscription, message))
    return reached


def _start(ctx: Context, subscription: SubscriptionRecord, message: MessageRecord) -> int:
    """Start an instance at a message start event; remember its correlation key."""
    deployed = ctx.model(subscription.definition_key)
    start = deployed.process.elements[subscription.element_id]
    instance = start_by_event(ctx, deployed, start, message.variables, message_details(message))
    key = message.correlation_key
    if key:
        ctx.tx.set_message_start_instance(subscription.process_id, key, instance.key)
        root = ctx.element(instance.key)
        assert root is not None
        root.data[MESSAGE_START_KEY] = key
    message.correlated.append(subscription.process_id)
    return instance.key


def message_started_instance_ended(ctx: Context, process_id: str, correlation_key: str) -> None:
    """An instance a message with `correlation_key` started has ended: a message buffered
    meanwhile with that key may start the next instance now (Zeebe's documented order)."""
    for subscription in ctx.waits.start_subscriptions(process_id):
        if subscription.event_type != MESSAGE:
            continue
        for message in ctx.waits.buffered_messages(subscription.name, correlation_key, ctx.now):
            if process_id in message.correlated:
                continue
            _start(ctx, subscription, message)
            ctx.waits.message_changed(message)
            return
