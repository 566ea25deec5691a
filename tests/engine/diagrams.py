"""Small BPMN documents for the engine tests, written the way Camunda Modeler 5 writes them
(bpmn: and zeebe: namespaces, `=` before FEEL), without diagram interchange."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise
from xml.sax.saxutils import escape, quoteattr

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_1" '
    'targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" '
    'exporterVersion="5.20.0" modeler:executionPlatform="Camunda Cloud" '
    'modeler:executionPlatformVersion="8.4.0">\n'
)


def definitions(*processes: str) -> str:
    return _HEAD + "\n".join(processes) + "\n</bpmn:definitions>\n"


def process(process_id: str, *elements: str, name: str = "") -> str:
    label = f" name={quoteattr(name)}" if name else ""
    body = "\n".join(elements)
    return f'<bpmn:process id="{process_id}"{label} isExecutable="true">\n{body}\n</bpmn:process>'


def model(process_id: str, *elements: str) -> str:
    """A whole document with one process."""
    return definitions(process(process_id, *elements))


def flow(source: str, target: str, condition: str | None = None, flow_id: str | None = None) -> str:
    flow_id = flow_id or f"{source}-{target}"
    if condition is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}" />'
    return (
        f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(condition)}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


def chain(*ids: str) -> str:
    """Sequence flows a -> b -> c ..."""
    return "\n".join(flow(a, b) for a, b in pairwise(ids))


def io(inputs: Iterable[tuple[str, str]] = (), outputs: Iterable[tuple[str, str]] = ()) -> str:
    """A zeebe:ioMapping from (source, target) pairs."""
    parts = [f"<zeebe:input source={quoteattr(s)} target={quoteattr(t)} />" for s, t in inputs]
    parts += [f"<zeebe:output source={quoteattr(s)} target={quoteattr(t)} />" for s, t in outputs]
    return f"<zeebe:ioMapping>{''.join(parts)}</zeebe:ioMapping>" if parts else ""


def _extensions(*parts: str) -> str:
    content = "".join(p for p in parts if p)
    return f"<bpmn:extensionElements>{content}</bpmn:extensionElements>" if content else ""


def start(element_id: str = "start", outputs: Iterable[tuple[str, str]] = ()) -> str:
    return f'<bpmn:startEvent id="{element_id}">{_extensions(io((), outputs))}</bpmn:startEvent>'


def end(element_id: str = "end", terminate: bool = False) -> str:
    inner = f'<bpmn:terminateEventDefinition id="{element_id}_def" />' if terminate else ""
    return f'<bpmn:endEvent id="{element_id}">{inner}</bpmn:endEvent>'


def service_task(
    element_id: str,
    job_type: str,
    *,
    retries: str | None = None,
    headers: Mapping[str, str] | None = None,
    inputs: Iterable[tuple[str, str]] = (),
    outputs: Iterable[tuple[str, str]] = (),
    tag: str = "serviceTask",
) -> str:
    retry = f" retries={quoteattr(retries)}" if retries is not None else ""
    definition = f"<zeebe:taskDefinition type={quoteattr(job_type)}{retry} />"
    header_xml = ""
    if headers:
        header_xml = (
            "<zeebe:taskHeaders>"
            + "".join(
                f"<zeebe:header key={quoteattr(k)} value={quoteattr(v)} />"
                for k, v in headers.items()
            )
            + "</zeebe:taskHeaders>"
        )
    ext = _extensions(definition, header_xml, io(inputs, outputs))
    return f'<bpmn:{tag} id="{element_id}">{ext}</bpmn:{tag}>'


def script_task(
    element_id: str,
    expression: str,
    result: str | None = None,
    *,
    inputs: Iterable[tuple[str, str]] = (),
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    target = f" resultVariable={quoteattr(result)}" if result else ""
    script = f"<zeebe:script expression={quoteattr(expression)}{target} />"
    return (
        f'<bpmn:scriptTask id="{element_id}">'
        f"{_extensions(script, io(inputs, outputs))}</bpmn:scriptTask>"
    )


def user_task(
    element_id: str,
    *,
    assignee: str | None = None,
    inputs: Iterable[tuple[str, str]] = (),
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    assignment = (
        f"<zeebe:assignmentDefinition assignee={quoteattr(assignee)} />" if assignee else ""
    )
    return (
        f'<bpmn:userTask id="{element_id}">'
        f"{_extensions('<zeebe:userTask />', assignment, io(inputs, outputs))}</bpmn:userTask>"
    )


def plain(tag: str, element_id: str, **attributes: str) -> str:
    """Any element without extensions, e.g. plain("manualTask", "m")."""
    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in attributes.items())
    return f'<bpmn:{tag} id="{element_id}"{attrs} />'


def gateway(kind: str, element_id: str, default: str | None = None) -> str:
    """kind: exclusive, parallel or inclusive."""
    attr = f' default="{default}"' if default else ""
    return f'<bpmn:{kind}Gateway id="{element_id}"{attr} />'


def sub_process(
    element_id: str,
    *elements: str,
    inputs: Iterable[tuple[str, str]] = (),
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    body = "\n".join(elements)
    return (
        f'<bpmn:subProcess id="{element_id}">{_extensions(io(inputs, outputs))}\n'
        f"{body}\n</bpmn:subProcess>"
    )


def call_activity(
    element_id: str,
    process_id: str,
    *,
    propagate_child: bool | None = None,
    propagate_parent: bool | None = None,
    inputs: Iterable[tuple[str, str]] = (),
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    attrs = f"processId={quoteattr(process_id)}"
    if propagate_child is not None:
        attrs += f' propagateAllChildVariables="{str(propagate_child).lower()}"'
    if propagate_parent is not None:
        attrs += f' propagateAllParentVariables="{str(propagate_parent).lower()}"'
    called = f"<zeebe:calledElement {attrs} />"
    return (
        f'<bpmn:callActivity id="{element_id}">'
        f"{_extensions(called, io(inputs, outputs))}</bpmn:callActivity>"
    )


def one_task(process_id: str = "order", job_type: str = "work", **task: object) -> str:
    """start -> service task "task" -> end."""
    return model(
        process_id,
        start(),
        service_task("task", job_type, **task),  # type: ignore[arg-type]
        end(),
        chain("start", "task", "end"),
    )
