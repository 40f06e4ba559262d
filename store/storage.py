"""How the Whoosh index is opened and written.

Whoosh's defaults cost a 100k-paper library dearly: segments are assembled into one
compound file, and a reader of a memory-mapped compound file copies each of its parts
(the postings: hundreds of MB) into memory, at every searcher open. paperdeck writes
plain (non-compound) segments and reads through ordinary files, so opening a searcher
is cheap and memory stays near what is actually read. Bump SCHEMA_VERSION when these
settings change, so existing libraries rebuild.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage

from .whoosh_writing import quicken_writer

__all__ = ["create_index", "exists", "open_index", "open_writer", "pool_limit_mb"]

# Whoosh keeps a writer's postings in memory up to a limit (128 MB by default), then
# sorts them into runs on disk that the commit merges back, in Python. At 3,000 papers
# (about 2.2 million postings) that was a third of the import: 19.9 s of CPU with 128 MB
# (peak memory 215 MB), 18.8 s with 256, 14.6 s with 384 and 13.0 s in one 512 MB pool
# (peak 441 MB). Beyond a
# few thousand papers runs happen anyway (at 10,000 a bigger pool bought 3%), so larger
# imports keep the default and its memory.
_POOL_MB = 512
_POOL_PAPERS = 3000


def _storage(path: Path) -> FileStorage:
    return FileStorage(str(path), supports_mmap=False)


def exists(path: Path) -> bool:
    """True when ``path`` holds a Whoosh index."""
    return path.is_dir() and bool(_storage(path).index_exists())


def create_index(path: Path, schema: Any) -> Any:
    """A new, empty index in ``path`` (which must exist)."""
    return _storage(path).create_index(schema)


def open_index(path: Path, schema: Any) -> Any:
    """The index in ``path``."""
    return _storage(path).open_index(schema=schema)


def pool_limit_mb(papers: int) -> int:
    """The posting pool's memory limit for a writer of about ``papers`` documents."""
    return _POOL_MB if papers <= _POOL_PAPERS else 128


def open_writer(ix: Any, **options: Any) -> Any:
    """A writer that commits plain (non-compound) segments.

    (Every posting block uncompressed was tried: a broad query got about 15% faster and
    the 100k index 2.8 times larger, 874 MiB against 311 MiB. Not worth the disk; only
    the smallest blocks are, see :mod:`store.whoosh_writing`.)
    """
    writer = ix.writer(compound=False, **options)
    quicken_writer(writer)
    return writer
