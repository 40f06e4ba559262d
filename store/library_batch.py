"""The library's verbs on many papers at once: every paper a search matches (what "select
all matches" selects), and batch changes to a selection, each one locked
read-modify-write of the user's data (one undo step).

A part of :class:`~store.Library` (a mixin it inherits).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .arrivals import arrived_after as arrived_after_set
from .engine import Engine
from .repair import IndexGuard
from .search import SearchPolicy, SearchRequest
from .user_edits import UserEdits
from .userdata import UserData

__all__ = ["BatchVerbs"]


class BatchVerbs:
    """Selections: the ids of all matches, and bookmark, tag and read for many papers."""

    userdata: UserData
    _guard: IndexGuard
    _engine: Engine
    _policy: SearchPolicy
    _edits: UserEdits

    def matching_ids(
        self,
        text: str = "",
        *,
        as_you_type: bool = False,
        bookmarked: bool | None = None,
        read: bool | None = None,
        tag: str | None = None,
        arrived_after: datetime | None = None,
    ) -> list[str]:
        """The id of every paper a search (or, with no text, a filtered list) finds, all
        of them, newest first, without reading the papers: fast at 100,000."""
        request = SearchRequest(
            text,
            as_you_type=as_you_type,
            bookmarked=bookmarked,
            read=read,
            tag=tag,
            arrived_after=arrived_after,
        )
        entries, version = self.userdata.snapshot()

        def find(searcher: object) -> list[str]:
            matched = self._policy.matching(searcher, request, entries, version)
            if not matched:
                return []
            ids = self._engine.orderings.ids(searcher.reader())  # type: ignore[attr-defined]
            newest = self._engine.pick(searcher, "published", matched, len(matched))
            return [ids[d] for d in newest]

        return self._guard.read(find)

    def match_counts(self, text: str, arrived_after: datetime | None) -> tuple[int, int]:
        """How many papers a search finds, and how many of those first arrived after
        ``arrived_after`` (all of them if None): a saved search's total and new papers,
        counted from the match set (no paper is read)."""
        request = SearchRequest(text)
        entries, version = self.userdata.snapshot()

        def count(searcher: object) -> tuple[int, int]:
            matched = self._policy.matching(searcher, request, entries, version)
            if arrived_after is None or not matched:
                return len(matched), len(matched)
            reader = searcher.reader()  # type: ignore[attr-defined]
            later = arrived_after_set(reader, self._engine.orderings, arrived_after)
            return len(matched), len(matched & later)

        return self._guard.read(count)

    def bookmark_all(self, paper_ids: Sequence[str], *, tags: Sequence[str] = ()) -> int:
        """Bookmark every paper of ``paper_ids`` (adding ``tags``); how many changed."""
        return self._edits.bookmark_many(paper_ids, tags=tags)

    def toggle_bookmarks(self, paper_ids: Sequence[str]) -> tuple[bool, int]:
        """Bookmark the papers, or unbookmark them if all are bookmarked: (bookmarked
        now, how many changed)."""
        return self._edits.toggle_bookmarks(paper_ids)

    def tag_all(
        self, paper_ids: Sequence[str], *, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> int:
        """Add and remove tags on every paper of ``paper_ids``; how many changed."""
        return self._edits.tag_many(paper_ids, add=add, remove=remove)

    def toggle_read_all(self, paper_ids: Sequence[str]) -> tuple[bool, int]:
        """Mark the papers read, or unread if all are read: (read now, how many changed)."""
        return self._edits.toggle_read_many(paper_ids)

    def set_read_all(self, paper_ids: Sequence[str], read: bool = True) -> int:
        """Mark every paper of ``paper_ids`` read (or unread); how many changed."""
        return self._edits.set_read_many(paper_ids, read)
