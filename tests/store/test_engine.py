"""The search engine's shortcuts give Whoosh's answers: in-memory BM25F, cached lengths,
cached match sets, block-wise postings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from store import Library
from store.engine_types import DocSet
from store.whoosh_private import leaf_postings
from tests.helpers import make_page

QUERIES = [
    "model",
    "language model",
    "reinforcement learning",
    "diffusion OR transformer",
    "title:network",
    "learn -vision",
    "model NOT (vision OR video)",
    "-vision",
    "quantiz",
    "model year:2024",
]
PHRASES = [
    '"language model"',
    "self-supervised",
    '"model language model"',
    '"vision language model"',
    '"language model" -vision',
    '"language model" OR diffusion',
    '"mixture experts" year:2024',
]


def _searcher(library: Library) -> Any:
    return library._index.open_searcher()


def _sources(library: Library, searcher: Any) -> tuple[Any, Any, Callable[[Any], DocSet]]:
    """What the in-memory scorers read: the weighting, the postings, the match sets."""
    engine = library._engine
    return (
        engine.weighting,
        engine.match_sets.weight_groups,
        lambda q: engine.matches(searcher, q),
    )


def _whoosh_top(searcher: Any, query: Any, allowed: DocSet, wanted: int) -> list[Any]:
    """Whoosh's own BM25F ranking of ``allowed``: the reference."""
    reference = Searcher(searcher.reader(), weighting=BM25F, closereader=False)
    top = TopCollector(limit=wanted)
    reference.search_with_collector(query, FilterCollector(top, allow=set(allowed)))
    return list(top.results().top_n)


def test_the_index_has_several_segments(big: Library) -> None:
    assert len(_searcher(big).reader().leaf_readers()) > 1


@pytest.mark.parametrize("text", QUERIES + PHRASES)
def test_in_memory_scores_equal_whooshs(big: Library, text: str) -> None:
    from store.scoring import score_in_memory

    searcher = _searcher(big)
    engine = big._engine
    query = big._policy.queries.build(text, searcher.reader()).query
    allowed = engine.matches(searcher, query)
    assert allowed, text
    ours = score_in_memory(
        searcher,
        query,
        allowed,
        30,
        *_sources(big, searcher),
    )
    reference = _whoosh_top(searcher, query, allowed, 30)
    assert ours is not None, f"{text}: {query}"
    docnums, scores = ours
    assert len(docnums) == len(reference)
    for (ref_score, ref_doc), doc, score in zip(reference, docnums, scores, strict=True):
        assert score == pytest.approx(ref_score, rel=1e-5)
        if doc != ref_doc:  # only papers with equal scores may swap places
            assert score == pytest.approx(dict((d, s) for s, d in reference).get(doc, -1))


def test_cached_lengths_equal_whooshs(big: Library) -> None:
    searcher = _searcher(big)
    for sub, _ in searcher.reader().leaf_readers():
        for fieldname in ("title", "abstract", "title_prefix"):
            lengths = big._engine.weighting.field_lengths(sub, fieldname)
            assert lengths is not None
            expected = [sub.doc_field_length(d, fieldname, 1) for d in range(sub.doc_count_all())]
            assert list(lengths) == expected


def test_block_postings_equal_whooshs(big: Library) -> None:
    """Docnums (deleted ones included, as stored) and weights, as Whoosh decodes them."""
    searcher = _searcher(big)
    for sub, _ in searcher.reader().leaf_readers():
        for fieldname, word in (("abstract", "model"), ("title", "learn")):
            ids, weights = leaf_postings(sub, fieldname, word)
            raw = sub._terms.matcher(
                fieldname, sub._text_to_bytes(fieldname, word), sub.schema[fieldname].format
            )
            expected_ids, expected_weights = [], []
            while raw.is_active():
                expected_ids.append(raw.id())
                expected_weights.append(raw.weight())
                raw.next()
            assert ids == expected_ids
            assert weights == pytest.approx(expected_weights)
            live = [d for d in ids if not sub.is_deleted(d)]
            assert live == list(sub.postings(fieldname, word).all_ids())


def test_cached_match_sets_follow_the_index(loaded: Library, tmp_path: Path) -> None:
    """Match sets are cached per index version: a new paper is found at once, and a
    cached set handed out is never changed by later queries."""
    first = loaded.search("language model", as_you_type=True)
    searcher = _searcher(loaded)
    query = loaded._policy.queries.build("language", searcher.reader()).query
    before = set(loaded._engine.matches(searcher, query))
    assert before
    loaded.search("language model -vision")
    loaded.search("language OR model")
    assert set(loaded._engine.matches(searcher, query)) == before
    page = tmp_path / "new.txt"
    page.write_text(
        make_page([("A Language Model Nobody Had Indexed", "We train a language model.")]),
        encoding="utf-8",
    )
    report = loaded.import_pages([page])
    assert report.ok, report.failures
    second = loaded.search("language model", as_you_type=True)
    assert second.total == first.total + 1


