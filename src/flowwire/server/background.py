"""What `flowwire serve` does besides answering requests: fire due timers, and pick up
versions deployed without the inbound manager (REST API, `flowwire deploy` on the same store)
so their webhooks become active without a restart."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from flowwire.connectors.inbound import InboundManager

log = logging.getLogger("flowwire.server")


async def housekeeping(
    engine: Any,
    inbound: InboundManager,
    stop: asyncio.Event,
    *,
    timer_interval: float = 0.5,
    sync_interval: float = 2.0,
) -> None:
    """Until `stop` is set: fire due timers every `timer_interval` seconds and sync the
    webhooks every `sync_interval`. Failures are logged and retried on the next round.

    Both run on the event loop, like the webhook commands: each is a short store command,
    and a worker thread would only contend for the GIL with the loop."""
    fire = getattr(engine, "fire_due_timers", None)
    loop = asyncio.get_running_loop()
    next_sync = loop.time() + sync_interval
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=timer_interval)
            return
        except TimeoutError:
            pass
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
