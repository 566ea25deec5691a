"""Checks of a whole process graph that no single attribute reveals.

Everything here works on the built model, so it also serves models built in code. Each problem
names the element, says what is wrong and what to change, and carries the element's XML line.
"""

from __future__ import annotations

from .event_rules import check_event_rules
from .model import Element, ElementKind, EventType, Process, SequenceFlow
from .report import Report
from .support import SUPPORTED, SUPPORTED_LOOPS, SupportKey, support_key

_JOB_TASKS = frozenset(
    {ElementKind.SERVICE_TASK, ElementKind.SEND_TASK, ElementKind.BUSINESS_RULE_TASK}
)
_CONDITIONAL_GATEWAYS = frozenset({ElementKind.EXCLUSIVE_GATEWAY, ElementKind.INCLUSIVE_GATEWAY})
_NEEDS_EVENT_DEFINITION = frozenset(
    {ElementKind.INTERMEDIATE_CATCH_EVENT, ElementKind.BOUNDARY_EVENT}
)
_EVENT_SUBPROCESS_TRIGGERS = "a message, timer, error, escalation or signal start event"


def validate_process(
    process: Process,
    report: Report,
    *,
    supported: frozenset[SupportKey] = SUPPORTED,
    supported_loops: frozenset[ElementKind] = SUPPORTED_LOOPS,
    reported_ids: frozenset[str] = frozenset(),
) -> None:
    """Add every graph-level problem of `process` to `report`.

    `reported_ids` are flow nodes the reader already rejected (and left out of the model);
    flows touching them are not reported again.
    """
    _check_flows(process, report, reported_ids)
    _check_start_events(process, process.id, report)
    for element in process.elements.values():
        _check_support(process, element, report, supported, supported_loops)
        _check_element(process, element, report)
        check_event_rules(process, element, report)


def _label(element: Element) -> str:
    return f"{element.kind.value} '{element.id}'"


def _is_embedded_start(process: Process, element: Element) -> bool:
    if element.kind is not ElementKind.START_EVENT or element.scope_id == process.id:
        return False
    scope = process.elements.get(element.scope_id)
    return scope is not None and not scope.triggered_by_event


def _check_support(
    process: Process,
    element: Element,
    report: Report,
    supported: frozenset[SupportKey],
    supported_loops: frozenset[ElementKind],
) -> None:
    event_type = element.event_type
    if _is_embedded_start(process, element):
        return  # a typed start event here gets its own, more specific problem
    if element.event is None and element.kind in _NEEDS_EVENT_DEFINITION:
        report.add(
            element.id,
            f"the {element.kind.value} has no event definition: give it one (message, timer, "
            "signal, ...) or remove it",
            element.line,
        )
        return
    if support_key(element.kind, event_type) not in supported:
        if element.kind.is_event:
            what = f"{element.kind.value} with {event_type} event definition"
        else:
            what = element.kind.value
        report.add(
            element.id,
            f"unsupported element: {what} is not supported yet; remodel this part with supported "
            "elements (see docs/bpmn-coverage.md)",
            element.line,
        )
    if element.loop is not None and element.kind not in supported_loops:
        report.add(
            element.id,
            f"unsupported element: multi-instance {element.kind.value} is not supported yet; "
            "remove the multi-instance marker",
            element.line,
        )


def _check_flows(process: Process, report: Report, reported_ids: frozenset[str]) -> None:
    elements = process.elements
    for flow in process.flows.values():
        ends_known = True
        for end, ref in (("starts at", flow.source), ("points to", flow.target)):
            if not ref:
                side = "source" if end == "starts at" else "target"
                report.add(
                    flow.id,
                    f"the sequence flow has no {side} (sourceRef/targetRef): connect both ends",
                    flow.line,
                )
                ends_known = False
            elif ref not in elements:
                ends_known = False
                if ref in reported_ids:
                    continue
                report.add(
                    flow.id,
                    f"the sequence flow {end} '{ref}', which is not an element of process "
                    f"'{process.id}': connect it to an existing element",
                    flow.line,
                )
        if not ends_known:
            continue
        source, target = elements[flow.source], elements[flow.target]
        if source.scope_id != target.scope_id:
            report.add(
                flow.id,
                f"the sequence flow connects '{source.id}' (in '{source.scope_id}') with "
                f"'{target.id}' (in '{target.scope_id}'): a sequence flow cannot cross a "
                "subprocess boundary; connect elements of the same scope",
                flow.line,
            )
        if flow.condition is not None and source.kind not in _CONDITIONAL_GATEWAYS:
            report.add(
                flow.id,
                f"the sequence flow has a condition but leaves {_label(source)}: conditions are "
                "only evaluated on flows leaving an exclusive or inclusive gateway; move the "
                "decision into a gateway or remove the condition",
                flow.line,
            )


