"""Running queries fast on a large library, on top of Whoosh.

Pure-Python Whoosh scores roughly 100k matching documents a second, so a query made of
common words on a 100k-paper library would take most of a second. Three things keep
searches interactive:

- **Cached orderings.** Listing (the empty query) and sorting by date, upvotes or title
  use a docnum order computed once per index version from the sortable columns.
- **Title tier first.** For relevance ranking, the query restricted to titles runs first
  (title postings are a tenth the size of abstract postings). If that fills the page
  requested, it is the answer: title matches rank first anyway (titles weigh 3x).
- **A time budget.** A full search that runs out of its budget returns the best hits
  found so far and says the result is partial; counts beyond a few thousand are
  estimates (Whoosh's block-skipping optimisation does not count what it skips).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from whoosh import query as wq
from whoosh.collectors import FilterCollector, TimeLimitCollector, TopCollector
from whoosh.searching import TimeLimit

__all__ = ["Engine", "Filters", "Page"]

SEARCH_BUDGET_S = 0.12
EXACT_COUNT_LIMIT = 4_000
_ABSTRACT_FIELDS = {"abstract"}
_SORT_COLUMNS: dict[str, tuple[str, bool]] = {
    "date": ("sort_date", True),
    "upvotes": ("upvotes", True),
    "title": ("sort_title", False),
}


@dataclass
class Filters:
    """Restrictions from the user's data, as docnum sets."""

    include: set[int] | None = None
    exclude: set[int] = field(default_factory=set)

    def allows(self, docnum: int) -> bool:
        """True when the document passes every filter."""
        return (self.include is None or docnum in self.include) and docnum not in self.exclude

    @property
    def active(self) -> bool:
        """True when anything is filtered."""
        return self.include is not None or bool(self.exclude)


@dataclass
class Page:
    """Docnums of one page of results (best first) and what is known of the total."""

    docnums: list[int]
    scores: list[float | None]
    total: int
    exact: bool = True
    partial: bool = False


@dataclass
class _Ordering:
    docnums: list[int]
    rank: dict[int, int]


