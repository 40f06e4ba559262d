"""The library's verbs on saved searches, what is new, and triage places.

A part of :class:`~store.Library` (a mixin it inherits): each verb delegates to
:mod:`store.saved_searches` and :mod:`store.digest`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .digest import Digest, SavedStatus, make_digest
from .models import Results, SortKey
from .saved_searches import SavedSearch, SavedSearches

__all__ = ["SavedSearchVerbs"]


class SavedSearchVerbs:
    """Saved searches, the digest, the reader's visits and triage places."""

    saved: SavedSearches

    if TYPE_CHECKING:  # Library's own

        def match_counts(self, text: str, arrived_after: datetime | None) -> tuple[int, int]: ...

        def search(
            self,
            text: str = "",
            *,
            sort: SortKey = "relevance",
            limit: int = 20,
            offset: int = 0,
            as_you_type: bool = False,
            bookmarked: bool | None = None,
            read: bool | None = None,
            tag: str | None = None,
            arrived_after: datetime | None = None,
        ) -> Results: ...

    def save_search(self, name: str, query: str, *, replace: bool = False) -> SavedSearch:
        """Save ``query`` as ``name``; papers arriving from now on are its new ones."""
        return self.saved.add(name, query, replace=replace)

    def remove_saved_search(self, name: str) -> SavedSearch:
        """Forget a saved search (its papers stay)."""
        return self.saved.remove(name)

    def saved_searches(self) -> list[SavedStatus]:
        """Every saved search with how many papers it finds and how many are new."""
        statuses = []
        for saved in self.saved.all():
            total, new = self.match_counts(saved.query, saved.opened_at)
            statuses.append(SavedStatus(saved, total, new))
        return statuses

    def open_saved_search(
        self, name: str, *, sort: SortKey = "relevance", limit: int = 20
    ) -> Results:
        """Run a saved search and mark its papers seen (none of them is new any more)."""
        saved = self.saved.get(name)
        results = self.search(saved.query, sort=sort, limit=limit)
        self.saved.mark_opened(saved.name)
        return results

    def triage_place(self, list_key: str) -> str | None:
        """The paper where the last triage of a list stopped (None: start anew)."""
        return self.saved.triage_place(list_key)

    def set_triage_place(self, list_key: str, paper_id: str | None) -> None:
        """Remember where a triage of a list stopped (None: it was finished)."""
        self.saved.set_triage_place(list_key, paper_id)

    def visit(self) -> datetime | None:
        """Record a visit of the reader now; the previous one's time (None: the first)."""
        return self.saved.visit()

    def digest(
        self, since: datetime | None = None, *, last: bool = False, only: str | None = None
    ) -> Digest:
        """What arrived after ``since`` (``last``: after the last digest made with
        ``last``, which this one replaces), grouped by saved search."""
        if last:
            since = self.saved.digest_at()
        made = make_digest(self.search, self.saved, since=since, only=only)
        if last:
            self.saved.set_digest_at(made.until)
        return made
