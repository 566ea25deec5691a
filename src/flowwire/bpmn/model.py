"""The immutable process model that the parser produces and the engine runs.

Every class is a frozen, slotted dataclass: a deployed model is shared by all instances of a
process, so nothing may change it after parsing. Expression fields hold the text exactly as
written in the XML (FEEL usually starts with "="); the engine compiles them on use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class ElementKind(StrEnum):
    """The BPMN flow elements; each value is the element's XML tag name."""

    START_EVENT = "startEvent"
    END_EVENT = "endEvent"
    INTERMEDIATE_THROW_EVENT = "intermediateThrowEvent"
    INTERMEDIATE_CATCH_EVENT = "intermediateCatchEvent"
    BOUNDARY_EVENT = "boundaryEvent"
    SERVICE_TASK = "serviceTask"
    SEND_TASK = "sendTask"
    BUSINESS_RULE_TASK = "businessRuleTask"
    SCRIPT_TASK = "scriptTask"
    USER_TASK = "userTask"
    RECEIVE_TASK = "receiveTask"
    MANUAL_TASK = "manualTask"
    TASK = "task"
    EXCLUSIVE_GATEWAY = "exclusiveGateway"
    PARALLEL_GATEWAY = "parallelGateway"
    INCLUSIVE_GATEWAY = "inclusiveGateway"
    EVENT_BASED_GATEWAY = "eventBasedGateway"
    SUB_PROCESS = "subProcess"
    CALL_ACTIVITY = "callActivity"

    @property
    def is_gateway(self) -> bool:
        return self in _GATEWAYS

    @property
    def is_activity(self) -> bool:
        return self in _ACTIVITIES

    @property
    def is_event(self) -> bool:
        return self in _EVENTS


_GATEWAYS = frozenset(
    {
        ElementKind.EXCLUSIVE_GATEWAY,
        ElementKind.PARALLEL_GATEWAY,
        ElementKind.INCLUSIVE_GATEWAY,
        ElementKind.EVENT_BASED_GATEWAY,
    }
)
_EVENTS = frozenset(
    {
        ElementKind.START_EVENT,
        ElementKind.END_EVENT,
        ElementKind.INTERMEDIATE_THROW_EVENT,
        ElementKind.INTERMEDIATE_CATCH_EVENT,
        ElementKind.BOUNDARY_EVENT,
    }
)
_ACTIVITIES = frozenset(ElementKind) - _GATEWAYS - _EVENTS


class EventType(StrEnum):
    """The event definition of an event element ("none" when it has none)."""

    NONE = "none"
    MESSAGE = "message"
    TIMER = "timer"
    ERROR = "error"
    ESCALATION = "escalation"
    SIGNAL = "signal"
    TERMINATE = "terminate"
    LINK = "link"
    COMPENSATION = "compensation"
    CONDITIONAL = "conditional"


TimerKind = Literal["date", "duration", "cycle"]


@dataclass(frozen=True, slots=True)
class EventDefinition:
    """An event definition with its referenced root element (message, error, ...) resolved.

    `message_name` is static text or "=FEEL"; `correlation_key` and `condition` are FEEL.
    """

    type: EventType
    message_name: str | None = None
    correlation_key: str | None = None
    timer_kind: TimerKind | None = None
    timer_expression: str | None = None
    error_code: str | None = None
    escalation_code: str | None = None
    signal_name: str | None = None
    link_name: str | None = None
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class IoMapping:
    """One `zeebe:input` / `zeebe:output`: FEEL `source` written into variable `target`.

    `target_path` is the target split on ".", so `authentication.token` merges only the leaf.
    """

    source: str
    target: str
    target_path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TaskDefinition:
    """`zeebe:taskDefinition`: the job type and retries, each static text or "=FEEL"."""

    type: str
    retries: str = "3"


@dataclass(frozen=True, slots=True)
class LoopCharacteristics:
    """`bpmn:multiInstanceLoopCharacteristics` with its `zeebe:loopCharacteristics`."""

    sequential: bool
    input_collection: str | None = None
    input_element: str | None = None
    output_collection: str | None = None
    output_element: str | None = None
    completion_condition: str | None = None


@dataclass(frozen=True, slots=True)
class CalledElement:
    """`zeebe:calledElement`; `process_id` is static text or "=FEEL". Camunda's defaults apply."""

    process_id: str
    propagate_all_child_variables: bool = True
    propagate_all_parent_variables: bool = True


@dataclass(frozen=True, slots=True)
class Script:
    """`zeebe:script`: a FEEL expression whose result goes into `result_variable`."""

    expression: str
    result_variable: str | None = None


@dataclass(frozen=True, slots=True)
class UserTaskDefinition:
    """The Camunda user task settings (`zeebe:assignmentDefinition`, `zeebe:taskSchedule`, form).

    `zeebe_user_task` is True when the task carries `zeebe:userTask` (a Camunda user task rather
    than a job-based one); flowwire runs both as a wait state.
    """

    assignee: str | None = None
    candidate_groups: str | None = None
    candidate_users: str | None = None
    due_date: str | None = None
    follow_up_date: str | None = None
    form_key: str | None = None
    form_id: str | None = None
    external_form_reference: str | None = None
    zeebe_user_task: bool = False


