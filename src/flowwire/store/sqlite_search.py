"""The search views of `search_query` as SQLite queries: filter, sort, count and page in SQL.

Each view is one SELECT whose columns carry the view's field names. Conditions become a WHERE
around it; conditions on a field the view can also test before it aggregates (an instance key,
a process id) are repeated inside, so SQLite narrows with the tables' keys before it reads
JSON. Ended element instances and the variables of ended scopes exist only in the `history`
table (one JSON batch per command and instance), so those views read it with `json_each`.
Paging is by offset or by keyset cursor over (sort fields..., key).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flowwire.store.search_query import (
    INCIDENT_TYPES,
    Condition,
    SearchError,
    SearchPage,
    SearchSpec,
    element_type,
    order_fields,
    variable_key,
)

_ENDED_ELEMENT = "'COMPLETED', 'TERMINATED'"


def _json_text(document: str, path: str) -> str:
    """SQL for the JSON text of the value at `path` (`->` keeps numbers as written)."""
    if sqlite3.sqlite_version_info >= (3, 38, 0):
        return f"({document} -> '{path}')"
    extract = f"json_extract({document}, '{path}')"
    return (
        f"(CASE json_type({document}, '{path}') WHEN 'true' THEN 'true' "
        f"WHEN 'false' THEN 'false' WHEN 'null' THEN 'null' "
        f"WHEN 'text' THEN json_quote({extract}) ELSE CAST({extract} AS TEXT) END)"
    )


@dataclass(frozen=True, slots=True)
class _View:
    sql: str
    fields: frozenset[str]
    #: placeholder -> field -> the SQL expression that tests the field at that placeholder
    pushdown: dict[str, dict[str, str]] = field(default_factory=dict)
    uses_names: bool = False
    #: the view groups history entries (a full read of the matching history)
    aggregates: bool = False


def _element_core(kind_filter: str) -> str:
    """Element instances from the history: one row per element instance key (`kind_filter`
    narrows the history rows by their text before their JSON is read)."""
    return f"""
SELECT e.key AS key, MAX(e.instance_key) AS instance_key,
  MAX(CASE WHEN e.transition = 'ACTIVATED' THEN e.element_id END) AS element_id,
  MAX(CASE WHEN e.transition = 'ACTIVATED' THEN e.kind END) AS kind,
  MIN(CASE WHEN e.transition = 'ACTIVATED' THEN e.at END) AS started,
  MAX(CASE WHEN e.transition <> 'ACTIVATED' THEN e.at END) AS ended,
  CASE WHEN MAX(e.transition = 'COMPLETED') THEN 'COMPLETED'
       WHEN MAX(e.transition = 'TERMINATED') THEN 'TERMINATED' ELSE 'ACTIVE' END AS state
FROM (
  SELECT h.instance_key AS instance_key, h.timestamp AS at,
    json_extract(j.value, '$[0]') AS key, json_extract(j.value, '$[2]') AS element_id,
    json_extract(j.value, '$[3]') AS kind, json_extract(j.value, '$[4]') AS transition
  FROM history AS h JOIN process_instance AS hp ON hp.key = h.instance_key,
    json_each(h.entries) AS j
  WHERE json_extract(j.value, '$[4]') IN ('ACTIVATED', {_ENDED_ELEMENT}){kind_filter}
    /*push:history*/
) AS e
WHERE e.key IS NOT NULL AND e.key <> e.instance_key
GROUP BY e.key
HAVING MAX(e.transition = 'ACTIVATED')
  AND MAX(CASE WHEN e.transition = 'ACTIVATED' THEN e.kind END) <> 'process'
"""


_USER_TASKS_ONLY = (
    " AND instr(h.entries, '\"userTask\"') > 0 AND json_extract(j.value, '$[3]') = 'userTask'"
)
_HISTORY_PUSHDOWN = {
    "processInstanceKey": "h.instance_key",
    "processDefinitionId": "hp.process_id",
    "processDefinitionKey": "hp.definition_key",
    "rootProcessInstanceKey": "hp.root_instance_key",
}
_ELEMENT_NAME = "/*element_name*/"

_PROCESS_INSTANCE = _View(
    sql="""