def _check_start_events(process: Process, scope_id: str, report: Report) -> None:
    """The start events of the process and of every embedded and event subprocess."""
    starts = process.start_events(scope_id, event_type=None)
    none_starts = [e for e in starts if e.event_type is EventType.NONE]
    if scope_id == process.id:
        if not starts:
            report.add(
                process.id,
                f"process '{process.id}' has no start event: add a none start event",
                process.line,
            )
        _check_single_none_start(none_starts, f"process '{process.id}'", report)
    else:
        subprocess = process.elements[scope_id]
        if subprocess.triggered_by_event:
            _check_event_subprocess_start(subprocess, starts, report)
        else:
            _check_embedded_start(subprocess, starts, report)
    for child in process.children(scope_id):
        if child.kind is ElementKind.SUB_PROCESS:
            _check_start_events(process, child.id, report)


def _check_single_none_start(none_starts: list[Element], where: str, report: Report) -> None:
    if len(none_starts) > 1:
        ids = ", ".join(f"'{e.id}'" for e in none_starts)
        for extra in none_starts[1:]:
            report.add(
                extra.id,
                f"{where} has {len(none_starts)} none start events ({ids}): keep only one",
                extra.line,
            )


def _check_embedded_start(subprocess: Element, starts: tuple[Element, ...], report: Report) -> None:
    if not starts:
        report.add(
            subprocess.id,
            "the subprocess has no start event: add a none start event inside it",
            subprocess.line,
        )
    for start in starts:
        if start.event_type is not EventType.NONE:
            report.add(
                start.id,
                f"the start event in subprocess '{subprocess.id}' has a {start.event_type} event "
                "definition, but an embedded subprocess starts with a none start event: remove "
                "the event definition (or make the subprocess an event subprocess)",
                start.line,
            )
    _check_single_none_start(
        [s for s in starts if s.event_type is EventType.NONE],
        f"subprocess '{subprocess.id}'",
        report,
    )


def _check_event_subprocess_start(
    subprocess: Element, starts: tuple[Element, ...], report: Report
) -> None:
    if len(starts) != 1:
        report.add(
            subprocess.id,
            f"the event subprocess has {len(starts)} start events, but it needs exactly one: "
            f"{_EVENT_SUBPROCESS_TRIGGERS}",
            subprocess.line,
        )
    for start in starts:
        if start.event_type is EventType.NONE:
            report.add(
                start.id,
                f"the start event of event subprocess '{subprocess.id}' has no event definition: "
                f"an event subprocess starts with {_EVENT_SUBPROCESS_TRIGGERS}",
                start.line,
            )
    if subprocess.incoming or subprocess.outgoing:
        report.add(
            subprocess.id,
            "the event subprocess has sequence flows: an event subprocess is started by its "
            "event, so remove its incoming and outgoing sequence flows",
            subprocess.line,
        )


def _check_element(process: Process, element: Element, report: Report) -> None:
    kind = element.kind
    if kind in _JOB_TASKS:
        _check_job_type(element, report)
    elif kind is ElementKind.SCRIPT_TASK:
        _check_script(element, report)
    elif kind is ElementKind.CALL_ACTIVITY:
        if element.called_element is None or not element.called_element.process_id:
            report.add(
                element.id,
                "the call activity has no called process id: set zeebe:calledElement processId "
                "to the id of the process to call",
                element.line,
            )
    elif kind is ElementKind.BOUNDARY_EVENT:
        _check_boundary(process, element, report)
    elif kind.is_gateway:
        _check_gateway(process, element, report)
    if (
        kind is ElementKind.INTERMEDIATE_THROW_EVENT
        and element.event is not None
        and element.event.type is EventType.LINK
        and element.event.link_name is not None
        and element.event.link_name not in process.links(element.scope_id)
    ):
        report.add(
            element.id,
            f"the link throw event has no link catch event named '{element.event.link_name}' "
            "in the same scope: add one, or give this event the name of an existing one",
            element.line,
        )
    if kind is ElementKind.START_EVENT and element.incoming:
        report.add(
            element.id,
            "the start event has incoming sequence flows: remove them (a start event begins a "
            "path)",
            element.line,
        )
    if kind is ElementKind.END_EVENT and element.outgoing:
        report.add(
            element.id,
            "the end event has outgoing sequence flows: remove them (an end event ends a path)",
            element.line,
        )
    if element.default_flow is not None and element.default_flow not in element.outgoing:
        report.add(
            element.id,
            f"the default flow '{element.default_flow}' is not an outgoing sequence flow of "
            f"'{element.id}': choose one of its outgoing flows as the default",
            element.line,
        )


