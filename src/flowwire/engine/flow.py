"""The step loop: how tokens move through a process inside one command.

A command (create an instance, complete a job, ...) changes one element instance and then calls
`Context.run()`, which processes the follow-up work it caused (leaving the element, taking
sequence flows, entering the next elements, completing scopes) from a FIFO queue until every
token rests in a wait state, has an incident, or has ended. All of it is one transaction.

Element instance lifecycle (Zeebe's): ACTIVATING -> ACTIVATED -> COMPLETING -> COMPLETED, or
TERMINATING -> TERMINATED. An incident leaves the element in ACTIVATING or COMPLETING and
resolving it re-runs that step (`retry`).

Token accounting: `ElementInstanceRecord.tokens` of a scope counts its live children, flows in
transit and tokens waiting at joins; when it drops to zero in an ACTIVATED scope, the scope
completes (a subprocess leaves, the process instance completes).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import Element, SequenceFlow
from flowwire.engine.behaviors.multi_instance_body import MultiInstanceBodyBehavior
from flowwire.engine.catch_events import open_scope_waits, scope_waits
from flowwire.engine.errors import InvalidState
from flowwire.engine.incidents import StepFailure, create_incident, mark_resolved
from flowwire.engine.models import PROCESS_KIND, DeployedProcess, ModelCache, is_container
from flowwire.engine.multi_instance import MULTI_INSTANCE_BODY, inner_completing
from flowwire.engine.state import ENDED, UnitOfWork
from flowwire.store.base import StoreTransaction
from flowwire.store.records import ElementInstanceRecord, ElementState

if TYPE_CHECKING:
    from flowwire.engine.behaviors.base import Behavior
    from flowwire.engine.behaviors.registry import Registry


_GONE = frozenset({*ENDED, ElementState.TERMINATING})

#: the default for the most steps one command may take before it counts as an endless loop
MAX_STEPS = 100_000


class Context(UnitOfWork):
    """A unit of work plus the step loop; behaviours receive it as `ctx`."""

    def __init__(
        self,
        tx: StoreTransaction,
        models: ModelCache,
        registry: Registry,
        now: int,
        now_datetime: datetime,
        max_steps: int = MAX_STEPS,
    ) -> None:
        super().__init__(tx, models, now, now_datetime)
        self.registry = registry
        self.max_steps = max_steps
        self._queue: deque[tuple[Callable[..., None], tuple[Any, ...]]] = deque()
        self._join_checks: set[int] = set()

    # -- the loop -------------------------------------------------------------------------
    def enqueue(self, step: Callable[..., None], *args: Any) -> None:
        self._queue.append((step, args))

    def run(self) -> None:
        """Process queued work until every token rests; then re-check waiting joins, which may
        queue more work. A process that never rests (a loop without a wait state) is stopped
        after `max_steps` steps and the command is rolled back."""
        steps = 0
        while True:
            while self._queue:
                step, args = self._queue.popleft()
                step(*args)
                steps += 1
                if steps > self.max_steps:
                    raise InvalidState(
                        f"the process did not come to rest within {self.max_steps} steps of one "
                        "command: it probably loops without a wait state (check the conditions "
                        "of its loops); nothing was changed"
                    )
            if not self._join_checks:
                return
            scopes = sorted(self._join_checks)
            self._join_checks.clear()
            for scope_key in scopes:
                self._check_joins(scope_key)

    def behavior(self, deployed: DeployedProcess, element: Element) -> Behavior:
        """The element's behaviour (looked up once per deployed process and element)."""
        found = deployed.behaviors.get(element.id)
        if found is None:
            found = self.registry.behavior(element)
            if element.loop is not None:
                found = MultiInstanceBodyBehavior(found)
            deployed.behaviors[element.id] = found
        return found

    # -- entering elements ----------------------------------------------------------------
    def take_flow(
        self, deployed: DeployedProcess, scope: ElementInstanceRecord, flow: SequenceFlow
    ) -> None:
        """Send a token along `flow`; it arrives at the target in a later step."""
        scope.tokens += 1
        self.changed(scope)
        self.record_flow(scope, flow.id)
        target = deployed.process.elements[flow.target]
        self.enqueue(self.arrive, deployed, target, scope, flow.id)

    def start_token(
        self, deployed: DeployedProcess, scope: ElementInstanceRecord, element: Element
    ) -> None:
        """Put a token on a start element of `scope` (no sequence flow involved)."""
        scope.tokens += 1
        self.changed(scope)
        self.enqueue(self.arrive, deployed, element, scope, None)

    def arrive(
        self,
        deployed: DeployedProcess,
        element: Element,
        scope: ElementInstanceRecord,
        flow_id: str | None,
    ) -> None:
        if scope.state in _GONE:
            return  # the scope ended while the token was in transit
        self.behavior(deployed, element).on_arrival(self, deployed, element, scope, flow_id)

    def enter(
        self, deployed: DeployedProcess, element: Element, scope: ElementInstanceRecord
    ) -> ElementInstanceRecord:
        """Create the element instance for an arrived token and activate it."""
        record = self.new_element(element.id, element.kind, scope.instance_key, scope)
        self.record(record, "ACTIVATED")
        self.activate(deployed, element, record)
        return record

    def activate(
        self, deployed: DeployedProcess, element: Element, record: ElementInstanceRecord
    ) -> None:
        if record.state in _GONE:
            return  # terminated while this step was queued
        record.state = ElementState.ACTIVATING
        try:
            waits = scope_waits(deployed, element)
            if waits:  # message, timer and signal boundary events / event subprocesses
                open_scope_waits(self, deployed, record, waits)
            self.behavior(deployed, element).activate(self, deployed, element, record)
        except StepFailure as failure:
            create_incident(self, record, failure.error_type, failure.message)
            self.changed(record)

    def wait(self, record: ElementInstanceRecord) -> None:
        """The element instance is active and waits for something outside (a job, a user)."""
        record.state = ElementState.ACTIVATED
        self.changed(record)

    # -- leaving elements -----------------------------------------------------------------
    def complete(self, record: ElementInstanceRecord) -> None:
        """The element's work is done: run its completion step (output mappings, choosing
        flows) and leave it."""
        if record.state in _GONE:
            return  # terminated while this step was queued
        record.state = ElementState.COMPLETING
        self.changed(record)
        if record.kind == PROCESS_KIND:
            self.registry.process.complete(self, record)
            return
        deployed = self.model_of(record)
        element = deployed.process.elements[record.element_id]
        try:
            self.behavior(deployed, element).complete(self, deployed, element, record)
        except StepFailure as failure:
            create_incident(self, record, failure.error_type, failure.message)

    def leave(
        self,
        deployed: DeployedProcess,
        record: ElementInstanceRecord,
        flows: Sequence[SequenceFlow],
    ) -> None:
        """End the element instance and send tokens along `flows` (none: the path ends).

        An inner instance of a multi-instance activity hands its result to the body instead of
        taking the activity's flows (the body takes them when all its instances are done)."""
        scope = self._scope_of(record)
        if scope.kind == MULTI_INSTANCE_BODY:
            inner_completing(self, deployed, scope, record)
            flows = ()
        self.ended(record, ElementState.COMPLETED)
        self.record(record, "COMPLETED")
        for flow in flows:
            self.take_flow(deployed, scope, flow)
        self._token_gone(scope)

    def leave_all(self, deployed: DeployedProcess, record: ElementInstanceRecord) -> None:
        """Leave through every outgoing flow (activities and events take them all)."""
        self.leave(deployed, record, deployed.process.outgoing(record.element_id))

    def _scope_of(self, record: ElementInstanceRecord) -> ElementInstanceRecord:
        assert record.scope_key is not None, "only the process instance has no flow scope"
        scope = self.element(record.scope_key)
        if scope is None:
            raise LookupError(f"flow scope {record.scope_key} is missing from the store")
        return scope

    def _token_gone(self, scope: ElementInstanceRecord) -> None:
        scope.tokens -= 1
        self.changed(scope)
        if scope.state != ElementState.ACTIVATED:
            return
        if scope.tokens <= 0:
            self.enqueue(self.complete, scope)
        elif scope.data.get("joins"):
            self._join_checks.add(scope.key)

    # -- terminating ----------------------------------------------------------------------
    def terminate(self, record: ElementInstanceRecord) -> None:
        """Terminate an element instance and everything inside it, depth first."""
        if record.state in ENDED:
            return
        record.state = ElementState.TERMINATING
        self.changed(record)
        if is_container(record.kind):
            for child in self.children(record.key):
                self.terminate(child)
            if record.data.pop("joins", None):
                record.tokens = 0
        if record.kind == PROCESS_KIND:
            self.registry.process.terminate(self, record)
        else:
            deployed = self.model_of(record)
            element = deployed.process.elements[record.element_id]
            self.behavior(deployed, element).terminate(self, deployed, element, record)
        for incident in self.open_incidents_of(record.key):
            mark_resolved(self, incident, record)
        self.ended(record, ElementState.TERMINATED)
        self.record(record, "TERMINATED")
        if record.scope_key is not None:
            self._token_gone(self._scope_of(record))

    def clear_scope(self, scope: ElementInstanceRecord, keep: int) -> None:
        """Terminate everything inside `scope` except the element instance `keep`, and drop
        the tokens waiting at its joins or still travelling along its flows (a terminate end
        event)."""
        for child in self.children(scope.key):
            if child.key != keep:
                self.terminate(child)
        joins: dict[str, dict[str, int]] | None = scope.data.pop("joins", None)
        if joins:
            scope.tokens -= sum(sum(waiting.values()) for waiting in joins.values())
        travelling = [
            item for item in self._queue if item[0] == self.arrive and item[1][2] is scope
        ]
        if travelling:
            self._queue = deque(item for item in self._queue if item not in travelling)
            scope.tokens -= len(travelling)
        self.changed(scope)

    # -- joins ----------------------------------------------------------------------------
    def add_join_token(
        self, scope: ElementInstanceRecord, gateway_id: str, flow_id: str | None
    ) -> dict[str, int]:
        """Park an arrived token at a joining gateway; returns the gateway's waiting tokens
        per incoming flow. The token stays counted in the scope."""
        joins: dict[str, dict[str, int]] = scope.data.setdefault("joins", {})
        waiting = joins.setdefault(gateway_id, {})
        flow = flow_id or ""
        waiting[flow] = waiting.get(flow, 0) + 1
        self.changed(scope)
        return waiting

    def consume_join(
        self, scope: ElementInstanceRecord, gateway_id: str, flow_ids: Sequence[str]
    ) -> None:
        """Take one waiting token from each of `flow_ids`; they merge into one."""
        joins: dict[str, dict[str, int]] = scope.data["joins"]
        waiting = joins[gateway_id]
        for flow in flow_ids:
            waiting[flow] -= 1
            if waiting[flow] <= 0:
                del waiting[flow]
        if not waiting:
            del joins[gateway_id]
        if not joins:
            del scope.data["joins"]
        scope.tokens -= len(flow_ids) - 1
        self.changed(scope)

    def request_join_check(self, scope: ElementInstanceRecord) -> None:
        self._join_checks.add(scope.key)

    def _check_joins(self, scope_key: int) -> None:
        scope = self.element(scope_key)
        if scope is None or scope.state != ElementState.ACTIVATED:
            return
        joins = scope.data.get("joins")
        if not joins:
            return
        deployed = self.model_of(scope)
        for gateway_id in list(joins):
            element = deployed.process.elements[gateway_id]
            self.behavior(deployed, element).recheck_join(self, deployed, element, scope)

    # -- incidents ------------------------------------------------------------------------
    def retry(self, record: ElementInstanceRecord) -> None:
        """Re-run the step an incident stopped (activation or completion)."""
        if record.state == ElementState.ACTIVATING:
            deployed = self.model_of(record)
            element = deployed.process.elements[record.element_id]
            self.enqueue(self.activate, deployed, element, record)
        elif record.state == ElementState.COMPLETING:
            self.enqueue(self.complete, record)
