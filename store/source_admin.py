"""The stored sources, looked after by hand: a page's year set, a source removed; the
index is rebuilt afterwards under the index lock."""

from __future__ import annotations

from .errors import NotFoundError
from .index import IndexStore
from .progress import Progress
from .rebuild import rebuild_index, remove_sources
from .sourcestore import SourceStore, StoredSource

__all__ = ["find_source", "remove_source", "set_page_years"]


def find_source(sources: SourceStore, key: str, *, pages_only: bool = False) -> StoredSource:
    """The one stored source named ``key`` or whose hash starts with it (6+ characters)."""
    matches = [
        s
        for s in sources.sources()
        if (not pages_only or s.kind == "page")
        and (s.name == key or (len(key) >= 6 and s.hash.startswith(key.lower())))
    ]
    if len(matches) != 1:
        kind = "stored pages" if pages_only else "stored sources"
        raise NotFoundError(
            f"{len(matches) or 'no'} {kind} are named {key!r} or have a hash starting with it"
            + ("; give more of the hash (paperdeck sources)" if matches else "")
        )
    return matches[0]


def set_page_years(
    index: IndexStore,
    sources: SourceStore,
    years: dict[str, int],
    progress: Progress | None,
    notices: list[str],
) -> list[StoredSource]:
    """Set the year of pages' dates without one, then rebuild."""
    chosen = [
        find_source(sources, page, pages_only=True).model_copy(
            update={"year": year, "year_source": "set by you"}
        )
        for page, year in years.items()
    ]
    with index.locked():
        for source in chosen:
            sources.describe(source)
        rebuild_index(index, sources, progress=progress, notices=notices)
    return chosen


def remove_source(
    index: IndexStore,
    sources: SourceStore,
    key: str,
    progress: Progress | None,
    notices: list[str],
) -> StoredSource:
    """Forget one stored source, then rebuild without it."""
    source = find_source(sources, key)
    with index.locked():
        remove_sources(index, sources, {source.hash}, progress=progress, notices=notices)
    return source
