"""The search engine's shortcuts give Whoosh's answers: in-memory BM25F, cached lengths,
cached match sets, block-wise postings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from store import Library
from store.whoosh_private import leaf_postings
from tests.benchmarks.synthetic import generate_pages
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
PHRASES = ['"language model"', "self-supervised"]  # positions: Whoosh scores these


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """1,200 synthetic papers imported in three batches: several index segments."""
    root = tmp_path_factory.mktemp("engine")
    pages = generate_pages(root / "pages", 1200, per_page=100, seed=3)
    library = Library.open(root / "lib")
    for batch in (pages[:4], pages[4:8], pages[8:]):
        library.import_pages(batch)
    yield library
    library.close()


def _searcher(library: Library) -> Any:
    return library._index.open_searcher()


def _whoosh_top(searcher: Any, query: Any, allowed: set[int], wanted: int) -> list[Any]:
    """Whoosh's own BM25F ranking of ``allowed``: the reference."""
    reference = Searcher(searcher.reader(), weighting=BM25F, closereader=False)
    top = TopCollector(limit=wanted)
    reference.search_with_collector(query, FilterCollector(top, allow=allowed))
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
        engine.weighting,
        engine.match_sets.weighted_postings,
        lambda q: engine.matches(searcher, q),
    )
    reference = _whoosh_top(searcher, query, allowed, 30)
    if text in PHRASES:
        assert ours is None
        return
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
        for fieldname, word in (("abstract_terms", "model"), ("title", "learn")):
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
    assert loaded._engine.matches(searcher, query) == before
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


@pytest.mark.parametrize("offset", [0, 1000])
@pytest.mark.parametrize("share", [0.01, 0.3, 1.0])
def test_allowed_postings_walks_or_looks_up_alike(offset: int, share: float) -> None:
    """Scoring finds a term's allowed postings by walking them (many papers allowed) or
    by binary search (few): either way, exactly the allowed ones, with their places."""
    import random

    from store.scoring import _allowed_postings

    rng = random.Random(7)
    ids = sorted(rng.sample(range(5000), 800))
    docnums = sorted(offset + d for d in rng.sample(range(5000), int(5000 * share)))
    want = [(local, i) for i, local in enumerate(ids) if local + offset in set(docnums)]
    assert list(_allowed_postings(ids, docnums, offset)) == want
    assert want or share < 0.05
