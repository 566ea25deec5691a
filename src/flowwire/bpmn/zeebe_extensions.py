"""Reads the `zeebe:` extension elements of a flow node (Camunda 8's execution settings).

Each value is kept exactly as written; expressions are syntax-checked here, where the XML line of
the extension element is still known. Extension elements flowwire does not interpret are kept on
the element as (tag, attributes) so nothing a modeler wrote is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from .checks import is_variable_name, is_variable_path
from .model import CalledElement, Extension, IoMapping, Script, TaskDefinition, UserTaskDefinition
from .report import Report
from .xml_loading import ZEEBE_NS, attributes_of, line_of

_Z = f"{{{ZEEBE_NS}}}"
_INPUT = f"{_Z}input"
_OUTPUT = f"{_Z}output"
_HEADER = f"{_Z}header"
_PROPERTY = f"{_Z}property"


@dataclass(slots=True)
class ZeebeSettings:
    """What a flow node's `bpmn:extensionElements` said, gathered before the element is built."""

    task_definition: TaskDefinition | None = None
    inputs: list[IoMapping] = field(default_factory=list)
    outputs: list[IoMapping] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    script: Script | None = None
    script_line: int | None = None
    called_element: CalledElement | None = None
    called_decision_line: int | None = None
    zeebe_user_task: bool = False
    user_task_fields: dict[str, str] = field(default_factory=dict)
    extensions: list[Extension] = field(default_factory=list)

    def user_task(self) -> UserTaskDefinition:
        return UserTaskDefinition(zeebe_user_task=self.zeebe_user_task, **self.user_task_fields)


_Reader = Callable[[etree._Element, ZeebeSettings, str, Report], None]


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() == "true"


