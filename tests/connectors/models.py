"""BPMN documents with connector tasks, written as Camunda Modeler 5 writes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from xml.sax.saxutils import quoteattr

REST = "io.camunda:http-json:1"

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_1" '
    'targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" '
    'exporterVersion="5.20.0" modeler:executionPlatform="Camunda Cloud" '
    'modeler:executionPlatformVersion="8.4.0">\n'
)


def connector_task(
    element_id: str,
    *,
    inputs: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    job_type: str = REST,
    retries: str | None = None,
    name: str = "Call",
) -> str:
    retries_attr = f" retries={quoteattr(retries)}" if retries is not None else ""
    mapping = "".join(
        f"<zeebe:input source={quoteattr(source)} target={quoteattr(target)} />"
        for source, target in inputs
    )
    header_xml = "".join(
        f"<zeebe:header key={quoteattr(k)} value={quoteattr(v)} />"
        for k, v in (headers or {}).items()
    )
    return (
        f'<bpmn:serviceTask id="{element_id}" name={quoteattr(name)} '
        'zeebe:modelerTemplate="io.camunda.connectors.HttpJson.v2" '
        'zeebe:modelerTemplateVersion="17">'
        "<bpmn:extensionElements>"
        f'<zeebe:taskDefinition type="{job_type}"{retries_attr} />'
        + (f"<zeebe:ioMapping>{mapping}</zeebe:ioMapping>" if mapping else "")
        + (f"<zeebe:taskHeaders>{header_xml}</zeebe:taskHeaders>" if header_xml else "")
        + "</bpmn:extensionElements>"
        f"<bpmn:incoming>to_{element_id}</bpmn:incoming>"
        f"<bpmn:outgoing>from_{element_id}</bpmn:outgoing>"
        "</bpmn:serviceTask>"
    )


def one_task_process(
    process_id: str,
    task: str,
    *,
    error_boundaries: Iterable[tuple[str, str]] = (),
) -> str:
    """start -> task -> end; each (boundary id, error code) leads to its own end event."""
    boundaries = list(error_boundaries)
    errors = "".join(
        f'<bpmn:error id="Error_{code}" name="{code}" errorCode="{code}" />'
        for _, code in boundaries
    )
    parts = [
        '<bpmn:startEvent id="start"><bpmn:outgoing>to_task</bpmn:outgoing></bpmn:startEvent>',
        task,
        '<bpmn:endEvent id="end"><bpmn:incoming>from_task</bpmn:incoming></bpmn:endEvent>',
        '<bpmn:sequenceFlow id="to_task" sourceRef="start" targetRef="task" />',
        '<bpmn:sequenceFlow id="from_task" sourceRef="task" targetRef="end" />',
    ]
    for boundary_id, code in boundaries:
        parts.append(
            f'<bpmn:boundaryEvent id="{boundary_id}" attachedToRef="task">'
            f"<bpmn:outgoing>from_{boundary_id}</bpmn:outgoing>"
            f'<bpmn:errorEventDefinition id="{boundary_id}_def" errorRef="Error_{code}" />'
            "</bpmn:boundaryEvent>"
            f'<bpmn:endEvent id="end_{boundary_id}"><bpmn:incoming>from_{boundary_id}'
            "</bpmn:incoming></bpmn:endEvent>"
            f'<bpmn:sequenceFlow id="from_{boundary_id}" sourceRef="{boundary_id}" '
            f'targetRef="end_{boundary_id}" />'
        )
    return (
        _HEAD
        + errors
        + f'<bpmn:process id="{process_id}" isExecutable="true">'
        + "".join(parts)
        + "</bpmn:process></bpmn:definitions>"
    )
