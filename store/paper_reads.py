"""Reading papers out of the index: by id, alike, by a list of ids, and in order.

Each function takes a searcher; :class:`~store.repair.IndexGuard` supplies it and
repairs the index when a read finds damage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from .arrivals import arrived_after
from .errors import NotFoundError
from .listing import Listing
from .models import Paper, UserEntry, normal_sort
from .ordering import Ordering, Orderings
from .records import paper_from_stored
from .user_fields import filters_for
from .userdata import UserData

__all__ = ["ListSort", "by_id", "by_ids", "check_id", "listing", "related"]

_ARXIV = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
ListSort = Literal["published", "seen", "rising", "upvotes", "title", "priority", "date"]


def check_id(paper_id: object) -> str:
    """``paper_id`` if it is a string; a caller's mistake raises TypeError at once."""
    if not isinstance(paper_id, str):
        raise TypeError(f"a paper id is a string, not {type(paper_id).__name__}")
    return paper_id


def by_id(searcher: Any, paper_id: str) -> Paper:
    """The paper with this id, or the one paper whose id starts with it (4+ characters)."""
    fields = searcher.document(id=paper_id)
    if fields is None and (arxiv := _ARXIV.match(paper_id.strip())):
        fields = searcher.document(arxiv=arxiv.group(1))  # an arXiv id is an id too
    if fields is None and len(paper_id) >= 4:
        matches = [_text(m) for m in searcher.reader().expand_prefix("id", paper_id.lower())]
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
            raise NotFoundError(
                f"{paper_id!r} is ambiguous: {len(matches)} papers start with it ({shown}); "
                "type more"
            )
        if matches:
            fields = searcher.document(id=matches[0])
    if fields is None:
        raise NotFoundError(f"no paper has the id {paper_id!r}")
    return paper_from_stored(fields["data"])


def by_ids(searcher: Any, ids: Iterable[str]) -> list[Paper]:
    """The papers with these ids that the index holds, in the order given."""
    found = (searcher.document(id=pid) for pid in ids)
    return [paper_from_stored(fields["data"]) for fields in found if fields is not None]


def related(searcher: Any, paper: Paper, limit: int) -> list[Paper]:
    """Papers like ``paper`` (Whoosh ``more_like`` over its title and abstract)."""
    docnum = searcher.document_number(id=paper.id)
    if docnum is None:
        return []
    text = f"{paper.title} {paper.abstract}"
    hits = searcher.more_like(docnum, "abstract", text=text, top=limit + 1)
    return [p for p in (paper_from_stored(hit["data"]) for hit in hits) if p.id != paper.id][:limit]


def listing(
    searcher: Any,
    orderings: Orderings,
    userdata: UserData,
    sort: ListSort,
    *,
    bookmarked: bool | None = None,
    read: bool | None = None,
    tag: str | None = None,
    arrived: datetime | None = None,
    saved_only: bool = False,
    order: Ordering | None = None,
) -> Listing | None:
    """Every paper passing the filters (``arrived``: only those that first arrived
    later) in ``sort`` order, on ``searcher`` (which the listing keeps and closes); None
    if ``saved_only`` and the order is not saved."""
    reader = searcher.reader()
    ordering = order or orderings.get(reader, normal_sort(sort), saved_only=saved_only)
    if ordering is None:
        return None
    ordered: Sequence[int] = ordering.docnums
    if bookmarked is not None or read is not None or tag:
        entries: Mapping[str, UserEntry] = userdata.entries()
        filters = filters_for(reader, entries, bookmarked=bookmarked, read=read, tag=tag)
        ordered = [d for d in ordered if filters.allows(d)]
    if arrived is not None:
        later = arrived_after(reader, orderings, arrived)
        ordered = [d for d in ordered if d in later]
    return Listing(searcher, ordered, userdata, orderings.ids)


def _text(term: object) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)