def test_sized_cache_drops_the_least_recently_used() -> None:
    from store.cache import SizedCache

    cache: SizedCache[str, list[int]] = SizedCache(10, len)
    cache.put("a", [1] * 4)
    cache.put("b", [1] * 4)
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("c", [1] * 4)  # 12 > 10: b goes
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    cache.put("huge", [1] * 50)  # alone over the limit: kept, the rest go
    assert cache.get("huge") is not None and cache.get("a") is None
    cache.clear()
    assert cache.get("huge") is None


@pytest.mark.parametrize("weights", [[1.0], [1.0, 2.0], [1.0, 2.0, 3.0, 5.0, 0.5]])
def test_weight_groups_hold_every_posting_once(weights: list[float]) -> None:
    """A term's postings grouped by weight (a pass per weight for a few, a loop for
    many) give back exactly the docnums and weights they were made from."""
    import random

    from store.weight_groups import docnums_of, group_by_weight, postings_of

    rng = random.Random(len(weights))
    ids = sorted(rng.sample(range(5000), 800))
    given = [rng.choice(weights) for _ in ids]
    groups = group_by_weight(ids, given)
    assert [w for w, _ in groups] == sorted(set(given))
    assert postings_of(groups) == list(zip(ids, given, strict=True))
    assert list(docnums_of(groups)) == ids


BROAD = ["model", "language model", "fine tuning", "learn OR model", "model -vision", "trans*"]
BROAD += ['"language model"', '"language model" OR learn']


