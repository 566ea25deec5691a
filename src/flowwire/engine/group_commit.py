"""Group commit: engine commands of concurrent requests share one transaction.

A webhook or REST request that starts an instance costs about as much in its commit and in
the per-command set-up (transaction, unit of work, flush) as in the step loop itself. Under
load many such requests are ready at the same moment, so `flowwire serve` queues the
commands of one event-loop turn and runs them as one `Engine.run_batch`: one commit for all.
No request waits for a timer to fill a batch: a lone request runs on the next loop turn, and
a batch is whatever arrived meanwhile (at most `max_batch`).

A batch is all or nothing. When one of its commands is rejected (an unknown key, a duplicate
message id) or anything else fails, the batch rolls back and every command runs again in its
own transaction, so each request gets its own result or error and no request's outcome
depends on another's.

Commands run on the event loop thread: SQLite takes one writer at a time, and under CPython
a worker thread would only contend with the loop for the GIL (measured in
docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flowwire.engine.engine import Engine

log = logging.getLogger("flowwire.engine")

T = TypeVar("T")

#: the `Engine` methods that run as one `_execute` each, and so may share a batch
BATCHABLE = frozenset(
    {
        "create_instance",
        "cancel_instance",
        "set_variables",
        "complete_job",
        "fail_job",
        "throw_error",
        "update_job_retries",
        "update_job_timeout",
        "complete_user_task",
        "resolve_incident",
        "publish_message",
        "correlate_message",
        "broadcast_signal",
        "activate_jobs",
    }
)

#: the most commands one transaction takes; more wait for the next loop turn
MAX_BATCH = 64
#: the most commands that may wait at once before new ones are refused (`Overloaded`)
MAX_PENDING = 4096


class Overloaded(Exception):
    """More commands wait for the engine than `max_pending`: the caller should answer 429/503."""


class GroupCommitter:
    """Runs engine commands for asyncio callers, batching the ones that arrive together."""

    def __init__(
        self, engine: Engine, *, max_batch: int = MAX_BATCH, max_pending: int = MAX_PENDING
    ) -> None:
        self.engine = engine
        self.max_batch = max(1, max_batch)
        self.max_pending = max_pending
        self._queue: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._scheduled = False
        #: commands committed in shared transactions / in their own (for health and tests)
        self.batched = 0
        self.single = 0

    def takes(self, fn: Callable[..., Any]) -> bool:
        """Whether `fn` is a method of this committer's engine that may share a batch (a
        deployment, say, opens transactions of its own and must run alone)."""
        return getattr(fn, "__self__", None) is self.engine and fn.__name__ in BATCHABLE

    @property
    def pending(self) -> int:
        return len(self._queue)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(*args, **kwargs)` — one engine command — in the next batch; its result.

        `fn` must be a single engine command (`Engine.create_instance` without
        `await_completion`, `complete_job`, `publish_message`, ...): see `Engine.run_batch`.
        """
        if len(self._queue) >= self.max_pending:
            raise Overloaded(f"{len(self._queue)} engine commands are already waiting")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        call = functools.partial(fn, *args, **kwargs) if args or kwargs else fn
        self._queue.append((call, future))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._drain)
        return await future

    def _drain(self) -> None:
        batch = self._queue[: self.max_batch]
        del self._queue[: self.max_batch]
        if self._queue:
            asyncio.get_running_loop().call_soon(self._drain)
        else:
            self._scheduled = False
        # a caller that gave up (client disconnected, timeout) does not need its command run
        batch = [(call, future) for call, future in batch if not future.done()]
        if len(batch) > 1 and self._run_together(batch):
            return
        for call, future in batch:
            self._run_alone(call, future)

    def _run_together(self, batch: list[tuple[Callable[[], Any], asyncio.Future[Any]]]) -> bool:
        try:
            results = self.engine.run_batch([call for call, _ in batch])
        except Exception as exc:  # each command runs again on its own
            log.debug("a batch of %d commands failed, running them one by one: %s", len(batch), exc)
            return False
        self.batched += len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
        return True

    def _run_alone(self, call: Callable[[], Any], future: asyncio.Future[Any]) -> None:
        self.single += 1
        try:
            result = call()
        except Exception as exc:  # handed to the waiting caller
            if not future.done():
                future.set_exception(exc)
            return
        if not future.done():
            future.set_result(result)
