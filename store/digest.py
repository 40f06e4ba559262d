"""What is new: each saved search's new papers, and the digest of what arrived.

A paper is new to a saved search when it first arrived in the library since the search
was last opened. The digest lists the papers that arrived since a time (the last
digest's, by default), grouped by the saved searches they match, then the rest; its
Markdown and JSON are stable (same library, same output), so scripts can diff them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from .models import Paper, Results
from .saved_searches import SavedSearch, SavedSearches

__all__ = ["Digest", "DigestGroup", "SavedStatus", "Searcher", "make_digest"]

PAGE = 1_000


class Searcher(Protocol):
    """The part of :class:`~store.Library` this module needs."""

    def __call__(
        self, text: str, *, limit: int, offset: int, arrived_after: datetime | None
    ) -> Results: ...


@dataclass(frozen=True)
class SavedStatus:
    """A saved search, how many papers it finds, and how many of them are new."""

    search: SavedSearch
    total: int
    new: int


@dataclass
class DigestGroup:
    """The new papers of one saved search (or of none: ``name`` is None)."""

    name: str | None
    query: str | None
    papers: list[Paper] = field(default_factory=list)


@dataclass
class Digest:
    """What arrived after ``since``, grouped; ``until`` (when it was made) is not in
    the output, which depends on the library alone."""

    since: datetime | None
    until: datetime
    groups: list[DigestGroup]

    @property
    def count(self) -> int:
        """How many distinct papers arrived."""
        return len({p.id for g in self.groups for p in g.papers})

    def as_json(self) -> str:
        """The digest as JSON (ids, titles, dates, links; no abstracts' layout)."""
        data = {
            "since": self.since.isoformat() if self.since else None,
            "papers": self.count,
            "groups": [
                {
                    "saved_search": g.name,
                    "query": g.query,
                    "papers": [_paper_json(p) for p in g.papers],
                }
                for g in self.groups
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def as_markdown(self) -> str:
        """The digest as Markdown: a heading per group, a line per paper."""
        since = self.since.strftime("%Y-%m-%d %H:%M UTC") if self.since else "the beginning"
        lines = [f"# paperdeck digest: {self.count} new papers since {since}", ""]
        for group in self.groups:
            title = f"{group.name} (`{group.query}`)" if group.name else "Other new papers"
            lines += [f"## {title}: {len(group.papers)}", ""]
            lines += [_paper_line(p) for p in group.papers] or ["(none)"]
            lines.append("")
        return "\n".join(lines)


def _order(paper: Paper) -> tuple[bool, int, str, str]:
    """Newest published first, undated last, then by title and id: one order, always."""
    day = paper.published.toordinal() if paper.published else 0
    return (paper.published is None, -day, paper.title.casefold(), paper.id)


def _paper_line(paper: Paper) -> str:
    title = paper.title.replace("[", "\\[").replace("]", "\\]").replace("\n", " ")
    when = paper.published.isoformat() if paper.published else "undated"
    votes = ""
    if paper.upvotes is not None:
        votes = f", {paper.upvotes} upvote{'' if paper.upvotes == 1 else 's'}"
    link = f" <{paper.url}>" if paper.url else ""
    return f"- {title} ({when}{votes}; id {paper.id}){link}"


def _paper_json(paper: Paper) -> dict[str, object]:
    return {
        "id": paper.id,
        "title": paper.title,
        "published": paper.published.isoformat() if paper.published else None,
        "upvotes": paper.upvotes,
        "arxiv_id": paper.arxiv_id,
        "url": paper.url,
    }


def _matches(search: Searcher, text: str, after: datetime | None) -> Iterator[Paper]:
    offset = 0
    while True:
        results = search(text, limit=PAGE, offset=offset, arrived_after=after)
        yield from (hit.paper for hit in results.hits)
        offset += len(results.hits)
        if not results.hits or offset >= results.total:
            return


def make_digest(
    search: Searcher,
    searches: SavedSearches,
    *,
    since: datetime | None,
    only: str | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Digest:
    """The papers that arrived after ``since`` (None: ever), grouped by the saved
    searches they match (``only``: that one alone), then the ones matching none."""
    until = now()
    chosen = [searches.get(only)] if only else searches.all()
    groups: list[DigestGroup] = []
    grouped: set[str] = set()
    for saved in chosen:
        papers = sorted(_matches(search, saved.query, since), key=_order)
        grouped.update(p.id for p in papers)
        groups.append(DigestGroup(saved.name, saved.query, papers))
    if only is None:
        rest = [p for p in _matches(search, "", since) if p.id not in grouped]
        groups.append(DigestGroup(None, None, sorted(rest, key=_order)))
    return Digest(since, until, groups)
