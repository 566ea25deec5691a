"""When an older version's message webhook goes away.

A new version replaces its process's start-event webhooks at once, and so does deleting a
version (its own stop; the previous version's start again when it was the latest). The webhooks of older
versions' intermediate catch events, boundary events and receive tasks stay while instances of
that version wait there (an open message subscription of that version at that element), and
retire once none does. Nothing in the engine announces "the last waiting instance left", so
the manager asks the store: on every housekeeping round of `flowwire serve` (every two
seconds), when `GET /inbound` lists the webhooks, and when a request arrives for a webhook that
has such draining elements (a positive answer is trusted for `recheck_seconds`, so a busy
old webhook costs one store read per second, not one per request). Only draining elements
are checked, so in the steady state (no older version with webhooks) this costs nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flowwire.connectors.inbound.registry import Activation
from flowwire.engine import queries


class Retirement:
    """Decides which draining activations no instance waits at any more."""

    def __init__(
        self,
        engine: Any,
        *,
        recheck_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.recheck_seconds = recheck_seconds
        self._clock = clock
        #: (definition key, element id) -> when an instance was last seen waiting there
        self._confirmed: dict[tuple[int, str], float] = {}

    @staticmethod
    def draining(activations: Iterable[Activation], latest: Mapping[str, int]) -> list[Activation]:
        """The activations of versions other than their process's latest (start events of
        older versions never stay, so these are message catch elements); with every version
        of a process deleted, all its remaining activations drain."""
        return [
            a
            for a in activations
            if not a.on_start_event and latest.get(a.process_id) != a.definition_key
        ]

    def idle(self, draining: Iterable[Activation], *, force: bool) -> list[Activation]:
        """Those of `draining` at which no instance of their version waits now. Without
        `force`, an element seen with a waiting instance less than `recheck_seconds` ago is
        not asked about again."""
        now = self._clock()
        due = [
            a
            for a in draining
            if force
            or a.element_key not in self._confirmed
            or now - self._confirmed[a.element_key] >= self.recheck_seconds
        ]
        if not due:
            return []
        idle: list[Activation] = []
        with self.engine.store.read() as tx:
            for activation in due:
                if queries.waits_at(
                    tx,
                    activation.process_id,
                    activation.definition_key,
                    activation.element_id,
                    activation.message_name,
                ):
                    self._confirmed[activation.element_key] = now
                else:
                    self._confirmed.pop(activation.element_key, None)
                    idle.append(activation)
        return idle

    def forget(self, retired: Iterable[Activation]) -> None:
        for activation in retired:
            self._confirmed.pop(activation.element_key, None)
