"""Every use of Whoosh's private API when reading (writing's: :mod:`store.whoosh_writing`).

paperdeck reaches under Whoosh's public API where the public way is too slow. Each
function below names the private parts it touches and the version it was checked
against; ``pyproject.toml`` pins ``whoosh-reloaded`` to ``>=2.7.5,<2.8`` because of
them (and those of :mod:`store.whoosh_writing`), and
``tests/store/test_whoosh_private.py`` fails when the installed Whoosh is one these were
not checked against. Where the private parts are missing, each function falls back to
the public, slower way (or does nothing).
"""

from __future__ import annotations

import pickle
import struct
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from itertools import accumulate
from typing import Any

import whoosh
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from .engine_types import EMPTY, DocSet

__all__ = [
    "CHECKED_VERSIONS",
    "deleted_docs",
    "field_lengths",
    "leaf_postings",
    "live_docnums",
    "numeric_column",
    "prefix_frequencies",
    "remember_missing_columns",
    "segment_count",
    "term_positions",
    "whoosh_version",
]

CHECKED_VERSIONS = frozenset({(2, 7, 5)})
"""Whoosh versions the functions below were read and tested against."""

_DOC_FREQUENCY = struct.Struct("!I")  # in a W3 term info, after its flags and total weight
_DOC_FREQUENCY_AT = 5
_LENGTH_TABLE = [1, *(byte_to_length(b) for b in range(1, 256))]  # 0: nothing stored
# The table's values byte by byte (least significant first): four ``bytes.translate``
# calls decode a length column in C, a third of the time of a Python loop.
_LENGTH_BYTES = [bytes((n >> (8 * k)) & 255 for n in _LENGTH_TABLE) for k in range(4)]


def whoosh_version() -> tuple[int, int, int]:
    """The installed Whoosh's version."""
    major, minor, patch = (int(part) for part in whoosh.__version__[:3])
    return major, minor, patch


def leaf_postings(
    sub: Any, fieldname: str, text: Any, *, with_weights: bool = True
) -> tuple[list[int], list[float]]:
    """Docnums (and weights) of one term in one segment, a posting block at a time,
    deletions included.

    Private parts (checked on 2.7.5): ``SegmentReader._text_to_bytes``, ``._terms``,
    and ``W3LeafMatcher._ids/_data/_i/_byteids/_weights/_read_data/_read_weights/
    _next_block``. Reading whole blocks and undoing the docnum deltas with
    ``accumulate`` (in C) takes a third of the time of Whoosh's per-posting generator.
    """
    if sub.doc_frequency(fieldname, text) == 0:
        return [], []
    ids: list[int] = []
    weights: list[float] = []
    matcher = _block_matcher(sub, fieldname, text)
    if matcher is None:  # another codec or version: the public, slower way
        return _public_postings(sub, fieldname, text, with_weights)
    while matcher.is_active():
        ids.extend(_block_ids(matcher)[matcher._i :])
        if with_weights:
            if matcher._weights is None:
                matcher._read_weights()
            weights.extend(matcher._weights[matcher._i :])
        matcher._next_block()
    return ids, weights


def term_positions(
    sub: Any, fieldname: str, text: Any, docnums: list[int]
) -> list[list[int]] | None:
    """A term's positions in each of ``docnums`` (local to ``sub``, sorted), or None
    when one of them does not hold the term.

    Private parts (checked on 2.7.5): those of :func:`leaf_postings` and
    ``W3LeafMatcher._maxid/_values/_read_values``. Blocks past the next docnum are
    skipped unread and the docnum is found in its block by binary search: Whoosh's
    ``skip_to`` steps through a block one posting at a time.
    """
    matcher = _block_matcher(sub, fieldname, text)
    if matcher is None or not hasattr(matcher, "_maxid") or not hasattr(matcher, "_read_values"):
        return _public_positions(sub, fieldname, text, docnums)
    decode = _positions_decoder(sub.schema[fieldname].format)
    found: list[list[int]] = []
    for docnum in docnums:
        while matcher.is_active() and matcher._maxid < docnum:
            matcher._next_block()
        if not matcher.is_active():
            return None
        place = bisect_left(_block_ids(matcher), docnum, matcher._i)
        if place >= len(matcher._ids) or matcher._ids[place] != docnum:
            return None
        matcher._i = place
        if matcher._values is None:
            matcher._read_values()
        found.append(decode(matcher._values[place]))
    return found


