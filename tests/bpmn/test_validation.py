"""Validation reports every problem of a model at once, each with element id, line and a fix."""

from __future__ import annotations

import pytest

from flowwire.bpmn import BpmnValidationError, ElementKind, Problem, parse

from .samples import EVERYTHING, definitions_xml, line_containing, model_bytes, model_text

INVALID = "invalid.bpmn"

#: (element id, text on the problem's XML line, part of the message) for every problem
EXPECTED = [
    ("Task_NoType", '<bpmn:serviceTask id="Task_NoType"', "the serviceTask has no job type: add zeebe:taskDefinition with a type"),
    ("Task_EmptyType", '<bpmn:sendTask id="Task_EmptyType"', "the sendTask has no job type"),
    ("Task_Decision", 'decisionId="discount"', "unsupported element: businessRuleTask with zeebe:calledDecision"),
    ("Task_BadFeel", 'type="=upper("', "invalid FEEL in the job type: expected an expression but found the end of the expression (line 1, column 7"),
    ("Task_BadFeel", 'retries="three"', "the job retries 'three' are not a whole number"),
    ("Task_BadFeel", 'source="=a +* b"', "invalid FEEL in the input mapping source for 'sum': expected an expression but found '*' (line 1, column 4 of the expression 'a +* b')"),
    ("Task_BadFeel", 'target="1st"', "the input mapping target '1st' is not a variable name"),
    ("Task_BadFeel", 'source="=if x then"', "invalid FEEL in the output mapping source for 'result'"),
    ("Task_BadFeel", 'target="a..b"', "the output mapping target 'a..b' is not a variable name: write a name like 'result' or a path like 'response.body'"),
    ("Gateway_Xor", '<bpmn:exclusiveGateway id="Gateway_Xor"', "the default flow 'Flow_Elsewhere' is not an outgoing sequence flow"),
    ("Gateway_Dead", '<bpmn:parallelGateway id="Gateway_Dead"', "the parallelGateway has no outgoing sequence flow: connect it to the next element"),
    ("Script_None", '<bpmn:scriptTask id="Script_None"', "the script task has no zeebe:script"),
    ("Script_NoResult", '<bpmn:scriptTask id="Script_NoResult"', "has no result variable: set resultVariable"),
    ("Call_NoProcess", '<bpmn:callActivity id="Call_NoProcess"', "the call activity has no called process id: set zeebe:calledElement processId"),
    ("Call_BadFeel", 'processId="=foo("', "invalid FEEL in the called process id"),
    ("Sub_Start_Timer", '<bpmn:startEvent id="Sub_Start_Timer"', "has a timer event definition, but an embedded subprocess starts with a none start event"),
    ("Sub_End", '<bpmn:endEvent id="Sub_End"', "the end event has outgoing sequence flows"),
    ("Flow_Out_Of_Sub", 'id="Flow_Out_Of_Sub"', "a sequence flow cannot cross a subprocess boundary"),
    ("User_BadAssignee", 'assignee="=assignee +"', "invalid FEEL in the user task assignee"),
    ("Task_Loop", 'inputCollection="=items["', "invalid FEEL in the multi-instance inputCollection"),
    ("Catch_Timer", '<bpmn:intermediateCatchEvent id="Catch_Timer"', "unsupported element: intermediateCatchEvent with timer event definition is not supported yet"),
    ("Catch_Timer", ">=date(<", "invalid FEEL in the timer date"),
    ("Complex_1", '<bpmn:complexGateway id="Complex_1"', "unsupported element: complexGateway is not supported yet"),
    ("Boundary_Unknown", '<bpmn:boundaryEvent id="Boundary_Unknown"', "unsupported element: boundaryEvent with timer event definition"),
    ("Boundary_Unknown", '<bpmn:boundaryEvent id="Boundary_Unknown"', "attached to 'Task_Ghost', which is not an element of this process"),
    ("Boundary_OnGateway", '<bpmn:boundaryEvent id="Boundary_OnGateway"', "unsupported element: boundaryEvent with timer event definition"),
    ("Boundary_OnGateway", '<bpmn:boundaryEvent id="Boundary_OnGateway"', "attached to exclusiveGateway 'Gateway_Xor': attach it to a task, subprocess or call activity"),
    ("Task_Dup", '<bpmn:task id="Task_Dup"', "duplicate id 'Task_Dup' (also used at line {manual_dup}): give each element its own id"),
    ("Flow_TaskCondition", 'id="Flow_TaskCondition"', "has a condition but leaves serviceTask 'Task_BadFeel'"),
    ("Flow_Cond", "=amount &gt;<", "invalid FEEL in the condition: expected an expression but found the end of the expression (line 1, column 9 of the expression 'amount >')"),
    ("Flow_NoCondition", 'id="Flow_NoCondition"', "the sequence flow leaves exclusiveGateway 'Gateway_Xor' without a condition: add a condition expression or make it the gateway's default flow"),
    ("Flow_Dangling", 'id="Flow_Dangling"', "points to 'Task_Missing', which is not an element of process 'invalid'"),
    ("Flow_FromGhost", 'id="Flow_FromGhost"', "starts at 'Ghost', which is not an element of process 'invalid'"),
    ("no_start", '<bpmn:process id="no_start"', "process 'no_start' has no start event: add a none start event"),
    ("Message_BadKey", 'correlationKey="=order."', "invalid FEEL in the correlation key"),
]  # fmt: skip


