"""What the parser reads from a model: every element kind, event definition and zeebe extension."""

from __future__ import annotations

import hashlib

import pytest

from flowwire.bpmn import (
    CalledElement,
    Definitions,
    ElementKind,
    EventType,
    IoMapping,
    LoopCharacteristics,
    Process,
    Script,
    TaskDefinition,
    UserTaskDefinition,
    parse,
)

from .samples import ALL_LOOPS, EVERYTHING, line_containing, model_bytes, model_text

ALL_ELEMENTS = "all-elements.bpmn"


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    return parse(
        model_bytes(ALL_ELEMENTS),
        resource_name=ALL_ELEMENTS,
        supported=EVERYTHING,
        supported_loops=ALL_LOOPS,
    )


@pytest.fixture(scope="module")
def process(definitions: Definitions) -> Process:
    return definitions.process("all_elements")


def test_definitions_carry_the_checksum_and_resource_name(definitions: Definitions) -> None:
    assert definitions.xml_checksum == hashlib.sha256(model_bytes(ALL_ELEMENTS)).hexdigest()
    assert definitions.resource_name == ALL_ELEMENTS
    assert [p.id for p in definitions.processes] == ["all_elements"]
    with pytest.raises(KeyError, match=r"no process 'other'.*all_elements"):
        definitions.process("other")


def test_process_attributes(process: Process) -> None:
    assert process.name == "Every element"
    assert process.is_executable
    assert process.line == line_containing(
        model_text(ALL_ELEMENTS), '<bpmn:process id="all_elements"'
    )


def test_every_element_kind_is_read(process: Process) -> None:
    kinds = {element.kind for element in process.elements.values()}
    assert kinds == set(ElementKind)
    # descriptive elements are not flow nodes
    assert "TextAnnotation_1" not in process.elements
    assert "Association_1" not in process.elements


def test_every_event_definition_is_read(process: Process) -> None:
    types = {e.event.type for e in process.elements.values() if e.event is not None}
    assert types == set(EventType) - {EventType.NONE}


def test_element_lines_and_scopes(process: Process) -> None:
    text = model_text(ALL_ELEMENTS)
    service = process.element("service")
    assert service.line == line_containing(text, '<bpmn:serviceTask id="service"')
    assert service.scope_id == "all_elements"
    assert process.element("sub_start").scope_id == "sub"
    assert process.element("sub_error_start").scope_id == "sub_error_handler"
    flow = process.flows["Flow_xor_express"]
    assert flow.line == line_containing(text, 'id="Flow_xor_express"')
    with pytest.raises(KeyError, match="no element 'missing'"):
        process.element("missing")


def test_service_task_with_task_definition_mappings_headers_and_properties(
    process: Process,
) -> None:
    service = process.element("service")
    assert service.is_job_worker and service.is_activity
    assert service.task_definition == TaskDefinition(type='="billing-" + region', retries="5")
    assert service.inputs == (
        IoMapping("=orderId", "id", ("id",)),
        IoMapping("=token", "authentication.token", ("authentication", "token")),
        IoMapping("=null", "nothing", ("nothing",)),  # no source: Camunda assigns null
    )
    assert service.outputs == (IoMapping("=result.total", "order.total", ("order", "total")),)
    assert service.task_headers == {"priority": "high", "note": "=not evaluated"}
    assert service.properties == {"owner": "team-billing"}
    assert service.extensions == (("{http://acme.example.com/bpmn}audit", {"level": "full"}),)
    assert service.incoming == (
        "Flow_start_service",
        "Flow_message_start_service",
        "Flow_timer_start_service",
        "Flow_signal_start_service",
    )
    assert service.outgoing == ("Flow_service_send",)


def test_job_worker_tasks_default_to_three_retries(process: Process) -> None:
    assert process.element("send").task_definition == TaskDefinition("send-invoice", "3")
    assert process.element("rule").task_definition == TaskDefinition("check-rules", "=maxRetries")
    assert process.element("throw_message").task_definition == TaskDefinition("notify-customer")
    assert process.element("end_message").is_job_worker
    assert not process.element("manual").is_job_worker


def test_script_task(process: Process) -> None:
    script = process.element("script")
    assert script.script == Script("=sum(items.price)", "total")
    assert script.task_definition is None


def test_user_task_with_assignment_schedule_and_form(process: Process) -> None:
    assert process.element("user").user_task == UserTaskDefinition(
        assignee="=reviewer",
        candidate_groups="sales, support",
        candidate_users="anna",
        due_date='=now() + duration("P2D")',
        follow_up_date="2025-01-01T09:00:00Z",
        form_id="review-form",
        zeebe_user_task=True,
    )
    assert process.element("service").user_task is None


def test_receive_task_and_message_events_resolve_their_message(process: Process) -> None:
    receive = process.element("receive")
    assert receive.event is not None
    assert receive.event_type is EventType.MESSAGE
    assert (receive.event.message_name, receive.event.correlation_key) == (
        "payment-received",
        "=orderId",
    )
    catch = process.element("catch_message").event
    assert catch is not None
    assert catch.message_name == '="shipped-" + carrier'
    assert catch.correlation_key == "=trackingNumber"
    start = process.element("start_message").event
    assert start is not None and start.message_name == "order-placed"
    assert start.correlation_key is None
    throw = process.element("throw_message").event
    assert throw is not None and throw.type is EventType.MESSAGE and throw.message_name is None


