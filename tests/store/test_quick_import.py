"""The import's shortcuts write the index Whoosh's plain path writes.

``MemoAnalyzer`` (each text analysed once for all its fields) and the writer shortcuts
of ``whoosh_writing.quicken_writer`` (field lengths read a column at a time, spilled
runs written in chunks, small posting blocks left uncompressed) must leave every term,
posting, length and stored field as they were, the spelling fields' included (typing
ranks a prefix's words by their frequency there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh.analysis import CompositeAnalyzer

from store.analysis_memo import MemoAnalyzer
from store.schema import build_schema, text_analyzer
from store.storage import create_index, open_writer
from tests.benchmarks.bench_import import documents, plain_schema

SAMPLES = sorted((Path(__file__).parents[2] / "store" / "sample_pages").glob("*.txt"))
SEEDS = Path(__file__).parents[3] / "shared" / "seeds"


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    if SEEDS.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in SEEDS.glob("*.txt")]
    pieces = [t[i : i + 600] for t in texts for i in range(0, len(t), 600)]
    odd = ["", "the of a", "fine-tuning colour-coded state-of-the-art", "[MASK] x\u2010y"]
    return [*pieces, *odd]


def _tokens(stream: Any, kwargs: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            t.text,
            t.pos if kwargs.get("positions") else None,
            (t.startchar, t.endchar) if kwargs.get("chars") else None,
            t.boost,
            t.stopped,
        )
        for t in stream
    ]


CALLS = [
    {"positions": True, "boosts": True, "mode": "index"},  # Positions.word_values
    {"boosts": True, "mode": "index"},  # Frequency.word_values
    {},  # spellable_words (with no_morph)
    {"positions": True, "chars": True},  # highlighting
    {"mode": "query"},
    {"positions": True, "chars": True, "removestops": False},
]


def test_memo_analyzer_gives_the_chains_tokens() -> None:
    memo = text_analyzer()
    assert isinstance(memo, MemoAnalyzer)
    chain = CompositeAnalyzer(*memo.items)
    for text in _texts():
        for kwargs in CALLS:
            for no_morph in (False, True):
                for _ in range(2):  # the second call is the remembered one
                    got = _tokens(memo(text, no_morph=no_morph, **kwargs), kwargs)
                    want = _tokens(chain(text, no_morph=no_morph, **kwargs), kwargs)
                    assert got == want, (text[:60], kwargs, no_morph)


def test_memo_analyzer_pickles_as_the_plain_chain() -> None:
    """The index's table of contents holds Whoosh's own class: an older paperdeck (or
    plain Whoosh) opens an index this one wrote."""
    import pickle

    memo = text_analyzer()
    list(memo("fine-tuning large models", mode="index"))
    again = pickle.loads(pickle.dumps(memo))
    assert type(again) is CompositeAnalyzer and again.items == memo.items
    assert b"analysis_memo" not in pickle.dumps(build_schema())
    words = [t.text for t in again("fine-tuning large models", mode="index")]
    assert words == [t.text for t in memo("fine-tuning large models", mode="index")]


def _dump(ix: Any) -> dict[str, Any]:
    """Everything a search can read of an index: terms, postings, lengths, stored."""
    out: dict[str, Any] = {}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            out[(fieldname, text)] = (reader.doc_frequency(fieldname, text), postings)
        for name in reader.schema.names():
            if reader.schema[name].scorable:
                out[("length", name)] = [
                    reader.doc_field_length(d, name) for d in range(reader.doc_count_all())
                ]
        out["stored"] = [reader.stored_fields(d) for d in range(reader.doc_count_all())]
    return out


@pytest.mark.parametrize(("batches", "pool_mb"), [(1, 128), (2, 128), (1, 1)])
def test_quick_import_writes_the_plain_index(tmp_path: Path, batches: int, pool_mb: int) -> None:
    """One commit, two (the second merges the first segment), and a pool of 1 MB that
    spills sorted runs to disk (merged back at the commit)."""
    docs = documents(SAMPLES)
    assert len(docs) > 20
    for name in ("quick", "plain"):
        (tmp_path / name).mkdir()
    quick = create_index(tmp_path / "quick", build_schema())
    plain = create_index(tmp_path / "plain", plain_schema())
    step = len(docs) // batches + 1
    for start in range(0, len(docs), step):  # a second commit merges the first segment
        writer = open_writer(quick, limitmb=pool_mb)
        slow = plain.writer(compound=False, limitmb=pool_mb)
        for doc in docs[start : start + step]:
            writer.update_document(**doc)
            slow.update_document(**doc)
        if pool_mb == 1:
            assert writer.pool.runs and slow.pool.runs  # both spilled
        writer.commit()
        slow.commit()
    got, want = _dump(quick), _dump(plain)
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == value, key
    typos = ["transfomer", "langauge", "modle", "difusion", "reinforcment", "atention"]
    for field in ("title", "abstract"):
        with quick.searcher() as fast, plain.searcher() as slow:
            got_words = [fast.corrector(field).suggest(w, limit=3, maxdist=2) for w in typos]
            want_words = [slow.corrector(field).suggest(w, limit=3, maxdist=2) for w in typos]
        assert got_words == want_words
        assert sum(map(len, want_words)) >= 3  # the typos do have near words here
    # The small blocks were written uncompressed, the plain path's compressed; the
    # segments keep Whoosh's own codec (the proxy is the field writer's alone).
    assert _compressions(quick) == {0, 3} and _compressions(plain) == {3}
    assert all(type(s.codec()).__name__ == "W3Codec" for s in quick._segments())
    tocs = list((tmp_path / "quick").glob("*.toc"))
    assert tocs and not any(b"whoosh_writing" in toc.read_bytes() for toc in tocs)


def _compressions(ix: Any) -> set[int]:
    """The compression levels of the first blocks of the terms with at most 200 postings
    (Whoosh's ``inlinelimit`` of 1 keeps no term's postings in its term info)."""
    levels = set()
    with ix.reader() as reader:
        for sub, _ in reader.leaf_readers():
            for fieldname, text in sub.all_terms():
                if sub.doc_frequency(fieldname, text) <= 200:
                    matcher = sub.postings(fieldname, text)
                    levels.add(getattr(matcher, "_compression", None))
    return levels


def _reference_words(value: str, mode: str) -> list[tuple[str, int, int, int]]:
    """The compound tokenizer's words as first written (a list per word), the reference
    for its faster loop: text, position, first and last character."""
    import re

    out = []
    pos = 0
    for match in re.finditer(r"\w+(?:[-\u2010\u2011]\w+)*", value):
        word = match.group(0)
        parts = re.split(r"[-\u2010\u2011]", word)
        if len(parts) == 1 or mode == "query":
            out.append(("".join(parts), pos, match.start(), match.end()))
            pos += 1
            continue
        out.append(("".join(parts), pos, match.start(), match.end()))
        offset = match.start()
        for part in parts:
            out.append((part, pos, offset, offset + len(part)))
            offset += len(part) + 1
            pos += 1
    return out


@pytest.mark.parametrize("mode", ["index", "query", ""])
def test_compound_tokenizer_gives_its_first_words(mode: str) -> None:
    from store.schema import CompoundTokenizer

    tokenizer = CompoundTokenizer()
    for text in _texts():
        got = [
            (t.text, t.pos, t.startchar, t.endchar)
            for t in tokenizer(text, positions=True, chars=True, mode=mode)
        ]
        assert got == _reference_words(text, mode), text[:60]
