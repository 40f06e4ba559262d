"""A term's postings in one segment as bitmaps, one per weight.

Scoring a term over a match set needs each allowed paper's weight (its term frequency).
Looked up in a docnum array, that is a Python call per posting: 12 ms for ``model``'s
97,000 abstract postings against 18,000 allowed papers at 100,000 papers. Grouped by
weight, the allowed papers of each weight are one bitmap intersection in C, and a term
has only a handful of distinct weights (1, 2, 3... occurrences).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

from .engine_types import EMPTY, DocSet

__all__ = ["WeightGroups", "docnums_of", "group_by_weight", "postings_of", "size_of"]

WeightGroups = tuple[tuple[float, DocSet], ...]
"""(weight, the segment's docnums with that weight), weights ascending; deleted
documents included, as Whoosh stores them."""

_FEW_WEIGHTS = 3  # up to this many distinct weights, a pass in C per weight


def group_by_weight(ids: Sequence[int], weights: Sequence[float]) -> WeightGroups:
    """``ids`` (one segment's docnums of a term) grouped by their ``weights``."""
    distinct = sorted({float(w) for w in weights})
    if len(distinct) <= _FEW_WEIGHTS:
        if len(distinct) == 1:
            return ((distinct[0], DocSet(ids)),)
        return tuple((w, DocSet(compress(ids, map(w.__eq__, weights)))) for w in distinct)
    groups: dict[float, list[int]] = {w: [] for w in distinct}
    for docnum, weight in zip(ids, weights, strict=True):
        groups[float(weight)].append(docnum)
    return tuple((w, DocSet(groups[w])) for w in distinct)


def docnums_of(groups: WeightGroups) -> DocSet:
    """Every docnum of the groups."""
    return EMPTY.union(*(docnums for _, docnums in groups))


def postings_of(groups: WeightGroups) -> list[tuple[int, float]]:
    """(docnum, weight) of every posting, by docnum: the postings the groups came from."""
    return sorted((docnum, weight) for weight, docnums in groups for docnum in docnums)


def size_of(groups: WeightGroups) -> int:
    """How many postings the groups hold (a cache's measure of them)."""
    return sum(len(docnums) for _, docnums in groups)
