"""Element templates (Camunda Modeler JSON) generated from a connector's input model.

Each model field becomes a property bound to a `zeebe:input` of the same (dotted) name: nested
models add a prefix, a tagged union becomes a dropdown for its tag with each member's fields
shown only when chosen, Literal and Enum types become dropdowns, bools checkboxes, numbers
number fields. `connector_field` options add groups, labels, FEEL modes and conditions. The
standard tail follows: result variable and expression, error expression, retries and backoff.
"""

from __future__ import annotations

import enum
import json
import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from flowwire.connectors.fields import template_options
from flowwire.connectors.sdk import OutboundConnector

SCHEMA_URL = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json"

TAIL_GROUPS = [
    {"id": "connector", "label": "Connector"},
    {"id": "output", "label": "Output mapping"},
    {"id": "error", "label": "Error handling"},
    {"id": "retries", "label": "Retries"},
]
DEFAULT_GROUP = "input"


def element_template(connector: OutboundConnector) -> dict[str, Any]:
    """The element template of `connector`, as a JSON-ready dict."""
    properties: list[dict[str, Any]] = [
        {
            "value": connector.type,
            "binding": {"property": "type", "type": "zeebe:taskDefinition"},
            "type": "Hidden",
        }
    ]
    if connector.input_model is not None:
        properties += _model_properties(connector.input_model, prefix="", condition=None)
    used_groups = {p.get("group") for p in properties}
    groups = [{"id": gid, "label": label} for gid, label in connector.groups]
    known = {g["id"] for g in groups}
    if DEFAULT_GROUP in used_groups and DEFAULT_GROUP not in known:
        groups.append({"id": DEFAULT_GROUP, "label": "Input"})
    groups += [g for g in TAIL_GROUPS if g["id"] not in known]
    template: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "name": connector.name,
        "id": connector.template_id or template_id_for(connector.type),
        "description": _first_paragraph(connector.description) or connector.name,
        "version": connector.template_version,
        "category": {"id": "connectors", "name": "Connectors"},
        "appliesTo": ["bpmn:Task"],
        "elementType": {"value": "bpmn:ServiceTask"},
        "groups": groups,
        "properties": properties + _tail(connector),
    }
    if connector.documentation_ref:
        template["documentationRef"] = connector.documentation_ref
    if connector.keywords:
        template["keywords"] = list(connector.keywords)
    if connector.icon:
        template["icon"] = {"contents": connector.icon}
    return template


def template_id_for(job_type: str) -> str:
    """A template id derived from a job type: `io.example:weather:1` -> `io.example.weather.v1`."""
    parts = job_type.split(":")
    if len(parts) == 3 and parts[2].isdigit():
        return f"{parts[0]}.{parts[1]}.v{parts[2]}"
    return re.sub(r"[^A-Za-z0-9._-]+", ".", job_type)


def file_name_for(connector: OutboundConnector) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", connector.type).strip("-") + ".json"