def _positions_decoder(field_format: Any) -> Callable[[bytes], list[int]]:
    """Whoosh's decoder of a posting's positions; for its ``Positions`` format (a
    4-byte count, then the deltas pickled, checked on 2.7.5) the same list with the
    deltas undone in C: a third of the time of a phrase over thousands of papers."""
    if type(field_format) is not Positions:
        decoder: Callable[[bytes], list[int]] = field_format.decoder("positions")
        return decoder

    def decode(value: bytes) -> list[int]:
        body = value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b"."
        return list(accumulate(pickle.loads(body)))

    return decode


def _block_matcher(sub: Any, fieldname: str, text: Any) -> Any:
    """Whoosh's leaf matcher of one term in one segment, or None when it is not the
    block matcher the readers here know (another codec or version)."""
    try:
        btext = sub._text_to_bytes(fieldname, text)
        matcher = sub._terms.matcher(fieldname, btext, sub.schema[fieldname].format)
        _ = matcher._ids, matcher._byteids, matcher._next_block
    except (AttributeError, KeyError):
        return None
    return matcher


def _block_ids(matcher: Any) -> tuple[int, ...]:
    """The docnums of the matcher's current block (read and undeltaed once)."""
    if matcher._ids is None:
        if matcher._data is None:
            matcher._read_data()
        block = matcher._data[0]
        matcher._ids = tuple(block if matcher._byteids else accumulate(block))
    ids: tuple[int, ...] = matcher._ids
    return ids


def _public_positions(
    sub: Any, fieldname: str, text: Any, docnums: list[int]
) -> list[list[int]] | None:
    matcher = sub.postings(fieldname, text)
    found: list[list[int]] = []
    for docnum in docnums:
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            return None
        found.append(list(matcher.value_as("positions")))
    return found


def _public_postings(
    sub: Any, fieldname: str, text: Any, with_weights: bool
) -> tuple[list[int], list[float]]:
    ids: list[int] = []
    weights: list[float] = []
    # The public matcher skips deleted documents; callers remove deletions anyway.
    matcher = sub.postings(fieldname, text)
    while matcher.is_active():
        ids.append(matcher.id())
        if with_weights:
            weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def deleted_docs(sub: Any) -> frozenset[int]:
    """The deleted docnums of one segment.

    ``SegmentReader.deleted_docs_set`` (a cached property, checked on 2.7.5) is not
    part of the reader's documented interface.
    """
    deleted = getattr(sub, "deleted_docs_set", None)
    if deleted is not None:
        return frozenset(deleted)
    if not sub.has_deletions():
        return frozenset()
    return frozenset(d for d in range(sub.doc_count_all()) if sub.is_deleted(d))


def live_docnums(reader: Any) -> DocSet:
    """Every live docnum of ``reader``: Whoosh's ``all_doc_ids`` without a Python call
    per document (40 ms at 100,000 papers)."""
    parts: list[DocSet] = []
    for sub, offset in reader.leaf_readers():
        live = DocSet(range(offset, offset + sub.doc_count_all()))
        deleted = deleted_docs(sub)
        parts.append(live - DocSet(d + offset for d in deleted) if deleted else live)
    return EMPTY.union(*parts)


def field_lengths(reader: Any, fieldname: str) -> array[int] | None:
    """Every document's length of ``fieldname`` in one segment (Whoosh's default of 1
    where none was stored), read at once; None where that is not possible (scoring then
    asks Whoosh per posting).

    Private parts (checked on 2.7.5): ``SegmentReader._perdoc._cached_reader``, the
    column reader's ``_dbfile/_basepos/_count``, and ``whoosh.codec.whoosh3.LENGTHS_COLUMN``.
    """
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN

        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        doccount = int(reader.doc_count_all())
        if column is None:
            return array("I", [1]) * doccount
        raw = bytes(column._dbfile.get(column._basepos, column._count))
    except (AttributeError, ImportError):
        return None
    lengths = _decoded_lengths(raw)
    if len(lengths) < doccount:  # trailing documents without a value
        lengths.extend([1] * (doccount - len(lengths)))
    return lengths


def _decoded_lengths(raw: bytes) -> array[int]:
    """Whoosh's one-byte field lengths, decoded through its own length table."""
    lengths = array("I")
    if lengths.itemsize != 4 or max(_LENGTH_TABLE) >> 32:
        return array("I", [_LENGTH_TABLE[b] for b in raw])
    wide = bytearray(4 * len(raw))
    order = range(4) if sys.byteorder == "little" else range(3, -1, -1)
    for place, table in zip(order, _LENGTH_BYTES, strict=True):
        wide[place::4] = raw.translate(table)
    lengths.frombytes(bytes(wide))
    return lengths


