"""The best few of a large match set by BM25F, exactly, scoring only papers that can be
among them (MaxScore: Turtle and Flood, 1995).

A query's score is a sum of its terms' BM25F parts, and each term's part has a ceiling:
the formula at the term's largest weight and shortest field, both kept in Whoosh's term
info (Whoosh's own ``max_quality``). The papers holding the term with the highest
ceiling are scored first (for a few words, those with a word in the title: a few
thousand of tens of thousands); often no paper without that term could do better than
the k-th best, and the rest are never scored. Otherwise every other paper gets its own
ceiling, the sum of those of the terms it holds, and they are scored highest ceiling
first until the k-th best beats the next one's (a prefix such as ``trans*``, a dozen
words of which a paper holds one or two). Scores are
:func:`store.scoring.scores_of`'s, so they equal Whoosh's.
"""

from __future__ import annotations

import heapq
from typing import Any

from whoosh import query as wq
from whoosh.scoring import bm25

from .docsets import DocSetQuery
from .engine_types import EMPTY, DocSet
from .scoring import (
    CachedLengthBM25F,
    MatchSource,
    PostingsSource,
    best_of,
    scored_leaves,
    scores_of,
    term_parameters,
)

__all__ = ["BOUNDED_SCORE_LIMIT", "CEILING_STEPS_LIMIT", "best_by_bounds", "ceiling"]

BOUNDED_SCORE_LIMIT = 160_000  # leaf terms x papers scored before giving up
CEILING_STEPS_LIMIT = 400_000  # papers x terms added up for the papers' own ceilings
_MARGIN = 1e-9  # a sum of the same parts added in another order may differ in its last bits
_BATCH = 256  # papers scored at a time below the first term's
_GROUPS_LIMIT = 512  # groups of equal paper ceilings split by bitmaps, at most

TermKey = tuple[str, Any]


def best_by_bounds(
    searcher: Any,
    query: wq.Query,
    allowed: DocSet,
    wanted: int,
    weighting: CachedLengthBM25F,
    postings: PostingsSource,
    matches: MatchSource,
    limit: int = BOUNDED_SCORE_LIMIT,
) -> tuple[list[int], list[float]] | None:
    """The ``wanted`` best of ``allowed`` (every paper matching ``query``) by BM25F, as
    :func:`store.scoring.score_in_memory` ranks them, or None when the query has parts
    this does not score or the bounds would not spare more than ``limit`` leaf-papers."""
    leaves = scored_leaves(query)
    if leaves is None or not allowed or wanted <= 0 or not _boosts_hold(query):
        return None
    keys = {(leaf.fieldname, leaf.text) for leaf in leaves}
    tops = {key: _term_ceiling(searcher, weighting, key) for key in keys}
    if any(top < 0 for top in tops.values()):
        return None
    per_paper = max(1, len(leaves))

    def score(docnums: DocSet) -> dict[int, float] | None:
        return scores_of(searcher, query, docnums, weighting, postings, matches)

    # First the papers holding the term with the highest ceiling: for a few words, the
    # papers with them in their titles, often enough on their own.
    first = min(keys, key=lambda k: (-tops[k], str(k))) if keys else None
    fresh = allowed if first is None else matches(wq.Term(*first)) & allowed
    if len(fresh) * per_paper > limit:
        return None
    scored = score(fresh) if fresh else {}
    if scored is None:
        return None
    cost = len(fresh) * per_paper
    if len(fresh) >= len(allowed):
        return best_of(scored, wanted)
    kth = _kth(scored, wanted)
    rest = None if first is None else ceiling(query, tops, {first})
    if kth is not None and (rest is None or _beats(kth, rest)):
        return best_of(scored, wanted)
    # Then every other paper by its own ceiling (the sum of those of the terms it holds),
    # highest first, until the k-th best so far beats the next paper's ceiling.
    levels = _paper_ceilings(query, tops, allowed - fresh, matches)
    if levels is None:
        return None
    batch: list[DocSet] = []
    size = 0
    for level in sorted(levels, reverse=True):
        if kth is not None and _beats(kth, level):
            break
        batch.append(levels[level])
        size += len(levels[level])
        if size < max(_BATCH, wanted):
            continue
        cost += size * per_paper
        more = score(EMPTY.union(*batch)) if cost <= limit else None
        if more is None:
            return None
        scored.update(more)
        kth, batch, size = _kth(scored, wanted), [], 0
    if batch:
        if cost + size * per_paper > limit or (more := score(EMPTY.union(*batch))) is None:
            return None
        scored.update(more)
    return best_of(scored, wanted)


def _beats(score: float, bound: float) -> bool:
    """True when ``score`` is surely above ``bound`` (a sum of the same parts in another
    order may differ in its last bits)."""
    return score > bound * (1 + _MARGIN) + _MARGIN


def _kth(scored: dict[int, float], wanted: int) -> float | None:
    """The ``wanted``-th best score so far (None while fewer are scored)."""
    if len(scored) < wanted:
        return None
    return heapq.nlargest(wanted, scored.values())[-1]


