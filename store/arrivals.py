"""Which papers arrived after a time: the first-arrival column, to the microsecond.

The ``sort_seen`` column holds whole seconds (a sortable 32-bit number); the papers of
the boundary second are checked against their stored arrival time one by one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .engine_types import DocSet
from .ordering import Orderings
from .records import paper_from_stored

__all__ = ["arrived_after"]


def arrived_after(reader: Any, orderings: Orderings, after: datetime) -> DocSet:
    """The docnums of the papers that first arrived in the library after ``after``."""
    second = int(after.timestamp())
    arrived = orderings.range_docnums(reader, "sort_seen", second, None)
    boundary = orderings.range_docnums(reader, "sort_seen", second, second)
    too_early = DocSet(
        docnum
        for docnum in boundary
        if (first := paper_from_stored(reader.stored_fields(docnum)["data"]).first_seen) is None
        or first <= after
    )
    return arrived - too_early