SELECT p.key AS processInstanceKey, p.process_id AS processDefinitionId,
  NULLIF(d.name, '') AS processDefinitionName, p.version AS processDefinitionVersion,
  p.created_at AS startDate, p.ended_at AS endDate, p.state AS state,
  EXISTS (SELECT 1 FROM incident AS i WHERE i.state = 'ACTIVE' AND i.instance_key = p.key)
    AS hasIncident,
  p.definition_key AS processDefinitionKey, p.parent_instance_key AS parentProcessInstanceKey,
  p.parent_element_instance_key AS parentElementInstanceKey,
  p.root_instance_key AS rootProcessInstanceKey
FROM process_instance AS p JOIN process_definition AS d ON d.key = p.definition_key
""",
    fields=frozenset(
        {
            "processInstanceKey",
            "processDefinitionId",
            "processDefinitionName",
            "processDefinitionVersion",
            "startDate",
            "endDate",
            "state",
            "hasIncident",
            "processDefinitionKey",
            "parentProcessInstanceKey",
            "parentElementInstanceKey",
            "rootProcessInstanceKey",
        }
    ),
)

_ELEMENT_INSTANCE = _View(
    sql=f"""
SELECT g.key AS elementInstanceKey, p.process_id AS processDefinitionId,
  g.started AS startDate, g.ended AS endDate, g.element_id AS elementId,
  {_ELEMENT_NAME} AS elementName, fw_element_type(g.kind) AS type, g.state AS state,
  EXISTS (SELECT 1 FROM incident AS i WHERE i.element_instance_key = g.key
    AND i.state = 'ACTIVE') AS hasIncident,
  (SELECT MAX(i.key) FROM incident AS i WHERE i.element_instance_key = g.key
    AND i.state = 'ACTIVE') AS incidentKey,
  g.instance_key AS processInstanceKey, p.root_instance_key AS rootProcessInstanceKey,
  p.definition_key AS processDefinitionKey
FROM ({_element_core("")}) AS g JOIN process_instance AS p ON p.key = g.instance_key
""",
    fields=frozenset(
        {
            "elementInstanceKey",
            "processDefinitionId",
            "startDate",
            "endDate",
            "elementId",
            "elementName",
            "type",
            "state",
            "hasIncident",
            "incidentKey",
            "processInstanceKey",
            "rootProcessInstanceKey",
            "processDefinitionKey",
        }
    ),
    pushdown={"history": _HISTORY_PUSHDOWN},
    uses_names=True,
    aggregates=True,
)

_USER_TASK = _View(
    sql=f"""
SELECT g.key AS userTaskKey, g.key AS elementInstanceKey, {_ELEMENT_NAME} AS name,
  CASE g.state WHEN 'ACTIVE' THEN 'CREATED' WHEN 'COMPLETED' THEN 'COMPLETED'
    ELSE 'CANCELED' END AS state,
  json_extract(ei.data, '$.user_task.assignee') AS assignee,
  g.element_id AS elementId, p.process_id AS processDefinitionId,
  g.started AS creationDate, g.ended AS completionDate,
  json_extract(ei.data, '$.user_task.due_date') AS dueDate,
  json_extract(ei.data, '$.user_task.follow_up_date') AS followUpDate,
  p.version AS processDefinitionVersion, p.definition_key AS processDefinitionKey,
  g.instance_key AS processInstanceKey, p.root_instance_key AS rootProcessInstanceKey,
  json_extract(ei.data, '$.user_task.form_key') AS formKey,
  json_extract(ei.data, '$.user_task.candidate_groups') AS candidateGroups,
  json_extract(ei.data, '$.user_task.candidate_users') AS candidateUsers
FROM ({_element_core(_USER_TASKS_ONLY)}) AS g
  JOIN process_instance AS p ON p.key = g.instance_key
  LEFT JOIN element_instance AS ei ON ei.key = g.key
