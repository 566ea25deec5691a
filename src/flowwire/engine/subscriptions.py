"""Event waits of one command: message and signal subscriptions and timers, buffered like the
rest of the unit of work and written once at the end.

An element instance that opens a wait is flagged (`data["waits"]`); when it ends (completed or
terminated), every subscription and timer bound to it goes with it, so a catch event, the
activity of a boundary event or the scope of an event subprocess never leaves a stale wait
behind. Lookups merge the store's rows with the ones this command added or removed, so an event
thrown in the same command (a signal end event) sees waits opened a moment earlier.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flowwire.store.base import StoreTransaction
from flowwire.store.records import (
    ElementInstanceRecord,
    MessageRecord,
    SubscriptionRecord,
    TimerRecord,
)

if TYPE_CHECKING:
    from flowwire.engine.state import UnitOfWork

#: the flag on an element instance that has subscriptions or timers bound to it
WAITS = "waits"

MESSAGE = "message"
SIGNAL = "signal"


class EventWaits:
    """Identity map and write buffer for subscriptions, timers and buffered messages."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._new_subscriptions: dict[int, SubscriptionRecord] = {}
        self._deleted_subscriptions: set[int] = set()
        self._new_timers: dict[int, TimerRecord] = {}
        self._changed_timers: dict[int, TimerRecord] = {}
        self._deleted_timers: set[int] = set()
        self._ended: set[int] = set()
        self._new_messages: dict[int, MessageRecord] = {}
        self._changed_messages: dict[int, MessageRecord] = {}

    # -- subscriptions --------------------------------------------------------------------
    def add_subscription(
        self, record: SubscriptionRecord, owner: ElementInstanceRecord | None
    ) -> None:
        self._new_subscriptions[record.key] = record
        if owner is not None:
            self._flag(owner)

    def remove_subscription(self, record: SubscriptionRecord) -> None:
        if self._new_subscriptions.pop(record.key, None) is None:
            self._deleted_subscriptions.add(record.key)

    def _live_subscription(self, record: SubscriptionRecord) -> bool:
        return (
            record.key not in self._deleted_subscriptions
            and record.element_instance_key not in self._ended
        )

    def subscriptions(
        self, event_type: str, name: str, correlation_key: str | None = None
    ) -> list[SubscriptionRecord]:
        """Open subscriptions to an event (see `StoreTransaction.subscriptions`), oldest first."""
        stored = self._uow.tx.subscriptions(event_type, name, correlation_key)
        found = [r for r in stored if self._live_subscription(r)]
        for record in self._new_subscriptions.values():
            if record.event_type != event_type or record.name != name:
                continue
            if (
                correlation_key is not None
                and record.instance_key is not None
                and record.correlation_key != correlation_key
            ):
                continue
            found.append(record)
        return found

    def subscription_is_open(self, record: SubscriptionRecord) -> bool:
        """Whether a subscription seen earlier in this command is still open."""
        return record.key in self._new_subscriptions or self._live_subscription(record)

    def start_subscriptions(self, process_id: str | None) -> list[SubscriptionRecord]:
        stored = self._uow.tx.subscriptions_of(None, process_id)
        found = [r for r in stored if self._live_subscription(r)]
        found += [
            r
            for r in self._new_subscriptions.values()
            if r.instance_key is None and (process_id is None or r.process_id == process_id)
        ]
        return found

    # -- timers ---------------------------------------------------------------------------
    def add_timer(self, record: TimerRecord, owner: ElementInstanceRecord | None) -> None:
        self._new_timers[record.key] = record
        if owner is not None:
            self._flag(owner)

    def timer_changed(self, record: TimerRecord) -> None:
        if record.key not in self._new_timers:
            self._changed_timers[record.key] = record

    def remove_timer(self, record: TimerRecord) -> None:
        self._changed_timers.pop(record.key, None)
        if self._new_timers.pop(record.key, None) is None:
            self._deleted_timers.add(record.key)

    def timer_is_live(self, record: TimerRecord) -> bool:
        return (
            record.key not in self._deleted_timers
            and record.element_instance_key not in self._ended
        )

    def start_timers(self, process_id: str) -> list[TimerRecord]:
        stored = self._uow.tx.timers_of(None, process_id)
        found = [r for r in stored if self.timer_is_live(r)]
        found += [
            r
            for r in self._new_timers.values()
            if r.instance_key is None and r.process_id == process_id
        ]
        return found

    # -- messages -------------------------------------------------------------------------
    def add_message(self, record: MessageRecord) -> None:
        self._new_messages[record.key] = record

    def buffered_messages(
        self, name: str, correlation_key: str, now: int, message_id: str | None = None
    ) -> list[MessageRecord]:
        """Messages still buffered for this name and key, oldest first (this command's too)."""
        found = [
            self._changed_messages.get(m.key, m)
            for m in self._uow.tx.buffered_messages(name, correlation_key, now, message_id)
        ]
        found += [
            m
            for m in self._new_messages.values()
            if m.name == name
            and m.correlation_key == correlation_key
            and m.expires_at > now
            and (message_id is None or m.message_id == message_id)
        ]
        return found

    def message_changed(self, record: MessageRecord) -> None:
        if record.key not in self._new_messages:
            self._changed_messages[record.key] = record

    # -- lifetime -------------------------------------------------------------------------
    def _flag(self, owner: ElementInstanceRecord) -> None:
        if not owner.data.get(WAITS):
            owner.data[WAITS] = True
            self._uow.changed(owner)

    def element_ended(self, element_instance_key: int) -> None:
        """Close every wait bound to an element instance that completed or terminated."""
        self._ended.add(element_instance_key)
        for key in [
            k
            for k, r in self._new_subscriptions.items()
            if r.element_instance_key == element_instance_key
        ]:
            del self._new_subscriptions[key]
        for key in [
            k for k, r in self._new_timers.items() if r.element_instance_key == element_instance_key
        ]:
            del self._new_timers[key]

    def flush(self, tx: StoreTransaction) -> None:
        if self._ended:
            tx.delete_event_waits(sorted(self._ended))
        if self._deleted_subscriptions:
            tx.delete_subscriptions(sorted(self._deleted_subscriptions))
        if self._new_subscriptions:
            tx.insert_subscriptions(list(self._new_subscriptions.values()))
        if self._deleted_timers:
            tx.delete_timers(sorted(self._deleted_timers))
        changed = _live(self._changed_timers.values(), self._ended)
        if changed:
            tx.update_timers(changed)
        if self._new_timers:
            tx.insert_timers(list(self._new_timers.values()))
        if self._new_messages:
            tx.insert_messages(list(self._new_messages.values()))
        if self._changed_messages:
            tx.update_messages(list(self._changed_messages.values()))


def _live(timers: Iterable[TimerRecord], ended: set[int]) -> list[TimerRecord]:
    return [t for t in timers if t.element_instance_key not in ended]
