"""The library's Whoosh index: opening it, reading it, and the lock its writers take.

- **Reads never wait.** Each read takes a searcher of its own from a small pool (a
  Whoosh searcher reads its files through shared handles, so two threads never use one
  at once); an import or rebuild in another thread or process does not hold readers up.
- **One writer at a time**: every writer (import, rebuild, repair) takes the index lock
  (``index.lock`` beside ``index/``, so it outlives the swap of a rebuilt index), then
  Whoosh's own write lock. A writer waits :data:`WRITE_LOCK_TIMEOUT_S`, then gives up
  with :class:`~store.errors.LibraryBusyError`.
- What the index holds is its :class:`~store.index_state.IndexState`, read here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh.index import LockError

from . import storage
from .atomic import describe_os_error
from .cachedir import write_tag
from .damage import describe_damage, is_damage
from .errors import LibraryBusyError, UnwritableError
from .file_lock import held
from .index_state import IndexState, read_state, write_state
from .paths import LibraryPaths
from .posting_files import save_posting_files
from .schema import SCHEMA_VERSION, build_schema
from .scoring import CachedLengthBM25F
from .whoosh_private import leaf_postings
from .whoosh_writing import abandon_writer

__all__ = ["WRITE_LOCK_TIMEOUT_S", "IndexStore", "folder_identity", "save_posting_files_of"]

_log = logging.getLogger(__name__)

WRITE_LOCK_TIMEOUT_S = 5.0
_POOL_SIZE = 4
_BUSY = (
    "another paperdeck is writing to this library (import or reindex); "
    "wait for it to finish and try again"
)


class IndexStore:
    """The index of one library. Safe to share between threads."""

    def __init__(self, paths: LibraryPaths) -> None:
        self.paths = paths
        self.schema = build_schema()
        self.weighting = CachedLengthBM25F()
        self._ix: Any = None
        self._identity: tuple[int, int] | None = None
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False

    # -- opening -----------------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the index cannot be used as it is (missing, old, unreadable), or None
        after opening it. Never writes."""
        index_dir = self.paths.index_dir
        if not index_dir.is_dir():
            return "the index is missing"
        state = read_state(index_dir)
        if state is None:
            return "the index has no record of what it holds"
        if state.schema != SCHEMA_VERSION:
            return "the index was made by another version of paperdeck"
        try:
            if not storage.exists(index_dir):
                return "the index is missing"
            ix = storage.open_index(index_dir, self.schema)
            with ix.searcher() as searcher:
                searcher.doc_count()
        except Exception as exc:
            if not is_damage(exc):
                raise
            return f"the index is unreadable ({describe_damage(exc)})"
        self._replace(ix)
        return None

    def is_new(self) -> bool:
        """True for a library that has no index yet (nothing was ever imported)."""
        return not self.paths.index_dir.exists()

    def create_empty(self) -> None:
        """Make an empty index (hold the index lock)."""
        index_dir = self.paths.index_dir
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
            ix = storage.create_index(index_dir, self.schema)
        except OSError as exc:
            raise UnwritableError(describe_os_error(exc, index_dir)) from None
        write_tag(index_dir)
        write_state(index_dir, IndexState(SCHEMA_VERSION))
        self._replace(ix)

    def swap_in(self, fresh: Path) -> None:
        """Make the complete index in ``fresh`` the library's index (hold the index lock).

        Two renames: a reader opening in between finds no index, takes that for damage,
        waits for the index lock and then finds the new one.
        """
        root = self.paths.root
        old = root / f"index.old-{os.getpid()}-{threading.get_ident()}"
        try:
            if self.paths.index_dir.exists():
                self.paths.index_dir.rename(old)
            fresh.rename(self.paths.index_dir)
        except OSError as exc:
            raise UnwritableError(describe_os_error(exc, self.paths.index_dir)) from None
        shutil.rmtree(old, ignore_errors=True)
        self._replace(storage.open_index(self.paths.index_dir, self.schema))

    def remove_leftovers(self) -> None:
        """Delete what killed rebuilds left beside the index (hold the index lock)."""
        for stale in self.paths.root.glob("index.rebuild-*"):
            shutil.rmtree(stale, ignore_errors=True)
        for stale in self.paths.root.glob("index.old-*"):
            shutil.rmtree(stale, ignore_errors=True)

    def state(self) -> IndexState:
        """What the index holds now (an empty state if its record is missing)."""
        return read_state(self.paths.index_dir) or IndexState(SCHEMA_VERSION)

    def write_state(self, state: IndexState) -> None:
        """Record what the index holds (hold the index lock)."""
        write_state(self.paths.index_dir, state)

    def version(self) -> tuple[object, ...]:
        """What changes whenever the index does, in any process (a folder listing: cheap).
        A rebuilt index has a new folder; a commit, a new generation."""
        identity = folder_identity(self.paths.index_dir)
        if identity is None or self._ix is None:
            return (identity,)
        return (identity, self._ix.latest_generation())

    @property
    def ix(self) -> Any:
        """The Whoosh index object (opened by :meth:`problem` or a write)."""
        return self._ix

    # -- reading -----------------------------------------------------------------------

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Any]:
        """A searcher on the newest committed index, used by this caller alone."""
        searcher = self._take()
        try:
            yield searcher
        finally:
            self._give_back(searcher)

    def open_searcher(self) -> Any:
        """A searcher the caller keeps (a listing) and closes itself."""
        self._check_identity()
        return self._ix.searcher(weighting=self.weighting)

    def _take(self) -> Any:
        self._check_identity()
        with self._lock:
            searcher = self._idle.pop() if self._idle else None
        if searcher is not None and not searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers and misses deletions
            # made since, so an updated paper would be found twice.
            searcher.close()
            searcher = None
        return searcher or self._ix.searcher(weighting=self.weighting)

    def _give_back(self, searcher: Any) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < _POOL_SIZE:
                self._idle.append(searcher)
                return
        searcher.close()

    def _check_identity(self) -> None:
        """Reopen the index if another process swapped in a rebuilt one."""
        identity = folder_identity(self.paths.index_dir)
        if identity != self._identity or self._ix is None:
            self._replace(storage.open_index(self.paths.index_dir, self.schema))

    def _replace(self, ix: Any) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            old, self._ix = self._ix, ix
            self._identity = folder_identity(self.paths.index_dir)
        for searcher in idle:
            searcher.close()
        if old is not None and old is not ix:
            old.close()

    def close(self) -> None:
        """Close the pooled searchers and the index."""
        with self._lock:
            self._closed = True
        self._replace(None)

    # -- writing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the index lock: only one writer at a time, in any process."""
        wait = WRITE_LOCK_TIMEOUT_S if timeout is None else timeout
        with held(self.paths.index_lock, wait, _BUSY):
            yield

    @contextlib.contextmanager
    def writer(self, ix: Any = None, **options: Any) -> Iterator[Any]:
        """A Whoosh writer (hold the index lock), committed when the block ends; on any
        error it is abandoned and what it wrote is deleted."""
        ix = ix if ix is not None else self._ix
        try:
            writer = storage.open_writer(ix, timeout=WRITE_LOCK_TIMEOUT_S, delay=0.05, **options)
        except LockError:
            raise LibraryBusyError(_BUSY) from None
        except OSError as exc:
            raise UnwritableError(describe_os_error(exc, self.paths.index_dir)) from None
        try:
            yield writer
        except BaseException as exc:
            abandon_writer(ix, writer)
            if isinstance(exc, OSError):
                raise UnwritableError(describe_os_error(exc, self.paths.index_dir)) from None
            raise
        try:
            writer.commit()
        except OSError as exc:
            abandon_writer(ix, writer)
            raise UnwritableError(describe_os_error(exc, self.paths.index_dir)) from None
        except BaseException:
            abandon_writer(ix, writer)
            raise

    def save_posting_files(self) -> None:
        """Save the common terms' postings of segments that have none (call after a
        commit, outside the lock: writing them takes seconds for a large segment)."""
        self._check_identity()
        save_posting_files_of(self._ix)


def save_posting_files_of(ix: Any) -> None:
    """Save the common terms' postings of ``ix``'s segments that have none, for searches.
    Only a cache: any failure here is logged and left for the next commit to retry."""
    try:
        with ix.reader() as reader:
            save_posting_files(Path(ix.storage.folder), reader, leaf_postings)
    except Exception:  # a cache never fails what wrote the index
        _log.debug("saving the common words' postings failed", exc_info=True)


def folder_identity(path: Path) -> tuple[int, int] | None:
    """A folder's (device, inode): it changes when a rebuilt index is swapped in."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)
