"""Binding a job's variables to a connector's input model, with messages that name fields.

Pydantic's own messages are good but its locations are not what a modeler sees: a tagged
union adds the tag (`authentication.bearer.token`). The location here follows the property
names of the task (`authentication.token: field required`).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from flowwire.connectors.errors import ConnectorInputError

M = TypeVar("M", bound=BaseModel)


def bind_input(model: type[M], variables: Mapping[str, Any]) -> M:
    """An instance of `model` from the job's variables; unknown variables are ignored.

    Raises `ConnectorInputError` listing every bad field, e.g. `url: field required`.
    """
    try:
        return model.model_validate(dict(variables))
    except ValidationError as exc:
        problems = validation_problems(model, exc)
        raise ConnectorInputError(
            "the connector input is invalid: " + "; ".join(problems), problems
        ) from None


def validation_problems(model: type[BaseModel], error: ValidationError) -> list[str]:
    """One `field.path: message` line per problem, in pydantic's order, without duplicates."""
    problems: list[str] = []
    for detail in error.errors(include_url=False):
        path = display_path(model, detail.get("loc", ()))
        message = _message(detail)
        context = detail.get("ctx") or {}
        if detail.get("type") in ("union_tag_invalid", "union_tag_not_found"):
            tag_field = str(context.get("discriminator", "type")).strip("'")
            path = f"{path}.{tag_field}" if path else tag_field
            if detail["type"] == "union_tag_not_found":
                message = "field required"
            else:
                message = (
                    f"'{context.get('tag')}' is not one of the expected values "
                    f"{context.get('expected_tags')}"
                )
        line = f"{path}: {message}" if path else message
        if line not in problems:
            problems.append(line)
    return problems


def _message(detail: Mapping[str, Any]) -> str:
    text = str(detail.get("msg", "invalid value"))
    if detail.get("type") == "missing":
        return "field required"
    if text.startswith("Value error, "):
        text = text[len("Value error, ") :]
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def display_path(model: type[BaseModel], loc: tuple[Any, ...] | list[Any]) -> str:
    """The dotted property path of a pydantic location, without union tags and type names."""
    parts: list[str] = []
    current: Any = model
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            current = None
            continue
        name = str(item)
        fields = _fields_of(current)
        if fields is not None and name in fields:
            parts.append(name)
            current = fields[name]
        elif fields is not None and _alias_match(current, name) is not None:
            parts.append(name)
            current = _alias_match(current, name)
        elif current is not None and _union_member(current, name) is not None:
            current = _union_member(current, name)
        elif current is None or fields is None:
            parts.append(name)
        # else: a pydantic-internal step (function-before, tagged-union name): not shown
    text = ""
    for part in parts:
        text += part if part.startswith("[") or not text else "." + part
    return text


def _fields_of(current: Any) -> dict[str, Any] | None:
    if isinstance(current, type) and issubclass(current, BaseModel):
        return {name: info.annotation for name, info in current.model_fields.items()}
    return None


def _alias_match(current: Any, name: str) -> Any:
    if isinstance(current, type) and issubclass(current, BaseModel):
        for info in current.model_fields.values():
            if info.alias == name or info.validation_alias == name:
                return info.annotation
    return None


def _union_members(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _union_members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members: list[Any] = []
        for arg in typing.get_args(annotation):
            members.extend(_union_members(arg) or [arg])
        return members
    return []


def _tag_of(member: Any) -> str | None:
    """The value of a model's single-value Literal field (its tag in a tagged union)."""
    if not (isinstance(member, type) and issubclass(member, BaseModel)):
        return None
    for info in member.model_fields.values():
        args = typing.get_args(info.annotation)
        if typing.get_origin(info.annotation) is typing.Literal and len(args) == 1:
            return str(args[0])
    return None


def _union_member(current: Any, name: str) -> Any:
    """The member of union `current` that pydantic names `name` in a location, if any."""
    for member in _union_members(current):
        if _tag_of(member) == name or getattr(member, "__name__", None) == name:
            return member
    return None