def export_templates(connectors: list[OutboundConnector], directory: Path) -> list[Path]:
    """Write one `<type>.json` template per connector into `directory`; returns the files."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for connector in connectors:
        path = directory / file_name_for(connector)
        path.write_text(
            json.dumps(element_template(connector), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        written.append(path)
    return written


# -- model walking ----------------------------------------------------------------------
def _model_properties(
    model: type[BaseModel], prefix: str, condition: dict[str, Any] | None
) -> list[dict[str, Any]]:
    properties: list[dict[str, Any]] = []
    for name, info in model.model_fields.items():
        options = template_options(info)
        if options.get("in_template") is False:
            continue
        binding_name = prefix + (info.alias or name)
        annotation = _unwrap_optional(info.annotation)
        field_condition = options.get("condition") or condition
        members = _tagged_members(annotation, info)
        if members:
            properties += _union_properties(binding_name, info, options, members, field_condition)
        elif _is_model(annotation):
            properties += _model_properties(annotation, binding_name + ".", field_condition)
        else:
            properties.append(
                _field_property(binding_name, name, info, options, annotation, field_condition)
            )
    return properties


def _field_property(
    binding_name: str,
    name: str,
    info: FieldInfo,
    options: dict[str, Any],
    annotation: Any,
    condition: dict[str, Any] | None,
) -> dict[str, Any]:
    prop: dict[str, Any] = {
        "id": binding_name,
        "label": info.title or _label(name),
    }
    if info.description:
        prop["description"] = info.description
    choices = options.get("choices") or _choices(annotation)
    kind = options.get("type") or _kind(annotation, choices)
    required = info.is_required()
    value = options.get("value", _default(info))
    if kind not in ("Hidden",):
        prop["optional"] = not required
    if value is not None:
        prop["value"] = _value_for(kind, value)
    if required and kind in ("String", "Text", "Dropdown"):
        prop["constraints"] = {"notEmpty": True}
    feel = options.get("feel")
    if feel is None and kind in ("Boolean", "Number"):
        feel = "static"
    if feel and kind != "Dropdown" and kind != "Hidden":
        prop["feel"] = feel
    prop["group"] = options.get("group", DEFAULT_GROUP)
    prop["binding"] = {"name": binding_name, "type": "zeebe:input"}
    if condition:
        prop["condition"] = _condition(condition)
    for key in ("tooltip", "placeholder"):
        if options.get(key) and (key != "placeholder" or kind in ("String", "Text")):
            prop[key] = options[key]
    if options.get("secret"):
        prop["secret"] = True
    prop["type"] = kind
    if kind == "Dropdown":
        prop["choices"] = [{"name": label, "value": str(v)} for label, v in choices]
        if "value" not in prop and choices:
            prop["value"] = str(choices[0][1])
    if kind == "Hidden" and "value" not in prop:
        prop["value"] = ""
    return prop


def _union_properties(
    binding_name: str,
    info: FieldInfo,
    options: dict[str, Any],
    members: list[tuple[str, str, type[BaseModel]]],
    condition: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """A dropdown for the tag, then each member's fields shown when its tag is chosen."""
    tag_field = members[0][1]
    tag_binding = f"{binding_name}.{tag_field}"
    labels = {str(v): label for label, v in options.get("choices") or []}
    default = info.get_default(call_default_factory=True)
    default_tag = getattr(default, tag_field, None) if default is not None else None
    dropdown: dict[str, Any] = {
        "id": tag_binding,
        "label": info.title or _label(tag_field),
    }
    if info.description:
        dropdown["description"] = info.description
    dropdown["value"] = str(default_tag or members[0][0])
    dropdown["group"] = options.get("group", DEFAULT_GROUP)
    dropdown["binding"] = {"name": tag_binding, "type": "zeebe:input"}
    if condition:
        dropdown["condition"] = _condition(condition)
    dropdown["type"] = "Dropdown"
    dropdown["choices"] = [
        {"name": labels.get(tag, _label(tag)), "value": tag} for tag, _, _ in members
    ]
    properties = [dropdown]
    for tag, _, member in members:
        when = {"property": tag_binding, "equals": tag}
        for prop in _model_properties(member, binding_name + ".", when):
            if prop["id"] == tag_binding or prop["binding"]["name"] == tag_binding:
                continue
            prop.setdefault("group", dropdown["group"])
            if prop.get("group") == DEFAULT_GROUP:
                prop["group"] = dropdown["group"]
            prop["id"] = f"{binding_name}.{tag}.{prop['binding']['name'][len(binding_name) + 1 :]}"
            properties.append(prop)
    return properties