def numeric_column(sub: Any, fieldname: str) -> list[int] | None:
    """Every document's value of a sortable unsigned-int ``NUMERIC`` field in one
    segment, read at once (Whoosh reads them one seek at a time: 0.15 s for 100,000);
    None where that is not possible (the caller then reads them the public way).

    Private parts (checked on 2.7.5): ``SegmentReader._perdoc.has_column`` and
    ``.column_reader``, the numeric column reader's ``_dbfile/_basepos/_count/
    _typecode/_default``.
    """
    field = sub.schema[fieldname]
    if getattr(field, "numtype", None) is not int or field.signed or field.decimal_places:
        return None  # stored as is only for unsigned whole numbers
    doccount = int(sub.doc_count_all())
    try:
        perdoc = sub._perdoc
        if not perdoc.has_column(fieldname):
            return [field.column_type.default_value()] * doccount if doccount else []
        column = perdoc.column_reader(fieldname, field.column_type)
        typecode, count = column._typecode, column._count
        raw = column._dbfile.get(column._basepos, count * column._fixedlen)
        values = array(typecode)
        values.frombytes(bytes(raw))
    except (AttributeError, TypeError, ValueError):
        return None
    if values.itemsize != column._fixedlen:
        return None
    if sys.byteorder == "little":
        values.byteswap()  # Whoosh writes them big-endian ("!")
    result = values.tolist()
    if len(result) < doccount:  # trailing documents without a value
        result.extend([column._default] * (doccount - len(result)))
    return result


def segment_count(ix: Any) -> int:
    """How many segments the index's newest generation has (``FileIndex._segments``,
    checked on 2.7.5); 0 if it cannot tell."""
    segments = getattr(ix, "_segments", None)
    return len(segments()) if segments is not None else 0


def remember_missing_columns() -> None:
    """Make a segment's per-document reader remember that a column is absent.

    While a segment is written, Whoosh asks for a field length at every posting; for a
    field without lengths (numbers, ids, spelling words) ``W3PerDocReader._cached_reader``
    (checked on 2.7.5) asks the file system whether the column file exists, every time:
    two system calls per posting, a quarter of an import. Segments never change once
    written, so the answer is kept like a found column is. Idempotent.
    """
    try:
        from whoosh.codec.whoosh3 import W3PerDocReader
    except ImportError:
        return
    if getattr(W3PerDocReader, "_paperdeck_remembers", False):
        return
    original = W3PerDocReader._cached_reader

    def cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        readers = self._readers
        if fieldname in readers:
            return readers[fieldname]
        reader = original(self, fieldname, column)
        readers[fieldname] = reader  # None too: the segment's files never change
        return reader

    W3PerDocReader._cached_reader = cached_reader
    W3PerDocReader._paperdeck_remembers = True


remember_missing_columns()


def prefix_frequencies(reader: Any, fieldname: str, prefix: bytes, limit: int) -> Counter[bytes]:
    """The first ``limit`` terms of a field (in term order) that start with ``prefix``,
    with their doc frequencies summed over the segments: what Whoosh's ``iter_prefix``
    gives, without decoding each term's info (the postings of a term held by one paper
    are kept in it, pickled: typing ``mode`` unpickled 4,000 of them, 30 ms).

    Private parts (checked on 2.7.5): ``SegmentReader._terms``, the terms reader's
    ``_tindex.items_from`` and ``_keycoder`` (two bytes of field number, then the term),
    and ``W3TermInfo``'s layout (the doc frequency a big-endian int at byte 5).
    """
    found: Counter[bytes] = Counter()
    for sub, _ in reader.leaf_readers():
        if fieldname not in sub.schema:
            continue
        terms = getattr(sub, "_terms", None)
        tindex = getattr(terms, "_tindex", None)
        if terms is None or tindex is None or not hasattr(terms, "_keycoder"):
            return _public_frequencies(reader, fieldname, prefix, limit)
        start = terms._keycoder(fieldname, prefix)
        cut = len(start) - len(prefix)
        for count, (key, value) in enumerate(tindex.items_from(start)):
            if count >= limit or not key.startswith(start):
                break
            found[key[cut:]] += _DOC_FREQUENCY.unpack_from(value, _DOC_FREQUENCY_AT)[0]
    if len(found) > limit:  # each segment's first terms: keep the first of their union
        found = Counter({term: found[term] for term in sorted(found)[:limit]})
    return found


def _public_frequencies(reader: Any, fieldname: str, prefix: bytes, limit: int) -> Counter[bytes]:
    found: Counter[bytes] = Counter()
    for count, (term, info) in enumerate(reader.iter_prefix(fieldname, prefix)):
        if count >= limit:
            break
        found[term] = info.doc_frequency()
    return found
