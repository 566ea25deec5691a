"""Reads a BPMN document (as Camunda Modeler 5 writes it for Camunda 8) into the process model.

Reading never stops at the first problem: every problem is recorded in a `Report`, the graph is
validated as a whole, and only then does `parse` raise, listing them all. Diagram interchange
(`bpmndi:`) and purely descriptive elements (lanes, annotations, data objects, groups) are never
visited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .errors import BpmnValidationError, Problem
from .model import (
    Definitions,
    Element,
    ElementKind,
    EventDefinition,
    EventType,
    LoopCharacteristics,
    Process,
    SequenceFlow,
    TimerKind,
)
from .report import Report
from .support import SUPPORTED, SUPPORTED_LOOPS, SupportKey
from .validation import validate_process
from .xml_loading import (
    BPMN_NS,
    DEFAULT_MAX_BYTES,
    ZEEBE_NS,
    line_of,
    load_definitions_root,
    to_bytes,
)
from .zeebe_extensions import read_loop_variables, read_zeebe_settings

_B = f"{{{BPMN_NS}}}"
_Z = f"{{{ZEEBE_NS}}}"
_FLOW_NODE_KINDS = {f"{_B}{kind.value}": kind for kind in ElementKind}
_UNSUPPORTED_FLOW_NODES = {
    f"{_B}{tag}": tag
    for tag in (
        "complexGateway",
        "adHocSubProcess",
        "transaction",
        "callChoreography",
        "subChoreography",
        "choreographyTask",
        "implicitThrowEvent",
    )
}
_EVENT_DEFINITIONS = {
    f"{_B}messageEventDefinition": EventType.MESSAGE,
    f"{_B}timerEventDefinition": EventType.TIMER,
    f"{_B}errorEventDefinition": EventType.ERROR,
    f"{_B}escalationEventDefinition": EventType.ESCALATION,
    f"{_B}signalEventDefinition": EventType.SIGNAL,
    f"{_B}terminateEventDefinition": EventType.TERMINATE,
    f"{_B}linkEventDefinition": EventType.LINK,
    f"{_B}compensateEventDefinition": EventType.COMPENSATION,
    f"{_B}conditionalEventDefinition": EventType.CONDITIONAL,
}
_CANCEL_EVENT_DEFINITION = f"{_B}cancelEventDefinition"
_TIMER_KINDS: dict[str, TimerKind] = {
    f"{_B}timeDate": "date",
    f"{_B}timeDuration": "duration",
    f"{_B}timeCycle": "cycle",
}
_EXTENSION_ELEMENTS = f"{_B}extensionElements"
_INCOMING = f"{_B}incoming"
_OUTGOING = f"{_B}outgoing"
_SEQUENCE_FLOW = f"{_B}sequenceFlow"
_CONDITION_EXPRESSION = f"{_B}conditionExpression"
_MULTI_INSTANCE = f"{_B}multiInstanceLoopCharacteristics"
_STANDARD_LOOP = f"{_B}standardLoopCharacteristics"
#: message catchers that need a correlation key to find their instance
_CORRELATED = frozenset(
    {ElementKind.INTERMEDIATE_CATCH_EVENT, ElementKind.BOUNDARY_EVENT, ElementKind.RECEIVE_TASK}
)
_MESSAGE_CATCHERS = _CORRELATED | {ElementKind.START_EVENT}


def parse(
    source: str | bytes,
    *,
    resource_name: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    supported: frozenset[SupportKey] = SUPPORTED,
    supported_loops: frozenset[ElementKind] = SUPPORTED_LOOPS,
) -> Definitions:
    """Parse and validate a BPMN file; raise BpmnValidationError listing every problem."""
    data = to_bytes(source)
    try:
        root = load_definitions_root(data, max_bytes=max_bytes)
    except BpmnValidationError as err:
        raise BpmnValidationError(err.problems, resource_name) from None
    report = Report()
    _check_duplicate_ids(root, report)
    references = _read_root_elements(root, report)
    processes: list[Process] = []
    executable_found = False
    for child in root.iterchildren(f"{_B}process"):
        if (child.get("isExecutable") or "").strip().lower() != "true":
            continue
        executable_found = True
        reader = _ProcessReader(child, references, report)
        process = reader.read()
        if process is not None:
            validate_process(
                process,
                report,
                supported=supported,
                supported_loops=supported_loops,
                reported_ids=frozenset(reader.skipped_ids),
            )
            processes.append(process)
    if not executable_found:
        report.add(
            None,
            "no executable process in the file: mark a process as executable "
            '(isExecutable="true"; in Camunda Modeler tick "Executable" in the process properties)',
            line_of(root),
        )
    if report.problems:
        raise BpmnValidationError(_in_document_order(report.problems), resource_name)
    checksum = hashlib.sha256(data).hexdigest()
    return Definitions(tuple(processes), checksum, resource_name)


def _in_document_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line if p.line is not None else 0)


def _check_duplicate_ids(root: etree._Element, report: Report) -> None:
    ids = root.xpath("//bpmn:*/@id", namespaces={"bpmn": BPMN_NS})
    if isinstance(ids, list) and len(ids) == len(set(ids)):
        return  # the common case, answered in C; only a file with duplicates is walked
    first_lines: dict[str, int | None] = {}
    for node in root.iter(f"{_B}*"):
        element_id = node.get("id")
        if element_id is None:
            continue
        if element_id in first_lines:
            report.add(
                element_id,
                f"duplicate id '{element_id}' (also used at line {first_lines[element_id]}): "
                "give each element its own id",
                line_of(node),
            )
        else:
            first_lines[element_id] = line_of(node)


@dataclass(frozen=True, slots=True)
class _Message:
    name: str | None
    correlation_key: str | None


@dataclass(slots=True)
class _References:
    """The root elements that event definitions refer to, by id."""

    messages: dict[str, _Message] = field(default_factory=dict)
    errors: dict[str, str | None] = field(default_factory=dict)
    escalations: dict[str, str | None] = field(default_factory=dict)
    signals: dict[str, str | None] = field(default_factory=dict)


def _text_attribute(node: etree._Element, name: str) -> str | None:
    """The attribute's value without surrounding blanks; None when it is missing or blank."""
    value = node.get(name)
    if value is None:
        return None
    return value.strip() or None


