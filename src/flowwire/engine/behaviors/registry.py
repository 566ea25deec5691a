"""Which behaviour runs which element: a table from (element kind, event type) to behaviour.

New element support (messages, timers, boundary events, multi-instance) is added by
registering more behaviours; `supported()` feeds deployment validation, so a model is only
accepted when every element in it has a behaviour.
"""

from __future__ import annotations

from flowwire.bpmn import Element, ElementKind, EventType
from flowwire.bpmn.support import SupportKey, support_key
from flowwire.engine.behaviors.base import Behavior
from flowwire.engine.behaviors.boundary_event import BoundaryEventBehavior
from flowwire.engine.behaviors.call_activity import CallActivityBehavior
from flowwire.engine.behaviors.error_end_event import ErrorEndEventBehavior
from flowwire.engine.behaviors.escalation_events import EscalationThrowBehavior
from flowwire.engine.behaviors.event_based_gateway import EventBasedGatewayBehavior
from flowwire.engine.behaviors.event_sub_process import EventSubProcessBehavior
from flowwire.engine.behaviors.exclusive_gateway import ExclusiveGatewayBehavior
from flowwire.engine.behaviors.inclusive_gateway import InclusiveGatewayBehavior
from flowwire.engine.behaviors.job_worker_task import JobWorkerTaskBehavior
from flowwire.engine.behaviors.link_events import LinkThrowBehavior
from flowwire.engine.behaviors.message_catch import MessageCatchBehavior
from flowwire.engine.behaviors.message_throw import MessageThrowBehavior
from flowwire.engine.behaviors.parallel_gateway import ParallelGatewayBehavior
from flowwire.engine.behaviors.pass_through import PassThroughBehavior
from flowwire.engine.behaviors.process import ProcessBehavior
from flowwire.engine.behaviors.receive_task import ReceiveTaskBehavior
from flowwire.engine.behaviors.script_task import ScriptTaskBehavior
from flowwire.engine.behaviors.signal_events import SignalCatchBehavior, SignalThrowBehavior
from flowwire.engine.behaviors.sub_process import SubProcessBehavior
from flowwire.engine.behaviors.terminate_end_event import TerminateEndEventBehavior
from flowwire.engine.behaviors.timer_catch import TimerCatchBehavior
from flowwire.engine.behaviors.user_task import UserTaskBehavior


class UnsupportedElement(LookupError):
    pass


class Registry:
    """Behaviours by element; one shared, stateless object per behaviour."""

    def __init__(self) -> None:
        self._behaviors: dict[SupportKey, Behavior] = {}
        self._job_kinds: dict[ElementKind, Behavior] = {}
        self.process = ProcessBehavior()
        #: event subprocesses share the subprocess kind but start at the event that fired
        self.event_subprocess: Behavior = EventSubProcessBehavior()

    def register(self, kind: ElementKind, event_type: EventType | None, behavior: Behavior) -> None:
        self._behaviors[support_key(kind, event_type)] = behavior

    def register_job_worker(self, kind: ElementKind, behavior: Behavior) -> None:
        """Elements of `kind` that carry a `zeebe:taskDefinition` run as jobs."""
        self._job_kinds[kind] = behavior

    def behavior(self, element: Element) -> Behavior:
        if element.triggered_by_event and element.kind is ElementKind.SUB_PROCESS:
            return self.event_subprocess
        if element.task_definition is not None:
            job = self._job_kinds.get(element.kind)
            if job is not None:
                return job
        behavior = self._behaviors.get(support_key(element.kind, element.event_type))
        if behavior is None:
            raise UnsupportedElement(
                f"element '{element.id}' ({element.kind}) is not supported by this engine"
            )
        return behavior

    def supported(self) -> frozenset[SupportKey]:
        """What deployment validation accepts."""
        return frozenset(self._behaviors) | frozenset(
            support_key(kind, None) for kind in self._job_kinds
        )