""",
    fields=frozenset(
        {
            "userTaskKey",
            "elementInstanceKey",
            "name",
            "state",
            "assignee",
            "elementId",
            "processDefinitionId",
            "creationDate",
            "completionDate",
            "dueDate",
            "followUpDate",
            "processDefinitionVersion",
            "processDefinitionKey",
            "processInstanceKey",
            "rootProcessInstanceKey",
            "formKey",
        }
    ),
    pushdown={"history": _HISTORY_PUSHDOWN},
    uses_names=True,
    aggregates=True,
)

_INCIDENT = _View(
    sql=f"""
SELECT i.key AS incidentKey, p.process_id AS processDefinitionId,
  CASE WHEN i.error_type IN ({", ".join(f"'{t}'" for t in INCIDENT_TYPES)})
    THEN i.error_type ELSE 'UNKNOWN' END AS errorType,
  i.message AS errorMessage, i.element_id AS elementId, i.created_at AS creationTime,
  i.state AS state, p.definition_key AS processDefinitionKey,
  i.instance_key AS processInstanceKey, p.root_instance_key AS rootProcessInstanceKey,
  i.element_instance_key AS elementInstanceKey, i.job_key AS jobKey
FROM incident AS i LEFT JOIN process_instance AS p ON p.key = i.instance_key
""",
    fields=frozenset(
        {
            "incidentKey",
            "processDefinitionId",
            "errorType",
            "errorMessage",
            "elementId",
            "creationTime",
            "state",
            "processDefinitionKey",
            "processInstanceKey",
            "rootProcessInstanceKey",
            "elementInstanceKey",
            "jobKey",
        }
    ),
)

_PROCESS_DEFINITION = _View(
    sql="""
SELECT d.key AS processDefinitionKey, NULLIF(d.name, '') AS name,
  d.resource_name AS resourceName, d.version AS version, d.process_id AS processDefinitionId,
  0 AS hasStartForm, 'ACTIVE' AS state,
  d.version = (SELECT MAX(x.version) FROM process_definition AS x
    WHERE x.process_id = d.process_id AND x.deleted_at IS NULL) AS isLatestVersion
FROM process_definition AS d
WHERE d.deleted_at IS NULL
""",
    fields=frozenset(
        {
            "processDefinitionKey",
            "name",
            "resourceName",
            "version",
            "processDefinitionId",
            "hasStartForm",
            "state",
            "isLatestVersion",
        }
    ),
)

_VARIABLE_TEMPLATE = """
SELECT fw_variable_key(x.scope_key, x.name) AS variableKey, x.name AS name, x.value AS value,
  /*truncated*/ AS isTruncated, x.scope_key AS scopeKey, x.instance_key AS processInstanceKey,
  p.root_instance_key AS rootProcessInstanceKey
