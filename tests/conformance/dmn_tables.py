"""Decision tables (DMN 1.5, 8.2), evaluated with ``flowwire.feel`` for the TCK runner.

Some TCK literal expressions read decisions whose logic is a decision table; evaluating the
table (instead of copying an expected value) keeps the runner honest. Input entries are
FEEL unary tests, output entries FEEL expressions; hit policies and COLLECT aggregations
follow the DMN specification.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from lxml import etree

from flowwire import feel

from .xsd_values import children


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    texts = children(element, "text")
    return "".join(texts[0].itertext()).strip() if texts else ""


def evaluate_table(table: etree._Element, scope: Mapping[str, Any]) -> Any:
    """The value of a decision table for the variables in ``scope``."""
    variables = dict(scope)
    inputs = [
        feel.evaluate(_text((children(i, "inputExpression") or [None])[0]) or "null", variables)
        for i in children(table, "input")
    ]
    outputs = children(table, "output")
    matched = [rule for rule in children(table, "rule") if _matches(rule, inputs, variables)]
    policy = table.get("hitPolicy", "UNIQUE").replace("_", " ")
    if not matched:
        return _defaults(outputs, variables, policy)
    results = [_rule_result(rule, outputs, variables) for rule in matched]
    if policy == "UNIQUE":
        return results[0] if len(results) == 1 else None
    if policy == "FIRST":
        return results[0]
    if policy == "ANY":
        return results[0] if all(r == results[0] for r in results) else None
    if policy in ("PRIORITY", "OUTPUT ORDER"):
        ordered = sorted(results, key=lambda r: _priority(r, outputs, variables))
        return ordered[0] if policy == "PRIORITY" else ordered
    if policy == "RULE ORDER":
        return results
    if policy == "COLLECT":
        return _aggregate(results, table.get("aggregation"))
    return None


def _matches(rule: etree._Element, inputs: list[Any], variables: dict[str, Any]) -> bool:
    for entry, value in zip(children(rule, "inputEntry"), inputs, strict=False):
        tests = _text(entry)
        if tests in ("", "-"):
            continue
        if feel.unary_test(tests, value, variables) is not True:
            return False
    return True


def _output_name(output: etree._Element, index: int) -> str:
    return output.get("name") or output.get("label") or f"output{index + 1}"


def _rule_result(
    rule: etree._Element, outputs: list[etree._Element], variables: dict[str, Any]
) -> Any:
    values = [feel.evaluate(_text(e) or "null", variables) for e in children(rule, "outputEntry")]
    if len(outputs) <= 1:
        return values[0] if values else None
    return {_output_name(o, i): v for i, (o, v) in enumerate(zip(outputs, values, strict=False))}


def _defaults(outputs: list[etree._Element], variables: dict[str, Any], policy: str) -> Any:
    defaults = [children(o, "defaultOutputEntry") for o in outputs]
    if not any(defaults):
        return [] if policy in ("RULE ORDER", "OUTPUT ORDER", "COLLECT") else None
    values = [feel.evaluate(_text(d[0]) or "null", variables) if d else None for d in defaults]
    if len(outputs) == 1:
        return values[0]
    return {_output_name(o, i): v for i, (o, v) in enumerate(zip(outputs, values, strict=True))}


def _priority(
    result: Any, outputs: list[etree._Element], variables: dict[str, Any]
) -> tuple[int, ...]:
    """Position of each output value in its ``outputValues`` list (earlier = higher priority)."""
    keys = []
    for index, output in enumerate(outputs):
        value = result if len(outputs) == 1 else result.get(_output_name(output, index))
        allowed = _text((children(output, "outputValues") or [None])[0])
        order = feel.evaluate(f"[{allowed}]", variables) if allowed else []
        keys.append(
            order.index(value) if isinstance(order, list) and value in order else len(order or [])
        )
    return tuple(keys)


def _aggregate(results: list[Any], aggregation: str | None) -> Any:
    if aggregation is None:
        return results
    if aggregation == "COUNT":
        return Decimal(len(results))
    values = [r for r in results if r is not None]
    if not values or not all(isinstance(v, Decimal) for v in values):
        return None
    if aggregation == "SUM":
        return sum(values, Decimal(0))
    if aggregation == "MIN":
        return min(values)
    if aggregation == "MAX":
        return max(values)
    return None
