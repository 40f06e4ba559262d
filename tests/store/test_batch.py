"""Selections: every id a search matches (not only a window of it), and batch changes
as one locked write that one undo takes back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Library
from tests.benchmarks.synthetic import generate_pages


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("batch")
    library = Library.open(root / "lib")
    library.import_pages(generate_pages(root / "pages", 900, per_page=150, seed=11))
    return library


def _every_hit(library: Library, text: str, **options: object) -> list[str]:
    """The ids the search's results list, paging through all of them, newest first."""
    ids: list[str] = []
    while True:
        found = library.search(text, sort="published", limit=200, offset=len(ids), **options)  # type: ignore[arg-type]
        ids += [hit.paper.id for hit in found.hits]
        if len(ids) >= found.total or not found.hits:
            return ids


@pytest.mark.parametrize(
    "text", ["", "model", "language model", "year:2024 upvotes:>=10", "zzzzzq", "langu"]
)
def test_matching_ids_are_every_hit_of_the_search(big: Library, text: str) -> None:
    assert big.matching_ids(text) == _every_hit(big, text)


def test_matching_ids_follow_the_user_filters(big: Library) -> None:
    ids = big.matching_ids("model")[:30]
    big.tag_all(ids[:10], add=["picked"])
    big.set_read_all(ids[5:20])
    assert big.matching_ids("tag:picked") == ids[:10]
    assert big.matching_ids("model", read=True) == _every_hit(big, "model", read=True)
    assert set(big.matching_ids("model", read=True)) == set(ids[5:20])
    assert big.matching_ids("", tag="picked") == ids[:10]


def test_a_misspelled_search_selects_what_it_shows(big: Library) -> None:
    shown = big.search("transformr", limit=500)
    assert shown.notice and shown.total
    assert set(big.matching_ids("transformr")) == {h.paper.id for h in shown.hits}


def test_a_batch_is_one_write_and_one_undo_puts_the_file_back(loaded: Library) -> None:
    ids = [p.id for p in loaded.all_papers()][:6]
    loaded.bookmark(ids[0], tags=["keep"])
    before = loaded.paths.userdata_file.read_bytes()
    revision = loaded.userdata.revision
    assert loaded.tag_all(ids, add=["moe", "Survey"], remove=["keep"]) == 6
    assert loaded.userdata.revision == revision + 1  # one write for six papers
    assert all(loaded.get(pid).tags == ["moe", "survey"] for pid in ids)
    assert "tag edit of 6 papers" in loaded.undo()
    assert loaded.paths.userdata_file.read_bytes() == before
    assert loaded.get(ids[0]).tags == ["keep"]


def test_toggles_turn_on_unless_every_paper_is_on_already(loaded: Library) -> None:
    ids = [p.id for p in loaded.all_papers()][:4]
    loaded.bookmark(ids[0])
    assert loaded.toggle_bookmarks(ids) == (True, 3)  # some were not: all are now
    assert all(loaded.get(pid).bookmarked for pid in ids)
    assert loaded.toggle_bookmarks(ids) == (False, 4)
    assert not any(loaded.get(pid).bookmarked for pid in ids)
    loaded.set_read(ids[1])
    assert loaded.toggle_read_all(ids) == (True, 3)
    assert loaded.toggle_read_all(ids) == (False, 4)
    assert loaded.bookmark_all(ids, tags=["x"]) == 4
    assert loaded.bookmark_all(ids, tags=["x"]) == 0  # nothing to do: nothing written


def test_a_selection_exports_in_its_order(loaded: Library, tmp_path: Path) -> None:
    ids = [p.id for p in loaded.all_papers()][:5][::-1]
    text, count = loaded.export("json", ids=ids)
    assert count == 5
    positions = [text.index(f'"{pid}"') for pid in ids]
    assert positions == sorted(positions)
    out = tmp_path / "picked.bib"
    assert loaded.export_to(out, "bibtex", ids=ids) == 5
    assert out.read_text(encoding="utf-8").count("@") == 5