def _check_job_type(element: Element, report: Report) -> None:
    is_decision = any(tag.endswith("}calledDecision") for tag, _ in element.extensions)
    if is_decision:
        return
    if element.task_definition is None or not element.task_definition.type:
        report.add(
            element.id,
            f"the {element.kind.value} has no job type: add zeebe:taskDefinition with a type "
            "(the job type a worker or connector subscribes to)",
            element.line,
        )


def _check_script(element: Element, report: Report) -> None:
    if element.task_definition is not None:
        _check_job_type(element, report)
        return
    if element.script is None:
        report.add(
            element.id,
            "the script task has no zeebe:script: add a FEEL expression and a result variable "
            "(or a zeebe:taskDefinition to run it as a job)",
            element.line,
        )
        return
    if not element.script.expression.strip():
        report.add(
            element.id,
            "the script task's zeebe:script has no expression: write a FEEL expression",
            element.line,
        )
    if element.script.result_variable is None:
        report.add(
            element.id,
            "the script task's zeebe:script has no result variable: set resultVariable to the "
            "variable that receives the result",
            element.line,
        )


def _check_boundary(process: Process, element: Element, report: Report) -> None:
    host_id = element.attached_to
    host = process.elements.get(host_id) if host_id else None
    if host is None or not host.is_activity:
        if host is not None:
            what = f"{_label(host)}"
        else:
            what = f"'{host_id}', which is not an element of this process" if host_id else "nothing"
        report.add(
            element.id,
            f"the boundary event is attached to {what}: attach it to a task, subprocess or "
            "call activity of this process",
            element.line,
        )
    elif host.scope_id != element.scope_id:
        report.add(
            element.id,
            f"the boundary event is attached to '{host.id}' of another scope: attach it to an "
            "activity of its own scope",
            element.line,
        )
    if element.incoming:
        report.add(
            element.id,
            "the boundary event has incoming sequence flows: remove them (it is triggered by "
            "its event)",
            element.line,
        )
    if not element.outgoing:
        report.add(
            element.id,
            "the boundary event has no outgoing sequence flow: connect it to the element that "
            "handles the event",
            element.line,
        )


def _check_gateway(process: Process, gateway: Element, report: Report) -> None:
    outgoing = process.outgoing(gateway.id)
    if not outgoing:
        report.add(
            gateway.id,
            f"the {gateway.kind.value} has no outgoing sequence flow: connect it to the next "
            "element",
            gateway.line,
        )
        return
    if gateway.kind is ElementKind.EVENT_BASED_GATEWAY:
        _check_event_based_gateway(process, gateway, outgoing, report)
        return
    if gateway.kind not in _CONDITIONAL_GATEWAYS or len(outgoing) < 2:
        return
    for flow in outgoing:
        if flow.condition is None and flow.id != gateway.default_flow:
            report.add(
                flow.id,
                f"the sequence flow leaves {_label(gateway)} without a condition: add a condition "
                "expression or make it the gateway's default flow",
                flow.line,
            )


#: the events an event-based gateway may wait for (as in Zeebe)
_GATEWAY_EVENTS = frozenset({EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL})


def _check_event_based_gateway(
    process: Process, gateway: Element, outgoing: tuple[SequenceFlow, ...], report: Report
) -> None:
    """An event-based gateway races two or more intermediate message, timer or signal catch
    events; each flow must lead straight to one."""
    if len(outgoing) < 2:
        report.add(
            gateway.id,
            "the event-based gateway has only one outgoing sequence flow: it chooses between "
            "events, so connect it to at least two intermediate catch events",
            gateway.line,
        )
    for flow in outgoing:
        target = process.elements.get(flow.target)
        if target is None:
            continue
        if (
            target.kind is not ElementKind.INTERMEDIATE_CATCH_EVENT
            or target.event_type not in _GATEWAY_EVENTS
        ):
            report.add(
                flow.id,
                f"the sequence flow leads from event-based gateway '{gateway.id}' to "
                f"{_label(target)}: an event-based gateway may only lead to intermediate "
                "message, timer or signal catch events",
                flow.line,
            )
