"""DMN's type conformance and conversions (DMN 1.5, 10.3.2.9), as the TCK expects of a runner.

A DMN engine checks a decision's result (and a function's arguments and result) against the
declared ``typeRef``: a singleton list becomes its element, a value becomes a singleton list
where a collection is declared, and a value that does not conform becomes null. FEEL itself
has no declared types, so the runner does this around the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lxml import etree

from flowwire.feel.values import FeelFunction, Range, YearsMonthsDuration

from .xsd_values import children, local_name


def _is_number(v: Any) -> bool:
    return isinstance(v, Decimal)


_BUILTIN_CHECKS: dict[str, Callable[[Any], bool]] = {
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "date": lambda v: type(v) is dt.date,
    "time": lambda v: isinstance(v, dt.time),
    "dateTime": lambda v: isinstance(v, dt.datetime),
    "date and time": lambda v: isinstance(v, dt.datetime),
    "dayTimeDuration": lambda v: isinstance(v, dt.timedelta),
    "days and time duration": lambda v: isinstance(v, dt.timedelta),
    "yearMonthDuration": lambda v: isinstance(v, YearsMonthsDuration),
    "years and months duration": lambda v: isinstance(v, YearsMonthsDuration),
    "duration": lambda v: isinstance(v, (dt.timedelta, YearsMonthsDuration)),
    "context": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, list),
    "range": lambda v: isinstance(v, Range),
    "function": lambda v: isinstance(v, FeelFunction) or callable(v),
    "Any": lambda v: True,
}


@dataclass(frozen=True)
class DmnType:
    """A resolved type: a built-in name, or an ``itemDefinition`` element (maybe a collection)."""

    builtin: str | None = None
    item: etree._Element | None = None
    collection: bool = False


def type_ref_of(element: etree._Element) -> str | None:
    """The ``typeRef`` of an element, written as an attribute or (DMN 1.2+) a child element."""
    ref = element.get("typeRef")
    if ref:
        return ref.strip()
    for child in children(element, "typeRef"):
        if child.text and child.text.strip():
            return child.text.strip()
    return None


class TypeResolver:
    """Resolves ``typeRef`` names against one model's item definitions."""

    def __init__(self, item_definitions: Mapping[str, etree._Element]) -> None:
        self.items = item_definitions

    def resolve(self, ref: str | None) -> DmnType | None:
        """The type for a reference; ``None`` when it is absent or unknown (no check then)."""
        if not ref:
            return None
        name = ref.split(":", 1)[1] if ref.startswith(("feel:", "FEEL:")) else ref
        if name in self.items:
            item = self.items[name]
            return DmnType(item=item, collection=item.get("isCollection") == "true")
        if name in _BUILTIN_CHECKS:
            return DmnType(builtin=name)
        return None

    def conforms(self, value: Any, kind: DmnType) -> bool:
        if value is None:
            return True
        if kind.collection:
            return isinstance(value, list) and all(
                self.conforms(v, self._element_type(kind)) for v in value
            )
        if kind.builtin is not None:
            return _BUILTIN_CHECKS[kind.builtin](value)
        assert kind.item is not None
        return self._conforms_to_item(value, kind.item)

    def _element_type(self, kind: DmnType) -> DmnType:
        return DmnType(builtin=kind.builtin, item=kind.item, collection=False)

    def _conforms_to_item(self, value: Any, item: etree._Element) -> bool:
        if children(item, "functionItem"):
            return isinstance(value, FeelFunction) or callable(value)
        components = children(item, "itemComponent")
        if components:
            if not isinstance(value, dict):
                return False
            for component in components:
                name = component.get("name", "")
                if name not in value:
                    return False
                kind = self._component_type(component)
                if kind is not None and not self.conforms(value[name], kind):
                    return False
            return True
        base = self.resolve(type_ref_of(item))
        return base is None or self.conforms(value, base)

    def _component_type(self, component: etree._Element) -> DmnType | None:
        if children(component, "itemComponent"):
            return DmnType(item=component, collection=component.get("isCollection") == "true")
        base = self.resolve(type_ref_of(component))
        if base is not None and component.get("isCollection") == "true":
            return DmnType(builtin=base.builtin, item=base.item, collection=True)
        return base

    def coerce(self, value: Any, ref: str | None) -> Any:
        """The value a DMN engine hands on for a declared type (null when it doesn't conform)."""
        kind = self.resolve(ref)
        if kind is None or self.conforms(value, kind):
            return value
        if not kind.collection and isinstance(value, list) and len(value) == 1:
            if self.conforms(value[0], kind):
                return value[0]
            return None
        if (
            kind.collection
            and not isinstance(value, list)
            and self.conforms(value, self._element_type(kind))
        ):
            return [value]
        return None


def item_definitions(definitions: etree._Element) -> dict[str, etree._Element]:
    """Top-level ``itemDefinition`` elements of a model by name."""
    return {
        item.get("name", ""): item
        for item in children(definitions)
        if local_name(item) == "itemDefinition"
    }
