"""A bounded, thread-safe LRU of compiled expressions keyed by their text.

Process models evaluate the same few expressions over and over; caching the compiled form
means the engine pays for parsing once per distinct text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_MISSING = object()


class LruCache(Generic[V]):
    """Keeps the ``maxsize`` most recently used entries (values are never None: :meth:`get`
    answers None for a miss)."""

    def __init__(self, maxsize: int = 4096) -> None:
        if maxsize < 1:
            raise ValueError("the cache size must be at least 1")
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_create(self, key: Hashable, create: Callable[[], V]) -> V:
        """The cached value for ``key``; ``create()`` it on a miss (errors are not cached)."""
        value = self.get(key)
        if value is None:
            value = self.put(key, create())
        return value

    def get(self, key: Hashable) -> V | None:
        """The cached value for ``key`` (now the most recently used), or None."""
        data = self._data
        value = data.get(key, _MISSING)  # (no KeyError on a miss: raising costs)
        if value is _MISSING:
            return None
        try:  # noqa: SIM105 (a suppress() context costs on this hot path)
            data.move_to_end(key)
        except KeyError:
            pass  # evicted by another thread meanwhile
        return value  # type: ignore[return-value]

    def put(self, key: Hashable, value: V) -> V:
        """Store ``value`` as the most recently used entry and return it."""
        data = self._data
        data[key] = value  # (one C-level step, atomic under the GIL)
        if len(data) > self.maxsize:
            with self._lock:  # eviction takes several steps
                while len(data) > self.maxsize:
                    data.popitem(last=False)
        return value

    def clear(self) -> None:
        if self._data:  # (clearing an empty cache costs nothing, not even the lock)
            with self._lock:
                self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
