"""The damage policy in action: reads that find damage rebuild the index once.

Only errors that mean the index files are damaged (:func:`store.damage.is_damage`)
trigger a rebuild; every other error is raised as it is. A rebuild takes the index
lock; a process that finds damage while another is already rebuilding waits for it and
uses its index instead of building a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .cachedir import ensure_tag
from .damage import describe_damage, is_damage
from .index import IndexStore, folder_identity
from .rebuild import rebuild_index
from .sourcestore import SourceStore

__all__ = ["REPAIR_WAIT_S", "IndexGuard"]

R = TypeVar("R")
REPAIR_WAIT_S = 30.0  # how long a damaged read waits for another process's rebuild


class IndexGuard:
    """Runs reads on a library's index and repairs it when they find damage."""

    def __init__(self, index: IndexStore, sources: SourceStore, notices: list[str]) -> None:
        self.index = index
        self.sources = sources
        self.notices = notices
        self.rebuilt = False

    def open(self) -> None:
        """Open the index; rebuild it (or make a first, empty one) if it cannot be used,
        unless another process does so while this one waits for the lock. An index
        without its ``CACHEDIR.TAG`` gets one if the library can be written."""
        self._open()
        ensure_tag(self.index.paths.index_dir)

    def _open(self) -> None:
        problem = self.index.problem()
        if problem is None:
            return
        with self.index.locked(timeout=REPAIR_WAIT_S):
            problem = self.index.problem()
            if problem is None:
                return
            if self.index.is_new() and not self.sources.count():
                self.index.create_empty()
                return
            self._rebuild(problem)

    def read(self, read: Callable[[Any], R]) -> R:
        """Run ``read`` on a searcher; on damage, rebuild once and run it again."""
        return self.guarded(lambda: self._with_searcher(read))

    def guarded(self, work: Callable[[], R]) -> R:
        """Run ``work`` (which reads the index); on damage, rebuild once and run it again
        (a second failure is not taken for damage: it is raised)."""
        seen = folder_identity(self.index.paths.index_dir)
        try:
            return work()
        except Exception as exc:
            if not is_damage(exc):
                raise
            self._after_damage(exc, seen)
        return work()

    def _with_searcher(self, read: Callable[[Any], R]) -> R:
        with self.index.searcher() as searcher:
            return read(searcher)

    def _after_damage(self, exc: Exception, seen: tuple[int, int] | None) -> None:
        with self.index.locked(timeout=REPAIR_WAIT_S):
            if folder_identity(self.index.paths.index_dir) != seen:
                self.index.problem()  # another process rebuilt it meanwhile: open that
                return
            self._rebuild(f"the index is damaged ({describe_damage(exc)})")

    def _rebuild(self, reason: str) -> None:
        count = rebuild_index(self.index, self.sources, notices=self.notices)
        self.rebuilt = True
        self.notices.append(
            f"The search index was rebuilt from {self.sources.count()} stored pages "
            f"({count} papers) because {reason}; your bookmarks are untouched."
        )