@pytest.mark.parametrize("text", QUERIES + PHRASES + BROAD)
@pytest.mark.parametrize("wanted", [1, 10, 40])
@pytest.mark.parametrize("batch", [1, 256])
def test_bounded_scoring_ranks_as_scoring_everything(
    big: Library, text: str, wanted: int, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scoring only the papers that can be among the best gives the same papers, in the
    same order, with the same scores, as scoring every match (and as Whoosh), whether
    the papers below the first term's are scored one at a time or in batches."""
    import store.score_bounds as bounds
    from store.score_bounds import best_by_bounds
    from store.scoring import score_in_memory

    monkeypatch.setattr(bounds, "_BATCH", batch)

    searcher = _searcher(big)
    engine = big._engine
    query = big._policy.queries.build(text, searcher.reader()).query
    allowed = engine.matches(searcher, query)
    sources = _sources(big, searcher)
    everything = score_in_memory(searcher, query, allowed, wanted, *sources)
    assert everything is not None
    bounded = best_by_bounds(searcher, query, allowed, wanted, *sources, limit=10**9)
    assert bounded == everything
    # Whoosh's collector skips blocks by its own bounds when asked for few results and
    # can miss the best paper: the reference is its ranking of every match.
    reference = _whoosh_top(searcher, query, allowed, len(allowed))[:wanted]
    assert bounded[1] == pytest.approx([score for score, _ in reference], rel=1e-5)


@pytest.mark.parametrize("text", [*BROAD, "diffusion OR robotics NOT video", "model~", "mod"])
def test_searches_scored_within_bounds_equal_scoring_everything(
    big: Library, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the library: a page of results at any offset is the same whether a large
    match set is scored within bounds or every match is scored."""
    import store.engine as engine_module

    def pages(threshold: int) -> list[list[tuple[str, float | None]]]:
        monkeypatch.setattr(engine_module, "BOUND_FROM_MATCHES", threshold)
        big._policy._answers.clear()
        found = []
        for offset in (0, 5, 12):
            results = big.search(text, limit=8, offset=offset)
            assert results.total > 12  # more than the threshold: bounded below
            found.append([(hit.paper.id, hit.score) for hit in results.hits])
        return found

    bounded = pages(12)
    assert bounded == pages(10**9)
    assert all(bounded) and all(score is not None for page in bounded for _, score in page)


def test_bounded_scoring_skips_papers_that_cannot_be_best(
    big: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``language model``: papers with the words in their titles outscore any paper with
    them only in its abstract, so most matches are never scored."""
    import store.score_bounds as bounds

    scored: list[int] = []
    real = bounds.scores_of

    def counting(searcher: Any, query: Any, docnums: DocSet, *rest: Any) -> Any:
        scored.extend(docnums)
        return real(searcher, query, docnums, *rest)

    monkeypatch.setattr(bounds, "scores_of", counting)
    searcher = _searcher(big)
    engine = big._engine
    query = big._policy.queries.build("language model", searcher.reader()).query
    allowed = engine.matches(searcher, query)
    found = bounds.best_by_bounds(
        searcher,
        query,
        allowed,
        10,
        *_sources(big, searcher),
    )
    assert found is not None and len(found[0]) == 10
    assert len(scored) == len(set(scored))  # no paper scored twice
    assert len(scored) < len(allowed) / 2, (len(scored), len(allowed))


@pytest.mark.parametrize("groups_limit", [512, 0])
@pytest.mark.parametrize("text", ["trans*", "learn OR model", "model -vision", "language model"])
def test_paper_ceilings_bound_every_paper(
    big: Library, text: str, groups_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each paper's own ceiling (the ceilings of the terms it holds, boosted as in the
    query) is at least its score, and the papers holding more terms get higher ones;
    split by bitmaps or added up paper by paper, the same ceilings."""
    import store.score_bounds as bounds
    from store.score_bounds import _paper_ceilings, _term_ceiling
    from store.scoring import scored_leaves, scores_of

    monkeypatch.setattr(bounds, "_GROUPS_LIMIT", groups_limit)

    searcher = _searcher(big)
    engine = big._engine
    query = big._policy.queries.build(text, searcher.reader()).query
    allowed = engine.matches(searcher, query)
    leaves = scored_leaves(query)
    assert allowed and leaves
    keys = {(leaf.fieldname, leaf.text) for leaf in leaves}
    tops = {key: _term_ceiling(searcher, engine.weighting, key) for key in keys}

    sources = _sources(big, searcher)
    levels = _paper_ceilings(query, tops, allowed, sources[2])
    assert levels is not None
    assert sorted(d for group in levels.values() for d in group) == sorted(allowed)
    scores = scores_of(searcher, query, allowed, *sources)
    assert scores is not None
    for level, group in levels.items():
        for docnum in group:
            assert scores[docnum] <= level * (1 + 1e-9) + 1e-9, (docnum, scores[docnum], level)
    assert len(levels) > 1  # the ceilings tell papers apart
    monkeypatch.setattr(bounds, "_GROUPS_LIMIT", 512 - groups_limit)
    again = _paper_ceilings(query, tops, allowed, sources[2])
    assert again is not None
    assert {level: list(group) for level, group in again.items()} == {
        level: list(group) for level, group in levels.items()
    }


@pytest.mark.parametrize("text", ["model", "language", "learn", "title:network", "org:nvidia"])
def test_term_ceilings_bound_every_paper(big: Library, text: str) -> None:
    """No paper's part of a term's score exceeds the term's ceiling, and some paper
    comes close to it (the ceiling is Whoosh's largest weight at the shortest field)."""
    from whoosh import query as wq

    from store.score_bounds import _term_ceiling
    from store.scoring import scores_of

    searcher = _searcher(big)
    engine = big._engine
    query = big._policy.queries.build(text, searcher.reader()).query
    for fieldname, term in {(f, t) for f, t in query.iter_all_terms()}:
        leaf = wq.Term(fieldname, term)
        docs = engine.matches(searcher, leaf)
        if not docs:
            continue
        scores = scores_of(
            searcher,
            leaf,
            docs,
            *_sources(big, searcher),
        )
        assert scores is not None
        top = _term_ceiling(searcher, engine.weighting, (fieldname, term))
        assert max(scores.values()) <= top
        assert max(scores.values()) >= top / 3


def test_bounded_scoring_declines_negative_boosts(big: Library) -> None:
    from whoosh import query as wq

    from store.score_bounds import best_by_bounds

    searcher = _searcher(big)
    engine = big._engine
    query = wq.Or([wq.Term("title", "model", boost=-1.0), wq.Term("abstract", "learn")])
    allowed = engine.matches(searcher, query)
    assert allowed
    found = best_by_bounds(
        searcher,
        query,
        allowed,
        5,
        *_sources(big, searcher),
    )
    assert found is None


def test_bounded_scoring_declines_when_ceilings_cost_too_much(
    big: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding up every paper's ceiling over dozens of common words costs more than
    Whoosh's own ranking: past the step limit the bounds decline, and the search still
    answers (within Whoosh's budget)."""
    import store.score_bounds as bounds

    searcher = _searcher(big)
    engine = big._engine
    query = big._policy.queries.build("trans*", searcher.reader()).query
    allowed = engine.matches(searcher, query)
    args = (
        searcher,
        query,
        allowed,
        10,
        *_sources(big, searcher),
    )
    assert bounds.best_by_bounds(*args) is not None
    monkeypatch.setattr(bounds, "CEILING_STEPS_LIMIT", len(allowed) // 10)
    assert bounds.best_by_bounds(*args) is None
    big._policy._answers.clear()
    results = big.search("trans*", limit=10)
    assert results.total == len(allowed) and len(results.hits) == 10


@pytest.mark.parametrize("wanted", [0, 1, 7, 50, 299, 300, 400])
def test_best_of_is_the_top_by_score_then_docnum(wanted: int) -> None:
    """The best few of many scores, many of them tied: highest first, ties by docnum."""
    import random

    from store.scoring import best_of

    rng = random.Random(wanted)
    scores = {docnum: float(rng.randint(0, 20)) for docnum in rng.sample(range(5000), 300)}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:wanted]
    assert best_of(scores, wanted) == ([d for d, _ in ranked], [s for _, s in ranked])


RANGES = [
    (None, 10, False, False),
    (3, None, True, False),
    (5, 50, False, True),
    (7, 7, False, False),
]


@pytest.mark.parametrize("column", ["upvotes", "year", "authors"])
def test_ranges_by_scan_and_by_sorted_column_agree(big: Library, column: str) -> None:
    """A range's papers are the live ones whose column value is in it, whether found by a
    pass over the column (the first range of a version) or by binary search in the
    sorted column (the ones after)."""
    from store.ordering import Orderings

    searcher = _searcher(big)
    reader = searcher.reader()
    values = big._engine.orderings.column(reader, column)
    live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
    assert len(live) < reader.doc_count_all()  # deleted papers are left out
    if column == "year":
        middle = sorted(values)[len(values) // 2]
        ranges = [(middle - 1, middle, False, False), (middle, None, True, False)]
    else:
        ranges = RANGES
    sorted_once = Orderings()
    sorted_once.range_docnums(reader, column, None, None)  # scanned: the next ones sort
    for low, high, low_out, high_out in ranges:
        scanned = Orderings().range_docnums(reader, column, low, high, low_out, high_out)
        found = sorted_once.range_docnums(reader, column, low, high, low_out, high_out)
        assert scanned == found
        want = [
            d
            for d in live
            if (low is None or (values[d] > low if low_out else values[d] >= low))
            and (high is None or (values[d] < high if high_out else values[d] <= high))
        ]
        assert list(found) == want, (low, high, low_out, high_out)
    assert sorted_once._sorted.get((*sorted_once.version(reader), "sorted", column))


@pytest.mark.parametrize("word", ["transfromer", "nvidai"])
def test_a_fuzzy_word_with_no_near_organisation_drops_that_part(big: Library, word: str) -> None:
    """``word~`` looks for near organisation names through Whoosh; when there are none,
    that part is dropped and the rest is scored in memory, ranked as Whoosh ranks the
    whole query."""
    from whoosh import query as wq

    searcher = _searcher(big)
    reader = searcher.reader()
    query = big._policy.queries.build(f"{word}~", reader).query
    org = wq.FuzzyTerm("organization", word, maxdist=2, prefixlength=1)
    near = next(iter(org.expanded_terms(reader)), None) is not None
    assert near == (word == "nvidai")
    assert near == any(isinstance(leaf, wq.FuzzyTerm) for leaf in query.leaves())
    if near:
        return
    whole = wq.Or([*query.subqueries, org])
    reference = _whoosh_top(searcher, whole, big._engine.matches(searcher, whole), 10)
    hits = big.search(f"{word}~", limit=10).hits
    assert [h.score for h in hits] == pytest.approx([s for s, _ in reference], rel=1e-5)


def test_not_of_a_word_with_nothing_near_is_every_paper(big: Library) -> None:
    """``NOT zzqqx~``: nothing is near the word, so its negation is every paper (Whoosh
    normalizes NOT of nothing to nothing); with other words, it removes none of theirs."""
    every = big.search("").total
    assert big.search("NOT zzqqx~").total == every
    assert big.search("-zzqqx~").total == every
    assert big.search("model NOT zzqqx~").total == big.search("model").total


_TYPED_SCORES = """
import json, sys
from pathlib import Path
from store import Library
library = Library.open(Path(sys.argv[1]))
searcher = library._index.open_searcher()
out = {}
for text in ("trans", "language mo", "reinforcement lea", "diffus"):
    built = library._policy.queries.build(text, searcher.reader(), as_you_type=True)
    results = library.search(text, as_you_type=True, limit=20)
    out[text] = [repr(built.query), results.total, [(h.paper.id, h.score) for h in results.hits]]
print(json.dumps(out))
"""


def test_typed_queries_do_not_depend_on_the_hash_seed(big: Library) -> None:
    """A typed word's family joins the query in one order in every process, so its
    scores are the same to the last bit (it followed a set's order, hash-seeded)."""
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    answers = []
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", _TYPED_SCORES, str(big.paths.root)],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        answers.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert answers[0]["trans"][0].count("Term(") > 4  # a family of several words
    assert answers[0] == answers[1] == answers[2]
