"""Every paper in priority order, and one paper's signals: what the library knows of
each paper gathered from its columns (upvotes, growth, date), the ``has:code`` postings,
and the matches of each saved search and each organisation or author followed. The score
itself is :func:`store.priority.priority_score`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .cache import SizedCache
from .engine_types import reader_key
from .models import UserEntry
from .ordering import Ordering, Orderings
from .priority import PrioritySettings, Signals, score
from .saved_searches import SavedSearches
from .search import SearchPolicy, SearchRequest

__all__ = ["PriorityOrder"]

_KEPT = 4  # computed orders kept (index versions, settings)


@dataclass
class _Known:
    """What one index version's priority order was computed from."""

    ordering: Ordering
    saved: dict[str, set[int]]
    followed: dict[str, set[int]]
    code: set[int]


@dataclass
class _Columns:
    """The columns a score reads, for every docnum, and each publication date's age."""

    upvotes: list[int]
    rising: list[int]
    published: list[int]
    ages: dict[int, float | None]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', " ") + '"'


def _age_days(ymd: int, today: date) -> float | None:
    if not ymd:
        return None
    try:
        return float((today - date(ymd // 10_000, ymd // 100 % 100, ymd % 100)).days)
    except ValueError:
        return None


class PriorityOrder:
    """The priority order of one library's papers, cached per index version, user data,
    saved searches, settings and day."""

    def __init__(self, policy: SearchPolicy, orderings: Orderings, saved: SavedSearches) -> None:
        self.settings = PrioritySettings()
        self._policy = policy
        self._orderings = orderings
        self._saved = saved
        self._known: SizedCache[tuple[object, ...], _Known] = SizedCache(_KEPT)
        self.today: Callable[[], date] = date.today

    def token(self) -> tuple[object, ...]:
        """Everything besides the index and the user data that the order depends on."""
        searches = tuple((s.name, s.query) for s in self._saved.all())
        return (self.settings, searches, self.today())

    def ordering(
        self, searcher: Any, entries: Mapping[str, UserEntry], user_version: object
    ) -> Ordering:
        """Every live docnum, highest priority first (ties: newest published first)."""
        return self._known_for(searcher, entries, user_version).ordering

    def signals(
        self, searcher: Any, docnum: int, entries: Mapping[str, UserEntry], user_version: object
    ) -> Signals:
        """One paper's signals."""
        known = self._known_for(searcher, entries, user_version)
        return self._signals(self._columns(searcher.reader()), known, docnum)

    def _known_for(
        self, searcher: Any, entries: Mapping[str, UserEntry], user_version: object
    ) -> _Known:
        reader = searcher.reader()
        key = (*reader_key(reader), self.token(), user_version)
        known = self._known.get(key)
        if known is None:
            known = self._compute(searcher, entries, user_version)
            self._known.put(key, known)
        return known

    def _matches(
        self, searcher: Any, query: str, entries: Mapping[str, UserEntry], version: object
    ) -> set[int]:
        request = SearchRequest(query)
        return self._policy.matching(searcher, request, entries, version)

    def _compute(self, searcher: Any, entries: Mapping[str, UserEntry], version: object) -> _Known:
        follows = self.settings.follows
        saved = {
            s.name: self._matches(searcher, s.query, entries, version) for s in self._saved.all()
        }
        followed = {
            **{
                o: self._matches(searcher, f"org:{_quoted(o)}", entries, version)
                for o in follows.organisations
            },
            **{
                a: self._matches(searcher, f"author:{_quoted(a)}", entries, version)
                for a in follows.authors
            },
        }
        code = self._matches(searcher, "has:code", entries, version)
        known = _Known(Ordering([]), saved, followed, code)
        reader = searcher.reader()
        newest = self._orderings.get(reader, "published").docnums
        columns = self._columns(reader)
        weights = self.settings.weights
        saved_count: Counter[int] = Counter()
        for found in saved.values():
            saved_count.update(found)
        followed_any = set().union(*followed.values())
        up, rising, published, ages = (
            columns.upvotes,
            columns.rising,
            columns.published,
            columns.ages,
        )
        scores = {
            d: score(
                weights,
                up[d],
                rising[d] / 100,
                ages[published[d]],
                saved_count[d],
                d in followed_any,
                d in code,
            )
            for d in newest
        }
        known.ordering = Ordering(sorted(newest, key=scores.__getitem__, reverse=True))
        return known  # (sorted is stable: equal scores stay newest first)

    def _columns(self, reader: Any) -> _Columns:
        get = self._orderings.column
        today, ages = self.today(), {}
        published = get(reader, "sort_published")
        for ymd in set(published):
            ages[ymd] = _age_days(ymd, today)
        return _Columns(get(reader, "upvotes"), get(reader, "rising"), published, ages)

    def _signals(self, columns: _Columns, known: _Known, docnum: int) -> Signals:
        return Signals(
            upvotes=columns.upvotes[docnum],
            per_day=columns.rising[docnum] / 100,
            age_days=columns.ages[columns.published[docnum]],
            saved=tuple(name for name, found in known.saved.items() if docnum in found),
            followed=tuple(name for name, found in known.followed.items() if docnum in found),
            has_code=docnum in known.code,
        )
