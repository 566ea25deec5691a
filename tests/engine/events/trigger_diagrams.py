"""BPMN snippets for error, escalation, link and event subprocess tests, in the shape Camunda
Modeler 5 writes them. Root elements (`error`, `escalation`) go beside the process in
`definitions(...)`."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import quoteattr

from ..diagrams import io


def _ext(mapping: str) -> str:
    return f"<bpmn:extensionElements>{mapping}</bpmn:extensionElements>" if mapping else ""


def error(error_id: str, code: str) -> str:
    return f'<bpmn:error id="{error_id}" name="{error_id}" errorCode={quoteattr(code)} />'


def escalation(escalation_id: str, code: str) -> str:
    return (
        f'<bpmn:escalation id="{escalation_id}" name="{escalation_id}" '
        f"escalationCode={quoteattr(code)} />"
    )


def _definition(kind: str, ref: str | None) -> str:
    attr = f' {kind}Ref="{ref}"' if ref else ""
    return f"<bpmn:{kind}EventDefinition{attr} />"


def boundary(
    element_id: str,
    attached_to: str,
    kind: str = "error",
    ref: str | None = None,
    *,
    interrupting: bool = True,
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    """A boundary event; kind is error or escalation; ref None catches every code."""
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        f'<bpmn:boundaryEvent id="{element_id}" attachedToRef="{attached_to}"{cancel}>'
        f"{_ext(io((), outputs))}{_definition(kind, ref)}</bpmn:boundaryEvent>"
    )


def throw_end(element_id: str, kind: str, ref: str, inputs: Iterable[tuple[str, str]] = ()) -> str:
    """An error or escalation end event."""
    return (
        f'<bpmn:endEvent id="{element_id}">{_ext(io(inputs))}{_definition(kind, ref)}'
        "</bpmn:endEvent>"
    )


def escalation_throw(element_id: str, ref: str) -> str:
    return (
        f'<bpmn:intermediateThrowEvent id="{element_id}">{_definition("escalation", ref)}'
        "</bpmn:intermediateThrowEvent>"
    )


def event_subprocess(
    element_id: str,
    start_id: str,
    kind: str,
    ref: str | None,
    *elements: str,
    interrupting: bool = True,
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    """An event subprocess whose start event (error or escalation) is `start_id`."""
    flag = "" if interrupting else ' isInterrupting="false"'
    start = (
        f'<bpmn:startEvent id="{start_id}"{flag}>{_ext(io((), outputs))}'
        f"{_definition(kind, ref)}</bpmn:startEvent>"
    )
    body = "\n".join(elements)
    return (
        f'<bpmn:subProcess id="{element_id}" triggeredByEvent="true">\n{start}\n{body}\n'
        "</bpmn:subProcess>"
    )


def link_throw(element_id: str, name: str) -> str:
    return (
        f'<bpmn:intermediateThrowEvent id="{element_id}">'
        f'<bpmn:linkEventDefinition name="{name}" /></bpmn:intermediateThrowEvent>'
    )


def link_catch(element_id: str, name: str) -> str:
    return (
        f'<bpmn:intermediateCatchEvent id="{element_id}">'
        f'<bpmn:linkEventDefinition name="{name}" /></bpmn:intermediateCatchEvent>'
    )
