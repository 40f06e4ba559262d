"""Queries and filters on the user's own data, answered from the user-data file.

The index holds only what the stored sources say; bookmarks, tags and read state are
never copied into it (a bookmark never waits for an import, and the index never lags
the user). ``tag:survey``, ``bookmarked:yes`` and ``read:no`` in a query are parsed as
usual, then :func:`resolve_user_fields` turns each into a
:class:`~store.docsets.DocSetQuery` of the papers the user-data file names.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from typing import Any

from whoosh import query as wq

from .docsets import DocSetQuery
from .engine_types import EMPTY, DocSet, Filters
from .models import UserEntry

__all__ = ["USER_FIELDS", "filters_for", "resolve_user_fields"]

USER_FIELDS = frozenset({"tags", "bookmarked", "read"})


def _docnums(
    reader: Any, entries: Mapping[str, UserEntry], wanted: Callable[[UserEntry], bool]
) -> DocSet:
    found: list[int] = []
    for pid, entry in entries.items():
        if wanted(entry):
            docnum = _first_id(reader, pid)
            if docnum is not None:
                found.append(docnum)
    return DocSet(found)


def _first_id(reader: Any, paper_id: str) -> int | None:
    if not reader.doc_frequency("id", paper_id):
        return None
    docnum = reader.first_id("id", paper_id)
    return int(docnum) if docnum is not None else None


def _truthy(text: Any) -> bool:
    return text is True or str(text).lower() in ("true", "yes", "t", "y", "1")


def resolve_user_fields(
    query: wq.Query, reader: Any, entries: Mapping[str, UserEntry], version: object
) -> wq.Query:
    """``query`` with every term, prefix or wildcard on a user field replaced by the
    papers the user's data names."""
    if query.is_leaf():
        fieldname = getattr(query, "fieldname", None)
        if fieldname not in USER_FIELDS:
            return query
        text = getattr(query, "text", "")
        if fieldname != "tags":
            marked = _docnums(reader, entries, lambda e: bool(getattr(e, fieldname)))
            found = DocSetQuery(f"{fieldname}:yes", marked, version)
            # "read:no" is every paper not marked read, the untouched ones included.
            return found if _truthy(text) else wq.Not(found)
        pattern = str(text).lower()
        if isinstance(query, wq.Prefix):
            pattern += "*"
        elif not isinstance(query, wq.Wildcard):
            pattern = pattern.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]")
        tagged = _docnums(
            reader, entries, lambda e: any(fnmatch.fnmatchcase(t, pattern) for t in e.tags)
        )
        return DocSetQuery(f"tags:{pattern}", tagged, version)
    return query.apply(lambda child: resolve_user_fields(child, reader, entries, version))


def filters_for(
    reader: Any,
    entries: Mapping[str, UserEntry],
    *,
    bookmarked: bool | None,
    read: bool | None,
    tag: str | None,
) -> Filters:
    """Docnum filters from the user's data."""
    filters = Filters()
    includes: list[DocSet] = []
    excludes: list[DocSet] = []
    if bookmarked is not None:
        marked = _docnums(reader, entries, lambda e: e.bookmarked)
        if bookmarked:
            includes.append(marked)
        else:
            excludes.append(marked)
    if read is not None:
        seen = _docnums(reader, entries, lambda e: e.read)
        if read:
            includes.append(seen)
        else:
            excludes.append(seen)
    if tag:
        wanted_tag = tag.strip().lower()
        includes.append(_docnums(reader, entries, lambda e: wanted_tag in e.tags))
    if includes:
        filters.include = includes[0].intersection(*includes[1:])
    filters.exclude = EMPTY.union(*excludes)
    return filters
