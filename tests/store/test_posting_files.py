"""Common terms' postings saved beside the index: what Whoosh decodes, read at once;
searches alike with and without them; a damaged or stale file is ignored."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import store.posting_files as posting_files
from store import Library
from store.engine_types import segment_key
from store.posting_files import SAVED_FIELDS, PostingFiles
from store.weight_groups import postings_of
from store.whoosh_private import leaf_postings
from tests.benchmarks.synthetic import generate_pages

QUERIES = ["model", "language model", "fine tuning", "learn OR model", "model -vision", "trans*"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """900 synthetic papers in three imports (several segments), terms in 30+ papers
    saved."""
    root = tmp_path_factory.mktemp("postings")
    pages = generate_pages(root / "pages", 900, per_page=100, seed=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(posting_files, "MIN_DOC_FREQUENCY", 30)
        library = Library.open(root / "lib")
        for batch in (pages[:3], pages[3:6], pages[6:]):
            report = library.import_pages(batch)
            assert report.ok, report.failures
    yield library
    library.close()


def _files(library: Library) -> list[Path]:
    return sorted(library.paths.index_dir.glob("paperdeck-postings-*.bin"))


def _ranked(library: Library, text: str) -> list[tuple[str, float | None]]:
    results = library.search(text, limit=40)
    return [(hit.paper.id, hit.score) for hit in results.hits] + [("total", results.total)]


def test_each_segment_has_its_file_and_it_holds_whooshs_postings(saved: Library) -> None:
    searcher = saved._index.open_searcher()
    subs = [sub for sub, _ in searcher.reader().leaf_readers()]
    assert len(subs) > 1
    names = {path.name for path in _files(saved)}
    assert names == {f"paperdeck-postings-{segment_key(sub)}.bin" for sub in subs}
    reader = PostingFiles(saved.paths.index_dir)
    checked = 0
    for sub in subs:
        for fieldname in SAVED_FIELDS:
            for btext, info in sub.iter_field(fieldname):
                text = btext.decode("utf-8")
                found = reader.get(sub, fieldname, text)
                if info.doc_frequency() < 30:
                    assert found is None
                    continue
                assert found is not None, (fieldname, text)
                ids, weights = leaf_postings(sub, fieldname, text)
                assert postings_of(found) == list(zip(ids, weights, strict=True))
                checked += 1
    assert checked > 50


def test_searches_rank_alike_without_the_files(saved: Library, tmp_path: Path) -> None:
    with_files = {text: _ranked(saved, text) for text in QUERIES}
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    for path in _files(saved):
        path.rename(hidden / path.name)
    try:
        again = Library.open(saved.paths.root)
        assert {text: _ranked(again, text) for text in QUERIES} == with_files
        again.close()
    finally:
        for path in hidden.iterdir():
            path.rename(saved.paths.index_dir / path.name)


def _damaged(data: bytes, damage: str, other: bytes) -> bytes:
    """``data`` (a posting file) damaged as ``damage`` says."""
    start = (
        len(posting_files.MAGIC)
        + 8
        + int.from_bytes(data[len(posting_files.MAGIC) :][:8], "little")
    )
    if damage == "truncated":
        return data[: len(data) // 2]
    if damage == "garbage":
        return random.Random(1).randbytes(len(data))
    if damage == "huge directory length":
        return (
            posting_files.MAGIC
            + (2**62).to_bytes(8, "little")
            + data[len(posting_files.MAGIC) + 8 :]
        )
    if damage == "corrupt arrays":  # the directory whole, the records not
        return data[:start] + random.Random(2).randbytes(len(data) - start)
    if damage == "older layout":
        return b"PDPOST1\n" + data[len(posting_files.MAGIC) :]
    return other  # another segment's file under this name


DAMAGES = ["truncated", "garbage", "huge directory length", "corrupt arrays", "other segment"]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_file_is_ignored(saved: Library, damage: str) -> None:
    expected = {text: _ranked(saved, text) for text in QUERIES}
    files = _files(saved)
    originals = {path: path.read_bytes() for path in files}
    try:
        for path in files:
            other = originals[next(p for p in files if p != path)]
            path.write_bytes(_damaged(originals[path], damage, other))
        again = Library.open(saved.paths.root)
        searcher: Any = again._index.open_searcher()
        sub = searcher.reader().leaf_readers()[0][0]
        assert again._engine.match_sets.saved.get(sub, "abstract", "model") is None
        assert {text: _ranked(again, text) for text in QUERIES} == expected
        again.close()
    finally:
        for path, data in originals.items():
            path.write_bytes(data)


def _small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, seed: int) -> Any:
    """(pages, an empty library) with terms in 30+ papers saved."""
    monkeypatch.setattr(posting_files, "MIN_DOC_FREQUENCY", 30)
    pages = generate_pages(tmp_path / "pages", size, per_page=100, seed=seed)
    return pages, Library.open(tmp_path / "lib")


@pytest.mark.parametrize("damage", ["older layout", "corrupt arrays", "truncated"])
def test_a_damaged_file_is_written_anew_by_the_next_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """A file whose directory is unsound is rewritten by the next commit; one whose
    arrays are damaged is removed by the search that finds out, then rewritten."""
    pages, library = _small(tmp_path, monkeypatch, 300, seed=11)
    assert library.import_pages(pages[:2]).ok
    [path] = _files(library)
    sound = path.read_bytes()
    path.write_bytes(_damaged(sound, damage, b""))
    library.close()
    again = Library.open(tmp_path / "lib")
    searcher: Any = again._index.open_searcher()
    sub = searcher.reader().leaf_readers()[0][0]
    assert again._engine.match_sets.saved.get(sub, "abstract", "model") is None
    assert again.import_pages(pages[2:]).ok  # the next import saves it anew
    assert path.read_bytes() == sound
    again.close()


def test_files_follow_segments_merged_by_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh merges small segments as imports commit: each live segment keeps its file
    and the files of the segments merged away go, with any killed write's leftovers."""
    monkeypatch.setattr(posting_files, "MIN_DOC_FREQUENCY", 10)
    pages = generate_pages(tmp_path / "pages", 400, per_page=25, seed=13)
    library = Library.open(tmp_path / "lib")
    seen: set[str] = set()
    live: set[str] = set()
    for page in pages:
        (library.paths.index_dir / ".paperdeck-postings-x.bin.abc.tmp").write_bytes(b"half")
        assert library.import_pages([page]).ok
        searcher: Any = library._index.open_searcher()
        live = {segment_key(sub) for sub, _ in searcher.reader().leaf_readers()}
        searcher.close()
        seen |= live
        names = {path.name for path in _files(library)}
        assert names == {f"paperdeck-postings-{segment}.bin" for segment in live}
        assert not list(library.paths.index_dir.glob(".paperdeck-postings-*.tmp"))
    assert seen - live  # some segments were merged away
    library.close()


def test_an_import_whose_files_fail_to_save_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving the postings comes after the commit: its failure loses nothing imported."""
    pages, library = _small(tmp_path, monkeypatch, 300, seed=17)

    def fails(*_: Any) -> bytes:
        raise MemoryError

    monkeypatch.setattr(posting_files, "_encode", fails)
    report = library.import_pages(pages)
    assert report.ok and report.pages == len(pages)
    assert not _files(library)
    assert len(library._index.state().sources) == len(pages)
    assert library.search("").total == 300
    library.reindex()  # everything imported was kept: a rebuild finds it all
    assert library.search("").total == 300
    library.close()


def test_a_record_that_is_not_one_decodes_to_nothing() -> None:
    """Records that pass their CRC but are not what the writer writes (an empty bitmap,
    other values, bytes that are not marshal) give None: Whoosh's postings instead."""
    import marshal

    from store.posting_files import _groups

    for record in [marshal.dumps(((1.0, b""),)), marshal.dumps(((1.0, 5),)), b"\x00junk", b""]:
        assert _groups(record) is None
