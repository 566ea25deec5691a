"""Models as Camunda Modeler 5 writes them for Camunda 8 deploy with the engine's supported set."""

from __future__ import annotations

from flowwire.bpmn import CalledElement, ElementKind, IoMapping, TaskDefinition, parse

from .samples import definitions_xml, line_containing, model_bytes, model_text


def test_rest_connector_task_as_the_template_writes_it() -> None:
    process = parse(model_bytes("rest-connector.bpmn")).process("fetch-customer")
    task = process.element("Task_FetchCustomer")
    assert task.kind is ElementKind.SERVICE_TASK
    assert task.task_definition == TaskDefinition("io.camunda:http-json:1", "3")
    inputs = {mapping.target: mapping.source for mapping in task.inputs}
    assert inputs == {
        "authentication.type": "bearer",
        "authentication.token": "{{secrets.CRM_TOKEN}}",
        "method": "GET",
        "url": '="https://crm.example.com/api/customers/" + string(customerId)',
        "headers": '={"Accept": "application/json", "X-Request-Id": requestId}',
        "queryParameters": '={"expand": "orders"}',
        "body": '={"customer": customerId}',
        "followRedirects": "false",
        "connectionTimeoutInSeconds": "20",
        "readTimeoutInSeconds": "20",
    }
    assert task.inputs[1] == IoMapping(
        "{{secrets.CRM_TOKEN}}", "authentication.token", ("authentication", "token")
    )
    assert task.task_headers == {
        "elementTemplateVersion": "17",
        "elementTemplateId": "io.camunda.connectors.HttpJson.v2",
        "resultVariable": "customerResponse",
        "resultExpression": (
            "={\n  customerName: response.body.name,\n  orderCount: count(response.body.orders)\n}"
        ),
        "errorExpression": (
            '=if error.code = "404" then bpmnError("CUSTOMER_NOT_FOUND", error.message) else null'
        ),
        "retryBackoff": "PT30S",
    }


def test_order_fulfilment_with_gateways_subprocess_and_call_activity() -> None:
    process = parse(model_bytes("order-fulfilment.bpmn")).process("order-fulfilment")
    split = process.element("Gateway_Split")
    assert split.kind is ElementKind.INCLUSIVE_GATEWAY
    assert split.default_flow == "Flow_Standard"
    assert [f.id for f in process.outgoing("Gateway_Split")] == [
        "Flow_Gift",
        "Flow_Insure",
        "Flow_Standard",
    ]
    assert process.flows["Flow_Insure"].condition == "=value > 500"
    assert process.element("Task_Insure").task_definition == TaskDefinition(
        "insure", "=if express then 5 else 2"
    )
    pack = process.element("SubProcess_Pack")
    assert pack.outputs == (
        IoMapping("=parcelId", "shipment.parcel.id", ("shipment", "parcel", "id")),
    )
    assert [e.id for e in process.children("SubProcess_Pack")] == [
        "StartEvent_Pack",
        "Task_Pack",
        "Event_Packed",
        "EndEvent_Pack",
    ]
    user_task = process.element("Task_Pack").user_task
    assert user_task is not None
    assert not user_task.zeebe_user_task  # a job-based user task: no zeebe:userTask
    assert user_task.form_key == "camunda-forms:bpmn:UserTaskForm_pack"
    assert user_task.candidate_groups == "warehouse"
    assert process.element("Call_Ship").called_element == CalledElement("shipping", False, False)
    assert process.element("EndEvent_Lost").event_type == "terminate"


def test_several_executable_processes_in_a_collaboration() -> None:
    text = model_text("collaboration.bpmn")
    definitions = parse(text)
    # the non-executable "customer" pool is skipped without an error
    assert [p.id for p in definitions.processes] == ["shop", "billing"]
    shop = definitions.process("shop")
    # lanes, data objects, data stores and groups are not flow nodes
    assert set(shop.elements) == {"Start_Shop", "Task_Order", "End_Shop"}
    billing = definitions.process("billing")
    assert billing.line == line_containing(text, '<bpmn:process id="billing"')
    assert billing.element("Task_Invoice").script is not None


def test_two_plain_processes_in_one_file() -> None:
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="first" isExecutable="true">
    <bpmn:startEvent id="s1" /><bpmn:endEvent id="e1" />
    <bpmn:sequenceFlow id="f1" sourceRef="s1" targetRef="e1" />
  </bpmn:process>
  <bpmn:process id="second" isExecutable="true">
    <bpmn:startEvent id="s2" /><bpmn:endEvent id="e2" />
    <bpmn:sequenceFlow id="f2" sourceRef="s2" targetRef="e2" />
  </bpmn:process>
</bpmn:definitions>"""
    definitions = parse(xml)
    assert [p.id for p in definitions.processes] == ["first", "second"]
    # incoming/outgoing are derived from the flows even without <bpmn:outgoing> refs
    assert definitions.process("second").element("s2").outgoing == ("f2",)


def test_text_and_bytes_give_the_same_model() -> None:
    text = model_text("order-fulfilment.bpmn")
    from_text = parse(text)
    from_bytes = parse(text.encode("utf-8"))
    assert from_text.processes == from_bytes.processes
    assert from_text.xml_checksum == from_bytes.xml_checksum


def test_text_with_a_non_utf8_encoding_declaration() -> None:
    xml = """<?xml version="1.0" encoding="ISO-8859-1"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" name="Grüße" /><bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""
    assert parse(xml).process("p").element("s").name == "Grüße"
    assert parse(xml.encode("iso-8859-1")).process("p").element("s").name == "Grüße"


def test_a_fifty_element_connector_process() -> None:
    """The model behind the parse-time figure in the report: REST connectors, scripts, gateways."""
    process = parse(model_bytes("fifty-elements.bpmn")).process("fifty")
    assert len(process.elements) == 52
    assert len(process.flows) == 61
    rest_tasks = [e for e in process.elements.values() if e.task_definition is not None]
    assert {e.task_definition.type for e in rest_tasks if e.task_definition} == {
        "io.camunda:http-json:1",
        "compute",
    }


def test_user_task_with_an_external_form() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="review">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:formDefinition externalReference="https://forms.example.com/review" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="review" />"""
    )
    user_task = parse(xml).process("p").element("review").user_task
    assert user_task is not None and user_task.zeebe_user_task
    assert user_task.external_form_reference == "https://forms.example.com/review"