def test_timer_definitions(process: Process) -> None:
    timers = {
        element_id: (e.timer_kind, e.timer_expression)
        for element_id, element in process.elements.items()
        if (e := element.event) is not None and e.type is EventType.TIMER
    }
    assert timers == {
        "start_timer": ("cycle", "R/PT1H"),
        "catch_timer": ("duration", "PT5M"),
        "ebg_timer": ("date", "=deadline"),
        "boundary_timer": ("cycle", "R3/PT10S"),
        "on_timeout_start": ("duration", "P1D"),
    }


def test_error_escalation_signal_and_link_references(process: Process) -> None:
    def event(element_id: str):  # type: ignore[no-untyped-def]
        definition = process.element(element_id).event
        assert definition is not None
        return definition

    assert event("end_error").error_code == "ORDER_CANCELLED"
    assert event("boundary_error").error_code == "SERVICE_DOWN"
    assert event("sub_error_start").error_code is None  # catches every error
    assert event("throw_escalation").escalation_code == "LATE"
    assert event("end_escalation").escalation_code == "LATE"
    assert event("boundary_escalation").escalation_code is None
    assert event("start_signal").signal_name == "go"
    assert event("end_signal").signal_name == "stock-arrived"
    assert event("link_throw").link_name == "to-join"
    assert event("boundary_conditional").condition == "=stock < 10"
    assert event("end_terminate").type is EventType.TERMINATE
    assert event("throw_compensation").type is EventType.COMPENSATION
    assert process.element("throw_none").event_type is EventType.NONE
    assert process.element("throw_none").outputs == (IoMapping("=true", "express", ("express",)),)


def test_boundary_events(process: Process) -> None:
    error = process.element("boundary_error")
    assert error.attached_to == "service" and error.cancel_activity
    assert error.outputs == (IoMapping("=errorMessage", "failure", ("failure",)),)
    assert not process.element("boundary_timer").cancel_activity
    assert process.boundary_events("service") == (error,)
    assert [e.id for e in process.boundary_events("user")] == ["boundary_timer"]
    assert process.boundary_events("send") == ()


def test_gateways_keep_the_outgoing_order_of_the_element(process: Process) -> None:
    xor = process.element("xor")
    assert xor.is_gateway and xor.default_flow == "Flow_xor_default"
    # the flows are written default-first, the gateway lists the express flow first
    assert [f.id for f in process.outgoing("xor")] == ["Flow_xor_express", "Flow_xor_default"]
    assert process.flows["Flow_xor_express"].condition == '=shipping = "express"'
    assert process.flows["Flow_xor_default"].condition is None
    assert process.flows["Flow_xor_default"].name == "standard"
    # a condition without "=" is still FEEL
    assert process.flows["Flow_or_sub"].condition == "count(items) > 0"
    assert [f.source for f in process.incoming("merge")] == ["throw_none", "xor"]
    assert process.element("or_split").default_flow == "Flow_or_call"


def test_subprocesses_and_event_subprocesses(process: Process) -> None:
    assert [e.id for e in process.children("sub")] == ["sub_start", "sub_end", "sub_error_handler"]
    assert [e.id for e in process.start_events("sub")] == ["sub_start"]
    assert [e.id for e in process.event_subprocesses("sub")] == ["sub_error_handler"]
    assert [e.id for e in process.event_subprocesses()] == [
        "on_update",
        "on_timeout",
        "on_escalation",
        "on_signal",
    ]
    assert process.element("on_update").is_event_subprocess
    assert not process.element("sub").is_event_subprocess
    assert not process.element("on_update_start").cancel_activity  # isInterrupting="false"
    assert process.element("on_timeout_start").cancel_activity


def test_start_events_of_the_process(process: Process) -> None:
    assert [e.id for e in process.start_events()] == ["start"]
    assert [e.id for e in process.start_events(event_type=None)] == [
        "start",
        "start_message",
        "start_timer",
        "start_signal",
    ]
    assert [e.id for e in process.start_events(event_type=EventType.TIMER)] == ["start_timer"]
    assert process.element("start").properties == {"inbound.type": "io.camunda:webhook:1"}


def test_links_by_name(process: Process) -> None:
    assert process.links() == {"to-join": process.element("link_catch")}
    assert process.links("sub") == {}


def test_call_activity_with_multi_instance(process: Process) -> None:
    call = process.element("call")
    assert call.called_element == CalledElement(
        "=shippingProcess", propagate_all_child_variables=False, propagate_all_parent_variables=True
    )
    assert call.inputs == (IoMapping("=parcel.address", "address", ("address",)),)
    assert call.loop == LoopCharacteristics(
        sequential=True,
        input_collection="=parcels",
        input_element="parcel",
        output_collection="receipts",
        output_element="=receipt",
        completion_condition="=count(receipts) >= 3",
    )


def test_model_objects_are_immutable(process: Process) -> None:
    service = process.element("service")
    with pytest.raises(AttributeError):
        service.name = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        process.id = "changed"  # type: ignore[misc]
