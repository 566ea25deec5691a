"""The exceptions of the BPMN layer.

Deployment must report every problem of a model at once, so validation collects `Problem`s and
raises a single `BpmnValidationError` that lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass


class BpmnError(Exception):
    """Base of every error raised by `flowwire.bpmn`."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a model: which element, what to change, and where in the XML."""

    element_id: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.element_id is not None:
            where.append(f"element '{self.element_id}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class BpmnValidationError(BpmnError):
    """The model cannot be deployed; `.problems` lists every reason, in document order."""

    def __init__(self, problems: list[Problem], resource_name: str = "") -> None:
        self.problems = list(problems)
        self.resource_name = resource_name
        super().__init__(self._describe())

    def _describe(self) -> str:
        lines = [str(problem) for problem in self.problems]
        if self.resource_name and lines:
            count = len(lines)
            noun = "problem" if count == 1 else "problems"
            lines.insert(0, f"{self.resource_name}: {count} {noun}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._describe()
