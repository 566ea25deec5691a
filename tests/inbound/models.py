"""BPMN models with webhook start events, written as Camunda Modeler writes them."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_{pid}" '
    'targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" '
    'modeler:executionPlatformVersion="8.5.0">\n'
)


def _properties(properties: dict[str, str]) -> str:
    items = "".join(
        f"<zeebe:property name={quoteattr(k)} value={quoteattr(v)} />"
        for k, v in properties.items()
    )
    return f"<bpmn:extensionElements><zeebe:properties>{items}</zeebe:properties></bpmn:extensionElements>"


def webhook_properties(webhook_id: str, **extra: str) -> dict[str, str]:
    """The properties Camunda's webhook start event template writes, plus `extra`
    (use `__` for `.` in names: inbound__method -> inbound.method)."""
    properties = {
        "inbound.type": "io.camunda:webhook:1",
        "inbound.subtype": "ConfigurableInboundWebhook",
        "inbound.context": webhook_id,
        "inbound.shouldValidateHmac": "disabled",
        "inbound.auth.type": "NONE",
    }
    properties.update({k.replace("__", "."): v for k, v in extra.items()})
    return properties


def start_process(
    process_id: str,
    properties: dict[str, str],
    *,
    start_id: str = "webhook_start",
    second_start: tuple[str, dict[str, str]] | None = None,
) -> str:
    """start event (with `properties`) -> end event. `second_start` adds another process in
    the same file is not needed; it adds a message-free second webhook element instead."""
    return (
        HEADER.format(pid=process_id)
        + f'<bpmn:process id="{process_id}" name="{process_id}" isExecutable="true">'
        + f'<bpmn:startEvent id="{start_id}" name="Webhook">{_properties(properties)}'
        + "<bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>"
        + '<bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>'
        + f'<bpmn:sequenceFlow id="f1" sourceRef="{start_id}" targetRef="end" />'
        + "</bpmn:process></bpmn:definitions>"
    )


def start_and_wait_process(process_id: str, properties: dict[str, str]) -> str:
    """start event (with `properties`) -> user task (so the instance stays ACTIVE)."""
    return (
        HEADER.format(pid=process_id)
        + f'<bpmn:process id="{process_id}" isExecutable="true">'
        + f'<bpmn:startEvent id="webhook_start">{_properties(properties)}'
        + "<bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>"
        + '<bpmn:userTask id="review"><bpmn:incoming>f1</bpmn:incoming>'
        + "<bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>"
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:sequenceFlow id="f1" sourceRef="webhook_start" targetRef="review" />'
        + '<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />'
        + "</bpmn:process></bpmn:definitions>"
    )


def receive_task_process(process_id: str, properties: dict[str, str], message: str) -> str:
    """start -> receive task (message `message`, webhook `properties`) -> end."""
    return (
        HEADER.format(pid=process_id)
        + f'<bpmn:message id="msg" name="{message}">'
        + '<bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" />'
        + "</bpmn:extensionElements></bpmn:message>"
        + f'<bpmn:process id="{process_id}" isExecutable="true">'
        + '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        + f'<bpmn:receiveTask id="wait_payment" messageRef="msg">{_properties(properties)}'
        + "<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:receiveTask>"
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait_payment" />'
        + '<bpmn:sequenceFlow id="f2" sourceRef="wait_payment" targetRef="end" />'
        + "</bpmn:process></bpmn:definitions>"
    )


def _message(name: str) -> str:
    return (
        f'<bpmn:message id="msg" name="{name}">'
        '<bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" />'
        "</bpmn:extensionElements></bpmn:message>"
    )


def catch_event_process(process_id: str, properties: dict[str, str], message: str) -> str:
    """start -> intermediate message catch event (webhook `properties`) -> end."""
    return (
        HEADER.format(pid=process_id)
        + _message(message)
        + f'<bpmn:process id="{process_id}" isExecutable="true">'
        + '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        + f'<bpmn:intermediateCatchEvent id="wait_hook">{_properties(properties)}'
        + "<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>"
        + '<bpmn:messageEventDefinition messageRef="msg" /></bpmn:intermediateCatchEvent>'
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait_hook" />'
        + '<bpmn:sequenceFlow id="f2" sourceRef="wait_hook" targetRef="end" />'
        + "</bpmn:process></bpmn:definitions>"
    )


def boundary_process(process_id: str, properties: dict[str, str], message: str) -> str:
    """start -> user task `review` -> end; a message boundary event (webhook `properties`)
    on the task leads to `cancelled`."""
    return (
        HEADER.format(pid=process_id)
        + _message(message)
        + f'<bpmn:process id="{process_id}" isExecutable="true">'
        + '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        + '<bpmn:userTask id="review"><bpmn:incoming>f1</bpmn:incoming>'
        + "<bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>"
        + f'<bpmn:boundaryEvent id="cancel_hook" attachedToRef="review">{_properties(properties)}'
        + '<bpmn:outgoing>f3</bpmn:outgoing><bpmn:messageEventDefinition messageRef="msg" />'
        + "</bpmn:boundaryEvent>"
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:endEvent id="cancelled"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />'
        + '<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />'
        + '<bpmn:sequenceFlow id="f3" sourceRef="cancel_hook" targetRef="cancelled" />'
        + "</bpmn:process></bpmn:definitions>"
    )


def message_start_process(process_id: str, properties: dict[str, str], message: str) -> str:
    """message start event (webhook `properties`) -> end."""
    return (
        HEADER.format(pid=process_id)
        + f'<bpmn:message id="msg" name="{message}" />'
        + f'<bpmn:process id="{process_id}" isExecutable="true">'
        + f'<bpmn:startEvent id="message_start">{_properties(properties)}'
        + '<bpmn:outgoing>f1</bpmn:outgoing><bpmn:messageEventDefinition messageRef="msg" />'
        + "</bpmn:startEvent>"
        + '<bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:sequenceFlow id="f1" sourceRef="message_start" targetRef="end" />'
        + "</bpmn:process></bpmn:definitions>"
    )


def subprocess_catch_process(process_id: str, properties: dict[str, str], message: str) -> str:
    """start -> subprocess `stage` (input: area = region) holding start -> intermediate
    message catch event `wait_hook` (`properties`; input: jobPath = "/jobs/" + jobId) -> end;
    so the catch event sees a root, a subprocess and an element-local variable."""
    items = "".join(
        f"<zeebe:property name={quoteattr(k)} value={quoteattr(v)} />"
        for k, v in properties.items()
    )
    catch_extensions = (
        "<bpmn:extensionElements>"
        '<zeebe:ioMapping><zeebe:input source="=&#34;/jobs/&#34; + string(jobId)" '
        'target="jobPath" /></zeebe:ioMapping>'
        f"<zeebe:properties>{items}</zeebe:properties></bpmn:extensionElements>"
    )
    return (
        HEADER.format(pid=process_id)
        + _message(message)
        + f'<bpmn:process id="{process_id}" isExecutable="true">'
        + '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        + '<bpmn:subProcess id="stage"><bpmn:extensionElements><zeebe:ioMapping>'
        + '<zeebe:input source="=region" target="area" /></zeebe:ioMapping>'
        + "</bpmn:extensionElements>"
        + "<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>"
        + '<bpmn:startEvent id="inner_start"><bpmn:outgoing>s1</bpmn:outgoing></bpmn:startEvent>'
        + f'<bpmn:intermediateCatchEvent id="wait_hook">{catch_extensions}'
        + "<bpmn:incoming>s1</bpmn:incoming><bpmn:outgoing>s2</bpmn:outgoing>"
        + '<bpmn:messageEventDefinition messageRef="msg" /></bpmn:intermediateCatchEvent>'
        + '<bpmn:endEvent id="inner_end"><bpmn:incoming>s2</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:sequenceFlow id="s1" sourceRef="inner_start" targetRef="wait_hook" />'
        + '<bpmn:sequenceFlow id="s2" sourceRef="wait_hook" targetRef="inner_end" />'
        + "</bpmn:subProcess>"
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="stage" />'
        + '<bpmn:sequenceFlow id="f2" sourceRef="stage" targetRef="end" />'
        + "</bpmn:process></bpmn:definitions>"
    )
