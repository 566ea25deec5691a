"""Assertions about process instances whose failure messages show what really happened.

Each takes the engine and an instance (its key, or anything with a ``.key``). When one fails, the
message holds the instance's state, its open incidents, the elements it waits in and its whole
history, so a failing test explains itself without a debugger.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from flowwire.engine import Engine

#: the element kind history entries of the process instance itself carry
PROCESS_KIND = "process"


class HasKey(Protocol):
    @property
    def key(self) -> int: ...


InstanceRef = int | HasKey


def instance_key(instance: InstanceRef) -> int:
    """The key of an instance given as a key or as a result object from the engine."""
    return instance if isinstance(instance, int) else instance.key


def describe_instance(engine: Engine, instance: InstanceRef) -> str:
    """A readable account of an instance: state, open incidents, active elements, history."""
    key = instance_key(instance)
    info = engine.get_instance(key)
    lines = [f"process instance {key} ({info.process_id} v{info.version}) is {info.state}"]
    incidents = engine.incidents(state="ACTIVE", instance_key=key)
    if incidents:
        lines.append("open incidents:")
        lines.extend(
            f"  {incident.error_type} at '{incident.element_id}': {incident.message}"
            for incident in incidents
        )
    active = [
        f"{element.element_id} ({element.element_kind})"
        for element in engine.element_instances(key)
        if element.state == "ACTIVE" and element.element_kind != PROCESS_KIND
    ]
    if active:
        lines.append(f"active elements: {', '.join(active)}")
    lines.append("history:")
    for entry in engine.history(key):
        lines.append(
            f"  {entry.seq:>4} {entry.transition:<11} {entry.element_id} ({entry.element_kind})"
            + (f" {entry.details}" if entry.details else "")
        )
    return "\n".join(lines)


def assert_completed(engine: Engine, instance: InstanceRef) -> None:
    """The instance has reached its end (state COMPLETED)."""
    key = instance_key(instance)
    state = engine.get_instance(key).state
    if state != "COMPLETED":
        raise AssertionError(
            f"expected the instance to be COMPLETED\n{describe_instance(engine, key)}"
        )


def completed_elements(engine: Engine, instance: InstanceRef) -> list[str]:
    """Element ids in the order their element instances completed (the process itself left out)."""
    return [
        entry.element_id
        for entry in engine.history(instance_key(instance))
        if entry.transition == "COMPLETED"
        and entry.element_kind != PROCESS_KIND
        and entry.element_id is not None
    ]


def assert_passed(
    engine: Engine, instance: InstanceRef, element_ids: Sequence[str], *, exactly: bool = False
) -> None:
    """The elements completed in this order.

    Other elements may complete in between (gateways, parallel branches) unless ``exactly`` asks
    for the complete list of completed elements.
    """
    passed = completed_elements(engine, instance)
    wanted = list(element_ids)
    ok = passed == wanted if exactly else _is_subsequence(wanted, passed)
    if not ok:
        how = "exactly" if exactly else "in this order"
        raise AssertionError(
            f"expected the elements {wanted} to have completed {how}, "
            f"but the completed elements were {passed}\n{describe_instance(engine, instance)}"
        )


def _is_subsequence(wanted: list[str], passed: list[str]) -> bool:
    remaining = iter(passed)
    return all(any(element == item for item in remaining) for element in wanted)


def same_value(actual: Any, expected: Any) -> bool:
    """Equality as a test author means it: ``5``, ``5.0`` and ``Decimal("5")`` are the same."""
    if _is_number(actual) and _is_number(expected):
        return _as_decimal(actual) == _as_decimal(expected)
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        return actual.keys() == expected.keys() and all(
            same_value(actual[name], expected[name]) for name in expected
        )
    if isinstance(actual, list | tuple) and isinstance(expected, list | tuple):
        return len(actual) == len(expected) and all(
            same_value(a, e) for a, e in zip(actual, expected, strict=True)
        )
    return bool(actual == expected)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _as_decimal(value: int | float | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def assert_variables(
    engine: Engine,
    instance: InstanceRef,
    expected: Mapping[str, Any],
    *,
    scope_key: int | None = None,
) -> None:
    """Each expected variable exists in the instance's scope (default: the root) with that value.

    Variables that are not named are ignored; numbers compare by value (``1`` equals ``1.0``).
    """
    key = instance_key(instance)
    actual = engine.variables(key, scope_key)
    wrong = {
        name: actual.get(name, "<missing>")
        for name, value in expected.items()
        if name not in actual or not same_value(actual[name], value)
    }
    if wrong:
        raise AssertionError(
            f"variables differ: expected {dict(expected)!r}, found {wrong!r}\n"
            f"all variables: {actual!r}\n{describe_instance(engine, key)}"
        )


def assert_incident(
    engine: Engine,
    instance: InstanceRef,
    *,
    type: str | None = None,
    element_id: str | None = None,
    message_contains: str | None = None,
) -> Any:
    """An open incident matches every given criterion; returns it (to resolve it, say)."""
    key = instance_key(instance)
    incidents = engine.incidents(state="ACTIVE", instance_key=key)
    for incident in incidents:
        if type is not None and incident.error_type != type:
            continue
        if element_id is not None and incident.element_id != element_id:
            continue
        if message_contains is not None and message_contains not in incident.message:
            continue
        return incident
    criteria = ", ".join(
        f"{name}={value!r}"
        for name, value in (
            ("type", type),
            ("element_id", element_id),
            ("message_contains", message_contains),
        )
        if value is not None
    )
    raise AssertionError(
        f"expected an open incident with {criteria or 'any properties'}, found "
        f"{len(incidents)} open incident(s)\n{describe_instance(engine, key)}"
    )
