"""Common terms' postings saved beside the index, a file per segment, to read at once.

Whoosh keeps postings in zlib-compressed pickled blocks of 128: decoding the 100,000
postings of a word like ``model`` is tens of milliseconds of Python, paid again by every
new process at its first search. A segment never changes once written, so after each
import's commit (outside the writers' lock) and in each rebuild the postings of its
common terms are written once to ``paperdeck-postings-<segment>.bin``, as the term's
:mod:`store.weight_groups` (a serialised bitmap of docnums per weight); a search reads
a term's with one read (tens of microseconds for 100,000 postings, against 30 ms
through Whoosh). The file is only a cache: a missing, stale or damaged one is ignored
and Whoosh decodes as before.

Layout: ``MAGIC``, the directory's length (8 bytes, little-endian), the directory
(``marshal``: per field, its terms joined by NUL, their records' offsets, sizes and
CRC-32s as 8-, 4- and 4-byte integers; the segment's id, document count and the
records' total length under ``None``: a few large values, loaded in a fraction of a
millisecond where a dict of 5,000 tuples took 2.7 ms), then the records (``marshal``:
a tuple of (weight, serialised bitmap) pairs). A term's record is checked against its
CRC when read, so a damaged file, or one replaced while a search reads it, gives
Whoosh's postings, never wrong ones; a damaged one is removed, for the next commit to
write it anew.
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
from .engine_types import DocSet, segment_key
from .weight_groups import WeightGroups, group_by_weight

__all__ = ["MIN_DOC_FREQUENCY", "SAVED_FIELDS", "PostingFiles", "save_posting_files"]

MIN_DOC_FREQUENCY = 500  # rarer terms decode in well under a millisecond anyway
SAVED_FIELDS = ("title", "title_prefix", "abstract", "abstract_prefix", "organization")
MAGIC = b"PDPOST4\n"
_SEPARATOR = "\0"
_PREFIX = "paperdeck-postings-"
_SUFFIX = ".bin"

Entry = tuple[int, int, int]  # offset, size, CRC-32


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
        offsets, sizes, crcs = array("Q"), array("I"), array("I")
        for text in _common_terms(sub, fieldname):
            ids, weights = read(sub, fieldname, text)
            if not ids or _SEPARATOR in text:
                continue
            groups = group_by_weight(ids, weights)
            record = marshal.dumps(tuple((w, docnums.serialize()) for w, docnums in groups))
            terms.append(text)
            offsets.append(offset)
            sizes.append(len(record))
            crcs.append(zlib.crc32(record))
            chunks.append(record)
            offset += len(record)
        if terms:
            terms_text = _SEPARATOR.join(terms)
            directory[fieldname] = (terms_text, offsets.tobytes(), sizes.tobytes(), crcs.tobytes())
    if not directory:
        return None
    directory[None] = (segment, int(sub.doc_count_all()), offset)
    head = marshal.dumps(directory)
    return b"".join([MAGIC, len(head).to_bytes(8, "little"), head, *chunks])


def _common_terms(sub: Any, fieldname: str) -> Iterable[Any]:
    for btext, info in sub.iter_field(fieldname):
        if info.doc_frequency() >= MIN_DOC_FREQUENCY:
            yield btext.decode("utf-8") if isinstance(btext, bytes) else btext


class _Directory:
    """Where each saved term's arrays are in one file; a field's terms are looked up
    by a dictionary built the first time the field is asked for."""

    def __init__(
        self,
        start: int,
        total: int,
        fields: dict[str, tuple[str, bytes, bytes, bytes]],
        identity: tuple[int, int, int],
    ) -> None:
        self.start = start
        self.total = total
        self.identity = identity  # the file's (inode, size, mtime): replaced files differ
        self._fields = fields
        self._index: dict[str, dict[str, int]] = {}

    def find(self, fieldname: str, text: Any) -> Entry | None:
        """(offset, size, CRC-32) of a term's record, or None."""
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
        offsets, sizes, crcs = array("Q"), array("I"), array("I")
        offsets.frombytes(packed[1][place * 8 : place * 8 + 8])
        sizes.frombytes(packed[2][place * 4 : place * 4 + 4])
        crcs.frombytes(packed[3][place * 4 : place * 4 + 4])
        return offsets[0], sizes[0], crcs[0]


class PostingFiles:
    """Reads the saved postings of one index folder (each file's directory read once;
    a segment without a sound file is looked at again after ``RETRY_S``, as a writer
    saves its files after its commit)."""

    RETRY_S = 2.0

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._directories: dict[str, _Directory] = {}
        self._missing: dict[str, float] = {}  # segment: when its file was last looked for

    def get(self, sub: Any, fieldname: str, text: Any) -> WeightGroups | None:
        """A term's postings in one segment by weight, or None when not saved."""
        if self.folder is None:
            return None
        segment = segment_key(sub)
        path = _path(self.folder, segment)
        directory = self._directories.get(segment) or self._look_for(path, segment, sub)
        entry = directory.find(fieldname, text) if directory is not None else None
        if directory is None or entry is None:
            return None
        offset, size, crc = entry
        if offset + size > directory.total:
            return None
        try:
            with open(path, "rb", buffering=0) as file:
                file.seek(directory.start + offset)
                raw = file.read(size)
        except OSError:
            return None
        groups = _groups(raw) if len(raw) == size and zlib.crc32(raw) == crc else None
        if groups is None:
            self._forget(path, segment, directory)
        return groups

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


def _groups(record: bytes) -> WeightGroups | None:
    """A term's record decoded, or None when it is not one :func:`_encode` writes."""
    try:
        pairs = marshal.loads(record)
        groups = tuple((float(w), DocSet.deserialize(data)) for w, data in pairs)
    except (ValueError, EOFError, TypeError, IndexError):  # IndexError: an empty bitmap
        return None
    return groups if groups else None


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _well_formed(packed: Any) -> bool:
    """True for a field's entry as :func:`_encode` writes it."""
    if not (isinstance(packed, tuple) and len(packed) == 4):
        return False
    terms, offsets, sizes, crcs = packed
    if not isinstance(terms, str):
        return False
    if not all(isinstance(part, bytes) for part in (offsets, sizes, crcs)):
        return False
    n = terms.count(_SEPARATOR) + 1
    return len(offsets) == 8 * n and len(sizes) == 4 * n and len(crcs) == 4 * n
