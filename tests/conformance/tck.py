"""The DMN TCK as rows: one row per result node of a decision whose logic is a literal expression.

``collect_rows`` reads ``TestCases/<folder>/<test>/`` (models and ``*-test-*.xml``) and
``run_row`` evaluates a row with :class:`~.dmn_model.Evaluation`, comparing the result
with the typed expected value. ``summarize`` turns outcomes into the printed report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from flowwire import feel

from .dmn_model import Evaluation, Model, Unsupported, Workspace, logic_of
from .xsd_values import Unrepresentable, children, local_name, read_value, values_match

FOLDERS = ("compliance-level-2", "compliance-level-3", "non-compliant")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


@dataclass
class Row:
    """One result node to check."""

    folder: str
    test: str
    case_id: str
    node: str
    expression: str
    error_result: bool
    expected: Any = None
    unrepresentable: str | None = None  # why the expected or an input can't be held in Python
    case: TestCase | None = None
    model: Model | None = None
    decision: etree._Element | None = None

    @property
    def expects_value(self) -> bool:
        return self.unrepresentable is not None or self.expected is not None


@dataclass
class TestCase:
    """A ``testCase``: its inputs and the expected values of all its result nodes."""

    __test__ = False  # not a pytest class

    workspace: Workspace
    inputs: dict[tuple[str, str], Any]
    expected: dict[tuple[str, str], Any]
    unrepresentable: str | None

    def evaluation(self) -> Evaluation:
        return Evaluation(self.workspace, self.inputs, self.expected)


@dataclass
class Outcome:
    row: Row
    passed: bool
    got: str
    reason: str = ""


def collect_rows(test_cases: Path) -> Iterator[Row]:
    """Every literal-expression result node of the three TCK folders, in folder order."""
    for folder in FOLDERS:
        for test_dir in sorted(p for p in (test_cases / folder).iterdir() if p.is_dir()):
            yield from _rows_of(folder, test_dir)


def _rows_of(folder: str, test_dir: Path) -> Iterator[Row]:
    if not any(test_dir.glob("*.dmn")):
        return
    workspace = Workspace(test_dir)
    for test_file in sorted(test_dir.glob("*-test-*.xml")):
        root = etree.parse(str(test_file), _PARSER).getroot()
        model_name = (children(root, "modelName") or [None])[0]
        main = workspace.by_file.get(model_name.text.strip()) if model_name is not None else None
        if main is None:
            main = workspace.models[0]
        for case_element in children(root, "testCase"):
            if case_element.get("type", "decision") != "decision":
                continue
            case = _read_case(workspace, main, case_element)
            for node in children(case_element, "resultNode"):
                row = _row(folder, test_dir.name, workspace, main, case, case_element, node)
                if row is not None:
                    yield row


def _read_case(workspace: Workspace, main: Model, element: etree._Element) -> TestCase:
    inputs: dict[tuple[str, str], Any] = {}
    expected: dict[tuple[str, str], Any] = {}
    unrepresentable = None
    for node in children(element):
        kind = local_name(node)
        if kind not in ("inputNode", "resultNode"):
            continue
        key = (node.get("namespace") or main.namespace, node.get("name", ""))
        target = inputs if kind == "inputNode" else expected
        source = node if kind == "inputNode" else (children(node, "expected") or [None])[0]
        if source is None:
            continue
        try:
            target[key] = read_value(source)
        except Unrepresentable as exc:
            if kind == "inputNode":
                unrepresentable = f"input {key[1]}: {exc}"
    return TestCase(workspace, inputs, expected, unrepresentable)


def _row(
    folder: str,
    test: str,
    workspace: Workspace,
    main: Model,
    case: TestCase,
    case_element: etree._Element,
    node: etree._Element,
) -> Row | None:
    namespace = node.get("namespace")
    model = workspace.by_namespace.get(namespace, main) if namespace else main
    decision = model.decision(node.get("name", ""))
    if decision is None:
        return None
    logic = logic_of(decision)
    if logic is None or local_name(logic) != "literalExpression":
        return None
    text = "".join(children(logic, "text")[0].itertext()) if children(logic, "text") else ""
    row = Row(
        folder=folder,
        test=test,
        case_id=case_element.get("id", ""),
        node=node.get("name", ""),
        expression=text.strip(),
        error_result=node.get("errorResult") == "true",
        unrepresentable=case.unrepresentable,
        case=case,
        model=model,
        decision=decision,
    )
    expected_element = (children(node, "expected") or [None])[0]
    if expected_element is not None:
        try:
            row.expected = read_value(expected_element)
        except Unrepresentable as exc:
            row.unrepresentable = f"expected value: {exc}"
    return row


def run_row(row: Row) -> Outcome:
    """Evaluate a row's decision and compare it with the expected value."""
    assert row.case is not None and row.model is not None and row.decision is not None
    try:
        actual = row.case.evaluation().decision(row.model, row.decision)
    except Unsupported as exc:
        return Outcome(row, False, "-", f"runner: {exc}")
    except feel.FeelError as exc:
        if row.error_result:
            return Outcome(row, True, f"raised {type(exc).__name__}")
        return Outcome(row, False, f"raised {type(exc).__name__}: {exc}")
    got = show(actual)
    if row.error_result and actual is None:
        return Outcome(row, True, got)
    if row.unrepresentable is not None:
        return Outcome(row, False, got, f"known: {row.unrepresentable}")
    if values_match(row.expected, actual):
        return Outcome(row, True, got)
    return Outcome(row, False, got, _known_reason(row))


