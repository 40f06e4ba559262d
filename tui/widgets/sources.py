"""Row sources for :class:`~tui.widgets.paper_list.PaperList`: where its rows come from.

A source answers from memory (``cached``) on the UI thread and loads missing rows in a
worker (``load``), so drawing never waits on the index.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store import Listing, Paper, Results, SearchHit
    from store.first_screen import FirstScreen, ScreenRow


__all__ = [
    "ListingSource",
    "PreviewSource",
    "Row",
    "RowSource",
    "SearchSource",
    "StaticSource",
]

PAGE = 128


@dataclass(slots=True)
class Row:
    """One row: a paper, where the query matched its title, and an optional extra line."""

    paper: Paper
    title_spans: list[tuple[int, int]] = field(default_factory=list)
    detail: str = ""


class RowSource:
    """The interface a list reads rows through."""

    loads = True
    """False for a source whose rows cannot be loaded: the list draws its previews."""

    def __len__(self) -> int:
        raise NotImplementedError

    def cached(self, index: int) -> Row | None:
        """The row if it is in memory (never blocks)."""
        raise NotImplementedError

    def preview(self, index: int) -> ScreenRow | None:
        """What to draw for a row that is not loaded, if anything (never blocks)."""
        return None

    def load(self, start: int, stop: int, *, exact: bool = False) -> None:
        """Bring rows ``start``..``stop`` into memory (may block: call it in a worker);
        a source may read more around them unless ``exact``."""

    def update(self, paper: Paper) -> None:
        """Replace the cached row of this paper (after a bookmark, say)."""

    def position(self, paper_id: str) -> int | None:
        """Where a paper stands (may block), or None."""
        raise NotImplementedError

    def ids(self, start: int, stop: int) -> list[str]:
        """The paper ids of rows ``start``..``stop`` (may block: call it in a worker)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the source holds."""


class PreviewSource(RowSource):
    """The first rows the last run saved, drawn while the library opens: their papers
    are not loaded (nothing to open or select yet), the rest of the list not at all."""

    loads = False

    def __init__(self, saved: FirstScreen) -> None:
        self.rows = saved.rows
        self.total = saved.total

    def __len__(self) -> int:
        return self.total

    def cached(self, index: int) -> Row | None:
        return None

    def preview(self, index: int) -> ScreenRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def position(self, paper_id: str) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.id == paper_id), None)

    def ids(self, start: int, stop: int) -> list[str]:
        return [row.id for row in self.rows[max(0, start) : stop]]


class StaticSource(RowSource):
    """Rows held in memory: search hits, bookmarks."""

    def __init__(self, rows: Sequence[Row] = ()) -> None:
        self.rows = list(rows)

    def __len__(self) -> int:
        return len(self.rows)

    def cached(self, index: int) -> Row | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def update(self, paper: Paper) -> None:
        for row in self.rows:
            if row.paper.id == paper.id:
                row.paper = paper

    def position(self, paper_id: str) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.paper.id == paper_id), None)

    def ids(self, start: int, stop: int) -> list[str]:
        return [row.paper.id for row in self.rows[max(0, start) : stop]]


class ListingSource(RowSource):
    """Rows of a store :class:`~store.Listing`, read a page at a time and cached."""

    def __init__(self, listing: Listing) -> None:
        self.listing = listing
        self._rows: dict[int, Row] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.listing)

    def cached(self, index: int) -> Row | None:
        return self._rows.get(index)

    def load(self, start: int, stop: int, *, exact: bool = False) -> None:
        """Read rows ``start``..``stop``, widened to whole pages unless ``exact``."""
        if not exact:
            start, stop = (start // PAGE) * PAGE, -(-stop // PAGE) * PAGE
        start, stop = max(0, start), min(len(self.listing), stop)
        missing = [i for i in range(start, stop) if i not in self._rows]
        if not missing:
            return
        first, last = missing[0], missing[-1] + 1
        papers = self.listing.papers(first, last)
        with self._lock:
            if len(self._rows) > 20 * PAGE:
                self._rows.clear()
            for offset, paper in enumerate(papers):
                self._rows[first + offset] = Row(paper)

    def update(self, paper: Paper) -> None:
        with self._lock:
            for row in self._rows.values():
                if row.paper.id == paper.id:
                    row.paper = paper

    def position(self, paper_id: str) -> int | None:
        return self.listing.position(paper_id)

    def ids(self, start: int, stop: int) -> list[str]:
        return self.listing.ids(start, stop)

    def close(self) -> None:
        self.listing.close()


class SearchSource(RowSource):
    """Every hit of one search: the first window as it came, the others read on demand
    (``fetch(offset, limit)`` runs the same search from ``offset``)."""

    WINDOW = 200

    def __init__(self, fetch: Callable[[int, int], Results], first: Results) -> None:
        self._fetch = fetch
        self.first = first
        self._total = first.total
        self._rows: dict[int, Row] = {}
        self._hits: dict[str, SearchHit] = {}
        self._lock = threading.Lock()
        self._keep(first)

    def __len__(self) -> int:
        return self._total

    def cached(self, index: int) -> Row | None:
        return self._rows.get(index)

    def load(self, start: int, stop: int, *, exact: bool = False) -> None:
        if not exact:
            start = (start // self.WINDOW) * self.WINDOW
            stop = -(-stop // self.WINDOW) * self.WINDOW
        start, stop = max(0, start), min(self._total, stop)
        missing = [i for i in range(start, stop) if i not in self._rows]
        if missing:
            self._keep(self._fetch(missing[0], missing[-1] + 1 - missing[0]))

    def _keep(self, results: Results) -> None:
        with self._lock:
            if len(self._rows) > 20 * self.WINDOW:  # memory stays bounded at any size
                self._rows.clear()
                self._hits.clear()
            for number, hit in enumerate(results.hits, start=results.offset):
                self._rows[number] = Row(hit.paper, hit.title_spans)
                self._hits[hit.paper.id] = hit

    def fragment(self, paper_id: str) -> tuple[str, list[tuple[int, int]]] | None:
        """The best abstract fragment of a paper of the results, highlighted now if it
        was not yet (one abstract: the one under the cursor)."""
        hit = self._hits.get(paper_id)
        return (hit.fragment, hit.fragment_spans) if hit is not None else None

    def update(self, paper: Paper) -> None:
        with self._lock:
            for row in self._rows.values():
                if row.paper.id == paper.id:
                    row.paper = paper

    def position(self, paper_id: str) -> int | None:
        return next((i for i, row in self._rows.items() if row.paper.id == paper_id), None)

    def ids(self, start: int, stop: int) -> list[str]:
        found: list[str] = []
        start, stop = max(0, start), min(self._total, stop)
        while start + len(found) < stop:
            window = self._fetch(
                start + len(found), min(self.WINDOW * 10, stop - start - len(found))
            )
            if not window.hits:
                break
            found += [hit.paper.id for hit in window.hits]
        return found