def _text_of(node: etree._Element | None) -> str | None:
    """An element's text without surrounding blanks; None when there is no element or no text."""
    if node is None:
        return None
    return (node.text or "").strip() or None


def _read_root_elements(root: etree._Element, report: Report) -> _References:
    references = _References()
    for node in root:
        tag = node.tag
        element_id = node.get("id")
        if not isinstance(tag, str) or not element_id:
            continue
        line = line_of(node)
        if tag == f"{_B}message":
            name = _text_attribute(node, "name")
            key = None
            subscription = node.find(f"{_EXTENSION_ELEMENTS}/{_Z}subscription")
            if subscription is not None:
                key = _text_attribute(subscription, "correlationKey")
                report.check_feel(
                    key, element_id=element_id, what="correlation key", line=line_of(subscription)
                )
            report.check_feel(name, element_id=element_id, what="message name", line=line)
            references.messages[element_id] = _Message(name, key)
        elif tag == f"{_B}error":
            code = _text_attribute(node, "errorCode")
            report.check_feel(code, element_id=element_id, what="error code", line=line)
            references.errors[element_id] = code
        elif tag == f"{_B}escalation":
            code = _text_attribute(node, "escalationCode")
            report.check_feel(code, element_id=element_id, what="escalation code", line=line)
            references.escalations[element_id] = code
        elif tag == f"{_B}signal":
            name = _text_attribute(node, "name")
            report.check_feel(name, element_id=element_id, what="signal name", line=line)
            references.signals[element_id] = name
    return references


@dataclass(slots=True)
class _NodeDraft:
    """A flow node's fields, waiting for its sequence flows to be known."""

    fields: dict[str, Any]
    declared_incoming: list[str]
    declared_outgoing: list[str]


def _ordered(declared: list[str], actual: list[str]) -> tuple[str, ...]:
    """Flow ids in the order of the element's <incoming>/<outgoing> refs, then document order."""
    if declared == actual:
        return tuple(actual)
    present = set(actual)
    first = [flow_id for flow_id in dict.fromkeys(declared) if flow_id in present]
    listed = set(first)
    return tuple(first + [flow_id for flow_id in actual if flow_id not in listed])