def default_registry() -> Registry:
    """The elements of the engine core (Camunda 8's essentials)."""
    registry = Registry()
    passing = PassThroughBehavior()
    registry.register(ElementKind.START_EVENT, EventType.NONE, passing)
    registry.register(ElementKind.INTERMEDIATE_THROW_EVENT, EventType.NONE, passing)
    registry.register(ElementKind.END_EVENT, EventType.NONE, passing)
    registry.register(ElementKind.END_EVENT, EventType.TERMINATE, TerminateEndEventBehavior())
    registry.register(ElementKind.MANUAL_TASK, None, passing)
    registry.register(ElementKind.TASK, None, passing)
    job = JobWorkerTaskBehavior()
    for kind in (
        ElementKind.SERVICE_TASK,
        ElementKind.SEND_TASK,
        ElementKind.BUSINESS_RULE_TASK,
        ElementKind.SCRIPT_TASK,
    ):
        registry.register_job_worker(kind, job)
    registry.register(ElementKind.SCRIPT_TASK, None, ScriptTaskBehavior())
    registry.register(ElementKind.USER_TASK, None, UserTaskBehavior())
    registry.register(ElementKind.EXCLUSIVE_GATEWAY, None, ExclusiveGatewayBehavior())
    registry.register(ElementKind.PARALLEL_GATEWAY, None, ParallelGatewayBehavior())
    registry.register(ElementKind.INCLUSIVE_GATEWAY, None, InclusiveGatewayBehavior())
    registry.register(ElementKind.SUB_PROCESS, None, SubProcessBehavior())
    registry.register(ElementKind.CALL_ACTIVITY, None, CallActivityBehavior())
    register_error_escalation_and_link_events(registry)
    register_message_timer_and_signal_events(registry)
    return registry


def register_error_escalation_and_link_events(registry: Registry) -> None:
    """Errors, escalations (thrown, caught by boundary events and event subprocesses) and
    links."""
    boundary = BoundaryEventBehavior()
    passing = PassThroughBehavior()
    escalation = EscalationThrowBehavior()
    for event_type in (EventType.ERROR, EventType.ESCALATION):
        registry.register(ElementKind.BOUNDARY_EVENT, event_type, boundary)
        registry.register(ElementKind.START_EVENT, event_type, passing)
    registry.register(ElementKind.END_EVENT, EventType.ERROR, ErrorEndEventBehavior())
    registry.register(ElementKind.END_EVENT, EventType.ESCALATION, escalation)
    registry.register(ElementKind.INTERMEDIATE_THROW_EVENT, EventType.ESCALATION, escalation)
    registry.register(ElementKind.INTERMEDIATE_THROW_EVENT, EventType.LINK, LinkThrowBehavior())
    registry.register(ElementKind.INTERMEDIATE_CATCH_EVENT, EventType.LINK, passing)


def register_message_timer_and_signal_events(registry: Registry) -> None:
    """Messages, timers and signals: catch events, receive task, event-based gateway, start
    events (of processes and event subprocesses), boundary events, signal throw events and
    message throw events (job workers)."""
    boundary = BoundaryEventBehavior()
    passing = PassThroughBehavior()
    for event_type in (EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL):
        registry.register(ElementKind.BOUNDARY_EVENT, event_type, boundary)
        registry.register(ElementKind.START_EVENT, event_type, passing)
    registry.register(
        ElementKind.INTERMEDIATE_CATCH_EVENT, EventType.MESSAGE, MessageCatchBehavior()
    )
    registry.register(ElementKind.INTERMEDIATE_CATCH_EVENT, EventType.TIMER, TimerCatchBehavior())
    registry.register(ElementKind.INTERMEDIATE_CATCH_EVENT, EventType.SIGNAL, SignalCatchBehavior())
    registry.register(ElementKind.RECEIVE_TASK, None, ReceiveTaskBehavior())
    registry.register(ElementKind.EVENT_BASED_GATEWAY, None, EventBasedGatewayBehavior())
    signal_throw = SignalThrowBehavior()
    registry.register(ElementKind.INTERMEDIATE_THROW_EVENT, EventType.SIGNAL, signal_throw)
    registry.register(ElementKind.END_EVENT, EventType.SIGNAL, signal_throw)
    message_throw = MessageThrowBehavior()
    registry.register(ElementKind.INTERMEDIATE_THROW_EVENT, EventType.MESSAGE, message_throw)
    registry.register(ElementKind.END_EVENT, EventType.MESSAGE, message_throw)
