"""Search requests `{filter, sort, page}` over lists of API items.

The engine answers a handful of narrow queries; the API loads the candidate items, turns
them into their JSON shape and filters, sorts and pages those dicts here. Filter fields are
the item's own field names, with a plain value (equality) or Camunda's advanced operators
(`$eq`, `$neq`, `$in`, `$notIn`, `$exists`, `$like`, `$gt`, `$gte`, `$lt`, `$lte`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cmp_to_key
from typing import Any

from flowwire.api.bodies import Fields, check_tenant
from flowwire.api.problems import bad_request

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
_OPERATORS = {"$eq", "$neq", "$in", "$notIn", "$exists", "$like", "$gt", "$gte", "$lt", "$lte"}


@dataclass(slots=True)
class SearchQuery:
    filter: dict[str, Any] = field(default_factory=dict)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def equals(self, name: str) -> Any:
        """The value a filter field must equal (plain or `$eq`), else None; lets a resource
        narrow the engine query before filtering."""
        value = self.filter.get(name)
        if isinstance(value, dict):
            return value.get("$eq")
        return value


def parse_search(body: dict[str, Any], *, filters: Iterable[str], what: str) -> SearchQuery:
    """Check a search request against the filter/sort fields of the searched items."""
    allowed = set(filters)
    Fields(body, known=("filter", "sort", "page"), where=f"the {what} search")
    query = SearchQuery()
    raw_filter = body.get("filter")
    if raw_filter is not None:
        if not isinstance(raw_filter, dict):
            raise bad_request("'filter' must be a JSON object of field conditions")
        for name, condition in raw_filter.items():
            if name == "tenantId":
                check_tenant(_plain(condition), f"the {what} search")
                continue
            if name not in allowed:
                raise bad_request(
                    f"flowwire cannot filter {what}s by '{name}'; filter fields: "
                    f"{', '.join(sorted(allowed))}"
                )
            _check_condition(name, condition)
            if condition is not None:
                query.filter[name] = condition
    raw_sort = body.get("sort")
    if raw_sort is not None:
        if not isinstance(raw_sort, list):
            raise bad_request("'sort' must be an array of {field, order} objects")
        for item in raw_sort:
            if not isinstance(item, dict) or not isinstance(item.get("field"), str):
                raise bad_request("each 'sort' entry must be an object with a 'field' string")
            name = item["field"]
            if name not in allowed:
                raise bad_request(
                    f"flowwire cannot sort {what}s by '{name}'; sort fields: "
                    f"{', '.join(sorted(allowed))}"
                )
            order = item.get("order") or "ASC"
            if not isinstance(order, str) or order.upper() not in ("ASC", "DESC"):
                raise bad_request(f"sort order must be ASC or DESC, got {order!r}")
            query.sort.append((name, order.upper() == "DESC"))
    raw_page = body.get("page")
    if raw_page is not None:
        if not isinstance(raw_page, dict):
            raise bad_request("'page' must be an object {limit, from}")
        page = Fields(
            raw_page,
            known=("limit", "from"),
            unsupported={
                "after": "cursor paging is not implemented; page with 'from' and 'limit'",
                "before": "cursor paging is not implemented; page with 'from' and 'limit'",
            },
            where="'page'",
        )
        limit = page.integer("limit", minimum=0, maximum=MAX_LIMIT)
        offset = page.integer("from", minimum=0)
        query.limit = DEFAULT_LIMIT if limit is None else limit
        query.offset = offset or 0
    return query


def _plain(condition: Any) -> Any:
    return condition.get("$eq") if isinstance(condition, dict) else condition


def _check_condition(name: str, condition: Any) -> None:
    if isinstance(condition, list):
        raise bad_request(f"filter '{name}' must be a value or an operator object, not an array")
    if not isinstance(condition, dict):
        return
    for operator, operand in condition.items():
        if operator not in _OPERATORS:
            raise bad_request(
                f"filter '{name}' uses an unknown operator '{operator}'; operators: "
                f"{', '.join(sorted(_OPERATORS))}"
            )
        if operator in ("$in", "$notIn") and not isinstance(operand, list):
            raise bad_request(f"'{operator}' of filter '{name}' must be an array")
        if operator == "$exists" and not isinstance(operand, bool):
            raise bad_request(f"'$exists' of filter '{name}' must be true or false")
        if operator == "$like" and not isinstance(operand, str):
            raise bad_request(f"'$like' of filter '{name}' must be a string")
        if isinstance(operand, dict):
            raise bad_request(f"'{operator}' of filter '{name}' must not be an object")


def run_search(items: Sequence[dict[str, Any]], query: SearchQuery) -> dict[str, Any]:
    """Filter, sort and page items into the `{items, page}` answer."""
    matching = [item for item in items if _matches(item, query.filter)]
    for name, descending in reversed(query.sort):
        matching.sort(key=cmp_to_key(_comparer(name)), reverse=descending)
    page = matching[query.offset : query.offset + query.limit]
    return {
        "items": page,
        "page": {
            "totalItems": len(matching),
            "hasMoreTotalItems": False,
            "startCursor": None,
            "endCursor": None,
        },
    }


def _comparer(name: str) -> Any:
    def compare(a: dict[str, Any], b: dict[str, Any]) -> int:
        x, y = a.get(name), b.get(name)
        if x is None or y is None:
            return (x is not None) - (y is not None)
        left, right = _comparable(x, y)
        return (left > right) - (left < right)

    return compare


def _matches(item: dict[str, Any], conditions: dict[str, Any]) -> bool:
    for name, condition in conditions.items():
        value = item.get(name)
        if isinstance(condition, dict):
            if not all(_operator(op, value, operand) for op, operand in condition.items()):
                return False
        elif not _equal(value, condition):
            return False
    return True


def _operator(operator: str, value: Any, operand: Any) -> bool:
    if operator == "$eq":
        return _equal(value, operand)
    if operator == "$neq":
        return not _equal(value, operand)
    if operator == "$exists":
        return (value is not None) == operand
    if operator == "$in":
        return any(_equal(value, candidate) for candidate in operand)
    if operator == "$notIn":
        return not any(_equal(value, candidate) for candidate in operand)
    if operator == "$like":
        return isinstance(value, str) and _like(operand).fullmatch(value) is not None
    if value is None or operand is None:
        return False
    try:
        left, right = _comparable(value, operand)
        if operator == "$gt":
            return bool(left > right)
        if operator == "$gte":
            return bool(left >= right)
        if operator == "$lt":
            return bool(left < right)
        return bool(left <= right)
    except TypeError:
        return False


def _equal(value: Any, expected: Any) -> bool:
    if isinstance(value, str) and isinstance(expected, int) and not isinstance(expected, bool):
        return value == str(expected)
    if isinstance(value, str) and isinstance(expected, str):
        left, right = _comparable(value, expected)
        return bool(left == right)
    return bool(value == expected)


def _comparable(left: Any, right: Any) -> tuple[Any, Any]:
    """Keys (int64 strings) compare as numbers, timestamps as instants, else as they are."""
    if isinstance(left, str) and isinstance(right, int | str) and not isinstance(right, bool):
        text = str(right)
        if left.isdigit() and text.isdigit():
            return int(left), int(text)
        moments = _instant(left), _instant(text)
        if moments[0] is not None and moments[1] is not None:
            return moments
        return left, text
    return left, right


def _instant(text: str) -> datetime | None:
    if len(text) < 10 or text[4:5] != "-":
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _like(pattern: str) -> re.Pattern[str]:
    """Camunda's `$like`: `*` any characters, `?` one character, backslash escapes."""
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)