class _ProcessReader:
    """Reads one executable `bpmn:process` with its nested subprocesses."""

    def __init__(self, node: etree._Element, references: _References, report: Report) -> None:
        self._node = node
        self._refs = references
        self._report = report
        self._drafts: list[_NodeDraft] = []
        self._flows: dict[str, SequenceFlow] = {}
        #: flow nodes left out of the model because a problem was already reported for them
        self.skipped_ids: set[str] = set()

    def read(self) -> Process | None:
        process_id = self._node.get("id")
        if not process_id:
            self._report.add(None, "a process has no id: give it an id", line_of(self._node))
            return None
        self._read_scope(self._node, process_id, in_event_subprocess=False)
        return Process(
            id=process_id,
            name=self._node.get("name") or "",
            is_executable=True,
            elements=self._elements(),
            flows=self._flows,
            line=line_of(self._node),
        )

    def _elements(self) -> dict[str, Element]:
        leaving: dict[str, list[str]] = {}
        arriving: dict[str, list[str]] = {}
        for flow in self._flows.values():
            leaving.setdefault(flow.source, []).append(flow.id)
            arriving.setdefault(flow.target, []).append(flow.id)
        elements: dict[str, Element] = {}
        for draft in self._drafts:
            element_id = draft.fields["id"]
            if element_id in elements:
                continue  # reported as a duplicate id
            elements[element_id] = Element(
                incoming=_ordered(draft.declared_incoming, arriving.get(element_id, [])),
                outgoing=_ordered(draft.declared_outgoing, leaving.get(element_id, [])),
                **draft.fields,
            )
        return elements

    def _read_scope(
        self, container: etree._Element, scope_id: str, *, in_event_subprocess: bool
    ) -> None:
        for child in container:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            kind = _FLOW_NODE_KINDS.get(tag)
            if kind is not None:
                self._read_node(child, kind, scope_id, in_event_subprocess=in_event_subprocess)
            elif tag == _SEQUENCE_FLOW:
                self._read_flow(child)
            elif tag in _UNSUPPORTED_FLOW_NODES:
                self.skipped_ids.add(child.get("id") or "")
                self._report.add(
                    child.get("id"),
                    f"unsupported element: {_UNSUPPORTED_FLOW_NODES[tag]} is not supported yet; "
                    "remodel this part with supported elements (see docs/bpmn-coverage.md)",
                    line_of(child),
                )

    def _read_flow(self, node: etree._Element) -> None:
        flow_id = node.get("id")
        line = line_of(node)
        if not flow_id:
            self._report.add(None, "a sequence flow has no id: give it an id", line)
            return
        condition = None
        condition_node = node.find(_CONDITION_EXPRESSION) if len(node) else None
        if condition_node is not None:
            condition = _text_of(condition_node)
            self._report.check_feel(
                condition,
                element_id=flow_id,
                what="condition",
                line=line_of(condition_node),
                always_feel=True,
            )
        if flow_id not in self._flows:
            self._flows[flow_id] = SequenceFlow(
                id=flow_id,
                source=(node.get("sourceRef") or "").strip(),
                target=(node.get("targetRef") or "").strip(),
                condition=condition,
                name=node.get("name") or "",
                line=line,
            )

    def _read_node(
        self,
        node: etree._Element,
        kind: ElementKind,
        scope_id: str,
        *,
        in_event_subprocess: bool,
    ) -> None:
        element_id = node.get("id")
        line = line_of(node)
        if not element_id:
            self._report.add(None, f"a {kind.value} has no id: give it an id", line)
            return
        extension_node = None
        loop_node = None
        definitions: list[etree._Element] = []
        incoming: list[str] = []
        outgoing: list[str] = []
        for child in node:
            tag = child.tag
            if tag == _OUTGOING:
                outgoing.append((child.text or "").strip())
            elif tag == _INCOMING:
                incoming.append((child.text or "").strip())
            elif tag == _EXTENSION_ELEMENTS:
                extension_node = child
            elif tag in _EVENT_DEFINITIONS or tag == _CANCEL_EVENT_DEFINITION:
                definitions.append(child)
            elif tag == _MULTI_INSTANCE:
                loop_node = child
            elif tag == _STANDARD_LOOP:
                self._report.add(
                    element_id,
                    f"unsupported element: {kind.value} with a standard loop is not supported "
                    "by Camunda 8: use a multi-instance marker instead",
                    line_of(child),
                )
        settings = read_zeebe_settings(extension_node, element_id, self._report)
        if settings.called_decision_line is not None:
            self._report.add(
                element_id,
                f"unsupported element: {kind.value} with zeebe:calledDecision (a DMN decision) is "
                "not supported yet: implement it as a job worker (zeebe:taskDefinition)",
                settings.called_decision_line,
            )
        event = None
        if kind.is_event:
            event = self._event(node, kind, element_id, definitions, in_event_subprocess)
        elif kind is ElementKind.RECEIVE_TASK:
            event = self._message(
                node.get("messageRef"), kind, element_id, line, in_event_subprocess=False
            )
        triggered_by_event = (
            kind is ElementKind.SUB_PROCESS
            and (node.get("triggeredByEvent") or "").strip().lower() == "true"
        )
        interrupting_attribute = (
            "cancelActivity" if kind is ElementKind.BOUNDARY_EVENT else "isInterrupting"
        )
        fields: dict[str, Any] = {
            "id": element_id,
            "kind": kind,
            "name": node.get("name") or "",
            "line": line,
            "scope_id": scope_id,
            "default_flow": _text_attribute(node, "default"),
            "inputs": tuple(settings.inputs),
            "outputs": tuple(settings.outputs),
            "task_definition": settings.task_definition,
            "task_headers": settings.headers,
            "properties": settings.properties,
            "event": event,
            "attached_to": _text_attribute(node, "attachedToRef"),
            "cancel_activity": (node.get(interrupting_attribute) or "true").strip().lower()
            != "false",
            "triggered_by_event": triggered_by_event,
            "loop": self._loop(loop_node, element_id) if loop_node is not None else None,
            "called_element": settings.called_element,
            "script": settings.script,
            "user_task": settings.user_task() if kind is ElementKind.USER_TASK else None,
            "extensions": tuple(settings.extensions),
        }
        self._drafts.append(_NodeDraft(fields, incoming, outgoing))
        if kind is ElementKind.SUB_PROCESS:
            self._read_scope(node, element_id, in_event_subprocess=triggered_by_event)

    def _loop(self, node: etree._Element, element_id: str) -> LoopCharacteristics:
        variables = read_loop_variables(node.find(_EXTENSION_ELEMENTS), element_id, self._report)
        condition = None
        condition_node = node.find(f"{_B}completionCondition")
        if condition_node is not None:
            condition = _text_of(condition_node)
            self._report.check_feel(
                condition,
                element_id=element_id,
                what="multi-instance completion condition",
                line=line_of(condition_node),
                always_feel=True,
            )
        if variables["input_collection"] is None:
            self._report.add(
                element_id,
                "the multi-instance marker has no input collection: set "
                "zeebe:loopCharacteristics inputCollection to a FEEL list, like '=items'",
                line_of(node),
            )
        if variables["output_collection"] is not None and variables["output_element"] is None:
            self._report.add(
                element_id,
                "the multi-instance marker has an output collection but no output element: "
                "set outputElement to the FEEL value collected from each iteration",
                line_of(node),
            )
        sequential = (node.get("isSequential") or "").strip().lower() == "true"
        return LoopCharacteristics(
            sequential=sequential, completion_condition=condition, **variables
        )

    def _event(
        self,
        node: etree._Element,
        kind: ElementKind,
        element_id: str,
        definitions: list[etree._Element],
        in_event_subprocess: bool,
    ) -> EventDefinition | None:
        if not definitions:
            return None
        if len(definitions) > 1:
            self._report.add(
                element_id,
                f"the {kind.value} has {len(definitions)} event definitions, but Camunda 8 "
                "supports one per event: keep only one",
                line_of(definitions[1]),
            )
        definition = definitions[0]
        line = line_of(definition)
        if definition.tag == _CANCEL_EVENT_DEFINITION:
            self._report.add(
                element_id,
                f"unsupported element: {kind.value} with cancel event definition is not "
                "supported (transactions are not supported): remove the cancel event",
                line,
            )
            return None
        event_type = _EVENT_DEFINITIONS[definition.tag]
        if event_type is EventType.MESSAGE:
            return self._message(
                definition.get("messageRef"),
                kind,
                element_id,
                line,
                in_event_subprocess=in_event_subprocess,
            )
        if event_type is EventType.TIMER:
            return self._timer(definition, element_id)
        if event_type is EventType.ERROR:
            code = self._referenced_code(
                definition.get("errorRef"), self._refs.errors, "error", kind, element_id, line
            )
            return EventDefinition(EventType.ERROR, error_code=code)
        if event_type is EventType.ESCALATION:
            code = self._referenced_code(
                definition.get("escalationRef"),
                self._refs.escalations,
                "escalation",
                kind,
                element_id,
                line,
            )
            return EventDefinition(EventType.ESCALATION, escalation_code=code)
        if event_type is EventType.SIGNAL:
            return self._signal(definition, element_id)
        if event_type is EventType.LINK:
            link_name = _text_attribute(definition, "name")
            if link_name is None:
                self._report.add(
                    element_id,
                    "the link event has no link name: give the throwing and the catching link "
                    "event the same name",
                    line,
                )
            return EventDefinition(EventType.LINK, link_name=link_name)
        if event_type is EventType.CONDITIONAL:
            condition_node = definition.find(f"{_B}condition")
            condition = _text_of(condition_node)
            if condition is None:
                self._report.add(
                    element_id, "the conditional event has no condition: add a FEEL condition", line
                )
            self._report.check_feel(
                condition, element_id=element_id, what="condition", line=line, always_feel=True
            )
            return EventDefinition(EventType.CONDITIONAL, condition=condition)
        return EventDefinition(event_type)

    def _message(
        self,
        message_ref: str | None,
        kind: ElementKind,
        element_id: str,
        line: int | None,
        *,
        in_event_subprocess: bool,
    ) -> EventDefinition:
        message = self._refs.messages.get(message_ref.strip()) if message_ref else None
        catches = kind in _MESSAGE_CATCHERS
        if message_ref and message is None:
            self._report.add(
                element_id,
                f"the {kind.value} refers to message '{message_ref}', which is not defined in "
                "this file: choose an existing message or add a bpmn:message with that id",
                line,
            )
        elif message is None and catches:
            self._report.add(
                element_id,
                f"the {kind.value} has no message: choose a message (messageRef) with a name "
                "and a correlation key",
                line,
            )
        if message is None:
            return EventDefinition(EventType.MESSAGE)
        if catches and message.name is None:
            self._report.add(
                element_id,
                f"the message '{message_ref}' of the {kind.value} has no name: give the message a "
                "name",
                line,
            )
        needs_key = kind in _CORRELATED or (kind is ElementKind.START_EVENT and in_event_subprocess)
        if needs_key and message.correlation_key is None:
            self._report.add(
                element_id,
                f"the message '{message_ref}' of the {kind.value} has no correlation key: set "
                "zeebe:subscription correlationKey on the message (e.g. '=orderId')",
                line,
            )
        return EventDefinition(
            EventType.MESSAGE,
            message_name=message.name,
            correlation_key=message.correlation_key,
        )

    def _timer(self, definition: etree._Element, element_id: str) -> EventDefinition:
        for child in definition:
            timer_kind = _TIMER_KINDS.get(child.tag) if isinstance(child.tag, str) else None
            if timer_kind is None:
                continue
            expression = _text_of(child)
            if expression is None:
                break
            self._report.check_feel(
                expression,
                element_id=element_id,
                what=f"timer {timer_kind}",
                line=line_of(child),
            )
            return EventDefinition(
                EventType.TIMER, timer_kind=timer_kind, timer_expression=expression
            )
        self._report.add(
            element_id,
            "the timer event has no timer value: set a date (ISO 8601 date-time), a duration "
            "(like PT5M) or a cycle (like R3/PT10S)",
            line_of(definition),
        )
        return EventDefinition(EventType.TIMER)

    def _signal(self, definition: etree._Element, element_id: str) -> EventDefinition:
        signal_ref = definition.get("signalRef")
        line = line_of(definition)
        if not signal_ref:
            self._report.add(
                element_id, "the signal event has no signal: choose a signal with a name", line
            )
            return EventDefinition(EventType.SIGNAL)
        if signal_ref not in self._refs.signals:
            self._report.add(
                element_id,
                f"the signal event refers to signal '{signal_ref}', which is not defined in this "
                "file: choose an existing signal or add a bpmn:signal with that id",
                line,
            )
            return EventDefinition(EventType.SIGNAL)
        name = self._refs.signals[signal_ref]
        if name is None:
            self._report.add(
                element_id,
                f"the signal '{signal_ref}' has no name: give the signal a name",
                line,
            )
        return EventDefinition(EventType.SIGNAL, signal_name=name)

    def _referenced_code(
        self,
        ref: str | None,
        codes: dict[str, str | None],
        what: str,
        kind: ElementKind,
        element_id: str,
        line: int | None,
    ) -> str | None:
        """The error/escalation code behind a ref; throwing events must name one, catching
        events without one catch every code."""
        throws = kind in (ElementKind.END_EVENT, ElementKind.INTERMEDIATE_THROW_EVENT)
        if ref and ref not in codes:
            self._report.add(
                element_id,
                f"the {kind.value} refers to {what} '{ref}', which is not defined in this file: "
                f"choose an existing {what} or add a bpmn:{what} with that id",
                line,
            )
            return None
        code = codes.get(ref) if ref else None
        if throws and code is None:
            self._report.add(
                element_id,
                f"the {what} {kind.value} has no {what} code: choose an {what} that has an "
                f"{what} code",
                line,
            )
        return code
