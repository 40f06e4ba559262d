"""Running queries fast on a large library, on top of Whoosh.

Pure-Python Whoosh walks about a million postings a second, one at a time, so a query
of common words on a 100k-paper library would take most of a second. What keeps search
interactive:

- **Match sets, a block at a time.** Which papers match is computed as docnum sets from
  whole posting blocks (and sortable columns for numeric ranges), not posting by
  posting. Counts are exact and cheap, and filter-only queries (``year:2024``) never
  touch the scorer.
- **Cached orderings.** Listing, and sorting by date, upvotes or title, pick from a docnum
  order built from the sortable columns; columns are cached per segment (segments never
  change), so a new index version after a bookmark costs one re-sort.
- **Scoring only what is affordable.** A query with few postings is ranked by BM25 over
  titles and abstracts. Otherwise title matches rank first (scored among themselves:
  titles are short) and, when they do not fill the page, the other matches follow by
  BM25 if affordable, else newest first, which :attr:`Page.broad` reports.
"""

from __future__ import annotations

import contextlib
import struct
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, overload

from whoosh import query as wq
from whoosh.collectors import FilterCollector, TimeLimitCollector, TopCollector
from whoosh.searching import TimeLimit

from .atomic import atomic_write_bytes
from .errors import UnwritableError
from .scoring import CachedLengthBM25F, score_in_memory

__all__ = ["Engine", "Filters", "Page", "SizedCache", "restrict_to_titles"]

K = TypeVar("K")
V = TypeVar("V")

SEARCH_BUDGET_S = 0.1
SCORE_POSTINGS_LIMIT = 60_000
PRECISE_POSTINGS_LIMIT = 8_000  # below this, every match is scored on title and abstract
POSTINGS_CACHE_IDS = 3_000_000  # about 12 MB of docnums
MATCH_CACHE_IDS = 600_000  # docnums in cached match sets: about 35 MB
_ORDER_MAGIC = b"PDO1"
_MATCH_FIELDS = {"abstract": "abstract_terms"}  # the same terms, without positions
_TITLE_FIELDS = {"title", "title_prefix"}
_TEXT_FIELDS = {"title", "title_prefix", "abstract", "organization"}
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

    def apply(self, docnums: set[int]) -> set[int]:
        """The docnums that pass."""
        if self.include is not None:
            docnums = docnums & self.include
        return docnums - self.exclude if self.exclude else docnums


@dataclass
class Page:
    """Docnums of one page of results (best first) and the total."""

    docnums: list[int]
    scores: list[float | None]
    total: int
    exact: bool = True
    broad: bool = False


class Ordering:
    """Every live docnum in one sort order, and (built on first use) each one's rank."""

    def __init__(self, docnums: Sequence[int]) -> None:
        self.docnums = docnums
        self._rank: dict[int, int] | None = None

    @property
    def rank(self) -> dict[int, int]:
        """docnum -> position."""
        if self._rank is None:
            self._rank = {d: i for i, d in enumerate(self.docnums)}
        return self._rank


class SizedCache(Generic[K, V]):
    """A least-recently-used mapping bounded by the number of docnums its values hold.
    Thread-safe."""

    def __init__(self, limit: int, size: Callable[[V], int]) -> None:
        self.limit = limit
        self._size_of = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

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


