"""Deployed processes in memory: parsed once per definition key, shared by all instances.

Besides the parsed `Process`, a `DeployedProcess` answers the graph questions the engine asks
while running (which none start event begins a scope, which elements a token can still reach)
from indexes built on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flowwire.bpmn import Definitions, Element, ElementKind, EventType, Process
from flowwire.store.base import StoreTransaction
from flowwire.store.records import DefinitionRecord

Parser = Callable[[bytes, str], Definitions]


class DeployedProcess:
    """One deployed process version with its derived graph indexes."""

    __slots__ = ("_reach", "_starts", "behaviors", "definition", "memo", "process")

    def __init__(self, definition: DefinitionRecord, process: Process) -> None:
        self.definition = definition
        self.process = process
        self._starts: dict[str, Element | None] = {}
        self._reach: dict[str, frozenset[str]] = {}
        #: the behaviour of each element, filled by the step loop on first use
        self.behaviors: dict[str, Any] = {}
        #: other answers derived from this version's model, computed once (by their owners);
        #: kept here rather than in module globals, since definition keys repeat across stores
        self.memo: dict[Any, Any] = {}

    @property
    def key(self) -> int:
        return self.definition.key

    def none_start(self, scope_id: str) -> Element | None:
        """The none start event that begins the process or an embedded subprocess."""
        try:
            return self._starts[scope_id]
        except KeyError:
            starts = self.process.start_events(scope_id, event_type=EventType.NONE)
            start = starts[0] if starts else None
            self._starts[scope_id] = start
            return start

    def reachable(self, element_id: str) -> frozenset[str]:
        """Elements of the same scope a token at `element_id` can still get to (excluding
        itself unless a loop leads back), following sequence flows and boundary events."""
        cached = self._reach.get(element_id)
        if cached is not None:
            return cached
        seen: set[str] = set()
        stack = list(self._successors(element_id))
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(self._successors(current))
        result = frozenset(seen)
        self._reach[element_id] = result
        return result

    def _successors(self, element_id: str) -> list[str]:
        process = self.process
        element = process.elements[element_id]
        targets = [process.flows[flow_id].target for flow_id in element.outgoing]
        if element.kind.is_activity:
            for boundary in process.boundary_events(element_id):
                targets.append(boundary.id)
        event = element.event
        if event is not None and event.type is EventType.LINK and event.link_name is not None:
            catch = process.links(element.scope_id).get(event.link_name)
            if catch is not None and catch.id != element_id:
                targets.append(catch.id)
        return targets


def is_container(kind: str) -> bool:
    """Element kinds whose instances hold child element instances."""
    return kind == PROCESS_KIND or kind == ElementKind.SUB_PROCESS


#: the `kind` of the element instance that stands for the process itself
PROCESS_KIND = "process"


class ModelCache:
    """Parsed processes by definition key, loaded from the store on first use."""

    def __init__(self, parse: Parser) -> None:
        self._parse = parse
        self._by_key: dict[int, DeployedProcess] = {}
        self._lock = threading.Lock()

    def put(self, definition: DefinitionRecord, process: Process) -> DeployedProcess:
        deployed = DeployedProcess(definition, process)
        with self._lock:
            self._by_key[definition.key] = deployed
        return deployed

    def forget(self, key: int) -> None:
        """Drop a version whose stored record changed (deleted), so it is read again."""
        with self._lock:
            self._by_key.pop(key, None)

    def get(self, tx: StoreTransaction, key: int) -> DeployedProcess | None:
        deployed = self._by_key.get(key)
        if deployed is not None:
            return deployed
        definition = tx.definition(key)
        if definition is None:
            return None
        definitions = self._parse(definition.xml, definition.resource_name)
        return self.put(definition, definitions.process(definition.process_id))