class Engine:
    """Runs queries for one library; caches orderings per index version."""

    def __init__(self, budget_s: float = SEARCH_BUDGET_S) -> None:
        self.budget_s = budget_s
        self._orderings: dict[tuple[int, str], _Ordering] = {}
        self._lock = threading.Lock()

    # -- orderings ---------------------------------------------------------------------

    def ordering(self, searcher: Any, sort: str) -> _Ordering:
        """Every live docnum in ``sort`` order (date, upvotes or title), cached."""
        key = (id(searcher.reader()), sort)
        with self._lock:
            cached = self._orderings.get(key)
            if cached is not None:
                return cached
        reader = searcher.reader()
        column, descending = _SORT_COLUMNS[sort]
        docnums = list(reader.all_doc_ids())
        if not docnums:  # an empty index has no columns to read
            return _Ordering([], {})
        values = _column(reader, column)
        titles = values if column == "sort_title" else _column(reader, "sort_title")
        if descending:
            docnums.sort(key=lambda d: titles[d])
            docnums.sort(key=lambda d: values[d], reverse=True)
        else:
            docnums.sort(key=lambda d: (values[d], d))
        ordering = _Ordering(docnums, {d: i for i, d in enumerate(docnums)})
        with self._lock:
            self._orderings = {k: v for k, v in self._orderings.items() if k[0] == key[0]}
            self._orderings[key] = ordering
        return ordering

    # -- running -----------------------------------------------------------------------

    def run(
        self,
        searcher: Any,
        query: wq.Query,
        *,
        sort: Literal["relevance", "date", "upvotes", "title"],
        offset: int,
        limit: int,
        filters: Filters,
    ) -> Page:
        """One page of results for ``query``."""
        if isinstance(query, wq.Every) and sort == "relevance":
            sort = "date"
        if isinstance(query, wq.Every):
            ordered = self.ordering(searcher, sort).docnums
            if filters.active:
                ordered = [d for d in ordered if filters.allows(d)]
            window = ordered[offset : offset + limit]
            return Page(window, [None] * len(window), len(ordered))
        if sort != "relevance":
            return self._sorted(searcher, query, sort, offset, limit, filters)
        return self._relevance(searcher, query, offset, limit, filters)

    def _sorted(
        self, searcher: Any, query: wq.Query, sort: str, offset: int, limit: int, filters: Filters
    ) -> Page:
        rank = self.ordering(searcher, sort).rank
        matches, partial = self._matching(searcher, query, filters)
        matches.sort(key=rank.__getitem__)
        window = matches[offset : offset + limit]
        return Page(window, [None] * len(window), len(matches), exact=not partial, partial=partial)

    def _matching(self, searcher: Any, query: wq.Query, filters: Filters) -> tuple[list[int], bool]:
        import time

        deadline = time.perf_counter() + self.budget_s * 2
        found: list[int] = []
        for count, docnum in enumerate(searcher.docs_for_query(query)):
            if filters.allows(docnum):
                found.append(docnum)
            if count % 512 == 511 and time.perf_counter() > deadline:
                return found, True
        return found, False

    def _relevance(
        self, searcher: Any, query: wq.Query, offset: int, limit: int, filters: Filters
    ) -> Page:
        wanted = offset + limit
        title_query = restrict_to_titles(query)
        if title_query is not None and title_query is not wq.NullQuery:
            page = self._scored(searcher, title_query, wanted, filters, budget=self.budget_s / 2)
            if page is not None and len(page.docnums) >= wanted and not page.partial:
                estimate = self._estimate(searcher, query, filters)
                return Page(
                    page.docnums[offset:],
                    page.scores[offset:],
                    max(estimate, page.total),
                    exact=False,
                )
        page = self._scored(searcher, query, wanted, filters, budget=self.budget_s)
        assert page is not None
        if not page.exact and not page.partial:
            estimate = self._estimate(searcher, query, filters)
            if estimate <= EXACT_COUNT_LIMIT:
                matches, partial = self._matching(searcher, query, filters)
                page.total, page.exact = len(matches), not partial
            else:
                page.total = max(estimate, len(page.docnums))
        page.docnums, page.scores = page.docnums[offset:], page.scores[offset:]
        return page

    def _scored(
        self, searcher: Any, query: wq.Query, wanted: int, filters: Filters, *, budget: float
    ) -> Page | None:
        top = TopCollector(limit=wanted)
        inner: Any = top
        if filters.active:
            inner = FilterCollector(top, allow=filters.include, restrict=filters.exclude or None)
        collector = TimeLimitCollector(inner, timelimit=budget, use_alarm=False)
        partial = False
        try:
            searcher.search_with_collector(query, collector)
        except TimeLimit:
            partial = True
        results = top.results()
        docnums = [docnum for _, docnum in results.top_n]
        scores: list[float | None] = [float(score) for score, _ in results.top_n]
        exact = top.computes_count() and not partial
        total = top.total if exact else len(docnums)
        return Page(docnums, scores, total, exact=exact, partial=partial)

    def _estimate(self, searcher: Any, query: wq.Query, filters: Filters) -> int:
        try:
            estimate = int(query.estimate_size(searcher.reader()))
        except Exception:
            estimate = 0
        ceiling = len(filters.include) if filters.include is not None else searcher.doc_count()
        return min(estimate, ceiling)


def _column(reader: Any, name: str) -> list[Any]:
    column = reader.column_reader(name)
    return list(column)


def restrict_to_titles(query: wq.Query) -> wq.Query | None:
    """``query`` with its abstract terms removed (a subset of its matches), or None if
    that is not a subset (negations) and the title tier must be skipped."""
    if isinstance(query, wq.And):
        children = [restrict_to_titles(q) for q in query.subqueries]
        if any(c is None for c in children):
            return None
        if any(c is wq.NullQuery for c in children):
            return wq.NullQuery
        return wq.And([c for c in children if c is not None])
    if isinstance(query, wq.Or):
        children = [restrict_to_titles(q) for q in query.subqueries]
        if any(c is None for c in children):
            return None
        kept = [c for c in children if c is not None and c is not wq.NullQuery]
        if not kept:
            return wq.NullQuery
        return kept[0] if len(kept) == 1 else wq.Or(kept)
    if query.is_leaf():
        return wq.NullQuery if getattr(query, "fieldname", None) in _ABSTRACT_FIELDS else query
    return None
