"""From a source's bytes to what it says about papers: one place for every kind.

Importing reads new files through here, and rebuilding the index reads the stored
copies through here too, so both see a source the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .backup import looks_like_backup, parse_backup
from .models import UserEntry
from .pages import decode_page, parse_page
from .records import Observation, observations_from_page
from .sourcestore import SourceKind, StoredSource

__all__ = ["MAX_SOURCE_BYTES", "ParsedSource", "parse_source", "parse_stored", "recognise"]

MAX_SOURCE_BYTES: dict[SourceKind, int] = {
    "page": 32 * 1024 * 1024,
    "backup": 1024 * 1024 * 1024,
}
"""The largest file of each kind that is read (a saved page is usually under 1 MB)."""


@dataclass
class ParsedSource:
    """What one source says: papers seen, the user's entries (backups), warnings."""

    kind: SourceKind
    observations: list[Observation]
    entries: dict[str, UserEntry] = field(default_factory=dict)
    paper_ids: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def recognise(data: bytes) -> SourceKind:
    """The kind of a source, by its content (never by the file's name)."""
    return "backup" if looks_like_backup(data) else "page"


def parse_source(
    data: bytes,
    name: str,
    digest: str,
    *,
    year: int | None,
    fallback_year: int,
    seen_at: datetime | None = None,
) -> ParsedSource:
    """Parse a source's bytes (imported at ``seen_at``); raises
    :class:`~store.errors.PageError` for a bad one."""
    kind = recognise(data)
    if kind == "backup":
        backup = parse_backup(data)
        return ParsedSource(kind, backup.observations, backup.entries, backup.paper_ids)
    page = parse_page(decode_page(data), year=year, fallback_year=fallback_year)
    observations = observations_from_page(page, name, digest, seen_at)
    return ParsedSource(
        kind, observations, paper_ids={o.paper_id for o in observations}, warnings=page.warnings
    )


def parse_stored(data: bytes, source: StoredSource) -> ParsedSource:
    """Parse a stored source again, the way it was imported."""
    return parse_source(
        data,
        source.name,
        source.hash,
        year=source.year,
        fallback_year=source.fallback_year,
        seen_at=source.imported_at,
    )
