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
from collections.abc import Callable, Iterable
from itertools import compress, filterfalse, repeat
from operator import add
from typing import Any

from whoosh import query as wq
from whoosh.scoring import BM25F, BM25FScorer, bm25

from .cache import SizedCache
from .docsets import DocSetQuery
from .engine_types import DocSet, in_segment
from .weight_groups import WeightGroups
from .whoosh_private import field_lengths as read_field_lengths

__all__ = [
    "CachedLengthBM25F",
    "TermParameters",
    "best_of",
    "score_in_memory",
    "scored_leaves",
    "scores_of",
    "term_parameters",
]

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

PostingsSource = Callable[[Any, str, Any], WeightGroups]
"""(segment reader, field, term text) -> that segment's postings of the term by weight."""
MatchSource = Callable[[Any], DocSet]
"""query -> every docnum matching it."""

MEMORY_SCORE_LIMIT = 40_000  # leaf terms x documents to score: above it, Whoosh scores


def score_in_memory(
    searcher: Any,
    query: wq.Query,
    allowed: DocSet,
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
    the allowed papers (a bitmap intersection per weight): the cost follows the size of
    the answer, not of the words.
    """
    leaves = scored_leaves(query)
    if leaves is None or len(leaves) * len(allowed) > MEMORY_SCORE_LIMIT:
        return None
    scores = scores_of(searcher, query, allowed, weighting, postings, matches)
    if scores is None:
        return None
    return best_of(scores, wanted)


def best_of(scores: dict[int, float], wanted: int) -> tuple[list[int], list[float]]:
    """The ``wanted`` highest scores, ties by docnum (as Whoosh's collector breaks them).

    The ``wanted``-th best value is found among bare floats (in C) and only the papers
    scoring at least that are sorted: a third of a keyed heap over every paper."""
    if wanted <= 0:
        return [], []
    if len(scores) > wanted:
        kth = heapq.nlargest(wanted, scores.values())[-1]
        items = list(compress(scores.items(), map(kth.__le__, scores.values())))
    else:
        items = list(scores.items())
    items.sort(key=lambda item: (-item[1], item[0]))
    best = items[:wanted]
    return [docnum for docnum, _ in best], [score for _, score in best]


def scores_of(
    searcher: Any,
    query: wq.Query,
    docnums: DocSet,
    weighting: CachedLengthBM25F,
    postings: PostingsSource,
    matches: MatchSource,
) -> dict[int, float] | None:
    """docnum -> BM25F score of each of ``docnums`` (all matching ``query``), or None
    when the query has parts this does not score."""
    per_segment = [
        (sub, offset, in_segment(docnums, offset, sub.doc_count_all()))
        for sub, offset in searcher.reader().leaf_readers()
    ]
    return _Context(searcher, weighting, postings, matches, docnums, per_segment).score(query)


def scored_leaves(query: wq.Query) -> list[wq.Term] | None:
    """The term leaves of a query made only of terms, And, Or and AndNot; else None."""
    if type(query) is wq.Term:
        return [query]
    if type(query) is wq.And or (
        type(query) is wq.Or and query.scale is None and not query.minmatch
    ):
        leaves: list[wq.Term] = []
        for sub in query.subqueries:
            found = scored_leaves(sub)
            if found is None:
                return None
            leaves.extend(found)
        return leaves
    if type(query) is wq.AndNot:
        return scored_leaves(query.a)
    if type(query) is wq.Phrase and query.words:
        return [wq.Term(query.fieldname, word) for word in query.words]
    if type(query) is wq.Not or isinstance(query, DocSetQuery):
        return []  # scores a constant: see _Context.score
    return None


TermParameters = tuple[bool, float, float, float, float]
"""What BM25F needs of a term besides its postings: scorable, idf, avgfl, B, K1."""


def term_parameters(
    searcher: Any, weighting: CachedLengthBM25F, fieldname: str, text: Any
) -> TermParameters:
    """A term's BM25F inputs, as Whoosh's scorer reads them (the field must exist)."""
    scorable = bool(searcher.schema[fieldname].scorable)
    idf = float(searcher.idf(fieldname, text)) if scorable else 0.0
    avgfl = float(searcher.avg_field_length(fieldname) or 1)
    b = float(weighting._field_B.get(fieldname, weighting.B))
    return scorable, idf, avgfl, b, float(weighting.K1)


class _Context:
    """What scoring one query needs: searcher statistics, postings, the allowed papers."""

    def __init__(
        self,
        searcher: Any,
        weighting: CachedLengthBM25F,
        postings: PostingsSource,
        matches: MatchSource,
        allowed: DocSet,
        per_segment: list[tuple[Any, int, DocSet]],
    ) -> None:
        self.searcher = searcher
        self.weighting = weighting
        self.postings = postings
        self.matches = matches
        self.allowed = allowed
        self.per_segment = per_segment  # (segment, offset, its allowed docnums, local)

    def score(self, query: wq.Query) -> dict[int, float] | None:
        """docnum -> score for the allowed papers ``query`` matches.

        Sums run in C (``map`` over ``operator.add``), in the order of the query's parts,
        as the per-paper loops they replace did: the same floats."""
        if type(query) is wq.Term:
            result = self._term(query.fieldname, query.text)
        elif type(query) is wq.And:
            parts = [self.score(sub) for sub in query.subqueries]
            if any(part is None for part in parts):
                return None
            present = [p for p in parts if p is not None]
            common = list(set(present[0]).intersection(*present[1:])) if present else []
            totals: Iterable[float] = map(float, repeat(0, len(common)))
            for piece in present:
                totals = map(add, totals, map(piece.__getitem__, common))
            result = dict(zip(common, totals, strict=True))
        elif type(query) is wq.Or:
            result = {}
            for sub in query.subqueries:
                part = self.score(sub)
                if part is None:
                    return None
                both = list(result.keys() & part.keys())
                sums = list(map(add, map(result.__getitem__, both), map(part.__getitem__, both)))
                result.update(part)
                result.update(zip(both, sums, strict=True))
        elif type(query) is wq.AndNot:
            kept = self.score(query.a)
            if kept is None:
                return None
            excluded = self.matches(query.b)
            left = list(filterfalse(excluded.__contains__, kept))
            return dict(zip(left, map(kept.__getitem__, left), strict=True))
        elif type(query) is wq.Phrase:
            result = self._phrase(query)
        elif isinstance(query, DocSetQuery):
            # Like a boolean field in Whoosh: 1.0 for every paper it lets through.
            return dict.fromkeys(self.allowed & query.docnums, 1.0)
        elif type(query) is wq.Not:
            # Whoosh's inverse matcher scores 1.0 for every paper it lets through.
            return dict.fromkeys(self.allowed - self.matches(query.query), 1.0)
        else:
            return None
        boost = float(query.boost)
        if boost != 1.0:
            result = {d: s * boost for d, s in result.items()}
        return result

    def _phrase(self, phrase: wq.Phrase) -> dict[int, float]:
        """Whoosh scores a phrase as the sum of its words' scores (its matcher is an
        intersection of theirs, added up as a binary tree) in the papers it matches."""
        if not phrase.words:
            return {}
        held = self.matches(phrase)
        words = [self._term(phrase.fieldname, word) for word in phrase.words]
        common = [d for d in words[0] if d in held]
        return dict(zip(common, _tree_sum(words, common), strict=True))

    def _term(self, fieldname: str, text: Any) -> dict[int, float]:
        searcher = self.searcher
        if fieldname not in searcher.schema:
            return {}
        scorable, idf, avgfl, b, k1 = term_parameters(searcher, self.weighting, fieldname, text)
        result: dict[int, float] = {}
        for sub, offset, docnums in self.per_segment:
            if not docnums:
                continue
            lengths = self.weighting.field_lengths(sub, fieldname) if scorable else None
            for weight, held in self.postings(sub, fieldname, text):
                local = (held & docnums).to_array()
                if not local:
                    continue
                values: Iterable[float]
                if not scorable:
                    values = repeat(weight, len(local))
                else:
                    formula = _Formula(idf, weight, avgfl, b, k1)
                    if lengths is None:
                        of_docs = [sub.doc_field_length(d, fieldname, 1) for d in local]
                        values = map(formula.__getitem__, of_docs)
                    else:
                        values = map(formula.__getitem__, map(lengths.__getitem__, local))
                docs = map(add, local, repeat(offset)) if offset else local
                result.update(zip(docs, values, strict=True))
        return result


def _tree_sum(parts: list[dict[int, float]], docnums: list[int]) -> Iterable[float]:
    """Each docnum's sum of ``parts``, added pairwise as Whoosh's ``make_binary_tree``
    nests its matchers (the same floats)."""
    if len(parts) == 1:
        return map(parts[0].__getitem__, docnums)
    half = len(parts) // 2
    return map(add, _tree_sum(parts[:half], docnums), _tree_sum(parts[half:], docnums))


class _Formula(dict[int, float]):
    """BM25 of one term at one weight, by field length: the same inputs, the same
    float, computed once per length."""

    def __init__(self, idf: float, weight: float, avgfl: float, b: float, k1: float) -> None:
        super().__init__()
        self.inputs = (idf, weight, avgfl, b, k1)

    def __missing__(self, length: int) -> float:
        idf, weight, avgfl, b, k1 = self.inputs
        value: float = bm25(idf, weight, length, avgfl, b, k1)
        self[length] = value
        return value
