"""What ``paperdeck info`` reports: paths, counts and the index's health."""

from __future__ import annotations

from collections.abc import Callable

from .damage import is_damage
from .index import IndexStore
from .models import LibraryInfo
from .schema import SCHEMA_VERSION
from .sourcestore import SourceStore
from .userdata import UserData
from .whoosh_private import segment_count

__all__ = ["library_info"]


def library_info(
    index: IndexStore,
    sources: SourceStore,
    userdata: UserData,
    count: Callable[[], int],
    notices: list[str],
) -> LibraryInfo:
    """Paths, counts and index health; ``count`` counts the papers (repairing if need be)."""
    paths = index.paths
    entries = userdata.entries()
    index_bytes = (
        sum(f.stat().st_size for f in paths.index_dir.glob("*") if f.is_file())
        if paths.index_dir.is_dir()
        else 0
    )
    not_indexed = len(sources.hashes() - index.state().sources)
    try:
        papers, readable = count(), True
    except Exception as exc:
        if not is_damage(exc):
            raise
        papers, readable = 0, False
    return LibraryInfo(
        data_dir=str(paths.root),
        index_dir=str(paths.index_dir),
        pages_dir=str(paths.pages_dir),
        userdata_file=str(paths.userdata_file),
        papers=papers,
        pages=sources.count(),
        bookmarks=sum(1 for e in entries.values() if e.bookmarked),
        read=sum(1 for e in entries.values() if e.read),
        tagged=sum(1 for e in entries.values() if e.tags),
        index_ok=readable and not_indexed == 0,
        index_segments=segment_count(index.ix) if readable else 0,
        index_bytes=index_bytes,
        pages_not_indexed=not_indexed,
        schema_version=SCHEMA_VERSION,
        notices=[*notices, *userdata.notices],
    )
