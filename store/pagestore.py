"""Copies of every imported source (saved pages and JSON backups) kept in the library.

The index is derived from these, so it can always be rebuilt from the library alone.
Each source is ``<sha256>.src`` (its bytes) and ``<sha256>.json`` (how it was imported);
the ``.json`` is written last, so a source counts as stored only once both are complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from .atomic import atomic_write_bytes, atomic_write_text

__all__ = ["PageStore", "SourceKind", "StoredSource", "content_hash"]

SourceKind = Literal["page", "backup"]


def content_hash(data: bytes) -> str:
    """The sha256 hex digest of a source's bytes: its identity in the library."""
    return hashlib.sha256(data).hexdigest()


class StoredSource(BaseModel):
    """How a stored source was imported, enough to parse it again the same way."""

    hash: str
    name: str
    kind: SourceKind = "page"
    year: int | None = None
    fallback_year: int
    imported_at: datetime


class PageStore:
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
    ) -> StoredSource:
        """Store a source (idempotent: an existing copy is kept as it is)."""
        digest = content_hash(data)
        meta = StoredSource(
            hash=digest,
            name=name,
            kind=kind,
            year=year,
            fallback_year=fallback_year,
            imported_at=datetime.now(UTC),
        )
        if self.has(digest):
            existing = self.meta(digest)
            if existing is not None:
                return existing
        atomic_write_bytes(self._data_path(digest), data, create_parents=True)
        atomic_write_text(self._meta_path(digest), meta.model_dump_json(indent=1))
        return meta

    def remove(self, digest: str) -> None:
        """Forget a stored source (its description first: a half-removed source is not
        a stored one). Errors are ignored: what stays is cleaned up by a later import."""
        for path in (self._meta_path(digest), self._data_path(digest)):
            with contextlib.suppress(OSError):
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

    def sources(self) -> Iterator[StoredSource]:
        """Every completely stored source, oldest import first."""
        if not self.folder.is_dir():
            return
        metas = []
        for meta_path in self.folder.glob("*.json"):
            meta = self.meta(meta_path.stem)
            if meta is not None and self._data_path(meta.hash).is_file():
                metas.append(meta)
        yield from sorted(metas, key=lambda m: (m.imported_at, m.hash))

    def count(self) -> int:
        """How many sources are stored."""
        try:
            with os.scandir(self.folder) as entries:
                return sum(1 for entry in entries if entry.name.endswith(".json"))
        except OSError:
            return 0

    def stamp(self) -> int:
        """The folder's modification time (ns): it changes whenever a source is added."""
        try:
            return self.folder.stat().st_mtime_ns
        except OSError:
            return 0
