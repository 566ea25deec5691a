"""Context built-ins: DMN 1.5's ``get value``, ``get entries``, ``context put``, ``context merge``
and ``context``, with Camunda's path forms (a list of keys) and the older names ``put`` and
``put all``.

Contexts are never modified in place: every function returns a new dict, keeping the order
of the entries (a replaced entry keeps its position).
"""

from __future__ import annotations

from typing import Any

from flowwire.feel.builtins.list_fns import as_list, vararg_items
from flowwire.feel.builtins.numeric_fns import describe
from flowwire.feel.builtins.registry import builtin
from flowwire.feel.errors import InvalidArgument


def require_context(value: Any, function: str, param: str = "context") -> dict[str, Any]:
    """The argument as a context, or InvalidArgument naming the parameter."""
    if isinstance(value, dict):
        return value
    raise InvalidArgument(
        f"{function}() expects a context for '{param}', but got {describe(value)}"
    )


def _key_path(keys: list[Any], function: str) -> list[str]:
    if not keys:
        raise InvalidArgument(f"{function}() needs at least one key in the list of keys")
    for key in keys:
        if not isinstance(key, str):
            raise InvalidArgument(
                f"{function}() expects keys that are strings, but got {describe(key)}"
            )
    return keys


def _get_value(context: Any, key_or_keys: Any) -> Any:
    entries = require_context(context, "get value")
    if isinstance(key_or_keys, str):
        return entries.get(key_or_keys)
    if not isinstance(key_or_keys, list):
        raise InvalidArgument(
            f"get value() expects a key (string) or a list of keys, but got {describe(key_or_keys)}"
        )
    value: Any = entries
    for key in _key_path(key_or_keys, "get value"):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


# DMN names the context "m"; Camunda's path form (a list of keys) is "keys".
builtin("get value", "m", "key")(_get_value)
builtin("get value", "context", "key")(_get_value)
builtin("get value", "context", "keys")(_get_value)


def _get_entries(context: Any) -> list[dict[str, Any]]:
    entries = require_context(context, "get entries")
    return [{"key": key, "value": value} for key, value in entries.items()]


builtin("get entries", "m")(_get_entries)
builtin("get entries", "context")(_get_entries)


def _put_path(entries: dict[str, Any], keys: list[str], value: Any) -> dict[str, Any]:
    key, rest = keys[0], keys[1:]
    if rest:
        nested = entries.get(key)
        if nested is None:
            nested = {}
        elif not isinstance(nested, dict):
            raise InvalidArgument(
                f"context put() can't put a value below '{key}': it holds {describe(nested)}, "
                "not a context"
            )
        value = _put_path(nested, rest, value)
    return {**entries, key: value}


def _context_put(context: Any, key_or_keys: Any, value: Any) -> dict[str, Any]:
    entries = require_context(context, "context put")
    if isinstance(key_or_keys, str):
        return {**entries, key_or_keys: value}
    if not isinstance(key_or_keys, list):
        raise InvalidArgument(
            f"context put() expects a key (string) or a list of keys, but got {describe(key_or_keys)}"
        )
    return _put_path(entries, _key_path(key_or_keys, "context put"), value)


builtin("context put", "context", "key", "value")(_context_put)
builtin("context put", "context", "keys", "value")(_context_put)
builtin("put", "context", "key", "value")(_context_put)  # Camunda's former name


def _context_merge(*contexts: Any) -> dict[str, Any]:
    """All entries of the contexts; a later context's entry overrides an earlier one."""
    items = vararg_items(contexts, "context merge")
    merged: dict[str, Any] = {}
    for item in items:
        merged.update(require_context(item, "context merge", "contexts"))
    return merged


builtin("context merge", "contexts...")(_context_merge)
builtin("put all", "contexts...")(_context_merge)  # Camunda's former name


@builtin("context", "entries")
def context(entries: Any) -> dict[str, Any]:
    """A context from ``{key, value}`` pairs; a later pair overrides an earlier key (Camunda)."""
    result: dict[str, Any] = {}
    for entry in as_list(entries, "context", "entries"):
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise InvalidArgument(
                'context() expects entries like {key: "a", value: 1}, but got '
                + describe(entry)
                + ("" if not isinstance(entry, dict) else " without a string key")
            )
        if "value" not in entry:
            raise InvalidArgument(f"context() got the entry '{entry['key']}' without a value")
        result[entry["key"]] = entry["value"]
    return result
