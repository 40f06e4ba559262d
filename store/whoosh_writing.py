"""Every use of Whoosh's private API when writing: the commit's shortcuts, and cleaning
up after a failed write (reading's: :mod:`store.whoosh_private`, whose version pin and
checks cover these too).

Each function names the private parts it touches and the version it was checked
against; where they are missing, it does nothing and Whoosh's public way runs.
"""

from __future__ import annotations

import contextlib
import marshal
import shutil
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh.index import clean_files
from whoosh.util.numeric import byte_to_length

__all__ = ["PLAIN_BLOCK_POSTINGS", "abandon_writer", "quicken_writer"]

_RUN_CHUNK = 4096  # postings per marshal call in a spilled run (see _chunked_runs)
PLAIN_BLOCK_POSTINGS = 16
"""Posting blocks of at most this many postings are written uncompressed (see
:func:`_plain_small_blocks`)."""


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


def quicken_writer(writer: Any) -> None:
    """Three shortcuts in a segment writer's commit; the index holds the same terms,
    postings, lengths and stored fields (``tests/store/test_quick_import.py``).

    - Writing the postings asks every posting's field length; they are read a column at
      a time instead of one call down four layers each (9% of a commit).
    - A pool too big for memory spills sorted runs a chunk at a time (see
      :func:`_chunked_runs`).
    - Small posting blocks are written uncompressed (see :func:`_plain_small_blocks`).

    (The spelling fields' postings, one per paper and word and a fifth of an import's,
    must stay: ``typed_word`` ranks a typed prefix's words by their doc frequency there.)

    Private parts (checked on 2.7.5): ``SegmentWriter.pool/fieldwriter``,
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
    fieldwriter = getattr(writer, "fieldwriter", None)
    if fieldwriter is not None and hasattr(fieldwriter, "_codec"):
        fieldwriter._codec = _PlainSmallBlocks(fieldwriter._codec)


class _PlainSmallBlocks:
    """A codec whose postings writers leave small blocks uncompressed (see
    :func:`_plain_small_blocks`); everything else is the codec's own. Only the field
    writer holds it: the segment, pickled into the index, keeps Whoosh's codec."""

    def __init__(self, codec: Any) -> None:
        self._codec = codec

    def __getattr__(self, name: str) -> Any:
        return getattr(self._codec, name)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        postings = self._codec.postings_writer(dbfile, byteids=byteids)
        _plain_small_blocks(postings)
        return postings


def _plain_small_blocks(postings: Any) -> None:
    """Write the blocks of at most :data:`PLAIN_BLOCK_POSTINGS` postings uncompressed.

    Whoosh compresses every block with zlib; for the few postings of a rare word (most
    of a library's words) that costs a compressor's set-up, tens of microseconds, to
    save a few dozen bytes: a tenth of the seeds' import. Each block records its own
    compression, so Whoosh reads both kinds. Private parts (checked on 2.7.5):
    ``W3PostingsWriter._write_block/_ids/_compression`` (read once per block).
    """
    if not all(hasattr(postings, name) for name in ("_write_block", "_compression")):
        return  # (``_ids`` is made with each term's first block)
    write_block = postings._write_block

    def write(last: bool = False) -> None:
        if len(postings._ids) > PLAIN_BLOCK_POSTINGS:
            write_block(last)
            return
        level, postings._compression = postings._compression, 0
        try:
            write_block(last)
        finally:
            postings._compression = level

    postings._write_block = write


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
