"""The Camunda behaviour cases (``feel-cases/camunda-behaviour.jsonl``) as rows to run.

Each line holds ``kind`` (``expression`` or ``unary``), ``expr``, for unary tests an
``input``, a typed ``expected`` value (``{"t": "null|boolean|number|string", "v": text}``)
and the ``area`` of behaviour it belongs to. Results are compared exactly: same type, and
numbers by ``Decimal`` equality.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from flowwire import feel


@dataclass(frozen=True)
class Case:
    line: int
    kind: str
    expr: str
    expected: Any
    area: str
    input: Any = None


@dataclass
class CaseOutcome:
    case: Case
    passed: bool
    got: str
    warnings: list[str] = field(default_factory=list)


def typed(value: dict[str, str]) -> Any:
    """A typed JSON value of the file as a FEEL value."""
    kind = value["t"]
    if kind == "null":
        return None
    if kind == "boolean":
        return value["v"] == "true"
    if kind == "number":
        return Decimal(value["v"])
    if kind == "string":
        return value["v"]
    raise ValueError(f"unknown value type {kind!r} in camunda-behaviour.jsonl")


def read_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        cases.append(
            Case(
                line=number,
                kind=raw["kind"],
                expr=raw["expr"],
                expected=typed(raw["expected"]),
                area=raw.get("area", "?"),
                input=typed(raw["input"]) if "input" in raw else None,
            )
        )
    return cases


def same(expected: Any, actual: Any) -> bool:
    """Exact equality of FEEL values of the file's four types (bool is not a number)."""
    if expected is None or isinstance(expected, bool):
        return actual is expected
    if isinstance(expected, Decimal):
        return isinstance(actual, Decimal) and not actual.is_nan() and actual == expected
    return type(actual) is type(expected) and actual == expected


def run_case(case: Case) -> CaseOutcome:
    warnings: list[str] = []
    try:
        if case.kind == "unary":
            actual = feel.unary_test(case.expr, case.input)
        else:
            detailed = feel.evaluate_detailed(case.expr, {})
            actual = detailed.value
            warnings = [f"{kind}: {message}" for kind, message in detailed.warnings]
    except feel.FeelError as exc:
        return CaseOutcome(case, False, f"raised {type(exc).__name__}: {exc}")
    return CaseOutcome(case, same(case.expected, actual), show(actual), warnings)


def show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    return f"{type(value).__name__}({value!r})"


def show_expected(case: Case) -> str:
    return show(case.expected)


def report(outcomes: list[CaseOutcome]) -> tuple[str, str]:
    """The per-area summary and the list of failing rows, as printable text."""
    totals: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for outcome in outcomes:
        totals[outcome.case.area] += 1
        passed[outcome.case.area] += outcome.passed
    all_passed = sum(passed.values())
    percent = 100.0 * all_passed / len(outcomes) if outcomes else 100.0
    lines = ["Camunda behaviour cases (passed / total):"]
    for area in sorted(totals):
        lines.append(f"  {area:<45} {passed[area]:4d} / {totals[area]:4d}")
    lines.append(f"  {'total':<45} {all_passed:4d} / {len(outcomes):4d}  {percent:.2f}%")
    failures = [o for o in outcomes if not o.passed]
    fail_lines = [f"{len(failures)} failing rows:"]
    for outcome in failures:
        case = outcome.case
        on_input = f"  (input {show(case.input)})" if case.kind == "unary" else ""
        fail_lines.append(
            f"- line {case.line} [{case.area}] {case.kind}: {case.expr}{on_input}\n"
            f"    expected {show_expected(case)}, got {outcome.got}"
            + (f"\n    warnings: {'; '.join(outcome.warnings)}" if outcome.warnings else "")
        )
    return "\n".join(lines), "\n".join(fail_lines)


def pass_percent(outcomes: list[CaseOutcome]) -> float:
    if not outcomes:
        return 100.0
    return 100.0 * sum(o.passed for o in outcomes) / len(outcomes)