@pytest.fixture(scope="module")
def error() -> BpmnValidationError:
    with pytest.raises(BpmnValidationError) as info:
        parse(model_bytes(INVALID), resource_name=INVALID)
    return info.value


@pytest.mark.parametrize(("element_id", "needle", "message"), EXPECTED)
def test_each_problem_names_element_line_and_fix(
    error: BpmnValidationError, element_id: str, needle: str, message: str
) -> None:
    text = model_text(INVALID)
    message = message.format(manual_dup=line_containing(text, '<bpmn:manualTask id="Task_Dup"'))
    expected_line = line_containing(text, needle)
    matches = [
        p
        for p in error.problems
        if p.element_id == element_id and p.line == expected_line and message in p.message
    ]
    assert matches, "\n".join(str(p) for p in error.problems if p.element_id == element_id)


def test_all_problems_are_reported_at_once_in_document_order(error: BpmnValidationError) -> None:
    assert len(error.problems) == len(EXPECTED)
    lines = [p.line or 0 for p in error.problems]
    assert lines == sorted(lines)


def test_error_text_lists_one_problem_per_line(error: BpmnValidationError) -> None:
    text = str(error).splitlines()
    assert text[0] == f"{INVALID}: {len(EXPECTED)} problems"
    first = error.problems[0]
    assert text[1] == f"line {first.line}, element 'Task_NoType': {first.message}"
    assert len(text) == len(EXPECTED) + 1


def problems_of(xml: str, **options: object) -> list[Problem]:
    with pytest.raises(BpmnValidationError) as info:
        parse(xml, **options)  # type: ignore[arg-type]
    return info.value.problems


def only_problem(xml: str, **options: object) -> Problem:
    problems = problems_of(xml, **options)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


START_END = """
    <bpmn:startEvent id="start" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f_start_end" sourceRef="start" targetRef="end" />"""


def test_no_executable_process() -> None:
    xml = definitions_xml(START_END).replace('isExecutable="true"', 'isExecutable="false"')
    problem = only_problem(xml)
    assert problem.element_id is None
    assert problem.message.startswith("no executable process in the file: mark a process")


def test_process_with_only_message_start_is_not_missing_a_start_event() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="end" />""",
        root_elements='<bpmn:message id="m" name="go" />',
    )
    problem = only_problem(xml)
    assert problem.element_id == "start"
    assert "startEvent with message event definition is not supported yet" in problem.message
    parse(xml, supported=EVERYTHING)


def test_two_none_start_events() -> None:
    xml = definitions_xml(START_END + '\n    <bpmn:startEvent id="start2" />')
    problem = only_problem(xml)
    assert problem.element_id == "start2"
    assert problem.line == line_containing(xml, 'id="start2"')
    assert "has 2 none start events ('start', 'start2'): keep only one" in problem.message


def test_embedded_subprocess_without_start_event() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:subProcess id="sub"><bpmn:task id="inner" /></bpmn:subProcess>
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="sub" />"""
    )
    problem = only_problem(xml)
    assert (problem.element_id, problem.line) == ("sub", line_containing(xml, 'id="sub"'))
    assert "the subprocess has no start event: add a none start event inside it" in problem.message