FROM (
  SELECT v.scope_key AS scope_key, v.name AS name, v.instance_key AS instance_key,
    v.value AS value
  FROM variable AS v WHERE 1 /*push:live*/
  UNION ALL
  SELECT e.scope_key, e.name, e.instance_key, e.value FROM (
    SELECT json_extract(j.value, '$[0]') AS scope_key,
      json_extract(j.value, '$[5].name') AS name, h.instance_key AS instance_key,
      VALUE_TEXT AS value, MAX(printf('%020d%08d', h.seq, j.key)) AS written
    FROM history AS h JOIN process_instance AS hp ON hp.key = h.instance_key,
      json_each(h.entries) AS j
    WHERE instr(h.entries, '"VARIABLE_') > 0
      AND json_extract(j.value, '$[4]') IN ('VARIABLE_CREATED', 'VARIABLE_UPDATED')
      /*push:history*/
    GROUP BY 1, 2
  ) AS e
  WHERE NOT EXISTS (SELECT 1 FROM variable AS live
    WHERE live.scope_key = e.scope_key AND live.name = e.name)
) AS x JOIN process_instance AS p ON p.key = x.instance_key
"""

_VARIABLE = _View(
    sql=_VARIABLE_TEMPLATE.replace("VALUE_TEXT", _json_text("j.value", "$[5].value")),
    fields=frozenset(
        {
            "variableKey",
            "name",
            "value",
            "isTruncated",
            "scopeKey",
            "processInstanceKey",
            "rootProcessInstanceKey",
        }
    ),
    pushdown={
        "live": {
            "processInstanceKey": "v.instance_key",
            "scopeKey": "v.scope_key",
            "name": "v.name",
        },
        "history": {
            "processInstanceKey": "h.instance_key",
            "rootProcessInstanceKey": "hp.root_instance_key",
            "scopeKey": "json_extract(j.value, '$[0]')",
            "name": "json_extract(j.value, '$[5].name')",
        },
    },
    aggregates=True,
)

VIEWS: dict[str, _View] = {
    "process_instance": _PROCESS_INSTANCE,
    "element_instance": _ELEMENT_INSTANCE,
    "user_task": _USER_TASK,
    "incident": _INCIDENT,
    "process_definition": _PROCESS_DEFINITION,
    "variable": _VARIABLE,
}


def register_functions(con: sqlite3.Connection) -> None:
    """The Python functions the views call (deterministic, so SQLite may cache them)."""
    con.create_function("fw_variable_key", 2, variable_key, deterministic=True)
    con.create_function("fw_element_type", 1, element_type, deterministic=True)


def search(con: sqlite3.Connection, spec: SearchSpec) -> SearchPage:
    """Count the rows of a view that match, and read one page of them in order."""
    view = VIEWS.get(spec.view)
    if view is None:
        raise SearchError(f"there is no search view {spec.view!r}; views: {', '.join(VIEWS)}")
    for condition in spec.conditions:
        _check_field(spec.view, view, condition.field, "filter")
    for name, _ in spec.sort:
        _check_field(spec.view, view, name, "sort")
    params: dict[str, Any] = {}
    sql = _view_sql(view, spec, params)
    where = [_condition(_quoted(c.field), c, params) for c in spec.conditions]
    counted = " AND ".join(where) or "1"
    prefix = _names_prefix(view, spec, params)
    # a view that aggregates the history costs a full read either way: count in the page
    # query itself (a window), unless a cursor narrows the page below the whole match
    counted_in_page = view.aggregates and spec.cursor is None
    total = -1
    if not counted_in_page:
        total = int(
            con.execute(
                f"{prefix}SELECT COUNT(*) FROM ({sql}) AS v WHERE {counted}", params
            ).fetchone()[0]
        )
    order = order_fields(spec)
    backwards = spec.cursor is not None and spec.cursor.before
    if spec.cursor is not None:
        where.append(_keyset(order, spec.cursor.values, params, backwards=backwards))
    directions = [(name, descending != backwards) for name, descending in order]
    order_by = ", ".join(f"{_quoted(n)} {'DESC' if d else 'ASC'}" for n, d in directions)
    params["limit"] = spec.limit
    params["offset"] = 0 if spec.cursor is not None else spec.offset
    window = ", COUNT(*) OVER () AS _total" if counted_in_page else ""
    cursor = con.execute(
        f"{prefix}SELECT *{window} FROM ({sql}) AS v WHERE {' AND '.join(where) or '1'} "
        f"ORDER BY {order_by} LIMIT :limit OFFSET :offset",
        params,
    )
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    if counted_in_page:
        if rows:
            total = int(rows[0]["_total"])
            for row in rows:
                del row["_total"]
        elif spec.offset > 0 or spec.limit == 0:  # past the end: count on its own
            total = int(
                con.execute(
                    f"{prefix}SELECT COUNT(*) FROM ({sql}) AS v WHERE {counted}", params
                ).fetchone()[0]
            )
        else:
            total = 0
    if backwards:
        rows.reverse()
    if not rows:
        return SearchPage(rows, total, None, None)
    fields = [name for name, _ in order]
    first = tuple(rows[0][f] for f in fields)
    last = tuple(rows[-1][f] for f in fields)
    return SearchPage(rows, total, first, last)


def _check_field(view_name: str, view: _View, name: str, what: str) -> None:
    if name not in view.fields:
        raise SearchError(
            f"cannot {what} the {view_name} view by '{name}'; "
            f"fields: {', '.join(sorted(view.fields))}"
        )


def _quoted(name: str) -> str:
    return f'"{name}"'


def _view_sql(view: _View, spec: SearchSpec, params: dict[str, Any]) -> str:
    sql = view.sql
    for place, expressions in view.pushdown.items():
        tests = [
            _condition(expressions[c.field], c, params)
            for c in spec.conditions
            if c.field in expressions
        ]
        sql = sql.replace(f"/*push:{place}*/", "".join(f" AND {t}" for t in tests))
    if view.uses_names:
        name = "g.element_id"
        if spec.element_names is not None:
            name = (
                "COALESCE((SELECT n.name FROM element_name AS n WHERE n.definition_key = "
                "p.definition_key AND n.element_id = g.element_id), g.element_id)"
            )
        sql = sql.replace(_ELEMENT_NAME, name)
    cut = spec.truncate_at
    return sql.replace("/*truncated*/", "0" if cut is None else f"(length(x.value) > {int(cut)})")


def _names_prefix(view: _View, spec: SearchSpec, params: dict[str, Any]) -> str:
    """A `WITH element_name (...)` table of the element names the search needs, passed as
    one JSON parameter (any number of elements, no parameter limit)."""
    if not view.uses_names or spec.element_names is None:
        return ""
    params["names"] = json.dumps([list(row) for row in spec.element_names])
    return (
        "WITH element_name (definition_key, element_id, name) AS ("
        "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
        "json_extract(value, '$[2]') FROM json_each(:names)) "
    )


def _param(params: dict[str, Any], value: Any) -> str:
    name = f"p{len(params)}"
    params[name] = value
    return f":{name}"


def _condition(expression: str, condition: Condition, params: dict[str, Any]) -> str:
    """One condition as SQL, with Camunda's meaning for missing values (null never equals,
    `$neq`/`$notIn` match it)."""
    operator, operand = condition.operator, condition.operand
    if operator == "exists":
        return f"{expression} IS {'NOT ' if operand else ''}NULL"
    if operator in ("eq", "neq") and operand is None:
        return f"{expression} IS {'NOT ' if operator == 'neq' else ''}NULL"
    if operator == "eq":
        return f"{expression} = {_param(params, operand)}"
    if operator == "neq":
        return f"({expression} IS NULL OR {expression} <> {_param(params, operand)})"
    if operator in ("in", "notIn"):
        values = [v for v in operand if v is not None]
        marks = ", ".join(_param(params, v) for v in values)
        has_null = len(values) != len(operand)
        if operator == "in":
            test = f"{expression} IN ({marks})" if values else "0"
            return f"({test} OR {expression} IS NULL)" if has_null else test
        test = f"{expression} NOT IN ({marks})" if values else "1"
        if has_null:
            return f"({expression} IS NOT NULL AND {test})"
        return f"({expression} IS NULL OR {test})"
    if operator == "like":
        return f"{expression} GLOB {_param(params, glob_pattern(str(operand)))}"
    comparison = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}.get(operator)
    if comparison is None or operand is None:
        raise SearchError(f"cannot search with the operator {operator!r} and {operand!r}")
    return f"{expression} {comparison} {_param(params, operand)}"


def glob_pattern(pattern: str) -> str:
    """Camunda's `$like` (`*` any characters, `?` one, backslash escapes) as a case-sensitive
    SQLite GLOB, whose own specials are `*`, `?` and `[`."""
    out: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            out.append(f"[{char}]" if char in "*?[" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            out.append("[[]")
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return "".join(out)


def _keyset(
    order: Sequence[tuple[str, bool]],
    values: Sequence[Any],
    params: dict[str, Any],
    *,
    backwards: bool,
) -> str:
    """Rows strictly after (or before) the cursor row in the ordering; NULL sorts first in
    ascending and last in descending order, as in SQLite's ORDER BY."""
    alternatives = []
    for position, (name, descending) in enumerate(order):
        column = _quoted(name)
        tests = [
            f"{_quoted(prior)} IS {_param(params, values[index])}"
            for index, (prior, _) in enumerate(order[:position])
        ]
        value = values[position]
        later = descending != backwards  # the rows after the cursor have smaller values
        if value is None:
            step = "0" if later else f"{column} IS NOT NULL"
        elif later:
            step = f"({column} < {_param(params, value)} OR {column} IS NULL)"
        else:
            step = f"{column} > {_param(params, value)}"
        alternatives.append("(" + " AND ".join([*tests, step]) + ")")
    return "(" + " OR ".join(alternatives) + ")"
