"""Collects the problems of one document while it is read and validated."""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import feel_problem
from .errors import Problem

#: values already known to be fine, as expressions (FEEL either way) or as attribute values
#: (FEEL only after "="); models repeat the same few values a lot, so this spares most checks
_VALID_FEEL: set[str] = set()
_VALID_VALUES: set[str] = set()
_CACHE_LIMIT = 50_000


@dataclass(slots=True)
class Report:
    """The problems found so far; deployment fails if any are left at the end."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, element_id: str | None, message: str, line: int | None) -> None:
        self.problems.append(Problem(element_id, message, line))

    def check_feel(
        self,
        text: str | None,
        *,
        element_id: str,
        what: str,
        line: int | None,
        always_feel: bool = False,
    ) -> None:
        """Record a problem if `text` is a FEEL expression that does not compile."""
        if text is None:
            return
        known = _VALID_FEEL if always_feel else _VALID_VALUES
        if text in known:
            return
        problem = feel_problem(
            text, element_id=element_id, what=what, line=line, always_feel=always_feel
        )
        if problem is not None:
            self.problems.append(problem)
            return
        if len(known) >= _CACHE_LIMIT:
            known.clear()
        known.add(text)