def test_event_subprocess_rules() -> None:
    xml = definitions_xml(
        START_END
        + """
    <bpmn:subProcess id="events" triggeredByEvent="true">
      <bpmn:startEvent id="events_start" />
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="f_into_events" sourceRef="start" targetRef="events" />"""
    )
    problems = problems_of(xml, supported=EVERYTHING)
    by_element = {p.element_id: p.message for p in problems}
    assert "an event subprocess starts with a message, timer" in by_element["events_start"]
    assert "remove its incoming and outgoing sequence flows" in by_element["events"]


def test_boundary_event_rules() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:task id="work" />
    <bpmn:boundaryEvent id="no_definition" attachedToRef="work" />
    <bpmn:boundaryEvent id="dead_end" attachedToRef="work">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="unattached">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="unattached" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="start" targetRef="no_definition" />"""
    )
    problems = problems_of(xml, supported=EVERYTHING)
    messages = {(p.element_id, p.message) for p in problems}
    assert any(
        e == "no_definition" and m.startswith("the boundaryEvent has no event definition")
        for e, m in messages
    )
    assert any(e == "no_definition" and "has incoming sequence flows" in m for e, m in messages)
    assert any(e == "dead_end" and "has no outgoing sequence flow" in m for e, m in messages)
    assert any(e == "unattached" and "is attached to nothing" in m for e, m in messages)


def test_start_with_incoming_flow_and_flow_without_target() -> None:
    xml = definitions_xml(
        START_END
        + """
    <bpmn:sequenceFlow id="f_back" sourceRef="end" targetRef="start" />
    <bpmn:sequenceFlow id="f_loose" sourceRef="start" />"""
    )
    messages = {p.element_id: p.message for p in problems_of(xml)}
    assert "the start event has incoming sequence flows" in messages["start"]
    assert "the end event has outgoing sequence flows" in messages["end"]
    assert messages["f_loose"].startswith("the sequence flow has no target")


def test_condition_on_a_parallel_gateway_flow() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="end">
      <bpmn:conditionExpression>=x</bpmn:conditionExpression>
    </bpmn:sequenceFlow>"""
    )
    problem = only_problem(xml)
    assert problem.element_id == "f2"
    assert "leaves parallelGateway 'fork'" in problem.message


def test_feel_position_inside_a_multi_line_expression() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:exclusiveGateway id="xor" default="f3" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="xor" />
    <bpmn:sequenceFlow id="f2" sourceRef="xor" targetRef="end">
      <bpmn:conditionExpression>=a &gt; 1
 and )</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="xor" targetRef="end" />"""
    )
    problem = only_problem(xml)
    assert problem.element_id == "f2"
    assert problem.line == line_containing(xml, "<bpmn:conditionExpression>")
    assert "(line 2, column" in problem.message


def test_message_references() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:receiveTask id="unknown_message" messageRef="Nope" />
    <bpmn:receiveTask id="no_message" />
    <bpmn:receiveTask id="nameless" messageRef="m_nameless" />
    <bpmn:receiveTask id="keyless" messageRef="m_keyless" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="unknown_message" />
    <bpmn:sequenceFlow id="f2" sourceRef="unknown_message" targetRef="no_message" />
    <bpmn:sequenceFlow id="f3" sourceRef="no_message" targetRef="nameless" />
    <bpmn:sequenceFlow id="f4" sourceRef="nameless" targetRef="keyless" />
    <bpmn:sequenceFlow id="f5" sourceRef="keyless" targetRef="end" />""",
        root_elements="""
  <bpmn:message id="m_nameless"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>
  <bpmn:message id="m_keyless" name="k" />""",
    )
    messages = {p.element_id: p.message for p in problems_of(xml)}
    assert (
        "refers to message 'Nope', which is not defined in this file" in messages["unknown_message"]
    )
    assert "the receiveTask has no message: choose a message" in messages["no_message"]
    assert "the message 'm_nameless' of the receiveTask has no name" in messages["nameless"]
    assert "has no correlation key: set zeebe:subscription correlationKey" in messages["keyless"]
    assert len(messages) == 4


