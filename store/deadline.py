"""A Whoosh collector with a time budget, without a timer thread.

Whoosh's ``TimeLimitCollector`` starts a ``threading.Timer`` for every search (and
every sub-search); this one reads the clock every few matches instead and raises the
same :class:`whoosh.searching.TimeLimit`, so callers handle it as before.
"""

from __future__ import annotations

import time
from typing import Any

from whoosh.collectors import WrappingCollector
from whoosh.searching import TimeLimit

__all__ = ["DeadlineCollector"]

CHECK_EVERY = 64  # matches between two looks at the clock (a few microseconds apart)


class DeadlineCollector(WrappingCollector):  # type: ignore[misc]  # Whoosh is untyped
    """Collects with ``child`` until ``timelimit`` seconds have passed since
    :meth:`prepare`, then raises :class:`TimeLimit`."""

    def __init__(self, child: Any, timelimit: float) -> None:
        self.child = child
        self.timelimit = timelimit
        self.deadline = 0.0

    def prepare(self, top_searcher: Any, q: Any, context: Any) -> None:
        self.child.prepare(top_searcher, q, context)
        self.deadline = time.perf_counter() + self.timelimit

    def collect_matches(self) -> None:
        child, deadline, clock = self.child, self.deadline, time.perf_counter
        for count, sub_docnum in enumerate(child.matches()):
            if count % CHECK_EVERY == 0 and clock() > deadline:
                raise TimeLimit
            child.collect(sub_docnum)