_OUT_OF_RANGE_YEAR = re.compile(r"\"-\d{4,}-|\b\d{5,}-\d\d-\d\d|\"-?\d{5,}-")
_OUT_OF_RANGE_TEXT = re.compile(r"^-\d{4,}-|^\d{5,}-")
_NANOSECONDS_TEXT = re.compile(r"\d\d:\d\d:\d\d\.\d{6}[1-9]|\.\d{6}\d*[1-9]\d*S")


def _known_reason(row: Row) -> str:
    """Why a failing row is beyond Python's datetime types, if it is (still a failure)."""
    expected = row.expected if isinstance(row.expected, str) else ""
    if _OUT_OF_RANGE_YEAR.search(row.expression) or _OUT_OF_RANGE_TEXT.search(expected):
        return "known: a year outside Python's 1..9999"
    if _NANOSECONDS_TEXT.search(expected):
        return "known: a fraction finer than Python's microseconds"
    return ""


def show(value: Any, limit: int = 80) -> str:
    """A short, type-revealing text of a value for the failure list."""
    text = _show(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, feel.FeelFunction):
        return "function(" + ", ".join(value.params) + ")"
    return f"{type(value).__name__}({value})"


def shorten(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


@dataclass
class Tally:
    passed: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.passed += ok

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.total if self.total else 100.0

    def __str__(self) -> str:
        return f"{self.passed:5d} / {self.total:5d}  {self.percent:6.2f}%"


@dataclass
class Summary:
    per_folder: dict[str, Tally]
    overall: Tally
    non_null: Tally
    failures: list[Outcome]

    def text(self) -> str:
        lines = ["DMN TCK, literal-expression result nodes (passed / total):"]
        lines += [f"  {folder:<20} {tally}" for folder, tally in self.per_folder.items()]
        lines.append(f"  {'total':<20} {self.overall}")
        lines.append(f"  {'expecting a value':<20} {self.non_null}")
        known = sum(1 for f in self.failures if f.reason.startswith("known:"))
        runner = sum(1 for f in self.failures if f.reason.startswith("runner:"))
        lines.append(
            f"  failures: {len(self.failures)} "
            f"(known datetime limits: {known}, runner cannot evaluate: {runner})"
        )
        return "\n".join(lines)

    def failure_list(self) -> str:
        lines = [f"{len(self.failures)} failing rows (folder | test | case | node):"]
        for outcome in self.failures:
            row = outcome.row
            expected = (
                "error/null"
                if row.error_result and row.expected is None
                else (row.unrepresentable or show(row.expected))
            )
            lines.append(
                f"- {row.folder} | {row.test} | {row.case_id} | {row.node}\n"
                f"    expr:     {shorten(row.expression)}\n"
                f"    expected: {expected}\n"
                f"    got:      {outcome.got}"
                + (f"\n    note:     {outcome.reason}" if outcome.reason else "")
            )
        return "\n".join(lines)


def summarize(outcomes: list[Outcome]) -> Summary:
    per_folder = {folder: Tally() for folder in FOLDERS}
    overall, non_null = Tally(), Tally()
    for outcome in outcomes:
        per_folder[outcome.row.folder].add(outcome.passed)
        overall.add(outcome.passed)
        if outcome.row.expects_value:
            non_null.add(outcome.passed)
    failures = [o for o in outcomes if not o.passed]
    return Summary(per_folder, overall, non_null, failures)
