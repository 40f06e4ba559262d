"""Kill the import process at random moments: the library must stay whole."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Library
from store.pages import decode_page, parse_page
from store.records import observations_from_page
from store.schema import build_schema
from store.storage import open_index
from tests.benchmarks.synthetic import generate_pages
from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def _page_papers(library: Library) -> dict[str, set[str]]:
    """For every stored page, the ids of the papers on it."""
    result: dict[str, set[str]] = {}
    for source in library.sources.sources():
        page = parse_page(
            decode_page(library.sources.read(source.hash)),
            year=source.year,
            fallback_year=source.fallback_year,
        )
        result[source.hash] = {
            o.paper_id for o in observations_from_page(page, source.name, source.hash)
        }
    return result


def _indexed_by_page(index_dir: Path, hashes: list[str]) -> dict[str, set[str]]:
    """For every page hash, the ids of the indexed papers that record a sighting on it."""
    from whoosh import query as wq

    ix = open_index(index_dir, build_schema())
    with ix.searcher() as searcher:
        return {
            digest: {
                searcher.stored_fields(d)["id"]
                for d in searcher.docs_for_query(wq.Term("pages", digest))
            }
            for digest in hashes
        }


def _kill_runs(data_dir: Path, pages: Path, runs: int, seed: int) -> int:
    rng = random.Random(seed)
    killed = 0
    for _ in range(runs):
        process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "--data-dir", str(data_dir), "import", str(pages)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.5))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
        # Right after the kill, before anything repairs it: each stored page is in the
        # index whole or not at all.
        library = Library.__new__(Library)
        Library.__init__(library, data_dir)
        on_pages = _page_papers(library)
        indexed = _indexed_by_page(data_dir / "index", list(on_pages))
        for digest, ids in on_pages.items():
            assert indexed[digest] in (set(), ids), "a page is half indexed"
    return killed


def _check(tmp_path: Path, runs: int, seed: int) -> None:
    pages = tmp_path / "pages"
    generate_pages(pages, 1200, per_page=60, seed=seed)
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([FIXTURES])
        tulu = library.search("tulu").hits[0].paper.id
        library.bookmark(tulu, tags=["keep"], note="months of notes")
        library.set_read(tulu)
        before = library.paths.userdata_file.read_bytes()
    killed = _kill_runs(data_dir, pages, runs, seed)
    assert killed > 0, "no run was killed mid-way: the test proved nothing"
    with Library.open(data_dir) as library:  # opening only reads; the next import finishes
        assert library.paths.userdata_file.read_bytes() == before
        report = library.import_pages([pages])  # a rerun completes it
        assert report.ok
        expected = set().union(*_page_papers(library).values())
        assert {p.id for p in library.all_papers()} == expected
        assert library.info().index_ok
        paper = library.get(tulu)
        assert (paper.bookmarked, paper.tags, paper.note, paper.read) == (
            True,
            ["keep"],
            "months of notes",
            True,
        )


def test_killed_imports_lose_nothing(tmp_path: Path) -> None:
    _check(tmp_path, runs=4, seed=1)


@pytest.mark.slow
def test_killed_imports_lose_nothing_many_times(tmp_path: Path) -> None:
    _check(tmp_path, runs=40, seed=2)
