"""The private parts of Whoosh paperdeck uses are the ones it was checked against."""

from __future__ import annotations

from store import Library
from store.whoosh_private import (
    CHECKED_VERSIONS,
    deleted_docs,
    field_lengths,
    segment_count,
    whoosh_version,
)


def test_installed_whoosh_is_a_checked_version() -> None:
    # Upgrading Whoosh: read every function of store/whoosh_private.py against the new
    # version, run the engine equivalence tests, then add the version to CHECKED_VERSIONS.
    assert whoosh_version() in CHECKED_VERSIONS


def test_private_reads_agree_with_the_public_api(loaded: Library) -> None:
    searcher = loaded._index.open_searcher()
    try:
        for sub, _ in searcher.reader().leaf_readers():
            assert deleted_docs(sub) == frozenset(
                d for d in range(sub.doc_count_all()) if sub.is_deleted(d)
            )
            lengths = field_lengths(sub, "title")
            assert lengths is not None
            assert list(lengths) == [
                sub.doc_field_length(d, "title", 1) for d in range(sub.doc_count_all())
            ]
        assert segment_count(loaded._index.ix) == len(searcher.reader().leaf_readers())
    finally:
        searcher.close()
