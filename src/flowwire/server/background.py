"""What `flowwire serve` does besides answering requests: fire due timers, keep WAL
checkpoints small, and pick up versions deployed without the inbound manager (REST API,
`flowwire deploy` on the same store) so their webhooks become active without a restart."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from flowwire.connectors.inbound import InboundManager
from flowwire.server.checkpointer import Checkpointer

log = logging.getLogger("flowwire.server")


async def housekeeping(
    engine: Any,
    inbound: InboundManager,
    stop: asyncio.Event,
    *,
    interval: float = 0.25,
    sync_interval: float = 2.0,
) -> None:
    """Until `stop` is set, every `interval` seconds: fire due timers and checkpoint the WAL;
    every `sync_interval`: sync the webhooks. Failures are logged and retried next round.

    All of it runs on the event loop, like the webhook commands: each step is short, and
    running between two commands is what lets a checkpoint restart the WAL."""
    fire = getattr(engine, "fire_due_timers", None)
    checkpointer = Checkpointer.for_store(getattr(engine, "store", None))
    loop = asyncio.get_running_loop()
    next_sync = loop.time() + sync_interval
    try:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
                return
            except TimeoutError:
                pass
            if checkpointer is not None:
                checkpointer.checkpoint()
            if fire is not None:
                try:
                    while fire() > 0 and not stop.is_set():
                        await asyncio.sleep(0)
                except Exception:
                    log.exception("firing due timers failed; retrying")
            if loop.time() >= next_sync:
                next_sync = loop.time() + sync_interval
                try:
                    inbound.sync()
                except Exception:
                    log.exception("activating newly deployed webhooks failed; retrying")
    finally:
        if checkpointer is not None:
            checkpointer.close()