#: an extension element kept as written: (Clark-notation tag "{ns}local", its attributes)
Extension = tuple[str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class Element:
    """One flow node (event, activity, gateway) of a process.

    `scope_id` is the id of the enclosing process or subprocess. `incoming` / `outgoing` are
    sequence flow ids in document order. `cancel_activity` is the boundary event's
    `cancelActivity`, or for a start event inside an event subprocess its `isInterrupting`
    (both default to True in BPMN).
    """

    id: str
    kind: ElementKind
    name: str = ""
    line: int | None = None
    scope_id: str = ""
    incoming: tuple[str, ...] = ()
    outgoing: tuple[str, ...] = ()
    default_flow: str | None = None
    inputs: tuple[IoMapping, ...] = ()
    outputs: tuple[IoMapping, ...] = ()
    task_definition: TaskDefinition | None = None
    task_headers: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    event: EventDefinition | None = None
    attached_to: str | None = None
    cancel_activity: bool = True
    triggered_by_event: bool = False
    loop: LoopCharacteristics | None = None
    called_element: CalledElement | None = None
    script: Script | None = None
    user_task: UserTaskDefinition | None = None
    extensions: tuple[Extension, ...] = ()

    @property
    def event_type(self) -> EventType | None:
        """The event definition type of an event (NONE when it has none), else None."""
        if self.event is not None:
            return self.event.type
        return EventType.NONE if self.kind.is_event else None

    @property
    def is_job_worker(self) -> bool:
        return self.task_definition is not None

    @property
    def is_gateway(self) -> bool:
        return self.kind.is_gateway

    @property
    def is_activity(self) -> bool:
        return self.kind.is_activity

    @property
    def is_event(self) -> bool:
        return self.kind.is_event

    @property
    def is_event_subprocess(self) -> bool:
        return self.kind is ElementKind.SUB_PROCESS and self.triggered_by_event


@dataclass(frozen=True, slots=True)
class SequenceFlow:
    """A sequence flow; `condition` is the FEEL text of its `conditionExpression`, if any."""

    id: str
    source: str
    target: str
    condition: str | None = None
    name: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Process:
    """An executable process: its flow nodes and sequence flows by id, with lookup helpers.

    The helpers are answered from indexes built once at construction, since the engine asks
    them on every step.
    """

    id: str
    name: str
    is_executable: bool
    elements: dict[str, Element]
    flows: dict[str, SequenceFlow]
    line: int | None = None
    _children: dict[str, tuple[Element, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _boundaries: dict[str, tuple[Element, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        children: dict[str, list[Element]] = {}
        boundaries: dict[str, list[Element]] = {}
        for element in self.elements.values():
            children.setdefault(element.scope_id, []).append(element)
            if element.attached_to is not None:
                boundaries.setdefault(element.attached_to, []).append(element)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})
        object.__setattr__(self, "_boundaries", {k: tuple(v) for k, v in boundaries.items()})

    def element(self, element_id: str) -> Element:
        """The element with this id; KeyError names the id and the process when it is unknown."""
        try:
            return self.elements[element_id]
        except KeyError:
            raise KeyError(f"process '{self.id}' has no element '{element_id}'") from None

    def children(self, scope_id: str | None = None) -> tuple[Element, ...]:
        """Elements directly inside a scope (the process id, or None, is the top scope)."""
        return self._children.get(scope_id or self.id, ())

    def start_events(
        self, scope_id: str | None = None, *, event_type: EventType | None = EventType.NONE
    ) -> tuple[Element, ...]:
        """The start events of a scope with the given event type (None: all of them)."""
        return tuple(
            e
            for e in self.children(scope_id)
            if e.kind is ElementKind.START_EVENT
            and (event_type is None or e.event_type is event_type)
        )

    def boundary_events(self, activity_id: str) -> tuple[Element, ...]:
        """The boundary events attached to an activity, in document order."""
        return self._boundaries.get(activity_id, ())

    def event_subprocesses(self, scope_id: str | None = None) -> tuple[Element, ...]:
        """The event subprocesses directly inside a scope."""
        return tuple(e for e in self.children(scope_id) if e.is_event_subprocess)

    def outgoing(self, element_id: str) -> tuple[SequenceFlow, ...]:
        """The element's outgoing sequence flows in document order."""
        return tuple(self.flows[f] for f in self.elements[element_id].outgoing)

    def incoming(self, element_id: str) -> tuple[SequenceFlow, ...]:
        """The element's incoming sequence flows in document order."""
        return tuple(self.flows[f] for f in self.elements[element_id].incoming)

    def links(self, scope_id: str | None = None) -> dict[str, Element]:
        """The link intermediate catch events of a scope, by link name."""
        return {
            e.event.link_name: e
            for e in self.children(scope_id)
            if e.kind is ElementKind.INTERMEDIATE_CATCH_EVENT
            and e.event is not None
            and e.event.type is EventType.LINK
            and e.event.link_name is not None
        }


@dataclass(frozen=True, slots=True)
class Definitions:
    """A parsed BPMN file: its executable processes and the SHA-256 of the XML bytes."""

    processes: tuple[Process, ...]
    xml_checksum: str
    resource_name: str = ""

    def process(self, process_id: str) -> Process:
        """The process with this id; KeyError lists the ids the file holds."""
        for process in self.processes:
            if process.id == process_id:
                return process
        known = ", ".join(p.id for p in self.processes)
        raise KeyError(f"no process '{process_id}' in this file (it holds: {known})")
