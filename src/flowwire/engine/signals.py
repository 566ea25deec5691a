"""Signals: a broadcast reaches every subscription to the signal's name at once, in every
instance and every deployed process with a signal start event; nothing is buffered (a signal
that finds no subscription is gone)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.engine.catch_events import deliver
from flowwire.engine.start_events import start_by_event
from flowwire.engine.subscriptions import SIGNAL
from flowwire.store.records import ElementInstanceRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context


def broadcast(
    ctx: Context,
    name: str,
    variables: Mapping[str, Any],
    *,
    source: ElementInstanceRecord | None = None,
    signal_key: int | None = None,
) -> int:
    """Fire every subscription to signal `name` open now; returns how many were fired.
    Subscriptions opened by what the signal itself triggers wait for the next broadcast."""
    details: dict[str, Any] = {"event": SIGNAL, "name": name}
    if signal_key is not None:
        details["signal_key"] = signal_key
    if source is not None:
        details["thrown_by"] = {"instance_key": source.instance_key, "element": source.element_id}
    fired = 0
    for subscription in ctx.waits.subscriptions(SIGNAL, name):
        if subscription.instance_key is None:
            deployed = ctx.model(subscription.definition_key)
            start = deployed.process.elements[subscription.element_id]
            start_by_event(ctx, deployed, start, variables, details)
            fired += 1
        elif deliver(ctx, subscription, variables, details):
            fired += 1
    return fired
