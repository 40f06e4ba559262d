"""Every use of Whoosh's private API, in one place.

paperdeck reaches under Whoosh's public API where the public way is too slow or cannot
clean up after a failure. Each function below names the private parts it touches and
the version it was checked against; ``pyproject.toml`` pins ``whoosh-reloaded`` to
``>=2.7.5,<2.8`` because of them, and ``tests/store/test_whoosh_private.py`` fails when
the installed Whoosh is one these were not checked against. Where the private parts are
missing, each function falls back to the public, slower way (or does nothing).
"""

from __future__ import annotations

import contextlib
import marshal
import pickle
import shutil
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

import whoosh
from whoosh.formats import Positions
from whoosh.index import clean_files
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from .engine_types import EMPTY, DocSet

__all__ = [
    "CHECKED_VERSIONS",
    "abandon_writer",
    "deleted_docs",
    "field_lengths",
    "leaf_postings",
    "live_docnums",
    "numeric_column",
    "quicken_writer",
    "remember_missing_columns",
    "segment_count",
    "term_positions",
    "whoosh_version",
]

CHECKED_VERSIONS = frozenset({(2, 7, 5)})
"""Whoosh versions the functions below were read and tested against."""

_RUN_CHUNK = 4096  # postings per marshal call in a spilled run (see _chunked_runs)
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


def abandon_writer(ix: Any, writer: Any) -> None:
    """Give up a failed write and delete what it left behind.

    Whoosh's ``cancel`` first flushes the segment being written; on a full disk that
    fails too, before the lock is released and the temporary folder removed. So the
    lock is released here either way, then the unfinished segment's files and the
    temporary folder are deleted under the lock (the committed index is untouched).

    Private parts (checked on 2.7.5): ``SegmentWriter.is_closed/_tempstorage/
    writelock``, ``FileIndex._read_toc``. Errors while cleaning up are ignored on
    purpose: this runs while another error is on its way to the user, and what it
    cannot delete is cleaned up by the next commit.
    """
    with contextlib.suppress(Exception):
        writer.cancel()
    if not getattr(writer, "is_closed", True):
        with contextlib.suppress(Exception):
            writer._tempstorage.destroy()
        with contextlib.suppress(Exception):
            writer.writelock.release()
        writer.is_closed = True
    storage = ix.storage
    lock = storage.lock(f"{ix.indexname}_WRITELOCK")
    if not lock.acquire(False):
        return
    try:
        with contextlib.suppress(Exception):
            toc = ix._read_toc()
            clean_files(storage, ix.indexname, toc.generation, toc.segments)
        with contextlib.suppress(OSError):
            shutil.rmtree(Path(storage.folder) / f"{ix.indexname}.tmp")
    finally:
        lock.release()


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


def quicken_writer(writer: Any) -> None:
    """Two shortcuts in a segment writer's commit, its index the same byte for byte.

    - Writing the postings asks every posting's field length; they are read a column at
      a time instead of one call down four layers each (9% of a commit).
    - A pool too big for memory spills sorted runs a chunk at a time (see
      :func:`_chunked_runs`).

    (The spelling fields' postings, one per paper and word and a fifth of an import's,
    must stay: ``typed_word`` ranks a typed prefix's words by their doc frequency there.)

    Private parts (checked on 2.7.5): ``SegmentWriter.pool``,
    ``SegmentWriter.per_document_reader`` (called once by ``_flush_segment``), the
    per-document reader's ``_doccount`` and ``_cached_reader``, the lengths column
    reader's ``_dbfile/_basepos/_count``.
    """
    pool = getattr(writer, "pool", None)
    if pool is None or not hasattr(writer, "per_document_reader"):
        return
    _chunked_runs(pool)
    open_lengths = writer.per_document_reader
    writer.per_document_reader = lambda: _ColumnLengths(open_lengths())


class _ColumnLengths:
    """A per-document reader whose ``doc_field_length`` answers from whole columns."""

    def __init__(self, perdoc: Any) -> None:
        self._perdoc = perdoc
        self._columns: dict[str, tuple[bytes, Any] | None] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._perdoc, name)

    def _column(self, fieldname: str) -> tuple[bytes, Any] | None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN

        reader = self._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if reader is None:
            return None
        return bytes(reader._dbfile.get(reader._basepos, reader._count)), reader

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        if docnum > self._perdoc._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._perdoc._doccount}")
        try:
            column = self._columns[fieldname]
        except KeyError:
            column = self._columns[fieldname] = self._column(fieldname)
        if column is None:
            return default
        raw, reader = column
        lbyte = raw[docnum] if docnum < len(raw) else reader[docnum]
        return int(byte_to_length(lbyte)) if lbyte else None


def _chunked_runs(pool: Any) -> None:
    """A spilling posting pool writes and reads its sorted runs a chunk at a time.

    Whoosh's pool marshals each posting to a run file with its own call and loads it
    back the same way (two Python calls per posting, then the merge); in chunks of
    :data:`_RUN_CHUNK` postings those calls are a few thousand per run. The run files
    are the pool's own, written and read by it alone. Private parts (checked on
    2.7.5): ``SortingPool._write_run/_read_run/_open_run/_remove_run``.
    """
    if not all(hasattr(pool, name) for name in ("_write_run", "_read_run", "_open_run")):
        return

    def write_run(f: Any, items: Iterable[Any]) -> None:
        stream = iter(items)
        while chunk := list(islice(stream, _RUN_CHUNK)):
            marshal.dump(chunk, f, 2)
        f.close()

    def read_run(path: str) -> Iterator[Any]:
        f = pool._open_run(path)
        try:
            while True:
                try:
                    chunk = marshal.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            pool._remove_run(path)

    pool._write_run = write_run
    pool._read_run = read_run