def test_event_definition_details() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:intermediateThrowEvent id="no_link_name"><bpmn:linkEventDefinition /></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="empty_timer"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="unknown_signal"><bpmn:signalEventDefinition signalRef="nope" /></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="two_definitions">
      <bpmn:signalEventDefinition signalRef="s" />
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="error_without_code"><bpmn:errorEventDefinition /></bpmn:endEvent>
    <bpmn:endEvent id="cancel"><bpmn:cancelEventDefinition /></bpmn:endEvent>
    <bpmn:intermediateCatchEvent id="no_definition" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="no_link_name" />
    <bpmn:sequenceFlow id="f2" sourceRef="empty_timer" targetRef="unknown_signal" />
    <bpmn:sequenceFlow id="f3" sourceRef="unknown_signal" targetRef="two_definitions" />
    <bpmn:sequenceFlow id="f4" sourceRef="two_definitions" targetRef="error_without_code" />
    <bpmn:sequenceFlow id="f5" sourceRef="no_definition" targetRef="cancel" />""",
        root_elements='<bpmn:signal id="s" name="sig" />',
    )
    messages = {p.element_id: p.message for p in problems_of(xml, supported=EVERYTHING)}
    assert "the link event has no link name" in messages["no_link_name"]
    assert "the timer event has no timer value" in messages["empty_timer"]
    assert "refers to signal 'nope', which is not defined" in messages["unknown_signal"]
    assert (
        "has 2 event definitions, but Camunda 8 supports one per event"
        in messages["two_definitions"]
    )
    assert "the error endEvent has no error code" in messages["error_without_code"]
    assert "endEvent with cancel event definition is not supported" in messages["cancel"]
    assert "the intermediateCatchEvent has no event definition" in messages["no_definition"]
    assert len(messages) == 7


def test_multi_instance_settings() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:task id="no_collection"><bpmn:multiInstanceLoopCharacteristics /></bpmn:task>
    <bpmn:task id="bad_names">
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements>
          <zeebe:loopCharacteristics inputCollection="=items" inputElement="an item" outputCollection="results" />
        </bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:task>
    <bpmn:task id="standard"><bpmn:standardLoopCharacteristics /></bpmn:task>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="no_collection" />""",
    )
    problems = problems_of(xml, supported_loops=frozenset(ElementKind))
    messages = {(p.element_id, p.message.split(":")[0]) for p in problems}
    assert messages == {
        ("no_collection", "the multi-instance marker has no input collection"),
        ("bad_names", "the multi-instance inputElement 'an item' is not a variable name"),
        ("bad_names", "the multi-instance marker has an output collection but no output element"),
        ("standard", "unsupported element"),
    }


def test_job_worker_script_task_and_static_retries_are_valid() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:scriptTask id="script_job">
      <bpmn:extensionElements><zeebe:taskDefinition type="run-script" retries="0" /></bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script_job" />
    <bpmn:sequenceFlow id="f2" sourceRef="script_job" targetRef="end" />"""
    )
    element = parse(xml).process("p").element("script_job")
    assert element.is_job_worker and element.script is None


def test_elements_without_ids() -> None:
    xml = definitions_xml(START_END + "\n    <bpmn:task name='anonymous' />")
    problem = only_problem(xml)
    assert problem.element_id is None
    assert problem.message == "a task has no id: give it an id"
    assert problem.line == line_containing(xml, "anonymous")


def test_link_throw_without_a_matching_catch() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="there" /></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="here" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="jump" />
    <bpmn:sequenceFlow id="f2" sourceRef="land" targetRef="end" />"""
    )
    problem = only_problem(xml, supported=EVERYTHING)
    assert problem.element_id == "jump"
    assert "has no link catch event named 'there' in the same scope" in problem.message


def test_empty_expression() -> None:
    xml = definitions_xml(
        """
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements><zeebe:taskDefinition type="=" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />"""
    )
    problem = only_problem(xml)
    assert problem.message == (
        "the job type is an empty expression: write a FEEL expression after '='"
    )


def _timer(kind: str, value: str) -> str:
    return (
        f"<bpmn:timerEventDefinition><bpmn:{kind}>{value}</bpmn:{kind}></bpmn:timerEventDefinition>"
    )


ERRORS = '<bpmn:error id="err" name="failed" errorCode="E1" /><bpmn:escalation id="esc" name="up" escalationCode="UP" />'


