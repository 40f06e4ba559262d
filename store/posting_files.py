"""Common terms' postings saved beside the index, a file per segment, to read at once.

Whoosh keeps postings in zlib-compressed pickled blocks of 128: decoding the 100,000
postings of a word like ``model`` is tens of milliseconds of Python, paid again by every
new process at its first search. A segment never changes once written, so after each
import's commit (outside the writers' lock) and in each rebuild the postings of its
common terms (docnums as 4-byte integers, whole weights as bytes) are written once to
``paperdeck-postings-<segment>.bin``; a search reads a term's with one read and two
``array.frombytes`` (half a millisecond for 100,000 postings, against 30 through
Whoosh). The file is only a cache: a missing, stale or damaged one is ignored and
Whoosh decodes as before. It costs disk: 5 bytes a posting, 142 MiB beside a 396 MiB
index of 100,000 papers.

Layout: ``MAGIC``, the directory's length (8 bytes, little-endian), the directory
(``marshal``: per field, its terms joined by NUL, their arrays' offsets, counts and
CRC-32s as 8-, 4- and 4-byte integers and their weight types as one string; the
segment's id, document count and the arrays' total length under ``None``: a few large
values, loaded in a fraction of a millisecond where a dict of 5,000 tuples took
2.7 ms), then the arrays. A term's arrays are checked against their CRC when read
(0.1 ms for 100,000 postings), so a damaged file, or one replaced while a search reads
it, gives Whoosh's postings, never wrong ones; a damaged one is removed, for the next
commit to write it anew.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
import zlib
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .atomic import atomic_write_bytes
from .engine_types import segment_key

__all__ = ["MIN_DOC_FREQUENCY", "SAVED_FIELDS", "PostingFiles", "save_posting_files"]

MIN_DOC_FREQUENCY = 500  # rarer terms decode in well under a millisecond anyway
SAVED_FIELDS = ("title", "title_prefix", "abstract_terms", "abstract_prefix", "organization")
MAGIC = b"PDPOST3\n"
_SEPARATOR = "\0"
_PREFIX = "paperdeck-postings-"
_SUFFIX = ".bin"

Entry = tuple[int, int, int, str]  # offset, count, CRC-32, weight typecode
Postings = tuple["array[int]", "array[int] | array[float]"]


def _path(folder: Path, segment: str) -> Path:
    return folder / f"{_PREFIX}{segment}{_SUFFIX}"


def save_posting_files(
    folder: Path,
    reader: Any,
    read: Callable[[Any, str, Any], tuple[list[int], list[float]]],
) -> None:
    """Write the file of every segment of ``reader`` that has no sound one (``read``: a
    term's docnums and weights in one segment); remove the files of segments merged
    away and the temporary files of writes that were killed."""
    live: set[str] = set()
    for sub, _ in reader.leaf_readers():
        segment = segment_key(sub)
        live.add(segment)
        path = _path(folder, segment)
        count = int(sub.doc_count_all())
        if count >= MIN_DOC_FREQUENCY and _directory(path, segment, count) is None:
            data = _encode(sub, segment, read)
            if data is not None:
                atomic_write_bytes(path, data)
    for old in folder.glob(f"{_PREFIX}*{_SUFFIX}"):
        if old.name[len(_PREFIX) : -len(_SUFFIX)] not in live:
            old.unlink(missing_ok=True)
    for killed in folder.glob(f".{_PREFIX}*{_SUFFIX}.*.tmp"):
        killed.unlink(missing_ok=True)


def _encode(
    sub: Any, segment: str, read: Callable[[Any, str, Any], tuple[list[int], list[float]]]
) -> bytes | None:
    directory: dict[Any, Any] = {}
    chunks: list[bytes] = []
    offset = 0
    for fieldname in SAVED_FIELDS:
        if fieldname not in sub.schema:
            continue
        terms: list[str] = []
        offsets, counts, crcs, codes = array("Q"), array("I"), array("I"), []
        for text in _common_terms(sub, fieldname):
            ids, weights = read(sub, fieldname, text)
            if not ids or _SEPARATOR in text:
                continue
            id_bytes = array("I", ids).tobytes()
            weight_code, weight_bytes = _weights(weights)
            terms.append(text)
            offsets.append(offset)
            counts.append(len(ids))
            crcs.append(zlib.crc32(weight_bytes, zlib.crc32(id_bytes)))
            codes.append(weight_code)
            chunks += (id_bytes, weight_bytes)
            offset += len(id_bytes) + len(weight_bytes)
        if terms:
            terms_text = _SEPARATOR.join(terms)
            packed = (terms_text, offsets.tobytes(), counts.tobytes(), crcs.tobytes())
            directory[fieldname] = (*packed, "".join(codes))
    if not directory:
        return None
    directory[None] = (segment, int(sub.doc_count_all()), offset)
    head = marshal.dumps(directory)
    return b"".join([MAGIC, len(head).to_bytes(8, "little"), head, *chunks])


def _common_terms(sub: Any, fieldname: str) -> Iterable[Any]:
    for btext, info in sub.iter_field(fieldname):
        if info.doc_frequency() >= MIN_DOC_FREQUENCY:
            yield btext.decode("utf-8") if isinstance(btext, bytes) else btext


def _weights(weights: list[float]) -> tuple[str, bytes]:
    """Whole weights below 256 (term frequencies) as bytes, others as floats."""
    try:
        small = array("B", map(int, weights))
    except (OverflowError, ValueError):
        small = None
    if small is not None and array("f", small) == array("f", weights):
        return "B", small.tobytes()
    return "f", array("f", weights).tobytes()


class _Directory:
    """Where each saved term's arrays are in one file; a field's terms are looked up
    by a dictionary built the first time the field is asked for."""

    def __init__(
        self,
        start: int,
        total: int,
        fields: dict[str, tuple[str, bytes, bytes, bytes, str]],
        identity: tuple[int, int, int],
    ) -> None:
        self.start = start
        self.total = total
        self.identity = identity  # the file's (inode, size, mtime): replaced files differ
        self._fields = fields
        self._index: dict[str, dict[str, int]] = {}

    def find(self, fieldname: str, text: Any) -> Entry | None:
        """(offset, count, CRC-32, weight typecode) of a term's arrays, or None."""
        packed = self._fields.get(fieldname)
        if packed is None or not isinstance(text, str):
            return None
        index = self._index.get(fieldname)
        if index is None:
            terms = packed[0].split(_SEPARATOR)
            index = self._index[fieldname] = dict(zip(terms, range(len(terms)), strict=True))
        place = index.get(text)
        if place is None:
            return None
        offsets, counts, crcs = array("Q"), array("I"), array("I")
        offsets.frombytes(packed[1][place * 8 : place * 8 + 8])
        counts.frombytes(packed[2][place * 4 : place * 4 + 4])
        crcs.frombytes(packed[3][place * 4 : place * 4 + 4])
        return offsets[0], counts[0], crcs[0], packed[4][place]


class PostingFiles:
    """Reads the saved postings of one index folder (each file's directory read once;
    a segment without a sound file is looked at again after ``RETRY_S``, as a writer
    saves its files after its commit)."""

    RETRY_S = 2.0

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._directories: dict[str, _Directory] = {}
        self._missing: dict[str, float] = {}  # segment: when its file was last looked for

    def get(self, sub: Any, fieldname: str, text: Any) -> Postings | None:
        """A term's docnums and weights in one segment, or None when not saved."""
        if self.folder is None:
            return None
        segment = segment_key(sub)
        path = _path(self.folder, segment)
        directory = self._directories.get(segment) or self._look_for(path, segment, sub)
        entry = directory.find(fieldname, text) if directory is not None else None
        if directory is None or entry is None:
            return None
        offset, count, crc, weight_code = entry
        id_size = count * 4
        size = id_size + count * array(weight_code).itemsize
        if offset + size > directory.total:
            return None
        try:
            with open(path, "rb", buffering=0) as file:
                file.seek(directory.start + offset)
                raw = file.read(size)
        except OSError:
            return None
        if len(raw) != size or zlib.crc32(raw) != crc:
            self._forget(path, segment, directory)
            return None
        ids, weights = array("I"), array(weight_code)
        ids.frombytes(raw[:id_size])
        weights.frombytes(raw[id_size:])
        return ids, weights

    def _forget(self, path: Path, segment: str, directory: _Directory) -> None:
        """Stop reading a damaged file and remove it (unless it was replaced since it was
        opened), for the next commit to write it anew."""
        self._directories.pop(segment, None)
        self._missing[segment] = time.monotonic()
        with contextlib.suppress(OSError):
            if _identity(path) == directory.identity:
                path.unlink()

    def _look_for(self, path: Path, segment: str, sub: Any) -> _Directory | None:
        now = time.monotonic()
        if now - self._missing.get(segment, -self.RETRY_S) < self.RETRY_S:
            return None
        directory = _directory(path, segment, int(sub.doc_count_all()))
        if directory is None:
            self._missing[segment] = now
        else:
            self._directories[segment] = directory
        return directory


def _directory(path: Path, segment: str, count: int) -> _Directory | None:
    """The directory of a segment's file, or None (no file, an older layout, damaged,
    cut short, another segment's)."""
    try:
        with open(path, "rb") as file:
            stat = os.fstat(file.fileno())
            length = stat.st_size
            head = file.read(len(MAGIC) + 8)
            if len(head) != len(MAGIC) + 8 or head[: len(MAGIC)] != MAGIC:
                return None
            size = int.from_bytes(head[len(MAGIC) :], "little")
            if size > length - len(head):
                return None
            directory = marshal.loads(file.read(size))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(directory, dict):
        return None
    total = length - len(head) - size
    if directory.pop(None, None) != (segment, count, total):
        return None
    if not all(_well_formed(packed) for packed in directory.values()):
        return None
    identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return _Directory(len(head) + size, total, directory, identity)


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _well_formed(packed: Any) -> bool:
    """True for a field's entry as :func:`_encode` writes it."""
    if not (isinstance(packed, tuple) and len(packed) == 5):
        return False
    terms, offsets, counts, crcs, codes = packed
    if not (isinstance(terms, str) and isinstance(codes, str)):
        return False
    if not all(isinstance(part, bytes) for part in (offsets, counts, crcs)):
        return False
    n = terms.count(_SEPARATOR) + 1
    return (
        len(offsets) == 8 * n
        and len(counts) == 4 * n
        and len(crcs) == 4 * n
        and len(codes) == n
        and set(codes) <= {"B", "f"}
    )
