"""The library's export verbs: bookmarks (or every paper) in a format, as text, to a
stream or to a file; a JSON export is a backup of the user's data.

A part of :class:`~store.Library` (a mixin it inherits).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import paper_reads
from .export import export_papers, write_export, write_papers
from .formats import ExportFormat
from .models import Paper
from .paper_reads import ListSort
from .repair import IndexGuard
from .saved_searches import SavedSearches
from .userdata import UserData

__all__ = ["ExportVerbs"]


class ExportVerbs:
    """Exports of the library's papers with the user's data."""

    userdata: UserData
    saved: SavedSearches
    _guard: IndexGuard

    if TYPE_CHECKING:  # Library's own

        def papers(
            self, sort: ListSort = "published", *, tag: str | None = None
        ) -> Iterator[Paper]: ...

        def bookmarks(self, tag: str | None = None) -> list[Paper]: ...

    def _chosen(
        self,
        everything: bool,
        tag: str | None,
        fmt: ExportFormat,
        ids: Sequence[str] | None = None,
    ) -> Iterable[Paper]:
        if ids is not None:  # a selection, in its order
            entries, chosen = self.userdata.entries(), list(ids)
            found = self._guard.read(lambda s: paper_reads.by_ids(s, iter(chosen)))
            return [p.with_user(entries.get(p.id)) for p in found]
        if everything:
            return self.papers(tag=tag)
        if fmt == "json" and tag is None:  # a backup: every paper the user did anything with
            entries = self.userdata.entries()
            ids = sorted(pid for pid, entry in entries.items() if not entry.is_blank())
            found = self._guard.read(lambda s: paper_reads.by_ids(s, iter(ids)))
            return [p.with_user(entries[p.id]) for p in found]
        return self.bookmarks(tag=tag)

    def export(
        self,
        fmt: ExportFormat,
        *,
        everything: bool = False,
        tag: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> tuple[str, int]:
        """The bookmarks (or every paper, or the papers ``ids``) in ``fmt`` as text, and
        how many."""
        papers = list(self._chosen(everything, tag, fmt, ids))
        return export_papers(papers, fmt, self.userdata.entries(), self.saved.all()), len(papers)

    def export_stream(
        self, out: TextIO, fmt: ExportFormat, *, everything: bool = False, tag: str | None = None
    ) -> int:
        """Write the bookmarks (or every paper) to ``out`` as they are read; how many."""
        entries, saved = self.userdata.entries(), self.saved.all()
        return write_papers(self._chosen(everything, tag, fmt), fmt, out, entries, saved)

    def export_to(
        self,
        path: Path,
        fmt: ExportFormat,
        *,
        everything: bool = False,
        tag: str | None = None,
        force: bool = False,
        ids: Sequence[str] | None = None,
    ) -> int:
        """Write an export to ``path`` atomically (never overwriting unless ``force``);
        ``ids`` exports those papers (a selection) instead of the bookmarks."""
        papers = self._chosen(everything, tag, fmt, ids)
        entries, saved = self.userdata.entries(), self.saved.all()
        return write_export(path, papers, fmt, entries=entries, saved=saved, force=force)
