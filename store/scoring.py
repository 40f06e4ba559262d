"""BM25F: Whoosh's formula, with field lengths read once per segment, and in memory.

Both Whoosh's scorer and the in-memory scorer below call Whoosh's own pure function
``whoosh.scoring.bm25``, so their scores agree.


Whoosh's BM25F scorer asks the index for a document's field length at every posting it
scores: a column read through the file layer, about a third of the cost of ranking a
few thousand matches. Segments never change, so the lengths of a scored field are read
once per segment (one byte per document, decoded through Whoosh's own length table)
and looked up in memory afterwards. Scores are identical to Whoosh's.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from whoosh import query as wq
from whoosh.scoring import BM25F, BM25FScorer, bm25

from .cache import SizedCache
from .docsets import DocSetQuery
from .whoosh_private import field_lengths as read_field_lengths

__all__ = ["CachedLengthBM25F", "score_in_memory"]

LENGTHS_CACHE_VALUES = 8_000_000  # field lengths kept, all segments: 4 bytes each


class CachedLengthBM25F(BM25F):  # type: ignore[misc]  # Whoosh is untyped
    """Whoosh's BM25F, with each segment's field lengths cached in memory.

    Organisation names are not normalised by length (B = 0): most papers have none, so
    the average is tiny and a two-word name would weigh almost nothing (``nvidia``
    ranked the one NVIDIA paper last)."""

    def __init__(self) -> None:
        super().__init__(organization_B=0.0)
        self._lengths: SizedCache[tuple[str, str], array[int]] = SizedCache(
            LENGTHS_CACHE_VALUES, len
        )

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, BM25FScorer) and searcher.is_atomic():
            lengths = self.field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer

    def field_lengths(self, reader: Any, fieldname: str) -> array[int] | None:
        """Every document's length of ``fieldname`` in one segment (Whoosh's default of
        1 where none was stored), or None when the codec does not allow reading them
        at once (scoring then asks Whoosh per posting, as usual)."""
        segment = reader.segment() if hasattr(reader, "segment") else None
        if segment is None:
            return None
        key = (str(segment.segment_id()), fieldname)
        cached = self._lengths.get(key)
        if cached is not None:
            return cached
        lengths = read_field_lengths(reader, fieldname)
        if lengths is not None:
            self._lengths.put(key, lengths)
        return lengths


# -- scoring a small match set in memory ------------------------------------------------

Postings = tuple[Sequence[int], Sequence[float]]
"""One segment's postings of a term: sorted local docnums and their weights."""
PostingsSource = Callable[[Any, str, Any], Postings]
"""(segment reader, field, term text) -> that segment's postings of the term."""
MatchSource = Callable[[Any], set[int]]
"""query -> every docnum matching it."""

MEMORY_SCORE_LIMIT = 40_000  # leaf terms x documents to score: above it, Whoosh scores


def score_in_memory(
    searcher: Any,
    query: wq.Query,
    allowed: set[int],
    wanted: int,
    weighting: CachedLengthBM25F,
    postings: PostingsSource,
    matches: MatchSource,
) -> tuple[list[int], list[float]] | None:
    """The ``wanted`` best of ``allowed`` by BM25F, as Whoosh would score them, or None
    when the query has parts this does not score (phrases, ranges...) or is too big.

    Whoosh walks every posting of every term to score a query, so two common words
    cost a pass over ~100k postings even when they meet in a few hundred papers. Here
    each term's postings (cached by the engine) are looked up by binary search for just
    the allowed papers: the cost follows the size of the answer, not of the words.
    """
    leaves = _scored_leaves(query)
    if leaves is None or len(leaves) * len(allowed) > MEMORY_SCORE_LIMIT:
        return None
    segments = [
        (sub, offset, sub.doc_count_all()) for sub, offset in searcher.reader().leaf_readers()
    ]
    ordered = sorted(allowed)
    per_segment = []
    for sub, offset, count in segments:
        low = bisect_left(ordered, offset)
        high = bisect_left(ordered, offset + count)
        per_segment.append((sub, offset, ordered[low:high]))
    context = _Context(searcher, weighting, postings, matches, per_segment)
    scores = context.score(query)
    if scores is None:
        return None
    best = heapq.nsmallest(wanted, scores.items(), key=lambda item: (-item[1], item[0]))
    return [docnum for docnum, _ in best], [score for _, score in best]