class Engine:
    """Runs queries for one library; caches columns per segment and orderings per version."""

    def __init__(self, budget_s: float = SEARCH_BUDGET_S, cache_dir: Path | None = None) -> None:
        self.budget_s = budget_s
        self.cache_dir = cache_dir
        self.weighting = CachedLengthBM25F()  # searchers are made with it
        self._orderings: dict[tuple[int, str], Ordering] = {}
        self._columns: dict[tuple[str, str], list[Any]] = {}
        # Segments never change: their postings are cached by segment, term.
        self._postings: SizedCache[tuple[str, str, Any], array[int]] = SizedCache(
            POSTINGS_CACHE_IDS, len
        )
        self._weighted: SizedCache[tuple[str, str, Any], tuple[array[int], array[float]]] = (
            SizedCache(POSTINGS_CACHE_IDS // 2, lambda entry: len(entry[0]))
        )
        # Match sets hold global docnums: valid for one index version (reader) only.
        self._match_reader: Any = None
        self._match_sets: SizedCache[tuple[wq.Query, int], set[int]] = SizedCache(
            MATCH_CACHE_IDS, len
        )
        self._lock = threading.Lock()

    # -- columns and orderings ---------------------------------------------------------

    def column(self, reader: Any, name: str) -> list[Any]:
        """The values of a sortable column for every docnum of ``reader``."""
        values: list[Any] = []
        for sub, _offset in reader.leaf_readers():
            key = (_segment_key(sub), name)
            with self._lock:
                cached = self._columns.get(key)
            if cached is None:
                cached = list(sub.column_reader(name)) if sub.doc_count_all() else []
                with self._lock:
                    self._columns[key] = cached
            values.extend(cached)
        return values

    @overload
    def ordering(self, searcher: Any, sort: str) -> Ordering: ...

    @overload
    def ordering(self, searcher: Any, sort: str, *, saved_only: bool) -> Ordering | None: ...

    def ordering(self, searcher: Any, sort: str, *, saved_only: bool = False) -> Ordering | None:
        """Every live docnum in ``sort`` order (date, upvotes or title), cached. With
        ``saved_only``, None unless it is in memory or saved for this index version."""
        reader = searcher.reader()
        key = (id(reader), sort)
        with self._lock:
            cached = self._orderings.get(key)
        if cached is not None:
            return cached
        saved = self._load_ordering(reader, sort)
        if saved is None and saved_only:
            return None
        if saved is not None:
            docnums: Sequence[int] = saved
        else:
            docnums = computed = list(reader.all_doc_ids())
            if computed:
                column, descending = _SORT_COLUMNS[sort]
                values = self.column(reader, column)
                if column != "sort_title":
                    # Ties by title: stable when a bookmark rewrites a paper's document
                    # (which gives it a new docnum).
                    titles = self.column(reader, "sort_title")
                    computed.sort(key=titles.__getitem__)
                computed.sort(key=values.__getitem__, reverse=descending)
                self._save_ordering(reader, sort, computed)
        ordering = Ordering(docnums)
        with self._lock:
            live = {k: v for k, v in self._orderings.items() if k[0] == key[0]}
            self._orderings = {**live, key: ordering}
        return ordering

    def _ordering_file(self, sort: str) -> Path | None:
        return self.cache_dir / f"paperdeck-order-{sort}.bin" if self.cache_dir else None

    def _load_ordering(self, reader: Any, sort: str) -> Sequence[int] | None:
        """The saved ordering of this very index version, if any: opening a 100k library
        then costs a file read instead of reading and sorting a column."""
        path = self._ordering_file(sort)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) < 16 or data[:4] != _ORDER_MAGIC:
            return None
        generation, count = struct.unpack_from("<qI", data, 4)
        if generation != reader.generation() or count != reader.doc_count():
            return None
        docnums = array("I")
        docnums.frombytes(data[16 : 16 + 4 * count])
        return docnums if len(docnums) == count else None  # an array: no 100k-int list

    def _save_ordering(self, reader: Any, sort: str, docnums: list[int]) -> None:
        path = self._ordering_file(sort)
        generation = reader.generation()
        if path is None or sort != "date" or generation is None or not path.parent.is_dir():
            return
        header = _ORDER_MAGIC + struct.pack("<qI", generation, len(docnums))
        with contextlib.suppress(UnwritableError):
            atomic_write_bytes(path, header + array("I", docnums).tobytes())

    # -- match sets --------------------------------------------------------------------

    def matches(self, searcher: Any, query: wq.Query) -> set[int]:
        """Every docnum matching ``query``. The set may be shared: do not modify it.

        Sets are cached per index version for the last queries and their parts: typing
        ``language mo`` after ``language m`` recomputes only the word being typed.
        """
        reader = searcher.reader()
        if isinstance(query, wq.Every):
            return set(reader.all_doc_ids())
        if query is wq.NullQuery or type(query) is type(wq.NullQuery):
            return set()
        try:
            key = (query, hash(query))
        except TypeError:  # an unhashable query part: not cached
            return self._matches(searcher, query)
        with self._lock:
            if self._match_reader is not reader:
                self._match_reader = reader
                self._match_sets.clear()
        cached = self._match_sets.get(key)
        if cached is not None:
            return cached
        result = self._matches(searcher, query)
        with self._lock:
            if self._match_reader is reader:
                self._match_sets.put(key, result)
        return result

    def _matches(self, searcher: Any, query: wq.Query) -> set[int]:
        reader = searcher.reader()
        if isinstance(query, wq.Term) and query.fieldname in _TEXT_FIELDS:
            return self._term_docnums(reader, query.fieldname, query.text)
        if isinstance(query, wq.NumericRange) and reader.has_column(query.fieldname):
            return self._range_docnums(reader, query)
        if isinstance(query, (wq.Or, wq.DisjunctionMax)):
            result: set[int] = set()
            for sub in query.subqueries:
                result |= self.matches(searcher, sub)
            return result
        if isinstance(query, wq.And):
            parts = sorted(query.subqueries, key=lambda q: _estimate(q, reader))
            result = self.matches(searcher, parts[0])
            for sub in parts[1:]:
                if not result:
                    break
                result = result & self.matches(searcher, sub)
            return result
        if isinstance(query, wq.AndNot):
            return self.matches(searcher, query.a) - self.matches(searcher, query.b)
        if isinstance(query, wq.Not):
            return set(reader.all_doc_ids()) - self.matches(searcher, query.query)
        if isinstance(query, wq.AndMaybe):
            return self.matches(searcher, query.a)
        if isinstance(query, wq.Require):
            return self.matches(searcher, query.a) & self.matches(searcher, query.b)
        return set(searcher.docs_for_query(query))

    def _term_docnums(self, reader: Any, fieldname: str, text: Any) -> set[int]:
        fieldname = _MATCH_FIELDS.get(fieldname, fieldname)
        result: set[int] = set()
        for sub, offset in reader.leaf_readers():
            ids = self._segment_postings(sub, fieldname, text)
            if offset:
                result.update(i + offset for i in ids)
            else:
                result.update(ids)
            deleted = getattr(sub, "deleted_docs_set", None)
            if deleted:
                result.difference_update(d + offset for d in deleted)
        return result

    def _segment_postings(self, sub: Any, fieldname: str, text: Any) -> array[int]:
        """A term's docnums in one segment (deletions included), cached: segments never
        change, and the words being typed come back at every key."""
        key = (_segment_key(sub), fieldname, text)
        cached = self._postings.get(key)
        if cached is None:
            cached = array("I", _leaf_ids(sub, fieldname, text))
            self._postings.put(key, cached)
        return cached

    def weighted_postings(
        self, sub: Any, fieldname: str, text: Any
    ) -> tuple[array[int], array[float]]:
        """A term's docnums and weights in one segment, cached like the docnums alone."""
        fieldname = _MATCH_FIELDS.get(fieldname, fieldname)
        key = (_segment_key(sub), fieldname, text)
        cached = self._weighted.get(key)
        if cached is None:
            ids, weights = _leaf_postings(sub, fieldname, text)
            cached = (array("I", ids), array("f", weights))
            self._weighted.put(key, cached)
        return cached

    def _range_docnums(self, reader: Any, query: wq.NumericRange) -> set[int]:
        values = self.column(reader, query.fieldname)
        low, high = query.start, query.end
        result = {
            d
            for d in reader.all_doc_ids()
            if (low is None or values[d] > low or (values[d] == low and not query.startexcl))
            and (high is None or values[d] < high or (values[d] == high and not query.endexcl))
        }
        return result

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
        started = time.perf_counter()
        if isinstance(query, wq.Every) and not filters.active:
            ordered = self.ordering(searcher, "date" if sort == "relevance" else sort).docnums
            window = list(ordered[offset : offset + limit])
            return Page(window, [None] * len(window), len(ordered))
        if sort == "relevance" and not _has_text(query):
            sort = "date"  # filters only (year:2024): nothing to rank by
        if sort == "relevance" and _postings(query, searcher.reader()) <= PRECISE_POSTINGS_LIMIT:
            page = self._narrow(searcher, query, offset, limit, filters, started)
            if page is not None:
                return page
        matched = filters.apply(self.matches(searcher, query))
        if sort != "relevance":
            window = self._pick(searcher, sort, matched, offset + limit)[offset:]
            return Page(window, [None] * len(window), len(matched))
        return self._relevance(searcher, query, matched, offset, limit, started)

    def _pick(self, searcher: Any, sort: str, matched: set[int], wanted: int) -> list[int]:
        """The first ``wanted`` of ``matched`` in ``sort`` order."""
        ordering = self.ordering(searcher, sort)
        if len(matched) * 8 >= len(ordering.docnums):  # dense: walk the order, stop early
            picked: list[int] = []
            for docnum in ordering.docnums:
                if docnum in matched:
                    picked.append(docnum)
                    if len(picked) >= wanted:
                        break
            return picked
        rank = ordering.rank
        return sorted(matched, key=lambda d: rank.get(d, 1 << 60))[:wanted]

    def _narrow(
        self,
        searcher: Any,
        query: wq.Query,
        offset: int,
        limit: int,
        filters: Filters,
        started: float,
    ) -> Page | None:
        """A query with few postings: Whoosh scores it all within the budget."""
        remaining = self.budget_s - (time.perf_counter() - started)
        top = TopCollector(limit=offset + limit)
        inner: Any = top
        if filters.active:
            inner = FilterCollector(top, allow=filters.include, restrict=filters.exclude or None)
        try:
            searcher.search_with_collector(
                query, TimeLimitCollector(inner, timelimit=max(0.01, remaining), use_alarm=False)
            )
        except TimeLimit:
            return None
        results = top.results()
        docnums = [docnum for _, docnum in results.top_n][offset:]
        scores: list[float | None] = [float(score) for score, _ in results.top_n[offset:]]
        # Whoosh's collector counts miss documents it skips; the match set is exact.
        total = len(filters.apply(self.matches(searcher, query)))
        return Page(docnums, scores, total)

    def _relevance(
        self,
        searcher: Any,
        query: wq.Query,
        matched: set[int],
        offset: int,
        limit: int,
        started: float,
    ) -> Page:
        wanted = offset + limit
        total = len(matched)
        if not matched:
            return Page([], [], 0)
        reader = searcher.reader()
        # Title matches first: titles are short, and a title match is the best evidence.
        docnums: list[int] = []
        scores: list[float | None] = []
        titles = restrict_to_titles(query)
        title_matches: set[int] = set()
        if titles is not None and titles is not wq.NullQuery:
            title_matches = self.matches(searcher, titles) & matched
            if title_matches and _postings(titles, reader) <= SCORE_POSTINGS_LIMIT:
                scored = self._scored(searcher, titles, title_matches, wanted, started)
                if scored is not None:
                    docnums, scores = scored
            if len(docnums) >= wanted:
                return Page(docnums[offset:], scores[offset:], total)
        if _postings(query, reader) <= SCORE_POSTINGS_LIMIT:
            scored = self._scored(searcher, query, matched, wanted, started)
            if scored is not None:
                docnums, scores = scored
                return Page(docnums[offset:], scores[offset:], total)
        # A broad query: the title matches, then the rest newest first.
        if not docnums and title_matches:
            docnums = self._pick(searcher, "date", title_matches, wanted)
            scores = [None] * len(docnums)
        if len(docnums) < wanted:
            seen = set(docnums)
            rest = self._pick(searcher, "date", matched - seen, wanted - len(docnums))
            docnums = docnums + rest
            scores = scores + [None] * len(rest)
        return Page(docnums[offset:], scores[offset:], total, broad=True)

    def _scored(
        self, searcher: Any, query: wq.Query, allowed: set[int], wanted: int, started: float
    ) -> tuple[list[int], list[float | None]] | None:
        """BM25 top ``wanted`` among ``allowed``; None if the budget ran out."""
        in_memory = score_in_memory(
            searcher,
            query,
            allowed,
            wanted,
            self.weighting,
            self.weighted_postings,
            lambda q: self.matches(searcher, q),
        )
        if in_memory is not None:
            docnums, values = in_memory
            return docnums, [*values]
        remaining = self.budget_s - (time.perf_counter() - started)
        if remaining <= 0.01:
            return None
        top = TopCollector(limit=wanted)
        collector = TimeLimitCollector(
            FilterCollector(top, allow=allowed), timelimit=remaining, use_alarm=False
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


def _segment_key(sub: Any) -> str:
    segment = sub.segment()
    return str(segment.segment_id()) if segment is not None else str(id(sub))


def _leaf_ids(sub: Any, fieldname: str, text: Any) -> list[int]:
    """Docnums of one term in one segment, read a posting block at a time."""
    return _leaf_postings(sub, fieldname, text, with_weights=False)[0]


def _leaf_postings(
    sub: Any, fieldname: str, text: Any, *, with_weights: bool = True
) -> tuple[list[int], list[float]]:
    """Docnums (and weights) of one term in one segment, a posting block at a time.

    Reads Whoosh's blocks directly and undoes the docnum deltas with ``accumulate`` (C)
    instead of Whoosh's per-posting generator: a third of the time for common words.
    """
    ids: list[int] = []
    weights: list[float] = []
    try:
        if sub.doc_frequency(fieldname, text) == 0:
            return ids, weights
        btext = sub._text_to_bytes(fieldname, text)
        matcher = sub._terms.matcher(fieldname, btext, sub.schema[fieldname].format)
        while matcher.is_active():
            if matcher._ids is None:
                if matcher._data is None:
                    matcher._read_data()
                block = matcher._data[0]
                matcher._ids = tuple(block if matcher._byteids else accumulate(block))
            ids.extend(matcher._ids[matcher._i :])
            if with_weights:
                if matcher._weights is None:
                    matcher._read_weights()
                weights.extend(matcher._weights[matcher._i :])
            matcher._next_block()
    except AttributeError:  # another codec: the slow, public way
        ids, weights = [], []
        matcher = sub.postings(fieldname, text)
        while matcher.is_active():
            ids.append(matcher.id())
            if with_weights:
                weights.append(matcher.weight())
            matcher.next()
    except Exception:
        return [], []
    return ids, weights


def _estimate(query: wq.Query, reader: Any) -> int:
    try:
        return int(query.estimate_size(reader))
    except Exception:
        return 1 << 30


def _postings(query: wq.Query, reader: Any) -> int:
    """The cost of scoring ``query``: the postings it walks, weighted by how many terms
    a union juggles at each step (Whoosh's per-posting cost grows with them)."""
    terms = _leaf_terms(query)
    total = 0
    for fieldname, text in terms:
        try:
            total += int(reader.doc_frequency(fieldname, text))
        except Exception:
            continue
    return total * max(1, len(terms) // 4)


def _leaf_terms(query: wq.Query) -> list[tuple[str, Any]]:
    try:
        return [(f, t) for f, t in query.iter_all_terms() if f in _TEXT_FIELDS]
    except Exception:
        return []


def _has_text(query: wq.Query) -> bool:
    return bool(_leaf_terms(query))


def restrict_to_titles(query: wq.Query) -> wq.Query | None:
    """``query`` with its non-title text terms removed (a subset of its matches), or None
    when that would not be a subset (negations)."""
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
        fieldname = getattr(query, "fieldname", None)
        if fieldname in _TEXT_FIELDS and fieldname not in _TITLE_FIELDS:
            return wq.NullQuery
        return query
    return None