def _paper_ceilings(
    query: wq.Query, tops: dict[TermKey, float], papers: DocSet, matches: MatchSource
) -> dict[float, DocSet] | None:
    """``papers`` grouped by their own ceilings: what the terms each holds could add
    (None when adding them up would take more than :data:`CEILING_STEPS_LIMIT` steps).

    A term most of the papers hold is added to all and taken off those without it, so
    each term costs a step for at most half of them (the sums then differ from adding
    only in their last bits: :func:`_beats` allows for that). The papers are split
    into groups of equal ceilings by bitmap operations, a term at a time (each paper's
    sum built in the same order as a loop over papers would); past
    :data:`_GROUPS_LIMIT` groups, a loop over papers adds them up."""
    weights: dict[TermKey, float] = {}
    base = _leaf_weights(query, tops, 1.0, weights)
    changes: list[tuple[float, DocSet]] = []
    steps = len(papers)
    for key, weight in weights.items():
        if weight > 0:
            held = matches(wq.Term(*key)) & papers
            if len(held) * 2 > len(papers):
                base += weight
                changes.append((-weight, papers - held))
            else:
                changes.append((weight, held))
            steps += len(changes[-1][1])
            if steps > CEILING_STEPS_LIMIT:
                return None  # dozens of common words: Whoosh ranks them within its budget
    groups: dict[float, DocSet] | None = {base: papers}
    for change, docnums in changes:
        groups = _split(groups, change, docnums) if groups is not None else None
    return groups if groups is not None else _levels_by_paper(papers, base, changes)


def _split(
    groups: dict[float, DocSet], change: float, docnums: DocSet
) -> dict[float, DocSet] | None:
    """Each group's papers among ``docnums`` moved ``change`` up (None: too many groups)."""
    parts: dict[float, list[DocSet]] = {}
    for level, group in groups.items():
        inside = group & docnums
        if inside:
            parts.setdefault(level + change, []).append(inside)
        if len(inside) < len(group):
            parts.setdefault(level, []).append(group - inside if inside else group)
    if len(parts) > _GROUPS_LIMIT:
        return None
    return {level: EMPTY.union(*found) for level, found in parts.items()}


def _levels_by_paper(
    papers: DocSet, base: float, changes: list[tuple[float, DocSet]]
) -> dict[float, DocSet]:
    ceilings = dict.fromkeys(papers, base)
    for change, docnums in changes:
        for docnum in docnums:
            ceilings[docnum] += change
    levels: dict[float, list[int]] = {}
    for docnum, level in ceilings.items():
        group = levels.get(level)
        if group is None:
            levels[level] = [docnum]
        else:
            group.append(docnum)
    return {level: DocSet(found) for level, found in levels.items()}


def _leaf_weights(
    query: wq.Query, tops: dict[TermKey, float], boost: float, weights: dict[TermKey, float]
) -> float:
    """Add each term's ceiling times the boosts above it to ``weights``; return what the
    query's constant parts (Not, user-data sets) can add. Mirrors :func:`ceiling`."""
    if type(query) is wq.Term:
        key = (query.fieldname, query.text)
        weights[key] = weights.get(key, 0.0) + tops.get(key, 0.0) * boost * float(query.boost)
        return 0.0
    if type(query) in (wq.And, wq.Or):
        inner = boost * float(query.boost)
        return sum(_leaf_weights(sub, tops, inner, weights) for sub in query.subqueries)
    if type(query) is wq.AndNot:
        return _leaf_weights(query.a, tops, boost, weights)
    if type(query) is wq.Phrase:  # each of its words, as if alone
        inner = boost * float(query.boost)
        for word in query.words:
            key = (query.fieldname, word)
            weights[key] = weights.get(key, 0.0) + tops.get(key, 0.0) * inner
        return 0.0
    return boost if type(query) is wq.Not or isinstance(query, DocSetQuery) else 0.0


def ceiling(query: wq.Query, tops: dict[TermKey, float], absent: set[TermKey]) -> float | None:
    """The highest score ``query`` can give a paper holding none of the ``absent`` terms
    (``tops``: each term's ceiling), or None when such a paper cannot match it.
    Mirrors :class:`store.scoring._Context`'s sums and boosts."""
    if type(query) is wq.Term:
        key = (query.fieldname, query.text)
        if key in absent:
            return None
        return _boosted(tops.get(key, 0.0), query)
    if type(query) is wq.And:
        parts = [ceiling(sub, tops, absent) for sub in query.subqueries]
        if any(part is None for part in parts):
            return None
        return _boosted(sum(p for p in parts if p is not None), query)
    if type(query) is wq.Or:
        found = [
            p for p in (ceiling(sub, tops, absent) for sub in query.subqueries) if p is not None
        ]
        return _boosted(sum(found), query) if found else None
    if type(query) is wq.AndNot:
        return ceiling(query.a, tops, absent)
    if type(query) is wq.Phrase:  # the sum of its words' parts, where it matches at all
        keys = [(query.fieldname, word) for word in query.words]
        if any(key in absent for key in keys):
            return None
        return _boosted(sum(tops.get(key, 0.0) for key in keys), query)
    # Not and the user-data sets score a constant 1.0 for every paper they let through.
    return 1.0 if type(query) is wq.Not or isinstance(query, DocSetQuery) else 0.0


def _boosts_hold(query: wq.Query) -> bool:
    """True when no part of ``query`` has a negative boost (ceilings hold only then)."""
    if float(getattr(query, "boost", 1.0)) < 0:
        return False
    return all(_boosts_hold(sub) for sub in query.children())


def _boosted(value: float, query: wq.Query) -> float:
    return value * float(query.boost)


def _term_ceiling(searcher: Any, weighting: CachedLengthBM25F, key: TermKey) -> float:
    """The highest BM25F part a term gives any paper, over every segment (-1 when a
    boost or weight is negative: the bounds do not hold then)."""
    fieldname, text = key
    if fieldname not in searcher.schema:
        return 0.0
    scorable, idf, avgfl, b, k1 = term_parameters(searcher, weighting, fieldname, text)
    best = 0.0
    for sub, _ in searcher.reader().leaf_readers():
        if sub.doc_frequency(fieldname, text) == 0:
            continue
        info = sub.term_info(fieldname, text)
        weight = float(info.max_weight())
        if weight < 0:
            return -1.0
        top = bm25(idf, weight, info.min_length(), avgfl, b, k1) if scorable else weight
        best = max(best, top)
    return best
