"""What every API handler shares: the engine (commands on the event loop, queries in the
thread pool), a wake-up signal for long polls, and caches of immutable deployment facts
(definitions, element names)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from flowwire.api.bodies import parse_key
from flowwire.api.problems import ApiProblem, bad_request
from flowwire.engine import Deployment, Engine, NotFound, ProcessDefinition
from flowwire.engine.group_commit import GroupCommitter, Overloaded

T = TypeVar("T")

#: how often waiting requests look at the engine again even when nothing here changed it
#: (timers, retry backoffs and webhooks move the engine without an API call)
RECHECK_SECONDS = 0.1
#: the longest a request may wait (job long polling, awaitCompletion); longer asks are cut
MAX_WAIT_MS = 300_000


class ApiContext:
    def __init__(
        self,
        engine: Engine,
        *,
        clock_control: bool = False,
        max_wait_ms: int = MAX_WAIT_MS,
        deploy: Callable[..., Deployment] | None = None,
        commands: GroupCommitter | None = None,
    ) -> None:
        self.engine = engine
        self.commands = commands or GroupCommitter(engine)
        self.deploy: Callable[..., Deployment] = deploy or engine.deploy
        self.clock_control = clock_control
        self.max_wait_ms = max_wait_ms
        self._changed: asyncio.Event | None = None
        self._definitions: dict[int, ProcessDefinition] = {}
        self._names: dict[int, dict[str, str]] = {}

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a query in the thread pool (the Engine is thread-safe): searches may read many
        rows and must not hold up the event loop meanwhile."""
        return await run_in_threadpool(functools.partial(fn, *args, **kwargs))

    async def command(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run an engine command, then wake long polls waiting for work.

        Single engine commands go through the group committer: the ones of requests that
        arrive together share one transaction (see `flowwire.engine.group_commit`). Anything
        else (a deployment, firing timers after a clock change) runs on its own. Both run on
        the event loop: SQLite takes one writer at a time, and under CPython a worker thread
        would only contend with the loop for the GIL (`bench/api_bench.py` measured inline
        execution 20-30 % faster than a thread pool)."""
        try:
            if self.commands.takes(fn):
                return await self.commands.run(fn, *args, **kwargs)
            return fn(*args, **kwargs)
        except Overloaded as exc:
            raise ApiProblem(
                503,
                f"the engine is busy ({exc}); retry later",
                title="RESOURCE_EXHAUSTED",
            ) from None
        finally:
            self.changed()

    # -- waiting for work -----------------------------------------------------------------
    def changed(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    async def wait_for_change(self, timeout: float) -> None:
        """Sleep until a command changed the engine, at most `timeout` seconds."""
        if self._changed is None:
            self._changed = asyncio.Event()
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=max(timeout, 0))

    # -- deployment facts -----------------------------------------------------------------
    def definition(self, key: int) -> ProcessDefinition:
        found = self._definitions.get(key)
        if found is None:
            self.refresh_definitions()
            found = self._definitions.get(key)
        if found is None:
            raise NotFound(f"no process definition with key {key}")
        return found

    def refresh_definitions(self) -> list[ProcessDefinition]:
        definitions = self.engine.definitions()
        self._definitions = {d.key: d for d in definitions}
        return definitions

    def definition_xml(self, key: int) -> bytes:
        with self.engine.store.read() as tx:
            record = tx.definition(key)
        if record is None:
            raise NotFound(f"no process definition with key {key}")
        return bytes(record.xml)

    def element_names(self, definition_key: int) -> dict[str, str]:
        """Element id -> name of a deployed process (names are not in the engine's records)."""
        names = self._names.get(definition_key)
        if names is None:
            root = etree.fromstring(
                self.definition_xml(definition_key),
                etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False),
            )
            names = {
                str(node.get("id")): str(node.get("name"))
                for node in root.iter()
                if isinstance(node.tag, str) and node.get("id") and node.get("name")
            }
            self._names[definition_key] = names
        return names


def api_context(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.api
    return context


def path_key(request: Request, name: str) -> int:
    """A key from the URL path (an int64 as digits)."""
    text = request.path_params[name]
    if not text.isdigit():
        raise bad_request(f"the {name} in the path must be a key (digits), got {text!r}")
    return parse_key(text, name)
