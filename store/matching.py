"""Which papers match a query, as docnum sets built a posting block at a time.

Pure-Python Whoosh walks about a million postings a second, one at a time. Here a
term's docnums come from whole posting blocks (cached per segment: segments never
change), numeric ranges from the sortable columns, and boolean queries combine sets.
Sets are compressed bitmaps (:data:`DocSet`): the union of ``model``'s title and
abstract papers at 100,000 papers is microseconds in C, not milliseconds of hashing.
They are cached per index version for the last queries and their parts, so typing
``language mo`` after ``language m`` recomputes only the word being typed.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from .cache import SizedCache
from .docsets import DocSetQuery
from .engine_types import EMPTY, DocSet, reader_key, segment_key
from .ordering import Orderings
from .phrases import phrase_matches
from .posting_files import PostingFiles
from .weight_groups import WeightGroups, docnums_of, group_by_weight, size_of
from .whoosh_private import deleted_docs, leaf_postings, live_docnums

__all__ = ["TEXT_FIELDS", "MatchSets", "estimate", "is_null"]

POSTINGS_CACHE_IDS = 6_000_000  # postings kept: 12 MB at most (bitmaps, by weight)
MATCH_CACHE_IDS = 6_000_000  # docnums in cached match sets: 12 MB at most (bitmaps)
TEXT_FIELDS = frozenset(
    {"title", "title_prefix", "abstract", "organization", "author_names", "keywords"}
)
# Fields whose terms' docnums are read a block at a time (the others through Whoosh).
BLOCK_READ_FIELDS = TEXT_FIELDS | {"abstract_prefix"}


def is_null(query: wq.Query) -> bool:
    """True for Whoosh's query that matches nothing."""
    return query is wq.NullQuery or type(query) is type(wq.NullQuery)


class MatchSets:
    """Match sets and the postings they are built from, for one library."""

    def __init__(self, orderings: Orderings, saved: PostingFiles | None = None) -> None:
        self.orderings = orderings
        self.saved = saved if saved is not None else PostingFiles(None)
        """Common terms' postings saved beside the index (read before Whoosh's)."""
        # One entry per term and segment for matching and scoring alike: the weights
        # cost little more to read with the docnums (same blocks), a second read a lot.
        self._weighted: SizedCache[tuple[str, str, Any], WeightGroups] = SizedCache(
            POSTINGS_CACHE_IDS, size_of
        )
        # Match sets hold global docnums: valid for one index version only.
        self._sets: SizedCache[tuple[Any, ...], DocSet] = SizedCache(MATCH_CACHE_IDS, len)

    def matches(self, searcher: Any, query: wq.Query) -> DocSet:
        """Every docnum matching ``query``."""
        reader = searcher.reader()
        if isinstance(query, wq.Every):
            return live_docnums(reader)
        if is_null(query):
            return EMPTY
        try:
            key = (*reader_key(reader), query, hash(query))
        except TypeError:  # an unhashable query part: not cached
            return self._compute(searcher, query)
        cached = self._sets.get(key)
        if cached is not None:
            return cached
        result = self._compute(searcher, query)
        self._sets.put(key, result)
        return result

    def _compute(self, searcher: Any, query: wq.Query) -> DocSet:
        reader = searcher.reader()
        if isinstance(query, DocSetQuery):
            return query.docnums
        if isinstance(query, wq.Term) and query.fieldname in BLOCK_READ_FIELDS:
            return self._term_docnums(reader, query.fieldname, query.text)
        if type(query) is wq.Phrase and query.fieldname in TEXT_FIELDS:
            fieldname = query.fieldname
            found = phrase_matches(
                reader, query, lambda word: self.matches(searcher, wq.Term(fieldname, word))
            )
            if found is not None:
                return found
        if isinstance(query, (wq.Or, wq.DisjunctionMax)):
            return EMPTY.union(*(self.matches(searcher, sub) for sub in query.subqueries))
        if isinstance(query, wq.And):
            parts = sorted(query.subqueries, key=lambda q: estimate(q, reader))
            result = self.matches(searcher, parts[0])
            for sub in parts[1:]:
                if not result:
                    break
                result = result & self.matches(searcher, sub)
            return result
        if isinstance(query, wq.AndNot):
            return self.matches(searcher, query.a) - self.matches(searcher, query.b)
        if isinstance(query, wq.Not):
            return live_docnums(reader) - self.matches(searcher, query.query)
        if isinstance(query, wq.AndMaybe):
            return self.matches(searcher, query.a)
        if isinstance(query, wq.Require):
            return self.matches(searcher, query.a) & self.matches(searcher, query.b)
        return DocSet(searcher.docs_for_query(query))

    def _term_docnums(self, reader: Any, fieldname: str, text: Any) -> DocSet:
        parts: list[DocSet] = []
        for sub, offset in reader.leaf_readers():
            ids = docnums_of(self.weight_groups(sub, fieldname, text))
            deleted = deleted_docs(sub)
            if deleted:
                ids -= DocSet(deleted)
            parts.append(ids.shift(offset) if offset else ids)
        return EMPTY.union(*parts)

    def weight_groups(self, sub: Any, fieldname: str, text: Any) -> WeightGroups:
        """A term's postings in one segment by weight (deletions included), cached."""
        key = (segment_key(sub), fieldname, text)
        cached = self._weighted.get(key)
        if cached is None:
            cached = self.saved.get(sub, fieldname, text)
            if cached is None:
                cached = group_by_weight(*leaf_postings(sub, fieldname, text))
            self._weighted.put(key, cached)
        return cached


def estimate(query: wq.Query, reader: Any) -> int:
    """How many papers ``query`` could match (Whoosh's estimate; user-data parts know)."""
    if isinstance(query, DocSetQuery):
        return len(query.docnums)
    try:
        return int(query.estimate_size(reader))
    except NotImplementedError:
        return 1 << 30
