"""One bounded cache for every cache of the store."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["SizedCache"]

K = TypeVar("K")
V = TypeVar("V")


def _one(_: object) -> int:
    return 1


class SizedCache(Generic[K, V]):
    """A least-recently-used mapping whose values' total ``size`` stays under ``limit``.

    ``size`` measures a value (docnums in a set, documents in a column); by default each
    value counts one. The newest value is always kept, even if it alone is over the
    limit. Thread-safe.
    """

    def __init__(self, limit: int, size: Callable[[V], int] = _one) -> None:
        self.limit = limit
        self._size_of = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        """The value, marked as recently used, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value``, dropping the least recently used values beyond the limit."""
        with self._lock:
            if key in self._items:
                self._size -= self._size_of(self._items.pop(key))
            self._items[key] = value
            self._size += self._size_of(value)
            while self._size > self.limit and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._size -= self._size_of(dropped)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
            self._size = 0
