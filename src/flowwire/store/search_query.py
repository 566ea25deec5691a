"""Searches the store answers itself: filter, sort, count and page in the database.

The REST API's searches must not load every instance to show ten of them, so a store runs
them as queries over *search views*: named, read-only row shapes (`process_instance`,
`element_instance`, `user_task`, `incident`, `variable`, `process_definition`) whose fields
carry Camunda's field names and the store's own values (keys as integers, times as epoch
milliseconds, booleans as 0/1). A backend implements `StoreTransaction.search` for these views;
this module holds what every backend shares: the request, the answer and keyset cursors.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: the operators a condition may use (Camunda's advanced filter operators, without the `$`)
OPERATORS = frozenset({"eq", "neq", "in", "notIn", "exists", "like", "gt", "gte", "lt", "lte"})
#: Camunda's incident error types; any other type flowwire records reads as UNKNOWN
INCIDENT_TYPES = (
    "JOB_NO_RETRIES",
    "UNHANDLED_ERROR_EVENT",
    "IO_MAPPING_ERROR",
    "CONDITION_ERROR",
    "EXTRACT_VALUE_ERROR",
    "CALLED_ELEMENT_ERROR",
)


class SearchError(ValueError):
    """A search the store cannot run as asked (unknown view or field, a foreign cursor); the
    message says what to change."""


@dataclass(frozen=True, slots=True)
class Condition:
    """`field <operator> operand`, with the operand already in the store's value type (for
    `in`/`notIn` a sequence, for `exists` a bool, for `like` a pattern with `*`, `?` and
    backslash escapes, as Camunda's `$like`)."""

    field: str
    operator: str
    operand: Any


@dataclass(frozen=True, slots=True)
class Cursor:
    """A keyset position: the sort values (and key) of one row; `before` pages backwards."""

    values: tuple[Any, ...]
    before: bool = False


@dataclass(slots=True)
class SearchSpec:
    view: str
    conditions: list[Condition] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int = 100
    offset: int = 0
    cursor: Cursor | None = None
    #: (process definition key, element id, name) rows, needed only when a condition or the
    #: sort uses an element's name (names live in the BPMN XML, not in the tables)
    element_names: Sequence[tuple[int, str, str]] | None = None
    #: variable values longer than this count as truncated (`isTruncated`); None: never
    truncate_at: int | None = None


@dataclass(frozen=True, slots=True)
class SearchPage:
    rows: list[dict[str, Any]]
    total: int
    #: the sort values of the first and last row, for `startCursor` / `endCursor`
    first: tuple[Any, ...] | None
    last: tuple[Any, ...] | None


#: the fields that identify a row of each search view: the tiebreak that ends every order
VIEW_KEYS: dict[str, tuple[str, ...]] = {
    "process_instance": ("processInstanceKey",),
    "element_instance": ("elementInstanceKey",),
    "user_task": ("userTaskKey",),
    "incident": ("incidentKey",),
    "process_definition": ("processDefinitionKey",),
    "variable": ("scopeKey", "name"),
}


def order_fields(spec: SearchSpec) -> list[tuple[str, bool]]:
    """The full ordering of a search: its sort fields, then the view's key fields (ascending)
    as the tiebreak, so equal sort values still come in one stable order and cursors are
    unambiguous."""
    keys = VIEW_KEYS.get(spec.view)
    if keys is None:
        raise SearchError(f"there is no search view {spec.view!r}; views: {', '.join(VIEW_KEYS)}")
    order = list(spec.sort)
    sorted_by = {name for name, _ in order}
    order += [(key, False) for key in keys if key not in sorted_by]
    return order


def encode_cursor(sort: Sequence[tuple[str, bool]], values: Sequence[Any]) -> str:
    """An opaque cursor: the row's sort values plus a fingerprint of the sort they belong to."""
    payload = json.dumps({"s": _fingerprint(sort), "v": list(values)}, separators=(",", ":"))
    return base64.b64encode(payload.encode()).decode()  # padded base64, as Camunda's cursors


def decode_cursor(text: str, sort: Sequence[tuple[str, bool]], *, before: bool) -> Cursor:
    """Read a cursor of `encode_cursor`; one from another sort (or not ours) is an error."""
    try:
        raw = base64.b64decode(text, validate=True)
        payload = json.loads(raw)
        fingerprint, values = payload["s"], payload["v"]
    except (ValueError, TypeError, KeyError):
        raise SearchError(
            "the page cursor is not one this server handed out; use a startCursor or "
            "endCursor from a previous answer"
        ) from None
    if fingerprint != _fingerprint(sort) or not isinstance(values, list):
        raise SearchError(
            "the page cursor belongs to a search with another sort; send the same 'sort' "
            "as the search that returned it"
        )
    if len(values) != len(sort) or not all(_plain(v) for v in values):
        raise SearchError("the page cursor is damaged; use a cursor from a previous answer")
    return Cursor(tuple(values), before=before)


def _fingerprint(sort: Sequence[tuple[str, bool]]) -> str:
    text = ",".join(f"{name}:{'d' if descending else 'a'}" for name, descending in sort)
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def _plain(value: Any) -> bool:
    """A value a cursor may hold: what a view's columns hold (int64, finite floats, text)."""
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, float) and math.isfinite(value)


def variable_key(scope_key: int, name: str) -> int:
    """flowwire stores variables by (scope, name); their key is derived from both, stable and
    int64-shaped, so clients that expect a variableKey get one (a backend computes it in SQL
    for filters and sorts on it)."""
    digest = hashlib.blake2b(f"{scope_key}/{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1 or 1


def element_type(kind: str | None) -> str:
    """Engine element kind (the BPMN tag, e.g. serviceTask) -> Camunda's type (SERVICE_TASK)."""
    if not kind:
        return "UNKNOWN"
    out = []
    for char in kind:
        if char.isupper():
            out.append("_")
        out.append(char.upper())
    return "".join(out)
