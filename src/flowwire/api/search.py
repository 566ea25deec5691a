"""Search requests `{filter, sort, page}`, run by the store in SQL.

Filter fields are the item's own field names, with a plain value (equality) or Camunda's
advanced operators (`$eq`, `$neq`, `$in`, `$notIn`, `$exists`, `$like`, `$gt`, `$gte`, `$lt`,
`$lte`). This module checks a request, turns its values into the store's (keys to integers,
dates to epoch milliseconds) and has the store count, sort and page the matching rows of a
search view (`flowwire.store.search_query`), so a search reads one page, not every row. Pages
are by offset (`page.from`) or by cursor (`page.after` / `page.before` with the `endCursor` /
`startCursor` of an answer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flowwire.api.bodies import Fields, check_tenant, key_text, parse_key
from flowwire.api.problems import bad_request
from flowwire.api.shapes import iso
from flowwire.engine import Engine
from flowwire.engine.clock import from_millis, to_millis
from flowwire.store.search_query import (
    Condition,
    SearchError,
    SearchPage,
    SearchSpec,
    decode_cursor,
    encode_cursor,
    order_fields,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
_OPERATORS = {"$eq", "$neq", "$in", "$notIn", "$exists", "$like", "$gt", "$gte", "$lt", "$lte"}

#: field kinds by name (the same name has the same kind in every resource); others are text
_DATES = frozenset({"startDate", "endDate", "creationTime", "creationDate", "completionDate"})
_BOOLEANS = frozenset({"hasIncident", "isTruncated", "hasStartForm", "isLatestVersion"})
_INTEGERS = frozenset({"processDefinitionVersion", "version"})
_NOT_KEYS = frozenset({"formKey"})


def _is_key(name: str) -> bool:
    return name.endswith("Key") and name not in _NOT_KEYS


@dataclass(slots=True)
class SearchQuery:
    filter: dict[str, Any] = field(default_factory=dict)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    after: str | None = None
    before: str | None = None

    def equals(self, name: str) -> Any:
        """The value a filter field must equal (plain or `$eq`), else None."""
        value = self.filter.get(name)
        if isinstance(value, dict):
            return value.get("$eq")
        return value

    def uses(self, name: str) -> bool:
        """Whether the filter or the sort names this field."""
        return name in self.filter or any(n == name for n, _ in self.sort)


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
            if all(n != name for n, _ in query.sort):
                query.sort.append((name, order.upper() == "DESC"))
    raw_page = body.get("page")
    if raw_page is not None:
        if not isinstance(raw_page, dict):
            raise bad_request("'page' must be an object {limit, from} or {limit, after|before}")
        page = Fields(raw_page, known=("limit", "from", "after", "before"), where="'page'")
        limit = page.integer("limit", minimum=0, maximum=MAX_LIMIT)
        query.limit = DEFAULT_LIMIT if limit is None else limit
        query.offset = page.integer("from", minimum=0) or 0
        query.after = page.string("after") or None
        query.before = page.string("before") or None
        given = [n for n in ("from", "after", "before") if raw_page.get(n) is not None]
        if len(given) > 1:
            raise bad_request(
                f"'page' takes one of 'from', 'after' and 'before', got {' and '.join(given)}: "
                "page by offset or by the cursors of a previous answer"
            )
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


# -- request values -> store values ------------------------------------------------------------
def store_value(name: str, value: Any) -> Any:
    """A filter value in the store's terms; a value of the wrong kind is a 400 naming it."""
    if value is None:
        return None
    if _is_key(name):
        return parse_key(value, f"filter '{name}'")
    if name in _DATES:
        return _millis(name, value)
    if name in _BOOLEANS:
        if not isinstance(value, bool):
            raise bad_request(f"filter '{name}' must be true or false, got {value!r}")
        return int(value)
    if name in _INTEGERS:
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
            raise bad_request(f"filter '{name}' must be an integer (int64), got {value!r}")
        return value
    if not isinstance(value, str):
        raise bad_request(f"filter '{name}' must be a string, got {value!r}")
    return value


def _millis(name: str, value: Any) -> int:
    moment = None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        raise bad_request(
            f"filter '{name}' must be an ISO 8601 date-time with a zone, e.g. "
            f"2026-01-31T12:00:00.000Z; got {value!r}"
        )
    return to_millis(moment)


def conditions(query: SearchQuery) -> list[Condition]:
    result = []
    for name, condition in query.filter.items():
        operators = condition if isinstance(condition, dict) else {"$eq": condition}
        for operator, operand in operators.items():
            op = operator[1:]
            if op in ("in", "notIn"):
                value: Any = [store_value(name, item) for item in operand]
            elif op in ("exists", "like"):
                value = operand
            else:
                value = store_value(name, operand)
            result.append(Condition(name, op, value))
    return result


def spec_for(query: SearchQuery, view: str, **options: Any) -> SearchSpec:
    """The store search of a request on one of the store's search views."""
    spec = SearchSpec(
        view, conditions(query), list(query.sort), query.limit, query.offset, **options
    )
    cursor_text = query.after or query.before
    if cursor_text is not None:
        try:
            spec.cursor = decode_cursor(
                cursor_text, order_fields(spec), before=query.before is not None
            )
        except SearchError as exc:
            raise bad_request(str(exc)) from None
    return spec


def run(engine: Engine, spec: SearchSpec) -> SearchPage:
    """Run a search in one read transaction (call it in the thread pool)."""
    try:
        with engine.store.read() as tx:
            return tx.search(spec)
    except SearchError as exc:
        raise bad_request(str(exc)) from None


def answer(
    spec: SearchSpec, page: SearchPage, item: Callable[[dict[str, Any]], Any]
) -> dict[str, Any]:
    """The `{items, page}` answer, with cursors to the pages before and after this one."""
    order = order_fields(spec)
    return {
        "items": [item(row) for row in page.rows],
        "page": {
            "totalItems": page.total,
            "hasMoreTotalItems": False,
            "startCursor": encode_cursor(order, page.first) if page.first is not None else None,
            "endCursor": encode_cursor(order, page.last) if page.last is not None else None,
        },
    }


# -- store rows -> API values ----------------------------------------------------------------
def api_values(row: dict[str, Any]) -> dict[str, Any]:
    """A view row with Camunda's value shapes: keys as strings, dates ISO 8601, booleans."""
    out: dict[str, Any] = {}
    for name, value in row.items():
        if _is_key(name):
            out[name] = key_text(value)
        elif name in _DATES:
            out[name] = iso_millis(value)
        elif name in _BOOLEANS:
            out[name] = bool(value)
        else:
            out[name] = value
    return out


def iso_millis(value: int | None) -> str | None:
    return None if value is None else iso(from_millis(value))
