"""Small types the query engine's parts share: filters, a window of results, a reader's key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyroaring import FrozenBitMap

__all__ = ["EMPTY", "DocSet", "Filters", "ResultWindow", "in_segment", "reader_key", "segment_key"]

DocSet = FrozenBitMap
"""A set of global docnums: a compressed bitmap, so unions, intersections and counts of
100,000 papers run in C in microseconds (a Python set takes milliseconds)."""
EMPTY = DocSet()


def in_segment(docnums: DocSet, offset: int, count: int) -> DocSet:
    """Those of ``docnums`` (global) in the segment at ``offset`` with ``count``
    documents, as the segment's own docnums."""
    here = docnums & DocSet(range(offset, offset + count))
    return here.shift(-offset) if offset else here


@dataclass
class Filters:
    """Restrictions from the user's data, as docnum sets."""

    include: DocSet | None = None
    exclude: DocSet = EMPTY

    def allows(self, docnum: int) -> bool:
        """True when the document passes every filter."""
        return (self.include is None or docnum in self.include) and docnum not in self.exclude

    @property
    def active(self) -> bool:
        """True when anything is filtered."""
        return self.include is not None or bool(self.exclude)

    def apply(self, docnums: DocSet) -> DocSet:
        """The docnums that pass."""
        if self.include is not None:
            docnums = docnums & self.include
        return docnums - self.exclude if self.exclude else docnums


@dataclass
class ResultWindow:
    """The docnums of the results from ``offset`` on (best first), and how many match."""

    docnums: list[int]
    scores: list[float | None]
    total: int
    exact: bool = True
    broad: bool = False


def segment_key(sub: Any) -> str:
    """A segment's identity: segments never change once written."""
    segment = sub.segment()
    return str(segment.segment_id()) if segment is not None else str(id(sub))


def reader_key(reader: Any) -> tuple[Any, ...]:
    """A reader's index version: docnums mean the same under the same key. (The
    generation alone repeats after a rebuild; the segments' random ids do not.)"""
    return (reader.generation(), *(segment_key(sub) for sub, _ in reader.leaf_readers()))
