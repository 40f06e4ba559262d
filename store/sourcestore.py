"""Copies of every imported source (saved pages, backups) kept in the library.

The index is derived from these, so it can always be rebuilt from the library alone.
Each source is ``pages/<sha256>.src`` (its bytes) and ``pages/<sha256>.json`` (how it
was imported); the ``.json`` is written last, so a source counts as stored only once
both are complete. (The folder keeps its first name, ``pages/``, for the libraries
that exist; it holds every kind of source.)

Only the index writer adds sources (it holds the index lock), so a source that is
stored but not indexed was left by an import that was killed before it committed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from .atomic import atomic_write_bytes, atomic_write_text
from .text import strip_control

__all__ = ["SourceKind", "SourceStore", "StoredSource", "content_hash", "display_name"]

SourceKind = Literal["page", "backup", "hf-json", "hf-html"]


def content_hash(data: bytes) -> str:
    """The sha256 hex digest of a source's bytes: its identity in the library."""
    return hashlib.sha256(data).hexdigest()


def display_name(name: str) -> str:
    """A file name fit to store and show: undecodable bytes replaced, no control
    characters (names come from the file system, which allows both)."""
    cleaned = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return strip_control(cleaned) or "unnamed"


class StoredSource(BaseModel):
    """How a stored source was imported, enough to parse it again the same way."""

    hash: str
    name: str
    kind: SourceKind = "page"
    year: int | None = None
    fallback_year: int
    imported_at: datetime
    day: date | None = None  # the daily date a fetched response was asked for
    fetched: bool = False  # an answer of the site: its counts were true when it came
    year_source: str | None = None  # why ``year`` (when not given with --year)


class SourceStore:
    """The ``pages/`` folder of a library."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _data_path(self, digest: str) -> Path:
        return self.folder / f"{digest}.src"

    def _meta_path(self, digest: str) -> Path:
        return self.folder / f"{digest}.json"

    def has(self, digest: str) -> bool:
        """True when a source with this hash is completely stored."""
        return self._meta_path(digest).is_file() and self._data_path(digest).is_file()

    def save(
        self,
        data: bytes,
        *,
        name: str,
        kind: SourceKind,
        year: int | None,
        fallback_year: int,
        imported_at: datetime | None = None,
        day: date | None = None,
        fetched: bool = False,
        year_source: str | None = None,
    ) -> StoredSource:
        """Store a source (idempotent: an existing copy is kept as it is)."""
        digest = content_hash(data)
        if self.has(digest) and (existing := self.meta(digest)) is not None:
            return existing
        meta = StoredSource(
            hash=digest,
            name=display_name(name),
            kind=kind,
            year=year,
            fallback_year=fallback_year,
            imported_at=imported_at or datetime.now(UTC),
            day=day,
            fetched=fetched,
            year_source=year_source,
        )
        atomic_write_bytes(self._data_path(digest), data, create_parents=True)
        atomic_write_text(self._meta_path(digest), meta.model_dump_json(indent=1))
        return meta

    def describe(self, meta: StoredSource) -> None:
        """Rewrite how a stored source is read (its year, say); its bytes stay."""
        atomic_write_text(self._meta_path(meta.hash), meta.model_dump_json(indent=1))

    def remove(self, digest: str) -> None:
        """Forget a stored source (its description first: a half-removed source is not
        a stored one). What cannot be deleted now is deleted by a later writer."""
        for path in (self._meta_path(digest), self._data_path(digest)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def meta(self, digest: str) -> StoredSource | None:
        """The stored description of a source, or None if missing or unreadable."""
        try:
            return StoredSource.model_validate_json(self._meta_path(digest).read_bytes())
        except (OSError, ValidationError):
            return None

    def read(self, digest: str) -> bytes:
        """The stored bytes of a source."""
        return self._data_path(digest).read_bytes()

    def hashes(self) -> set[str]:
        """The hashes of every source with a description (a directory listing, cheap)."""
        try:
            with os.scandir(self.folder) as entries:
                return {e.name[:-5] for e in entries if e.name.endswith(".json")}
        except OSError:
            return set()

    def sources(self) -> Iterator[StoredSource]:
        """Every completely stored source, oldest import first."""
        metas = []
        for digest in self.hashes():
            meta = self.meta(digest)
            if meta is not None and self._data_path(meta.hash).is_file():
                metas.append(meta)
        yield from sorted(metas, key=lambda m: (m.imported_at, m.hash))

    def count(self) -> int:
        """How many sources are stored."""
        return len(self.hashes())

    def remove_strays(self) -> int:
        """Delete ``.src`` files without a description and temporary files left by a
        killed writer; returns how many. Call it holding the index lock."""
        removed = 0
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return 0
        described = {e.name[:-5] for e in entries if e.name.endswith(".json")}
        for entry in entries:
            stray = (entry.name.endswith(".src") and entry.name[:-4] not in described) or (
                entry.name.startswith(".") and entry.name.endswith(".tmp")
            )
            if stray:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
        return removed
