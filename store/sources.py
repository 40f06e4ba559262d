"""From a source's bytes to what it says about papers: one place for every kind.

Importing reads new files through here, and rebuilding the index reads the stored
copies through here too, so both see a source the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .backup import looks_like_backup, parse_backup
from .hf import looks_like_hf_html, looks_like_hf_json, parse_hf_html, parse_hf_json
from .models import UserEntry
from .pages import decode_page, parse_page
from .records import Observation, observations_from_page
from .saved_searches import SavedSearch
from .sourcestore import SourceKind, StoredSource

__all__ = ["MAX_SOURCE_BYTES", "ParsedSource", "parse_source", "parse_stored", "recognise"]

MAX_SOURCE_BYTES: dict[SourceKind, int] = {
    "page": 32 * 1024 * 1024,
    "backup": 1024 * 1024 * 1024,
    "hf-json": 256 * 1024 * 1024,
    "hf-html": 64 * 1024 * 1024,
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
    year: int | None = None  # text pages: the year of their dates without one
    year_source: str | None = None  # and why
    saved: list[SavedSearch] = field(default_factory=list)  # backups: saved searches


def recognise(data: bytes) -> SourceKind:
    """The kind of a source, by its content (never by the file's name)."""
    if looks_like_backup(data):
        return "backup"
    if looks_like_hf_json(data):
        return "hf-json"
    if looks_like_hf_html(data):
        return "hf-html"
    return "page"


def parse_source(
    data: bytes,
    name: str,
    digest: str,
    *,
    year: int | None,
    fallback_year: int,
    seen_at: datetime | None = None,
    day: date | None = None,
    fetched: bool = False,
    year_source: str | None = None,
) -> ParsedSource:
    """Parse a source's bytes (imported at ``seen_at``); raises
    :class:`~store.errors.PageError` for a bad one."""
    kind = recognise(data)
    if kind == "backup":
        backup = parse_backup(data)
        return ParsedSource(
            kind, backup.observations, backup.entries, backup.paper_ids, saved=backup.saved
        )
    if kind in ("hf-json", "hf-html"):
        parse = parse_hf_json if kind == "hf-json" else parse_hf_html
        found = parse(data, name, digest, seen_at=seen_at, day=day, fetched=fetched)
        ids = {o.paper_id for o in found.observations}
        return ParsedSource(kind, found.observations, paper_ids=ids, warnings=found.warnings)
    page = parse_page(
        decode_page(data), year=year, fallback_year=fallback_year, year_source=year_source
    )
    observations = observations_from_page(page, name, digest, seen_at)
    return ParsedSource(
        kind,
        observations,
        paper_ids={o.paper_id for o in observations},
        warnings=page.warnings,
        year=page.capture_year,
        year_source=page.year_source,
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
        day=source.day,
        fetched=source.fetched,
        year_source=source.year_source,
    )
