"""The LRU of compiled expressions: bounded, most recently used kept, errors not cached."""

from __future__ import annotations

import threading

import pytest

from flowwire import feel
from flowwire.feel.cache import LruCache


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LruCache[str] = LruCache(2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # now "b" is the least recently used
    cache.put("c", "C")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")
    assert len(cache) == 2


def test_get_or_create_creates_once_and_does_not_keep_errors() -> None:
    cache: LruCache[int] = LruCache(4)
    calls: list[str] = []

    def create() -> int:
        calls.append("x")
        return 7

    assert cache.get_or_create("k", create) == 7
    assert cache.get_or_create("k", create) == 7
    assert calls == ["x"]

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        cache.get_or_create("bad", fail)
    assert cache.get("bad") is None


def test_clear_empties_and_a_size_below_one_is_refused() -> None:
    cache: LruCache[int] = LruCache(3)
    cache.put("a", 1)
    cache.clear()
    assert len(cache) == 0 and cache.get("a") is None
    cache.clear()  # clearing an empty cache is fine
    with pytest.raises(ValueError, match="at least 1"):
        LruCache(0)


def test_the_bound_holds_under_concurrent_inserts() -> None:
    cache: LruCache[int] = LruCache(50)

    def insert(offset: int) -> None:
        for i in range(2000):
            cache.put((offset, i), i)
            cache.get((offset, i - 1))

    threads = [threading.Thread(target=insert, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) <= 50


def test_compile_returns_the_cached_expression_until_the_cache_is_cleared() -> None:
    first = feel.compile("x > 1")
    assert feel.compile("x > 1") is first
    feel.clear_cache()
    again = feel.compile("x > 1")
    assert again is not first
    assert again.evaluate({"x": 2}) is True