def _tail(connector: OutboundConnector) -> list[dict[str, Any]]:
    return [
        {
            "id": "version",
            "label": "Version",
            "description": "Version of the element template",
            "value": str(connector.template_version),
            "group": "connector",
            "binding": {"key": "elementTemplateVersion", "type": "zeebe:taskHeader"},
            "type": "Hidden",
        },
        {
            "id": "id",
            "label": "ID",
            "description": "ID of the element template",
            "value": connector.template_id or template_id_for(connector.type),
            "group": "connector",
            "binding": {"key": "elementTemplateId", "type": "zeebe:taskHeader"},
            "type": "Hidden",
        },
        {
            "id": "resultVariable",
            "label": "Result variable",
            "description": "Name of variable to store the response in",
            "group": "output",
            "binding": {"key": "resultVariable", "type": "zeebe:taskHeader"},
            "type": "String",
        },
        {
            "id": "resultExpression",
            "label": "Result expression",
            "description": "Expression to map the response into process variables",
            "feel": "required",
            "group": "output",
            "binding": {"key": "resultExpression", "type": "zeebe:taskHeader"},
            "type": "Text",
        },
        {
            "id": "errorExpression",
            "label": "Error expression",
            "description": 'Expression to handle errors, e.g. bpmnError("CODE", "message")',
            "feel": "required",
            "group": "error",
            "binding": {"key": "errorExpression", "type": "zeebe:taskHeader"},
            "type": "Text",
        },
        {
            "id": "retryCount",
            "label": "Retries",
            "description": "Number of retries",
            "value": "3",
            "feel": "optional",
            "group": "retries",
            "binding": {"property": "retries", "type": "zeebe:taskDefinition"},
            "type": "String",
        },
        {
            "id": "retryBackoff",
            "label": "Retry backoff",
            "description": "ISO-8601 duration to wait between retries",
            "value": "PT0S",
            "group": "retries",
            "binding": {"key": "retryBackoff", "type": "zeebe:taskHeader"},
            "type": "String",
        },
    ]


# -- types ------------------------------------------------------------------------------
def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _unwrap_optional(annotation: Any) -> Any:
    """`X` for `X | None`; a union of several types stays a union (without None)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner = typing.get_args(annotation)[0]
        unwrapped = _unwrap_optional(inner)
        return annotation if unwrapped is inner else unwrapped
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _union_args(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _union_args(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return list(typing.get_args(annotation))
    return []


def _tagged_members(annotation: Any, info: FieldInfo) -> list[tuple[str, str, type[BaseModel]]]:
    """(tag, tag field, model) for each member of a union of models that share a Literal tag."""
    args = _union_args(annotation)
    if not args or not all(_is_model(a) for a in args):
        return []
    discriminator = info.discriminator if isinstance(info.discriminator, str) else None
    members: list[tuple[str, str, type[BaseModel]]] = []
    for member in args:
        found = None
        for fname, finfo in member.model_fields.items():
            if discriminator is not None and fname != discriminator:
                continue
            values = typing.get_args(finfo.annotation)
            if typing.get_origin(finfo.annotation) is typing.Literal and len(values) == 1:
                found = (str(values[0]), fname, member)
                break
        if found is None:
            return []
        members.append(found)
    return members


def _choices(annotation: Any) -> list[tuple[str, Any]]:
    if typing.get_origin(annotation) is typing.Literal:
        return [(str(v), v) for v in typing.get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [(_label(member.name), member.value) for member in annotation]
    return []


def _kind(annotation: Any, choices: list[Any]) -> str:
    if choices:
        return "Dropdown"
    if annotation is bool:
        return "Boolean"
    if annotation in (int, float):
        return "Number"
    if annotation is str:
        return "String"
    return "Text"


def _default(info: FieldInfo) -> Any:
    if info.default is PydanticUndefined or info.default is None:
        return None
    value = info.default
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str | int | float | bool):
        return value
    return None


def _value_for(kind: str, value: Any) -> Any:
    if kind == "Boolean":
        return bool(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "Number" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _condition(condition: dict[str, Any]) -> dict[str, Any]:
    result = dict(condition)
    result.setdefault("type", "simple")
    return result


def _label(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").strip()
    return spaced[:1].upper() + spaced[1:]


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0].replace("\n", " ").strip()