def _task_definition(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
    job_type = (node.get("type") or "").strip()
    retries = (node.get("retries") or "").strip() or "3"
    line = line_of(node)
    report.check_feel(job_type, element_id=eid, what="job type", line=line)
    report.check_feel(retries, element_id=eid, what="job retries", line=line)
    if not retries.startswith("=") and not retries.isdigit():
        report.add(
            eid,
            f"the job retries '{retries}' are not a whole number: write a number like 3 "
            "or a FEEL expression starting with '='",
            line,
        )
    out.task_definition = TaskDefinition(type=job_type, retries=retries)


def _mapping(node: etree._Element, eid: str, direction: str, report: Report) -> IoMapping:
    line = line_of(node)
    source = node.get("source")
    target = (node.get("target") or "").strip()
    if source is None or not source.strip():
        # Camunda assigns null when a mapping has no source value.
        source = "=null"
    report.check_feel(
        source, element_id=eid, what=f"{direction} mapping source for '{target}'", line=line
    )
    if not is_variable_path(target):
        shown = f"'{target}'" if target else "empty"
        report.add(
            eid,
            f"the {direction} mapping target {shown} is not a variable name: write a name like "
            "'result' or a path like 'response.body'",
            line,
        )
    return IoMapping(source=source, target=target, target_path=tuple(target.split(".")))


def _io_mapping(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
    for child in node:
        tag = child.tag
        if tag == _INPUT:
            out.inputs.append(_mapping(child, eid, "input", report))
        elif tag == _OUTPUT:
            out.outputs.append(_mapping(child, eid, "output", report))


def _task_headers(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
    for child in node:
        if child.tag == _HEADER:
            key = child.get("key")
            if not key:
                report.add(eid, "a task header has no key: give every header a key", line_of(child))
                continue
            out.headers[key] = child.get("value") or ""


def _properties(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
    for child in node:
        if child.tag == _PROPERTY:
            name = child.get("name")
            if not name:
                report.add(
                    eid, "a property has no name: give every property a name", line_of(child)
                )
                continue
            out.properties[name] = child.get("value") or ""


def _script(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
    expression = node.get("expression") or ""
    result_variable = (node.get("resultVariable") or "").strip() or None
    report.check_feel(expression, element_id=eid, what="script expression", line=line_of(node))
    out.script = Script(expression=expression, result_variable=result_variable)
    out.script_line = line_of(node)


def _called_element(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
    process_id = (node.get("processId") or "").strip()
    report.check_feel(process_id, element_id=eid, what="called process id", line=line_of(node))
    out.called_element = CalledElement(
        process_id=process_id,
        propagate_all_child_variables=_flag(node.get("propagateAllChildVariables"), True),
        propagate_all_parent_variables=_flag(node.get("propagateAllParentVariables"), True),
    )


def _called_decision(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
    out.called_decision_line = line_of(node)
    out.extensions.append((str(node.tag), attributes_of(node)))


def _user_task(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
    out.zeebe_user_task = True


def _user_task_attributes(
    attributes: dict[str, str],
) -> _Reader:
    """A reader copying some attributes (XML name -> UserTaskDefinition field) of one element."""

    def read(node: etree._Element, out: ZeebeSettings, eid: str, report: Report) -> None:
        for xml_name, field_name in attributes.items():
            value = node.get(xml_name)
            if value is None or not value.strip():
                continue
            report.check_feel(
                value, element_id=eid, what=f"user task {xml_name}", line=line_of(node)
            )
            out.user_task_fields[field_name] = value

    return read


_READERS: dict[str, _Reader] = {
    f"{_Z}taskDefinition": _task_definition,
    f"{_Z}ioMapping": _io_mapping,
    f"{_Z}taskHeaders": _task_headers,
    f"{_Z}properties": _properties,
    f"{_Z}script": _script,
    f"{_Z}calledElement": _called_element,
    f"{_Z}calledDecision": _called_decision,
    f"{_Z}userTask": _user_task,
    f"{_Z}assignmentDefinition": _user_task_attributes(
        {
            "assignee": "assignee",
            "candidateGroups": "candidate_groups",
            "candidateUsers": "candidate_users",
        }
    ),
    f"{_Z}taskSchedule": _user_task_attributes(
        {"dueDate": "due_date", "followUpDate": "follow_up_date"}
    ),
    f"{_Z}formDefinition": _user_task_attributes(
        {"formKey": "form_key", "formId": "form_id", "externalReference": "external_form_reference"}
    ),
}


def read_zeebe_settings(
    extension_elements: etree._Element | None, element_id: str, report: Report
) -> ZeebeSettings:
    """The settings in a `bpmn:extensionElements` (empty settings when there is none)."""
    settings = ZeebeSettings()
    if extension_elements is None:
        return settings
    for child in extension_elements:
        if not isinstance(child.tag, str):
            continue
        reader = _READERS.get(child.tag)
        if reader is not None:
            reader(child, settings, element_id, report)
        else:
            settings.extensions.append((child.tag, attributes_of(child)))
    return settings


def read_loop_variables(
    extension_elements: etree._Element | None, element_id: str, report: Report
) -> dict[str, str | None]:
    """The `zeebe:loopCharacteristics` of a multi-instance marker, by LoopCharacteristics field."""
    values: dict[str, str | None] = {
        "input_collection": None,
        "input_element": None,
        "output_collection": None,
        "output_element": None,
    }
    if extension_elements is None:
        return values
    node = extension_elements.find(f"{_Z}loopCharacteristics")
    if node is None:
        return values
    line = line_of(node)
    for xml_name, field_name in (
        ("inputCollection", "input_collection"),
        ("inputElement", "input_element"),
        ("outputCollection", "output_collection"),
        ("outputElement", "output_element"),
    ):
        value = (node.get(xml_name) or "").strip() or None
        values[field_name] = value
        if value is None:
            continue
        if field_name in ("input_element", "output_collection"):
            if not is_variable_name(value):
                report.add(
                    element_id,
                    f"the multi-instance {xml_name} '{value}' is not a variable name: "
                    "write a name like 'item'",
                    line,
                )
        else:
            report.check_feel(
                value, element_id=element_id, what=f"multi-instance {xml_name}", line=line
            )
    return values
