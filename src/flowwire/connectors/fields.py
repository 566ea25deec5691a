"""Extra field information for element templates: groups, labels, FEEL modes, secrets.

::

    class WeatherInput(BaseModel):
        city: str = connector_field(label="City", group="query", feel="optional")
        apiKey: str = connector_field(label="API key", group="auth", secret=True)

Everything is optional: a plain pydantic field becomes a String property labelled after its
name. The data sits in the field's `json_schema_extra` under `x-flowwire`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

FeelMode = Literal["optional", "required", "static"]
TemplateType = Literal["String", "Text", "Hidden", "Dropdown", "Boolean", "Number"]
KEY = "x-flowwire"


def connector_field(
    default: Any = PydanticUndefined,
    *,
    label: str | None = None,
    description: str | None = None,
    group: str | None = None,
    feel: FeelMode | None = None,
    secret: bool = False,
    tooltip: str | None = None,
    placeholder: str | None = None,
    condition: Mapping[str, Any] | None = None,
    template_type: TemplateType | None = None,
    template_value: Any = None,
    choices: Sequence[tuple[str, str]] | None = None,
    in_template: bool = True,
    **field_options: Any,
) -> Any:
    """A pydantic `Field` that also describes the element template property.

    `condition` is a Camunda template condition, e.g. `{"property": "method", "oneOf":
    ["POST", "PUT"]}`; `choices` are (label, value) pairs overriding those taken from an Enum
    or Literal; `template_value` pre-fills the property (default: the field's default).
    """
    extra: dict[str, Any] = {
        "group": group,
        "feel": feel,
        "secret": secret or None,
        "tooltip": tooltip,
        "placeholder": placeholder,
        "condition": dict(condition) if condition else None,
        "type": template_type,
        "value": template_value,
        "choices": [list(choice) for choice in choices] if choices else None,
        "in_template": None if in_template else False,
    }
    options = {k: v for k, v in extra.items() if v is not None}
    return Field(
        default,
        title=label,
        description=description,
        json_schema_extra={KEY: options},
        **field_options,
    )


def template_options(info: FieldInfo) -> dict[str, Any]:
    """The `connector_field` options of a model field ({} for a plain field)."""
    extra = info.json_schema_extra
    if isinstance(extra, dict):
        options = extra.get(KEY)
        if isinstance(options, dict):
            return options
    return {}
