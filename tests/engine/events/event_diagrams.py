"""BPMN snippets for message, timer and signal tests, shaped like Camunda Modeler 5 writes
them. Root elements (`message`, `signal`) go beside the process in `definitions(...)`."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from ..diagrams import io


def _ext(*parts: str) -> str:
    content = "".join(p for p in parts if p)
    return f"<bpmn:extensionElements>{content}</bpmn:extensionElements>" if content else ""


def message(message_id: str, name: str, key: str | None = "=orderId") -> str:
    """A bpmn:message with its zeebe:subscription correlation key (None: none, for starts)."""
    subscription = (
        f"<bpmn:extensionElements><zeebe:subscription correlationKey={quoteattr(key)} />"
        "</bpmn:extensionElements>"
        if key is not None
        else ""
    )
    return f"<bpmn:message id={quoteattr(message_id)} name={quoteattr(name)}>{subscription}</bpmn:message>"


def signal(signal_id: str, name: str) -> str:
    return f"<bpmn:signal id={quoteattr(signal_id)} name={quoteattr(name)} />"


def _timer(kind: str, value: str) -> str:
    tag = {"date": "timeDate", "duration": "timeDuration", "cycle": "timeCycle"}[kind]
    return (
        f'<bpmn:timerEventDefinition><bpmn:{tag} xsi:type="bpmn:tFormalExpression">'
        f"{escape(value)}</bpmn:{tag}></bpmn:timerEventDefinition>"
    )


def definition(kind: str, ref_or_value: str, timer_kind: str = "duration") -> str:
    """An event definition: kind message or signal with its ref, or timer with its value."""
    if kind == "timer":
        return _timer(timer_kind, ref_or_value)
    return f'<bpmn:{kind}EventDefinition {kind}Ref="{ref_or_value}" />'


def catch(
    element_id: str,
    kind: str,
    ref_or_value: str,
    timer_kind: str = "duration",
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    """An intermediate catch event (message, timer or signal)."""
    return (
        f'<bpmn:intermediateCatchEvent id="{element_id}">{_ext(io((), outputs))}'
        f"{definition(kind, ref_or_value, timer_kind)}</bpmn:intermediateCatchEvent>"
    )


def start_event(
    element_id: str,
    kind: str,
    ref_or_value: str,
    timer_kind: str = "duration",
    *,
    interrupting: bool = True,
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    flag = "" if interrupting else ' isInterrupting="false"'
    return (
        f'<bpmn:startEvent id="{element_id}"{flag}>{_ext(io((), outputs))}'
        f"{definition(kind, ref_or_value, timer_kind)}</bpmn:startEvent>"
    )


def boundary(
    element_id: str,
    attached_to: str,
    kind: str,
    ref_or_value: str,
    timer_kind: str = "duration",
    *,
    interrupting: bool = True,
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        f'<bpmn:boundaryEvent id="{element_id}" attachedToRef="{attached_to}"{cancel}>'
        f"{_ext(io((), outputs))}{definition(kind, ref_or_value, timer_kind)}</bpmn:boundaryEvent>"
    )


def receive_task(element_id: str, message_ref: str, outputs: Iterable[tuple[str, str]] = ()) -> str:
    return (
        f'<bpmn:receiveTask id="{element_id}" messageRef="{message_ref}">'
        f"{_ext(io((), outputs))}</bpmn:receiveTask>"
    )


def event_subprocess(element_id: str, start: str, *elements: str) -> str:
    body = "\n".join(elements)
    return f'<bpmn:subProcess id="{element_id}" triggeredByEvent="true">{start}\n{body}</bpmn:subProcess>'


def signal_throw(
    element_id: str, ref: str, *, end: bool = False, inputs: Iterable[tuple[str, str]] = ()
) -> str:
    tag = "endEvent" if end else "intermediateThrowEvent"
    return (
        f'<bpmn:{tag} id="{element_id}">{_ext(io(inputs))}'
        f'<bpmn:signalEventDefinition signalRef="{ref}" /></bpmn:{tag}>'
    )


def message_throw(element_id: str, ref: str, job_type: str, *, end: bool = False) -> str:
    tag = "endEvent" if end else "intermediateThrowEvent"
    return (
        f'<bpmn:{tag} id="{element_id}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}" /></bpmn:extensionElements>'
        f'<bpmn:messageEventDefinition messageRef="{ref}" /></bpmn:{tag}>'
    )


def event_gateway(element_id: str) -> str:
    return f'<bpmn:eventBasedGateway id="{element_id}" />'
