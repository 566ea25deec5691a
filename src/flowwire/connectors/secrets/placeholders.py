"""Finding and replacing secret references in a job's input.

Two spellings, as in Camunda: the placeholder `{{secrets.NAME}}` (usable inside any text, even
a FEEL string literal) and the legacy bare `secrets.NAME`. A name is letters and digits, with
single `_ - . /` separators between them (`MY_API_KEY`, `team/api-key`, `db.password`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_NAME = r"[A-Za-z0-9]+(?:[/._-][A-Za-z0-9]+)*"

#: one pass over both spellings, so a replaced value is never scanned again
_REFERENCE = re.compile(
    r"\{\{\s*secrets\.(?P<placeholder>" + _NAME + r")\s*\}\}"
    r"|(?<![A-Za-z0-9_.])secrets\.(?P<legacy>" + _NAME + r")"
)

Lookup = Callable[[str], str]


def secret_names(value: Any) -> list[str]:
    """The secret names referenced anywhere in `value` (strings inside lists and dicts too)."""
    names: list[str] = []
    _walk(value, lambda text: names.extend(_names_in(text)))
    return list(dict.fromkeys(names))


def _names_in(text: str) -> list[str]:
    return [m["placeholder"] or m["legacy"] for m in _REFERENCE.finditer(text)]


def _walk(value: Any, visit: Callable[[str], None]) -> None:
    if isinstance(value, str):
        if "secrets." in value:
            visit(value)
    elif isinstance(value, dict):
        for item in value.values():
            _walk(item, visit)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, visit)


def replace_secrets(value: Any, lookup: Lookup) -> Any:
    """A copy of `value` with every secret reference replaced by `lookup(name)`.

    Containers without references are returned as they are (no copy); `lookup` raises for a
    name it cannot resolve, which aborts the replacement.
    """
    if isinstance(value, str):
        if "secrets." not in value:
            return value
        return _REFERENCE.sub(lambda m: lookup(m["placeholder"] or m["legacy"]), value)
    if isinstance(value, dict):
        changed = False
        result: dict[Any, Any] = {}
        for key, item in value.items():
            new = replace_secrets(item, lookup)
            changed = changed or new is not item
            result[key] = new
        return result if changed else value
    if isinstance(value, list):
        items = [replace_secrets(item, lookup) for item in value]
        if any(new is not old for new, old in zip(items, value, strict=True)):
            return items
        return value
    return value
