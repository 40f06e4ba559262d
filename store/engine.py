"""Running a query on a large library: which window of results, in which order.

What keeps search interactive on top of pure-Python Whoosh:

- **Match sets** (:mod:`store.matching`): counts are exact and cheap, and filter-only
  queries (``year:2024``) never touch the scorer.
- **Orderings** (:mod:`store.ordering`): listing and sorting by date, upvotes or title
  pick from a cached whole-library order.
- **Scoring only what is affordable.** A query with few postings is ranked by BM25F
  over titles and abstracts (in memory for small match sets, :mod:`store.scoring`).
  Otherwise title matches rank first (titles are short) and, when they do not fill the
  window, the other matches follow by BM25F if affordable, else newest first, which
  :attr:`ResultWindow.broad` reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from whoosh import query as wq
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.idsets import DocIdSet
from whoosh.searching import TimeLimit

from .deadline import DeadlineCollector
from .docsets import DocSetQuery
from .engine_types import EMPTY, DocSet, Filters, ResultWindow
from .matching import TEXT_FIELDS, MatchSets, is_null
from .ordering import Ordering, Orderings
from .posting_files import PostingFiles
from .score_bounds import best_by_bounds
from .scoring import CachedLengthBM25F, score_in_memory

__all__ = ["Engine", "SortName", "restrict_to_titles"]

SEARCH_BUDGET_S = 0.1
SCORE_POSTINGS_LIMIT = 60_000
BOUND_FROM_MATCHES = 2_000  # more matches than this: scored within score ceilings
PRECISE_POSTINGS_LIMIT = 8_000  # below this, every match is scored on title and abstract
_TITLE_FIELDS = {"title", "title_prefix"}
SortName = Literal["relevance", "published", "seen", "rising", "upvotes", "title", "priority"]


class Engine:
    """Runs queries for one library."""

    def __init__(
        self,
        weighting: CachedLengthBM25F,
        budget_s: float = SEARCH_BUDGET_S,
        cache_dir: Path | None = None,
    ) -> None:
        self.budget_s = budget_s
        self.weighting = weighting  # the searchers are made with it
        self.orderings = Orderings(cache_dir)
        self.match_sets = MatchSets(self.orderings, PostingFiles(cache_dir))
        self.custom_orders: dict[str, Callable[[Any], Ordering]] = {}
        """Orders computed elsewhere (``priority``), by sort name: searcher -> order."""

    def ordering(self, searcher: Any, sort: str) -> Ordering:
        """Every live docnum in ``sort`` order."""
        if sort in self.custom_orders:
            return self.custom_orders[sort](searcher)
        return self.orderings.get(searcher.reader(), sort)

    def matches(self, searcher: Any, query: wq.Query) -> DocSet:
        """Every docnum matching ``query``."""
        return self.match_sets.matches(searcher, query)

    def run(
        self,
        searcher: Any,
        query: wq.Query,
        *,
        sort: SortName,
        offset: int,
        limit: int,
        filters: Filters,
    ) -> ResultWindow:
        """The results of ``query`` from ``offset``, at most ``limit`` of them."""
        started = time.perf_counter()
        if isinstance(query, wq.Every) and not filters.active:
            ordered = self.ordering(searcher, "published" if sort == "relevance" else sort).docnums
            window = list(ordered[offset : offset + limit])
            return ResultWindow(window, [None] * len(window), len(ordered))
        if sort == "relevance" and not _has_text(query):
            sort = "published"  # filters only (year:2024): nothing to rank by
        matched = filters.apply(self.matches(searcher, query))
        if sort != "relevance":
            window = self.pick(searcher, sort, matched, offset + limit)[offset:]
            return ResultWindow(window, [None] * len(window), len(matched))
        # Scored in memory when the query allows it: no time limit, ties by docnum, so
        # windows at any offset agree with each other.
        in_memory = self._in_memory(searcher, query, matched, offset + limit)
        if in_memory is not None:
            docnums, scores = in_memory
            return ResultWindow(docnums[offset:], scores[offset:], len(matched))
        if _postings(query, searcher.reader()) <= PRECISE_POSTINGS_LIMIT:
            narrow = self._narrow(searcher, query, offset, limit, filters, started)
            if narrow is not None:
                return narrow
        return self._relevance(searcher, query, matched, offset, limit, started)

    def _in_memory(
        self, searcher: Any, query: wq.Query, allowed: DocSet, wanted: int
    ) -> tuple[list[int], list[float | None]] | None:
        if not allowed:
            return [], []
        sources = (self.weighting, self.match_sets.weight_groups)
        matches = lambda q: self.matches(searcher, q)  # noqa: E731
        if len(allowed) <= BOUND_FROM_MATCHES:
            found = score_in_memory(searcher, query, allowed, wanted, *sources, matches)
        else:  # a large match set: score only the papers that can be best
            found = best_by_bounds(searcher, query, allowed, wanted, *sources, matches)
        if found is None:
            return None
        docnums, values = found
        return docnums, [*values]

    def pick(self, searcher: Any, sort: str, matched: DocSet, wanted: int) -> list[int]:
        """The first ``wanted`` of ``matched`` in ``sort`` order."""
        ordering = self.ordering(searcher, sort)
        # Walk the order (in C) to the ``wanted``-th match: 0.1 ms for a few thousand
        # matches of 100,000 papers, 5 ms at worst (all of them last), against 20 ms to
        # build every paper's rank for a sort by it.
        picked = list(islice(filter(matched.__contains__, ordering.docnums), wanted))
        if len(picked) < min(wanted, len(matched)):  # papers the order lacks come last
            rest = list(matched - DocSet(picked))
            picked.extend(rest[: wanted - len(picked)])
        return picked

    def _narrow(
        self,
        searcher: Any,
        query: wq.Query,
        offset: int,
        limit: int,
        filters: Filters,
        started: float,
    ) -> ResultWindow | None:
        """A query with few postings: Whoosh scores it all within the budget."""
        remaining = self.budget_s - (time.perf_counter() - started)
        top = TopCollector(limit=offset + limit)
        inner: Any = top
        if filters.active:
            inner = FilterCollector(
                top, allow=_whoosh_ids(filters.include), restrict=_whoosh_ids(filters.exclude)
            )
        try:
            searcher.search_with_collector(
                query, DeadlineCollector(inner, timelimit=max(0.01, remaining))
            )
        except TimeLimit:
            return None
        results = top.results()
        docnums = [docnum for _, docnum in results.top_n][offset:]
        scores: list[float | None] = [float(score) for score, _ in results.top_n[offset:]]
        # Whoosh's collector counts miss documents it skips; the match set is exact.
        total = len(filters.apply(self.matches(searcher, query)))
        return ResultWindow(docnums, scores, total)

    def _relevance(
        self,
        searcher: Any,
        query: wq.Query,
        matched: DocSet,
        offset: int,
        limit: int,
        started: float,
    ) -> ResultWindow:
        wanted = offset + limit
        total = len(matched)
        if not matched:
            return ResultWindow([], [], 0)
        reader = searcher.reader()
        # Affordable: every match ranked by BM25F. Windows at any offset then agree with
        # each other (the ranking does not depend on how many results are asked for).
        if _postings(query, reader) <= SCORE_POSTINGS_LIMIT:
            scored = self._scored(searcher, query, matched, wanted, started)
            if scored is not None:
                return ResultWindow(scored[0][offset:], scored[1][offset:], total)
        # A broad query: every title match first (ranked by their titles if affordable,
        # else newest first), then the other matches newest first.
        docnums: list[int] = []
        scores: list[float | None] = []
        titles = restrict_to_titles(query)
        title_matches = EMPTY
        if titles is not None and not is_null(titles):
            title_matches = self.matches(searcher, titles) & matched
            if title_matches and _postings(titles, reader) <= SCORE_POSTINGS_LIMIT:
                scored = self._scored(searcher, titles, title_matches, wanted, started)
                if scored is not None:
                    docnums, scores = scored
        if not docnums and title_matches:
            docnums = self.pick(searcher, "published", title_matches, wanted)
            scores = [None] * len(docnums)
        if len(docnums) < wanted:
            rest = self.pick(
                searcher, "published", matched - DocSet(docnums), wanted - len(docnums)
            )
            docnums = docnums + rest
            scores = scores + [None] * len(rest)
        return ResultWindow(docnums[offset:], scores[offset:], total, broad=True)

    def _scored(
        self, searcher: Any, query: wq.Query, allowed: DocSet, wanted: int, started: float
    ) -> tuple[list[int], list[float | None]] | None:
        """BM25F top ``wanted`` among ``allowed``; None if the budget ran out."""
        in_memory = self._in_memory(searcher, query, allowed, wanted)
        if in_memory is not None:
            return in_memory
        remaining = self.budget_s - (time.perf_counter() - started)
        if remaining <= 0.01:
            return None
        top = TopCollector(limit=wanted)
        collector = DeadlineCollector(
            FilterCollector(top, allow=_whoosh_ids(allowed)), timelimit=remaining
        )
        try:
            searcher.search_with_collector(query, collector)
        except TimeLimit:
            return None
        results = top.results()
        return (
            [docnum for _, docnum in results.top_n],
            [float(score) for score, _ in results.top_n],
        )


class _WhooshIds(DocIdSet):  # type: ignore[misc]  # Whoosh is untyped
    """A :data:`DocSet` as Whoosh's collectors take a filter (a ``set`` or ``DocIdSet``)."""

    def __init__(self, docnums: DocSet) -> None:
        self.docnums = docnums

    def __contains__(self, docnum: object) -> bool:
        return docnum in self.docnums

    def __len__(self) -> int:
        return len(self.docnums)

    def __iter__(self) -> Iterator[int]:
        return iter(self.docnums)


