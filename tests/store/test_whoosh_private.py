"""The private parts of Whoosh paperdeck uses are the ones it was checked against."""

from __future__ import annotations

from pathlib import Path

from store import Library
from store.whoosh_private import (
    CHECKED_VERSIONS,
    deleted_docs,
    field_lengths,
    numeric_column,
    segment_count,
    whoosh_version,
)
from tests.helpers import make_page, write


def test_installed_whoosh_is_a_checked_version() -> None:
    # Upgrading Whoosh: read every function of store/whoosh_private.py and
    # store/whoosh_writing.py against the new version, run the engine equivalence tests,
    # then add the version to CHECKED_VERSIONS.
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


def test_numeric_columns_read_at_once_equal_whoosh_reading_them_one_by_one(
    library: Library, tmp_path: Path
) -> None:
    # Several segments (two imports), an updated paper (a deleted docnum), papers with
    # no value in a column (no upvotes, no date) and a large value.
    first = [("A paper", "About a.", "  • 2 authors\n·\nMar 3, 2024 4000000000")]
    first += [(f"Paper {n}", f"About {n}.") for n in range(5)]
    library.import_pages([write(tmp_path / "one.txt", make_page(first))])
    library.import_pages(
        [
            write(
                tmp_path / "two.txt",
                make_page([("A paper", "About a.", "  • 3 authors\n·\nMar 3, 2024 7")]),
            )
        ]
    )
    searcher = library._index.open_searcher()
    try:
        subs = [sub for sub, _ in searcher.reader().leaf_readers()]
        assert len(subs) >= 2 and any(sub.has_deletions() for sub in subs)
        for sub in subs:
            for name in ("upvotes", "year", "sort_published", "sort_seen", "rising", "authors"):
                assert numeric_column(sub, name) == list(sub.column_reader(name)), name
        assert numeric_column(subs[0], "sort_title") is None  # text: read the public way
    finally:
        searcher.close()


def test_length_columns_decode_as_whooshs_table() -> None:
    from whoosh.util.numeric import byte_to_length

    from store.whoosh_private import _decoded_lengths

    raw = bytes(range(256)) * 3 + bytes([0, 255, 1])
    want = [byte_to_length(b) if b else 1 for b in raw]
    assert list(_decoded_lengths(raw)) == want
    assert list(_decoded_lengths(b"")) == []


def test_prefix_frequencies_equal_whooshs_term_iteration(big: Library) -> None:
    """Read straight from the term table, summed over segments (three here, the postings
    of one-paper terms kept in their term infos), cut at the limit as Whoosh's merged
    iteration is: the same terms and doc frequencies."""
    from store.whoosh_private import _public_frequencies, prefix_frequencies

    searcher = big._index.open_searcher()
    try:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) >= 2
        for fieldname in ("spell_title", "spell_abstract", "title", "organization"):
            for prefix in (b"", b"m", b"mo", b"tra", b"zzzz"):
                for limit in (1, 7, 5_000):
                    got = prefix_frequencies(reader, fieldname, prefix, limit)
                    want = _public_frequencies(reader, fieldname, prefix, limit)
                    assert got == want, (fieldname, prefix, limit)
        assert sum(prefix_frequencies(reader, "spell_abstract", b"m", 5_000).values()) > 100
    finally:
        searcher.close()
