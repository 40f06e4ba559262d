"""Every paper in priority order, and one paper's signals: what the library knows of
each paper gathered from its columns (upvotes, growth, date), the ``has:code`` postings,
and the matches of each saved search and each organisation or author followed. The score
itself is :func:`store.priority.score`.

Three things are cached apart, so that telling why one paper is where it is never sorts
the library: the match sets (per index version, settings, saved searches and day; per
user-data revision too when a saved search reads the user's data), the columns (per
index version) and the order itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .cache import SizedCache
from .engine_types import EMPTY, DocSet, reader_key
from .models import UserEntry
from .ordering import Ordering, Orderings
from .priority import PrioritySettings, Signals, score
from .saved_searches import SavedSearches
from .search import SearchPolicy, SearchRequest

__all__ = ["PriorityOrder"]

_KEPT = 4  # computed orders kept (index versions, settings)
_USER_FIELDS = re.compile(r"\b(?:tag|bookmarked|read):", re.IGNORECASE)


@dataclass
class _Sets:
    """The match sets a priority reads: per saved search, per follow, and code."""

    saved: dict[str, DocSet]
    followed: dict[str, DocSet]
    code: DocSet


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
    """The priority order of one library's papers, and each paper's signals."""

    def __init__(self, policy: SearchPolicy, orderings: Orderings, saved: SavedSearches) -> None:
        self.settings = PrioritySettings()
        self._policy = policy
        self._orderings = orderings
        self._saved = saved
        self._sets: SizedCache[tuple[object, ...], _Sets] = SizedCache(_KEPT)
        self._columns: SizedCache[tuple[object, ...], _Columns] = SizedCache(_KEPT)
        self._orders: SizedCache[tuple[object, ...], Ordering] = SizedCache(_KEPT)
        self.today: Callable[[], date] = date.today

    def token(self) -> tuple[PrioritySettings, tuple[tuple[str, str], ...], date]:
        """Everything besides the index and the user data that the order depends on:
        the settings, the saved searches (name, query) and the day."""
        searches = tuple((s.name, s.query) for s in self._saved.all())
        return (self.settings, searches, self.today())

    def ordering(
        self, searcher: Any, entries: Mapping[str, UserEntry], user_version: object
    ) -> Ordering:
        """Every live docnum, highest priority first (ties: newest published first)."""
        key = self._key(searcher, user_version)
        order = self._orders.get(key)
        if order is None:
            order = self._order(searcher, self._sets_for(searcher, key, entries, user_version))
            self._orders.put(key, order)
        return order

    def signals(
        self, searcher: Any, docnum: int, entries: Mapping[str, UserEntry], user_version: object
    ) -> Signals:
        """One paper's signals (no sort of the library)."""
        key = self._key(searcher, user_version)
        sets = self._sets_for(searcher, key, entries, user_version)
        return self._signals(self._columns_for(searcher.reader()), sets, docnum)

    def _key(self, searcher: Any, user_version: object) -> tuple[object, ...]:
        token = self.token()
        reads_user_data = any(_USER_FIELDS.search(query) for _name, query in token[1])
        return (*reader_key(searcher.reader()), token, user_version if reads_user_data else None)

    def _sets_for(
        self,
        searcher: Any,
        key: tuple[object, ...],
        entries: Mapping[str, UserEntry],
        version: object,
    ) -> _Sets:
        sets = self._sets.get(key)
        if sets is None:
            sets = self._compute_sets(searcher, entries, version)
            self._sets.put(key, sets)
        return sets

    def _compute_sets(
        self, searcher: Any, entries: Mapping[str, UserEntry], version: object
    ) -> _Sets:
        def matches(query: str, *, exact: bool = False) -> DocSet:
            return self._policy.matching(
                searcher, SearchRequest(query), entries, version, exact=exact
            )

        follows = self.settings.follows
        # Follows match exactly: no near spellings, no "every paper" for common words.
        followed = {o: matches(f"org:{_quoted(o)}", exact=True) for o in follows.organisations}
        followed |= {a: matches(f"author:{_quoted(a)}", exact=True) for a in follows.authors}
        saved = {s.name: matches(s.query) for s in self._saved.all()}
        return _Sets(saved, followed, matches("has:code", exact=True))

    def _columns_for(self, reader: Any) -> _Columns:
        key = (*reader_key(reader), self.today())
        columns = self._columns.get(key)
        if columns is None:
            get = self._orderings.column
            published = get(reader, "sort_published")
            today = self.today()
            ages = {ymd: _age_days(ymd, today) for ymd in set(published)}
            columns = _Columns(get(reader, "upvotes"), get(reader, "rising"), published, ages)
            self._columns.put(key, columns)
        return columns

    def _order(self, searcher: Any, sets: _Sets) -> Ordering:
        reader = searcher.reader()
        newest = self._orderings.get(reader, "published").docnums
        columns = self._columns_for(reader)
        weights = self.settings.weights
        saved_count: Counter[int] = Counter()
        for found in sets.saved.values():
            saved_count.update(found)
        followed_any = EMPTY.union(*sets.followed.values())
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
                d in sets.code,
            )
            for d in newest
        }
        # sorted() is stable: equal scores stay newest first.
        return Ordering(sorted(newest, key=scores.__getitem__, reverse=True))

    def _signals(self, columns: _Columns, sets: _Sets, docnum: int) -> Signals:
        return Signals(
            upvotes=columns.upvotes[docnum],
            per_day=columns.rising[docnum] / 100,
            age_days=columns.ages[columns.published[docnum]],
            saved=tuple(name for name, found in sets.saved.items() if docnum in found),
            followed=tuple(name for name, found in sets.followed.items() if docnum in found),
            has_code=docnum in sets.code,
        )
