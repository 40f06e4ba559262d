"""The search policy, start to end: build the query, run it, loosen it if it found
nothing, suggest a spelling, highlight the hits. :meth:`SearchPolicy.search` reads in
that order."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from whoosh import query as wq

from .arrivals import arrived_after
from .cache import SizedCache
from .docsets import resolve_ranges
from .engine import Engine, SortName
from .engine_types import EMPTY, DocSet, Filters, ResultWindow
from .highlight import Highlighter, best_fragment
from .models import Fragment, Paper, Results, SearchHit, SortKey, UserEntry, normal_sort
from .query import ParsedQuery, QueryBuilder
from .records import paper_from_stored
from .user_fields import filters_for, resolve_user_fields

__all__ = ["MAX_RESULTS", "SearchPolicy", "SearchRequest"]

MAX_RESULTS = 10_000  # one window; a list of every match pages through windows
RECENT_ANSWERS = 32

_SYNTAX_NOTICE = "The query's syntax was not understood; searched for its plain words."
_BROAD_NOTICE = (
    "A broad query: the best title matches come first, then the other matches, newest "
    "first. More words rank more precisely."
)


@dataclass(frozen=True)
class SearchRequest:
    """What the caller asked for."""

    text: str = ""
    sort: SortKey = "relevance"
    limit: int = 20
    offset: int = 0
    as_you_type: bool = False
    bookmarked: bool | None = None
    read: bool | None = None
    tag: str | None = None
    arrived_after: datetime | None = None  # only papers that first arrived later


@dataclass
class _Plan:
    """A request made ready to run: its parse, query, sort, filters and first notice."""

    parsed: ParsedQuery
    query: wq.Query
    sort: SortName
    filters: Filters
    notice: str | None


class SearchPolicy:
    """How a library answers a search."""

    def __init__(self, queries: QueryBuilder, engine: Engine) -> None:
        self.queries = queries
        self.engine = engine
        self.highlighter = Highlighter(queries.index_form)
        # Whole answers, for a search asked again (back to a query, the same page twice)
        # under the same index version and user data: equal keys, equal answers.
        self._answers: SizedCache[tuple[object, ...], Results] = SizedCache(RECENT_ANSWERS)

    def search(
        self,
        searcher: Any,
        request: SearchRequest,
        entries: Mapping[str, UserEntry],
        user_version: object,
    ) -> Results:
        """Answer ``request``. Never raises on what the user typed."""
        started = time.perf_counter()
        key = (request, self.engine.orderings.version(searcher.reader()), user_version)
        known = self._answers.get(key)
        if known is not None:
            elapsed = (time.perf_counter() - started) * 1000
            return known.model_copy(update={"elapsed_ms": elapsed})
        answer = self._answer(searcher, request, entries, user_version, started)
        self._answers.put(key, answer)
        return answer

    def _answer(
        self,
        searcher: Any,
        request: SearchRequest,
        entries: Mapping[str, UserEntry],
        user_version: object,
        started: float,
    ) -> Results:
        limit = max(1, min(request.limit, MAX_RESULTS))
        offset = max(0, request.offset)
        reader = searcher.reader()
        plan = self._plan(searcher, request, entries, user_version)
        parsed, query, sort, filters = plan.parsed, plan.query, plan.sort, plan.filters
        notice = plan.notice

        # 2. Run.
        def run(q: wq.Query) -> ResultWindow:
            return self.engine.run(
                searcher, q, sort=sort, offset=offset, limit=limit, filters=filters
            )

        window = run(query)
        exact_total = window.total

        # 3. Loosen: nothing found, so each word as a prefix or a near spelling.
        if window.total == 0 and (loose := self._loosened(parsed, reader)) is not None:
            loose_window = run(loose)
            if loose_window.total:
                window = loose_window
                query = loose
                notice = (
                    f"No exact matches for {parsed.text!r}; showing prefix and "
                    "near-spelling matches."
                )
        if window.broad and notice is None:
            notice = _BROAD_NOTICE

        # 4. Suggest: a "did you mean" when the query found little.
        suggestion = None
        if exact_total < 3 and parsed.words:
            # The word being typed is only a prefix; judge it only if nothing matched.
            unfinished = parsed.prefix_word is not None and exact_total > 0
            words = parsed.words[:-1] if unfinished else parsed.words
            suggestion = self.queries.suggest(words, reader, parsed.prefix_word)

        # 5. Highlight.
        hits = self._hits(reader, window, query, entries)
        return Results(
            query=request.text,
            total=window.total,
            total_exact=window.exact,
            offset=offset,
            hits=hits,
            sort=sort,
            notice=notice,
            suggestion=suggestion,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    def matching(
        self,
        searcher: Any,
        request: SearchRequest,
        entries: Mapping[str, UserEntry],
        user_version: object,
        *,
        exact: bool = False,
    ) -> DocSet:
        """Every docnum the results of ``request`` hold (loosened as they would be), in
        no order: what "select all matches" selects, without reading a paper. With
        ``exact``, only the exact matches: no near spellings, and nothing for a query
        of only common words or one that could not be understood."""
        plan = self._plan(searcher, request, entries, user_version)
        parsed = plan.parsed
        if exact and (parsed.stop_words or parsed.fell_back or parsed.is_everything):
            return EMPTY
        matched = plan.filters.apply(self.engine.matches(searcher, plan.query))
        loose = None if matched or exact else self._loosened(parsed, searcher.reader())
        if loose is not None:
            matched = plan.filters.apply(self.engine.matches(searcher, loose))
        return matched

    def _loosened(self, parsed: ParsedQuery, reader: Any) -> wq.Query | None:
        """Step 3's query: each word as a prefix or a near spelling (None: no words)."""
        if not parsed.words or parsed.is_everything:
            return None
        return self.queries.loosen(parsed.words, reader, parsed.prefix_word)

    def _plan(
        self,
        searcher: Any,
        request: SearchRequest,
        entries: Mapping[str, UserEntry],
        user_version: object,
    ) -> _Plan:
        """Step 1: the user's text as a query; tag:, bookmarked: and read: from their data."""
        reader = searcher.reader()
        parsed = self.queries.build(request.text, reader, as_you_type=request.as_you_type)
        query = resolve_user_fields(parsed.query, reader, entries, user_version)
        query = resolve_ranges(query, reader, self.engine.orderings)
        sort = cast(SortName, normal_sort(request.sort))
        if parsed.is_everything and sort == "relevance":
            sort = "published"
        filters = filters_for(
            reader, entries, bookmarked=request.bookmarked, read=request.read, tag=request.tag
        )
        if request.arrived_after is not None:
            arrived = arrived_after(reader, self.engine.orderings, request.arrived_after)
            filters.include = arrived if filters.include is None else filters.include & arrived
        notice = _SYNTAX_NOTICE if parsed.fell_back else None
        if parsed.stop_words:
            notice = (
                f"{parsed.text!r} has only words too common to search for; showing every paper."
            )
        return _Plan(parsed, query, sort, filters, notice)

    def _fragment_maker(self, abstract: str, words: set[str]) -> Callable[[], Fragment]:
        """Highlights ``abstract`` when called (the first time the fragment is read)."""

        def make() -> Fragment:
            return best_fragment(abstract, self.highlighter.spans(abstract, words))

        return make

    def _hits(
        self,
        reader: Any,
        window: ResultWindow,
        query: wq.Query,
        entries: Mapping[str, UserEntry],
    ) -> list[SearchHit]:
        words: set[str] = set()
        prefixes: set[str] = set()
        for fieldname, term in _query_terms(query):
            if fieldname in ("title", "abstract"):
                words.add(term)
            elif fieldname == "title_prefix":
                prefixes.add(term)
        hits: list[SearchHit] = []
        for docnum, score in zip(window.docnums, window.scores, strict=True):
            paper: Paper = paper_from_stored(reader.stored_fields(docnum)["data"])
            paper = paper.with_user(entries.get(paper.id))
            hit = SearchHit(
                paper=paper,
                score=score,
                title_spans=self.highlighter.spans(paper.title, words, prefixes),
            )
            hits.append(hit.with_fragment(self._fragment_maker(paper.abstract, words)))
        return hits


def _query_terms(query: wq.Query) -> Iterator[tuple[str, str]]:
    """The concrete (field, text) terms of a query, after prefix and fuzzy expansion."""
    for fieldname, term in query.iter_all_terms():
        if isinstance(term, bytes):
            try:
                term = term.decode("utf-8")
            except UnicodeDecodeError:
                continue
        if isinstance(term, str):
            yield fieldname, term
