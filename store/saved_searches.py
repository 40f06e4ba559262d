"""Saved searches: a query with a name, and when its papers were last looked at; the
times "what is new" is counted from (the last digest, the reader's last visit); and
where each list's last triage stopped.

They live in ``searches.json`` beside the user data (the user's own data: never in
the index, kept through rebuilds), written atomically under a lock on a fresh read,
like the user data. Each saved search remembers when it was last opened; the papers
that arrived in the library after that are its new ones. The digest's "since last"
time is kept in the same file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, Field, ValidationError

from .atomic import atomic_write_text
from .errors import NotFoundError, StoreError
from .file_lock import held
from .text import collapse_space, strip_control

__all__ = ["SavedSearch", "SavedSearches", "SearchesFile", "check_name"]

T = TypeVar("T")
MAX_NAME = 60
_NAME = re.compile(r"^[\w][\w .:+-]*$")


class SavedSearch(BaseModel):
    """A query with a name."""

    name: str
    query: str
    created_at: datetime
    opened_at: datetime | None = Field(
        default=None, description="when it was last opened: papers arrived later are new"
    )


class SearchesFile(BaseModel):
    """What ``searches.json`` holds."""

    version: int = 1
    saved: list[SavedSearch] = Field(default_factory=list)
    digest_at: datetime | None = Field(default=None, description="the last digest's time")
    visited_at: datetime | None = Field(default=None, description="the reader's last start")
    triage: dict[str, str] = Field(
        default_factory=dict, description="per list, the paper where its last triage stopped"
    )


def check_name(name: str) -> str:
    """``name`` cleaned, or a :class:`StoreError` saying what is wrong with it."""
    cleaned = collapse_space(strip_control(name)).strip()
    if not cleaned:
        raise StoreError("a saved search needs a name")
    if len(cleaned) > MAX_NAME or not _NAME.match(cleaned):
        raise StoreError(
            f"{name!r} cannot name a saved search: letters, digits, spaces and . : + - "
            f"only, at most {MAX_NAME} characters, starting with a letter or digit"
        )
    return cleaned


class SavedSearches:
    """The saved searches of one library."""

    def __init__(self, path: Path, lock: Path) -> None:
        self.path = path
        self._lock_path = lock

    def read(self) -> SearchesFile:
        """The file as it is now (empty if there is none yet)."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return SearchesFile()
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot be read ({exc.strerror or exc})") from None
        try:
            return SearchesFile.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise StoreError(
                f"{self.path}: not a saved-searches file ({first}); fix or move it away"
            ) from None

    def update(self, change: Callable[[SearchesFile], T]) -> T:
        """Apply ``change`` to a fresh read under the lock, then save atomically."""
        with held(self._lock_path):
            current = self.read()
            result = change(current)
            text = json.dumps(current.model_dump(mode="json"), indent=2, ensure_ascii=False)
            atomic_write_text(self.path, text + "\n", create_parents=True)
            return result

    def all(self) -> list[SavedSearch]:
        """Every saved search, in the order they were saved."""
        return self.read().saved

    def get(self, name: str) -> SavedSearch:
        """The saved search called ``name`` (case does not matter)."""
        wanted = name.strip().casefold()
        for saved in self.all():
            if saved.name.casefold() == wanted:
                return saved
        known = ", ".join(s.name for s in self.all()) or "none yet"
        raise NotFoundError(f"no saved search is called {name!r} (saved: {known})")

    def add(self, name: str, query: str, *, replace: bool = False) -> SavedSearch:
        """Save ``query`` as ``name``; its papers count as new from now on."""
        name = check_name(name)
        query = collapse_space(strip_control(query)).strip()
        now = datetime.now(UTC)

        def change(data: SearchesFile) -> SavedSearch:
            old = next((s for s in data.saved if s.name.casefold() == name.casefold()), None)
            if old is not None and not replace:
                raise StoreError(
                    f"a saved search is already called {old.name!r} "
                    f"({old.query!r}); remove it first or replace it"
                )
            saved = SavedSearch(name=name, query=query, created_at=now, opened_at=now)
            if old is not None:
                data.saved[data.saved.index(old)] = saved
            else:
                data.saved.append(saved)
            return saved

        return self.update(change)

    def restore(self, incoming: list[SavedSearch]) -> int:
        """Add a backup's saved searches whose names are not taken; how many. A search
        of the same name is kept as it is (the backup never replaces or deletes)."""
        if not incoming:
            return 0

        def change(data: SearchesFile) -> int:
            taken = {s.name.casefold() for s in data.saved}
            added = [s for s in incoming if s.name.casefold() not in taken]
            data.saved.extend(added)
            return len(added)

        return self.update(change)

    def remove(self, name: str) -> SavedSearch:
        """Forget the saved search called ``name``."""
        gone = self.get(name)

        def change(data: SearchesFile) -> None:
            data.saved = [s for s in data.saved if s.name.casefold() != gone.name.casefold()]

        self.update(change)
        return gone

    def mark_opened(self, name: str, at: datetime | None = None) -> SavedSearch:
        """Its papers are no longer new: they have been looked at ``at`` (now)."""
        found = self.get(name)
        when = at or datetime.now(UTC)

        def change(data: SearchesFile) -> SavedSearch:
            for saved in data.saved:
                if saved.name.casefold() == found.name.casefold():
                    saved.opened_at = when
                    return saved
            raise NotFoundError(f"the saved search {name!r} was removed meanwhile")

        return self.update(change)

    def visit(self, at: datetime | None = None) -> datetime | None:
        """Record a visit of the reader ``at`` (now); the previous visit's time."""
        when = at or datetime.now(UTC)

        def change(data: SearchesFile) -> datetime | None:
            previous, data.visited_at = data.visited_at, when
            return previous

        return self.update(change)

    def triage_place(self, list_key: str) -> str | None:
        """The paper where the last triage of ``list_key`` stopped, if it did."""
        return self.read().triage.get(list_key)

    def set_triage_place(self, list_key: str, paper_id: str | None) -> None:
        """Remember where a triage of ``list_key`` stopped (None: it went to the end)."""

        def change(data: SearchesFile) -> None:
            if paper_id is None:
                data.triage.pop(list_key, None)
            else:
                data.triage[list_key] = paper_id
                while len(data.triage) > 50:  # the oldest lists go first
                    data.triage.pop(next(iter(data.triage)))

        self.update(change)

    def digest_at(self) -> datetime | None:
        """When the last digest was made, if ever."""
        return self.read().digest_at

    def set_digest_at(self, at: datetime) -> None:
        """Remember ``at`` as the last digest's time."""

        def change(data: SearchesFile) -> None:
            data.digest_at = at

        self.update(change)
