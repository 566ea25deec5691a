"""Variable scopes, propagation and input/output mappings, as Camunda 8 documents them.

- Every element instance is a scope; an element sees the variables of its own scope and of all
  enclosing scopes (the inner one wins).
- *Local* writes create or update a variable in the given scope.
- *Propagating* writes (job completion without output mappings, `set_variables` without
  `local`) update the variable in the nearest scope, starting at the given one, that already
  defines the name; if none does, the variable is created in the root scope (the instance).
- Input mappings are evaluated in order (a later one sees the earlier results) and create
  local variables of the element.
- Output mappings are evaluated against the element's scope and their results propagate from
  the element's flow scope upwards. A nested target (`a.b.c`) replaces only the leaf inside
  the existing context `a`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import IoMapping
from flowwire.engine import expressions
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.values import NotJsonError, encode
from flowwire.engine.values import decode as _decode
from flowwire.store.base import StoreTransaction
from flowwire.store.records import ElementInstanceRecord, VariableRecord

if TYPE_CHECKING:
    from flowwire.engine.state import UnitOfWork


class Variables:
    """The variables one command reads and writes, cached per scope."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._scopes: dict[int, dict[str, Any]] = {}
        self._writes: dict[tuple[int, str], VariableRecord] = {}
        self._dropped: list[int] = []
        self._later: dict[tuple[int, str], ElementInstanceRecord] = {}

    # -- reading --------------------------------------------------------------------------
    def new_scope(self, scope_key: int) -> None:
        """A scope created in this command starts empty: no need to ask the store."""
        self._scopes[scope_key] = {}

    def _load(self, scope_keys: Sequence[int]) -> None:
        missing = [k for k in scope_keys if k not in self._scopes]
        if not missing:
            return
        for key in missing:
            self._scopes[key] = {}
        for row in self._uow.tx.variables(missing):
            self._scopes[row.scope_key][row.name] = _decode(row.value)

    def local(self, scope_key: int) -> dict[str, Any]:
        """The variables defined in exactly this scope (do not modify the result)."""
        scope = self._scopes.get(scope_key)
        if scope is None:
            self._load((scope_key,))
            scope = self._scopes[scope_key]
        return scope

    def preload(self, scope_keys: Sequence[int]) -> None:
        """Load many scopes in one query (e.g. for a batch of activated jobs)."""
        self._load(scope_keys)

    def visible(self, element: ElementInstanceRecord) -> dict[str, Any]:
        """All variables the element instance sees (a fresh dict; values are shared)."""
        return self.visible_in((*element.path, element.key))

    def visible_in(self, keys: Sequence[int]) -> dict[str, Any]:
        """The variables seen through these scopes, outermost first (inner ones win)."""
        self._load(keys)
        scopes = self._scopes
        if len(keys) == 1:
            return dict(scopes[keys[0]])
        merged: dict[str, Any] = {}
        for key in keys:
            merged.update(scopes[key])
        return merged

    # -- writing --------------------------------------------------------------------------
    def set_local(self, scope: ElementInstanceRecord, name: str, value: Any) -> None:
        """Create or update `name` in this scope. Raises NotJsonError for non-JSON values."""
        try:
            plain, text = encode(value)
        except NotJsonError as exc:
            raise NotJsonError(f"the variable '{name}' cannot be stored: {exc}") from None
        variables = self.local(scope.key)
        existed = name in variables
        variables[name] = plain
        self._writes[(scope.key, name)] = VariableRecord(
            scope.key, name, scope.instance_key, text, self._uow.now
        )
        self._uow.record(
            scope,
            "VARIABLE_UPDATED" if existed else "VARIABLE_CREATED",
            {"name": name, "value": plain},
        )

    def set_local_later(self, scope: ElementInstanceRecord, name: str, value: Any) -> None:
        """Update `name` in this scope without a history entry, encoding it once when the
        command writes: for a value one command changes many times (a multi-instance output
        collection filled item by item). `value` must already be plain JSON."""
        self.local(scope.key)[name] = value
        self._later[(scope.key, name)] = scope

    def set_all_local(self, scope: ElementInstanceRecord, variables: Mapping[str, Any]) -> None:
        for name, value in variables.items():
            self.set_local(scope, name, value)

    def propagate(self, start: ElementInstanceRecord, variables: Mapping[str, Any]) -> None:
        """Write each variable where it is defined, looking from `start` outwards; new names
        go to the root scope."""
        if not variables:
            return
        keys = (*start.path, start.key)
        self._load(keys)
        scopes = self._scopes
        uow = self._uow
        for name, value in variables.items():
            target = keys[0]
            for key in reversed(keys):
                if name in scopes[key]:
                    target = key
                    break
            scope = start if target == start.key else uow.element(target)
            if scope is None:
                raise LookupError(f"variable scope {target} is missing from the store")
            self.set_local(scope, name, value)

    def drop_scope(self, scope_key: int, persisted: bool) -> None:
        """The scope ended: its local variables go away with it. A scope known to be empty
        costs no statement."""
        scope = self._scopes.pop(scope_key, None)
        if scope:
            for name in scope:
                self._writes.pop((scope_key, name), None)
                self._later.pop((scope_key, name), None)
        if persisted and (scope is None or scope):
            self._dropped.append(scope_key)

    def flush(self, tx: StoreTransaction) -> None:
        for (scope_key, name), scope in self._later.items():
            _, text = encode(self._scopes[scope_key][name])
            self._writes[(scope_key, name)] = VariableRecord(
                scope_key, name, scope.instance_key, text, self._uow.now
            )
        self._later.clear()
        if self._dropped:
            tx.delete_scope_variables(self._dropped)
        if self._writes:
            tx.upsert_variables(list(self._writes.values()))

    # -- mappings -------------------------------------------------------------------------
    def evaluate_inputs(
        self, element: ElementInstanceRecord, mappings: Sequence[IoMapping]
    ) -> dict[str, Any]:
        """The local variables the input mappings create (not yet written)."""
        env = self.visible(element)
        return self._evaluate_mappings(env, mappings)

    def apply_outputs(
        self,
        element: ElementInstanceRecord,
        mappings: Sequence[IoMapping],
        *,
        own_scope: bool = False,
    ) -> None:
        """Evaluate the output mappings in the element's scope and propagate the results from
        its flow scope; with `own_scope` from the element itself (an inner instance of a
        multi-instance activity, so a mapping can update its output element, as in Zeebe).
        Nothing is written when one mapping fails."""
        results = self._evaluate_mappings(self.visible(element), mappings)
        if own_scope:
            self.propagate(element, results)
            return
        if element.scope_key is None:
            self.set_all_local(element, results)
            return
        scope = self._uow.element(element.scope_key)
        if scope is None:
            raise LookupError(f"flow scope {element.scope_key} is missing from the store")
        self.propagate(scope, results)

    def _evaluate_mappings(
        self, env: dict[str, Any], mappings: Sequence[IoMapping]
    ) -> dict[str, Any]:
        clock = self._uow.clock
        results: dict[str, Any] = {}
        for mapping in mappings:
            value, _ = expressions.evaluate(mapping.source, env, clock, ErrorType.IO_MAPPING_ERROR)
            path = mapping.target_path or (mapping.target,)
            root = path[0]
            if len(path) == 1:
                results[root] = value
            else:
                base = results[root] if root in results else env.get(root)
                results[root] = _put_path(base, path[1:], value)
            env[root] = results[root]
        for name, value in results.items():
            try:
                encode(value)
            except NotJsonError as exc:
                raise StepFailure(
                    ErrorType.IO_MAPPING_ERROR,
                    f"the mapping to '{name}' produced a value that cannot be stored: {exc}",
                ) from None
        return results


def _put_path(base: Any, path: Sequence[str], value: Any) -> dict[str, Any]:
    """A copy of context `base` with `value` at `path` (intermediate contexts created or
    replaced when they are not contexts); `base` itself is never modified."""
    result = dict(base) if isinstance(base, Mapping) else {}
    head = path[0]
    if len(path) == 1:
        result[head] = value
    else:
        result[head] = _put_path(result.get(head), path[1:], value)
    return result