def test_event_definitions_zeebe_refuses_where_they_stand() -> None:
    """The placements Camunda 8 rejects at deploy time, each named with what to change."""
    xml = definitions_xml(
        f"""
    <bpmn:startEvent id="start" />
    <bpmn:startEvent id="error_start"><bpmn:errorEventDefinition errorRef="err" /></bpmn:startEvent>
    <bpmn:startEvent id="escalation_start"><bpmn:escalationEventDefinition escalationRef="esc" /></bpmn:startEvent>
    <bpmn:startEvent id="duration_start">{_timer("timeDuration", "PT1H")}</bpmn:startEvent>
    <bpmn:userTask id="work" />
    <bpmn:boundaryEvent id="soft_error" attachedToRef="work" cancelActivity="false">
      <bpmn:errorEventDefinition errorRef="err" />
    </bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="cycle_interrupting" attachedToRef="work">{_timer("timeCycle", "R3/PT1M")}</bpmn:boundaryEvent>
    <bpmn:intermediateCatchEvent id="cycle_catch">{_timer("timeCycle", "R/PT1M")}</bpmn:intermediateCatchEvent>
    <bpmn:subProcess id="handler" triggeredByEvent="true">
      <bpmn:startEvent id="soft_error_start" isInterrupting="false"><bpmn:errorEventDefinition errorRef="err" /></bpmn:startEvent>
      <bpmn:endEvent id="handler_end" />
      <bpmn:sequenceFlow id="h1" sourceRef="soft_error_start" targetRef="handler_end" />
    </bpmn:subProcess>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="cycle_catch" />
    <bpmn:sequenceFlow id="f3" sourceRef="cycle_catch" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="soft_error" targetRef="end" />
    <bpmn:sequenceFlow id="f5" sourceRef="cycle_interrupting" targetRef="end" />
    <bpmn:sequenceFlow id="f6" sourceRef="error_start" targetRef="end" />
    <bpmn:sequenceFlow id="f7" sourceRef="escalation_start" targetRef="end" />
    <bpmn:sequenceFlow id="f8" sourceRef="duration_start" targetRef="end" />""",
        root_elements=ERRORS,
    )
    by_element = {p.element_id: p.message for p in problems_of(xml, supported=EVERYTHING)}
    assert set(by_element) == {
        "error_start",
        "escalation_start",
        "duration_start",
        "soft_error",
        "cycle_interrupting",
        "cycle_catch",
        "soft_error_start",
    }
    assert "cannot start with an error start event" in by_element["error_start"]
    assert (
        "put this escalation start event into an event subprocess" in by_element["escalation_start"]
    )
    assert (
        "a timer start event takes a time date or a time cycle, not a time duration"
        in (by_element["duration_start"])
    )
    assert "make it interrupting (cancelActivity true)" in by_element["soft_error"]
    assert (
        "an interrupting timer boundary event takes a time duration or a time date"
        in (by_element["cycle_interrupting"])
    )
    assert "not a time cycle" in by_element["cycle_catch"]
    assert "make it interrupting (isInterrupting true)" in by_element["soft_error_start"]


def test_the_placements_zeebe_accepts_stay_valid() -> None:
    """Non-interrupting escalation boundaries and timer cycles on non-interrupting boundaries,
    timer start events with a date or a cycle, error starts in event subprocesses."""
    xml = definitions_xml(
        f"""
    <bpmn:startEvent id="start" />
    <bpmn:startEvent id="daily">{_timer("timeCycle", "R/PT24H")}</bpmn:startEvent>
    <bpmn:startEvent id="once">{_timer("timeDate", "2030-01-01T00:00:00Z")}</bpmn:startEvent>
    <bpmn:userTask id="work" />
    <bpmn:boundaryEvent id="nudge" attachedToRef="work" cancelActivity="false">{_timer("timeCycle", "R3/PT1M")}</bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="raised" attachedToRef="work" cancelActivity="false">
      <bpmn:escalationEventDefinition escalationRef="esc" />
    </bpmn:boundaryEvent>
    <bpmn:subProcess id="handler" triggeredByEvent="true">
      <bpmn:startEvent id="error_start"><bpmn:errorEventDefinition errorRef="err" /></bpmn:startEvent>
      <bpmn:endEvent id="handler_end" />
      <bpmn:sequenceFlow id="h1" sourceRef="error_start" targetRef="handler_end" />
    </bpmn:subProcess>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="nudge" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="raised" targetRef="end" />
    <bpmn:sequenceFlow id="f5" sourceRef="daily" targetRef="work" />
    <bpmn:sequenceFlow id="f6" sourceRef="once" targetRef="work" />""",
        root_elements=ERRORS,
    )
    parse(xml, supported=EVERYTHING)