def _whoosh_ids(docnums: DocSet | None) -> _WhooshIds | None:
    """``docnums`` for Whoosh's ``FilterCollector`` (None or empty: no filter)."""
    return _WhooshIds(docnums) if docnums else None


def _postings(query: wq.Query, reader: Any) -> int:
    """The cost of scoring ``query``: the postings it walks, weighted by how many terms
    a union juggles at each step (Whoosh's per-posting cost grows with them)."""
    terms = _leaf_terms(query)
    total = sum(int(reader.doc_frequency(fieldname, text)) for fieldname, text in terms)
    return total * max(1, len(terms) // 4)


def _leaf_terms(query: wq.Query) -> list[tuple[str, Any]]:
    return [(f, t) for f, t in query.iter_all_terms() if f in TEXT_FIELDS]


def _has_text(query: wq.Query) -> bool:
    return bool(_leaf_terms(query))


def restrict_to_titles(query: wq.Query) -> wq.Query | None:
    """``query`` with its non-title text terms removed (a subset of its matches), or None
    when that would not be a subset (negations)."""
    if isinstance(query, wq.And):
        children = [restrict_to_titles(q) for q in query.subqueries]
        if any(c is None for c in children):
            return None
        if any(c is not None and is_null(c) for c in children):
            return wq.NullQuery
        return wq.And([c for c in children if c is not None])
    if isinstance(query, wq.Or):
        children = [restrict_to_titles(q) for q in query.subqueries]
        if any(c is None for c in children):
            return None
        kept = [c for c in children if c is not None and not is_null(c)]
        if not kept:
            return wq.NullQuery
        return kept[0] if len(kept) == 1 else wq.Or(kept)
    if isinstance(query, DocSetQuery):
        return query
    if query.is_leaf():
        fieldname = getattr(query, "fieldname", None)
        if fieldname in TEXT_FIELDS and fieldname not in _TITLE_FIELDS:
            return wq.NullQuery
        return query
    return None
