"""Objects connectors share across jobs for the life of one runtime (token caches, clients).

They live as long as the runtime's event loop, so asyncio locks and HTTP clients inside them
are never used from another loop; the runtime closes them when it stops.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class SharedResources:
    def __init__(self) -> None:
        self._items: dict[str, Any] = {}
        self._closers: list[Callable[[], Any]] = []

    def get_or_create(
        self, key: str, factory: Callable[[], T], close: Callable[[T], Any] | None = None
    ) -> T:
        """The object stored under `key`, made by `factory` on first use; `close(obj)` (sync
        or async) runs when the runtime stops."""
        if key in self._items:
            return self._items[key]
        item = factory()
        self._items[key] = item
        if close is not None:
            self._closers.append(lambda: close(item))
        return item

    async def aclose(self) -> None:
        closers, self._closers = self._closers, []
        self._items.clear()
        for closer in reversed(closers):
            result = closer()
            if inspect.isawaitable(result):
                await result
