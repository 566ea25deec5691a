"""The engine API for events: publish and correlate messages, broadcast signals, fire timers,
move a manual clock, and look at open subscriptions and timers.

`Engine` inherits these commands; each is one transaction like every other command (a due
timer fires in a transaction of its own, so one broken timer cannot hold back the others).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from flowwire.bpmn import Process
from flowwire.engine import messages, signals, timer_firing
from flowwire.engine.catch_events import key_text
from flowwire.engine.clock import Clock, ManualClock, from_millis, millis, to_millis
from flowwire.engine.errors import DeploymentRejected, InvalidArgument, InvalidState
from flowwire.engine.incidents import StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.engine.start_events import open_start_events
from flowwire.engine.values import json_variables
from flowwire.store.base import Store, StoreTransaction
from flowwire.store.records import DefinitionRecord

if TYPE_CHECKING:
    from flowwire.engine.flow import Context

T = TypeVar("T")

#: timers fired per `fire_due_timers` call at most (the rest fire on the next call)
TIMER_BATCH = 1000


@dataclass(frozen=True, slots=True)
class CorrelatedMessage:
    """The answer of `correlate_message`: the message key and the instances it reached
    (`process_instance_key` is the first of them, as Camunda's API answers)."""

    key: int
    process_instance_key: int
    process_instance_keys: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SubscriptionInfo:
    """An open message or signal subscription (`process_instance_key` None: a start event)."""

    key: int
    event_type: str
    name: str
    correlation_key: str | None
    process_id: str
    element_id: str
    process_instance_key: int | None
    element_instance_key: int | None
    interrupting: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TimerInfo:
    """A pending timer (`process_instance_key` None: a timer start event). `repetitions`
    counts the firings left, -1 for a cycle without end."""

    key: int
    due: datetime
    process_id: str
    element_id: str
    process_instance_key: int | None
    element_instance_key: int | None
    repetitions: int
    interval: str | None


class EventCommands:
    """Mixed into `Engine`, which provides the store, the clock and `_execute`."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:  # provided by `Engine`; declared here for the type checker only

        def _execute(self, command: Callable[[Context], T]) -> T: ...

        def _context(self, tx: StoreTransaction, now: int, moment: datetime) -> Context: ...

    # -- messages -------------------------------------------------------------------------
    def publish_message(
        self,
        name: str,
        correlation_key: str | int = "",
        variables: Mapping[str, Any] | None = None,
        time_to_live: timedelta | int = timedelta(0),
        message_id: str | None = None,
    ) -> int:
        """Publish a message; returns its key. It correlates at once to every instance
        waiting for it and starts processes with a matching message start event; with a time
        to live (a timedelta, or milliseconds) it is also buffered for subscriptions opening
        later. A message id already used by a buffered message with the same name and key is
        rejected (InvalidState)."""
        values = json_variables(variables)
        key = _key_argument(correlation_key)
        ttl = time_to_live if isinstance(time_to_live, int) else millis(time_to_live)
        message, _ = self._execute(
            lambda ctx: messages.publish(ctx, name, key, values, ttl, message_id or None)
        )
        return message.key

    def correlate_message(
        self,
        name: str,
        correlation_key: str | int = "",
        variables: Mapping[str, Any] | None = None,
    ) -> CorrelatedMessage:
        """Correlate a message now, without buffering it; NotFound when nothing waits."""
        values = json_variables(variables)
        key = _key_argument(correlation_key)
        message, reached = self._execute(lambda ctx: messages.correlate(ctx, name, key, values))
        return CorrelatedMessage(message.key, reached[0], tuple(reached))

    # -- signals --------------------------------------------------------------------------
    def broadcast_signal(self, name: str, variables: Mapping[str, Any] | None = None) -> int:
        """Broadcast a signal to every subscription of that name; returns the signal's key."""
        if not name:
            raise InvalidArgument("a signal needs a name: the name its catch events wait for")
        values = json_variables(variables)

        def command(ctx: Context) -> int:
            key = ctx.next_key()
            signals.broadcast(ctx, name, values, signal_key=key)
            return key

        return self._execute(command)

    # -- timers and time ------------------------------------------------------------------
    def fire_due_timers(self) -> int:
        """Fire every timer that is due by the clock (also those that came due while the
        engine was down); returns how many fired."""
        now = to_millis(self.clock.now())
        with self.store.read() as tx:
            next_due = tx.next_timer_due()
            if next_due is None or next_due > now:
                return 0
            due = tx.due_timers(now, TIMER_BATCH)
        fired = 0
        for timer in due:
            if self._execute(functools.partial(_fire, key=timer.key)):
                fired += 1
        return fired

    def advance_clock(self, delta: timedelta) -> datetime:
        """Move a `ManualClock` forward and fire what became due; returns the new time."""
        if not isinstance(self.clock, ManualClock):
            raise InvalidState(
                "the engine runs on the real clock, which cannot be moved: create the engine "
                "with a ManualClock to control time"
            )
        moment = self.clock.advance(delta)
        self.fire_due_timers()
        return moment

    # -- deployment -----------------------------------------------------------------------
    def _open_start_events(
        self,
        tx: StoreTransaction,
        stored: Sequence[tuple[DefinitionRecord, Process | None]],
    ) -> None:
        """Open the message, signal and timer start events of newly deployed versions."""
        fresh = [(r, p) for r, p in stored if p is not None]
        if not fresh:
            return
        moment = self.clock.now()
        ctx = self._context(tx, to_millis(moment), moment)
        problems = []
        for record, process in fresh:
            try:
                open_start_events(ctx, DeployedProcess(record, process))
            except StepFailure as failure:
                problems.append(f"{record.resource_name}: process '{process.id}': {failure}")
        if problems:
            raise DeploymentRejected(problems)
        ctx.flush()

    # -- queries --------------------------------------------------------------------------
    def subscriptions(self, instance_key: int | None = None) -> list[SubscriptionInfo]:
        """Open subscriptions of an instance, or (None) of the deployed start events."""
        with self.store.read() as tx:
            rows = tx.subscriptions_of(instance_key)
        return [
            SubscriptionInfo(
                r.key,
                r.event_type,
                r.name,
                r.correlation_key,
                r.process_id,
                r.element_id,
                r.instance_key,
                r.element_instance_key,
                r.interrupting,
                from_millis(r.created_at),
            )
            for r in rows
        ]

    def timers(self, instance_key: int | None = None) -> list[TimerInfo]:
        """Pending timers of an instance, or (None) of the deployed timer start events."""
        with self.store.read() as tx:
            rows = tx.timers_of(instance_key)
        return [
            TimerInfo(
                r.key,
                from_millis(r.due),
                r.process_id,
                r.element_id,
                r.instance_key,
                r.element_instance_key,
                r.repetitions,
                r.cycle_interval,
            )
            for r in rows
        ]


def _fire(ctx: Context, key: int) -> bool:
    timer = ctx.tx.timer(key)
    if timer is None or timer.due > ctx.now:
        return False  # fired or moved on by someone else meanwhile
    return timer_firing.fire(ctx, timer)


def _key_argument(value: Any) -> str:
    text = key_text(value)
    if text is None:
        raise InvalidArgument(
            f"a correlation key must be a string or a number, got {type(value).__name__}"
        )
    return text
