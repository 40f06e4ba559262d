"""Fixtures of the store's engine tests: a library of several segments."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import store.posting_files as posting_files
from store import Library
from tests.benchmarks.synthetic import generate_pages


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """1,200 synthetic papers imported in three batches: several index segments, the
    postings of terms in 100 papers or more saved beside them (as 500 are in use)."""
    root = tmp_path_factory.mktemp("engine")
    pages = generate_pages(root / "pages", 1200, per_page=100, seed=3)
    library = Library.open(root / "lib")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(posting_files, "MIN_DOC_FREQUENCY", 100)
        for batch in (pages[:4], pages[4:8], pages[8:]):
            library.import_pages(batch)
    assert any(library.paths.index_dir.glob("paperdeck-postings-*.bin"))
    yield library
    library.close()
