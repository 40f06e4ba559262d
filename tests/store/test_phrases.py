"""Phrases matched from their words' match sets and positions: Whoosh's answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from whoosh import query as wq

from store import Library
from store.phrases import phrase_matches
from store.whoosh_private import _public_positions, term_positions


def _searcher(library: Library) -> Any:
    return library._index.open_searcher()


@pytest.mark.parametrize(
    "text",
    [
        '"language model"',
        '"mixture experts"',
        '"reinforcement learning policy"',
        'title:"language model"',
        '"model model"',
        '"zzyzx model"',
        "self-supervised",
        '"language model" -vision',
    ],
)
def test_phrase_matches_equal_whooshs(big: Library, text: str) -> None:
    """Phrases matched from their words' match sets and positions find exactly the
    papers Whoosh's span matcher finds, across segments with deleted papers."""
    searcher = _searcher(big)
    engine = big._engine
    query = big._policy.queries.build(text, searcher.reader()).query
    phrases = [q for q in _walk(query) if type(q) is wq.Phrase]
    assert phrases
    checked = 0
    for phrase in phrases:
        found = phrase_matches(
            searcher.reader(),
            phrase,
            lambda word, f=phrase.fieldname: engine.matches(searcher, wq.Term(f, word)),
        )
        if found is None:  # a field without positions: Whoosh's own path
            continue
        assert set(found) == set(searcher.docs_for_query(phrase)), phrase
        checked += 1
    assert checked
    assert set(engine.matches(searcher, query)) == set(searcher.docs_for_query(query))


def test_phrase_matches_need_the_words_in_order(big: Library) -> None:
    """Positions decide: fewer papers hold the words as a phrase than hold both, and
    more hold them within a few words (``slop``) of each other, as Whoosh finds."""
    searcher = _searcher(big)
    engine = big._engine
    phrase = wq.Phrase("abstract", ["languag", "model"])
    both = engine.matches(searcher, wq.Term("abstract", "languag")) & engine.matches(
        searcher, wq.Term("abstract", "model")
    )
    found = engine.matches(searcher, phrase)
    assert found and found < both
    backwards = engine.matches(searcher, wq.Phrase("abstract", ["model", "languag"]))
    assert backwards != found
    near = wq.Phrase("abstract", ["languag", "model"], slop=3)  # up to two words between
    assert found < engine.matches(searcher, near)
    assert set(engine.matches(searcher, near)) == set(searcher.docs_for_query(near))


def _walk(query: Any) -> Iterator[Any]:
    yield query
    for child in query.children():
        yield from _walk(child)


@pytest.mark.parametrize("word", ["model", "languag"])
def test_term_positions_read_by_blocks_equal_whooshs(big: Library, word: str) -> None:
    """Positions found by skipping blocks and searching within one equal those of
    Whoosh's matcher; a paper without the word gives None."""
    searcher = _searcher(big)
    for sub, _ in searcher.reader().leaf_readers():
        holding = [d for d in range(sub.doc_count_all()) if not sub.is_deleted(d)]
        matcher = sub.postings("abstract", word)
        held = set(matcher.all_ids())
        docnums = [d for d in holding if d in held][::7]  # spread over many blocks
        assert len(held) > 128  # more than one posting block
        fast = term_positions(sub, "abstract", word, docnums)
        assert fast is not None
        assert [list(p) for p in fast] == _public_positions(sub, "abstract", word, docnums)
        missing = next(d for d in holding if d not in held)
        assert term_positions(sub, "abstract", word, sorted([*docnums[:3], missing])) is None