def _scored_leaves(query: wq.Query) -> list[wq.Term] | None:
    """The term leaves of a query made only of terms, And, Or and AndNot; else None."""
    if type(query) is wq.Term:
        return [query]
    if type(query) is wq.And or (
        type(query) is wq.Or and query.scale is None and not query.minmatch
    ):
        leaves: list[wq.Term] = []
        for sub in query.subqueries:
            found = _scored_leaves(sub)
            if found is None:
                return None
            leaves.extend(found)
        return leaves
    if type(query) is wq.AndNot:
        return _scored_leaves(query.a)
    if type(query) is wq.Not or isinstance(query, DocSetQuery):
        return []  # scores a constant: see _Context.score
    return None


class _Context:
    """What scoring one query needs: searcher statistics, postings, the allowed papers."""

    def __init__(
        self,
        searcher: Any,
        weighting: CachedLengthBM25F,
        postings: PostingsSource,
        matches: MatchSource,
        per_segment: list[tuple[Any, int, list[int]]],
    ) -> None:
        self.searcher = searcher
        self.weighting = weighting
        self.postings = postings
        self.matches = matches
        self.per_segment = per_segment

    def score(self, query: wq.Query) -> dict[int, float] | None:
        """docnum -> score for the allowed papers ``query`` matches."""
        if type(query) is wq.Term:
            result = self._term(query.fieldname, query.text)
        elif type(query) is wq.And:
            parts = [self.score(sub) for sub in query.subqueries]
            if any(part is None for part in parts):
                return None
            present = [p for p in parts if p is not None]
            common = set(present[0]).intersection(*present[1:]) if present else set()
            result = {d: sum(p[d] for p in present) for d in common}
        elif type(query) is wq.Or:
            result = {}
            for sub in query.subqueries:
                part = self.score(sub)
                if part is None:
                    return None
                for docnum, value in part.items():
                    result[docnum] = result.get(docnum, 0.0) + value
        elif type(query) is wq.AndNot:
            kept = self.score(query.a)
            if kept is None:
                return None
            excluded = self.matches(query.b)
            return {d: s for d, s in kept.items() if d not in excluded}
        elif isinstance(query, DocSetQuery):
            # Like a boolean field in Whoosh: 1.0 for every paper it lets through.
            return {
                d: 1.0 for _, _, docnums in self.per_segment for d in docnums if d in query.docnums
            }
        elif type(query) is wq.Not:
            # Whoosh's inverse matcher scores 1.0 for every paper it lets through.
            excluded = self.matches(query.query)
            return {
                d: 1.0 for _, _, docnums in self.per_segment for d in docnums if d not in excluded
            }
        else:
            return None
        boost = float(query.boost)
        if boost != 1.0:
            result = {d: s * boost for d, s in result.items()}
        return result

    def _term(self, fieldname: str, text: Any) -> dict[int, float]:
        searcher = self.searcher
        if fieldname not in searcher.schema:
            return {}
        field = searcher.schema[fieldname]
        scorable = bool(field.scorable)
        idf = float(searcher.idf(fieldname, text)) if scorable else 0.0
        avgfl = float(searcher.avg_field_length(fieldname) or 1)
        b = float(self.weighting._field_B.get(fieldname, self.weighting.B))
        k1 = float(self.weighting.K1)
        result: dict[int, float] = {}
        formula: dict[tuple[float, int], float] = {}  # the same inputs, the same float
        for sub, offset, docnums in self.per_segment:
            if not docnums:
                continue
            ids, weights = self.postings(sub, fieldname, text)
            if not ids:
                continue
            lengths = self.weighting.field_lengths(sub, fieldname) if scorable else None
            for local, i in _allowed_postings(ids, docnums, offset):
                weight = float(weights[i])
                if not scorable:
                    result[local + offset] = weight
                    continue
                length = (
                    lengths[local]
                    if lengths is not None
                    else sub.doc_field_length(local, fieldname, 1)
                )
                value = formula.get((weight, length))
                if value is None:
                    value = formula[weight, length] = bm25(idf, weight, length, avgfl, b, k1)
                result[local + offset] = value
        return result


def _allowed_postings(
    ids: Sequence[int], docnums: list[int], offset: int
) -> Iterator[tuple[int, int]]:
    """(segment docnum, posting index) of each posting of ``ids`` (sorted, one segment)
    whose paper is among ``docnums`` (sorted, global): the postings walked when the
    papers are many, each paper looked up by binary search when they are few."""
    count = len(ids)
    if len(docnums) * 4 >= count:
        allowed = set(docnums) if not offset else {d - offset for d in docnums}
        for i, local in enumerate(ids):
            if local in allowed:
                yield local, i
        return
    for docnum in docnums:
        local = docnum - offset
        i = bisect_left(ids, local)
        if i < count and ids[i] == local:
            yield local, i
