"""Queries answered by a set of docnums computed outside Whoosh's matchers.

The user's own data (``tag:``, ``bookmarked:``, ``read:``) and numeric ranges
(``upvotes:>=10``, ``authors:<5``, ``year:[2023 TO 2024]``) become a
:class:`DocSetQuery`: the engine uses its set directly, Whoosh's scorer through a list
matcher. Ranges are read from the sortable columns by binary search
(:mod:`store.ordering`), so a range costs a slice of a sorted array, not a walk over the
library. (An exact value, ``year:2024``, is one term: the index keeps one per value.)
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from .engine_types import DocSet, in_segment
from .ordering import Orderings

__all__ = ["DocSetQuery", "resolve_ranges"]


class DocSetQuery(wq.Query):  # type: ignore[misc]  # Whoosh is untyped
    """Matches a fixed set of papers (global docnums of one reader); scores a constant
    1.0, as Whoosh scores a boolean field."""

    def __init__(self, label: str, docnums: DocSet, version: object) -> None:
        self.label = label
        self.docnums = docnums
        self.version = version  # what the set was computed from: equal versions, equal sets
        self.boost = 1.0

    def __repr__(self) -> str:
        return f"DocSetQuery({self.label!r}, {len(self.docnums)} papers)"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DocSetQuery)
            and other.label == self.label
            and other.version == self.version
        )

    def __hash__(self) -> int:
        return hash((DocSetQuery, self.label, self.version))

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.docnums)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        offset, count = 0, searcher.reader().doc_count_all()
        parent = getattr(searcher, "parent", None)
        if parent is not None:
            parent_searcher = parent() if callable(parent) else parent
            for sub, sub_offset in parent_searcher.leaf_searchers():
                if sub is searcher:
                    offset = sub_offset
                    break
        ids = list(in_segment(self.docnums, offset, count))
        if not ids:
            return NullMatcher()
        return ListMatcher(ids, all_weights=1.0)


def resolve_ranges(query: wq.Query, reader: Any, orderings: Orderings) -> wq.Query:
    """``query`` with every numeric range on a sortable column replaced by its papers."""
    if isinstance(query, wq.NumericRange) and reader.has_column(query.fieldname):
        docnums = orderings.range_docnums(
            reader, query.fieldname, query.start, query.end, query.startexcl, query.endexcl
        )
        label = f"{query.fieldname}:{query.start}..{query.end}:{query.startexcl}{query.endexcl}"
        return DocSetQuery(label, docnums, orderings.version(reader))
    if query.is_leaf():
        return query
    return query.apply(lambda child: resolve_ranges(child, reader, orderings))
