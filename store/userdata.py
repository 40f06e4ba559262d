"""The user's own data (bookmarks, tags, notes, read state) in one JSON file.

Rules that keep it safe:

- every change is made under a file lock, on a fresh read of the file, so two
  processes never overwrite each other's changes (no lost update);
- the file is written atomically, and the previous good version is kept as ``.bak``;
- a damaged file is never overwritten: it is moved aside as ``.corrupt-<time>``, the
  user is told, and the last good copy is used if there is one.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .atomic import atomic_write_bytes, describe_os_error
from .change_summary import Change, summarise
from .errors import UndoError, UnwritableError
from .file_lock import held
from .models import UserEntry
from .paths import LibraryPaths
from .undo_journal import UndoJournal, digest

__all__ = ["USERDATA_FORMAT", "UserData", "dump_entries", "parse_entries"]

USERDATA_FORMAT = "paperdeck-userdata"
T = TypeVar("T")


def parse_entries(raw: Any) -> dict[str, UserEntry]:
    """Validate a decoded user-data document; raise ``ValueError`` if it is not one."""
    if not isinstance(raw, dict) or raw.get("format") != USERDATA_FORMAT:
        raise ValueError("not a paperdeck user-data file")
    entries = raw.get("entries")
    if not isinstance(entries, dict):
        raise ValueError("the entries are missing")
    try:
        return {str(key): UserEntry.model_validate(value) for key, value in entries.items()}
    except ValidationError as exc:
        raise ValueError(f"an entry is malformed ({exc.error_count()} errors)") from None


def dump_entries(entries: dict[str, UserEntry], revision: int) -> bytes:
    """Serialise entries as the user-data file's bytes."""
    document = {
        "format": USERDATA_FORMAT,
        "version": 1,
        "revision": revision,
        "entries": {
            key: entry.model_dump(mode="json", exclude_defaults=True)
            for key, entry in sorted(entries.items())
            if not entry.is_blank()
        },
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


class UserData:
    """Reads and changes the user-data file; cheap to re-read when another process wrote it."""

    def __init__(self, paths: LibraryPaths) -> None:
        self._paths = paths
        # The entries and their revision, one tuple: a reader in another thread never
        # sees the entries of one revision with the number of another.
        self._state: tuple[dict[str, UserEntry], int] = ({}, 0)
        self._stamp: tuple[int, int] | None = None
        self.notices: list[str] = []
        self.journal = UndoJournal(paths.userdata_undo)

    @property
    def revision(self) -> int:
        """Increases with every change written, by any process."""
        return self._state[1]

    @property
    def _entries(self) -> dict[str, UserEntry]:
        return self._state[0]

    @property
    def _revision(self) -> int:
        return self._state[1]

    def snapshot(self) -> tuple[dict[str, UserEntry], int]:
        """The entries and their revision, together (re-read first if the file changed):
        what a search or an order computed from them is cached under."""
        self.refresh()
        return self._state

    def entries(self) -> dict[str, UserEntry]:
        """All entries, re-read first if the file changed on disk."""
        self.refresh()
        return self._entries

    def get(self, paper_id: str) -> UserEntry | None:
        """The entry for one paper, if any."""
        return self.entries().get(paper_id)

    def is_damaged(self) -> bool:
        """True when the file cannot be read as it is. Only reads: recovering it (moving
        it aside, with a notice) is left to the next :meth:`refresh`."""
        return self._try_read(self._current_stamp()) is not None

    def refresh(self) -> None:
        """Re-read the file if another process changed it since the last read."""
        if self._current_stamp() != self._stamp:
            self._load()

    def update(
        self, change: Callable[[dict[str, UserEntry]], T], *, summary: Change | None = None
    ) -> T:
        """Apply ``change`` to a fresh copy of the entries under the lock, then save
        atomically (unless nothing changed), remembering the previous bytes for undo.
        ``summary`` says what the change did (else it is worked out from the entries)."""
        with self._lock():
            self._load_locked()
            entries = {key: entry.copy_for_change() for key, entry in self._entries.items()}
            result = change(entries)
            kept = {key: e for key, e in entries.items() if not e.is_blank()}
            if kept == self._entries:
                return result  # nothing changed: the file is not rewritten
            revision = max(self._revision, self.journal.floor()) + 1
            data = dump_entries(entries, revision)
            before = self._current_bytes()
            self._backup_current(before)
            atomic_write_bytes(self._paths.userdata_file, data)
            with contextlib.suppress(UnwritableError):  # a change never fails for its undo
                self.journal.record(
                    before, data, revision, summary or summarise(self._entries, kept)
                )
            self._state = (kept, revision)
            self._stamp = self._current_stamp()
            return result

    def undo(self) -> Change:
        """Put back the user-data file as it was before the last change, byte for byte;
        what that change was. Refused (:class:`~store.errors.UndoError`) when there is
        nothing to undo or the file no longer holds what the last change wrote."""
        with self._lock():
            record = self.journal.newest()
            if record is None:
                raise UndoError("nothing to undo")
            current = self._current_bytes()
            if digest(current) != record.after:
                raise UndoError(
                    f"{self._paths.userdata_file.name} was changed by something the undo "
                    "journal does not know (another program, or a repair); nothing was undone"
                )
            self._backup_current(current)
            if record.before is None:
                self._paths.userdata_file.unlink(missing_ok=True)
            else:
                atomic_write_bytes(self._paths.userdata_file, record.before)
            self.journal.drop(record)
            self._load_locked()
            return record.change

    # -- internals ---------------------------------------------------------------------

    def _lock(self) -> contextlib.AbstractContextManager[None]:
        return held(self._paths.userdata_lock)

    def _current_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self._paths.userdata_file.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _read(self, path: Path) -> tuple[dict[str, UserEntry], int]:
        """The entries and revision of a user-data file; ``ValueError`` if it is not one."""
        try:
            raw = json.loads(path.read_bytes().decode("utf-8"))
        except RecursionError:
            raise ValueError("nested too deeply to be a user-data file") from None
        entries = parse_entries(raw)
        revision = raw.get("revision", 0)
        if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
            raise ValueError(f"the revision {str(revision)[:20]!r} is not a whole number")
        return entries, revision

    def _load(self) -> None:
        stamp = self._current_stamp()
        if stamp is None:
            self._state, self._stamp = ({}, 0), None
            return
        problem = self._try_read(stamp)
        if problem is None:
            return
        # Atomic writes mean a reader never sees half a file: this one is really damaged.
        # Take the lock and look again (another process may have recovered it already).
        with self._lock():
            self._load_locked()

    def _load_locked(self) -> None:
        problem = self._try_read(self._current_stamp())
        if problem is not None:
            self._recover(problem)

    def _try_read(self, stamp: tuple[int, int] | None) -> str | None:
        path = self._paths.userdata_file
        if stamp is None:
            self._state, self._stamp = ({}, 0), None
            return None
        try:
            self._state = self._read(path)
        except OSError as exc:
            return describe_os_error(exc, path)
        except (ValueError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
            return _first_line(exc)
        self._stamp = stamp
        return None

    def _recover(self, problem: str) -> None:
        path = self._paths.userdata_file
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        try:
            os.replace(path, aside)
        except OSError as exc:
            raise UnwritableError(
                f"{path} is damaged ({problem}) and could not be moved aside: "
                f"{describe_os_error(exc, path)}"
            ) from None
        try:
            entries, revision = self._read(self._paths.userdata_backup)
        except (OSError, ValueError, TypeError):
            entries, revision = {}, 0
            self.notices.append(
                f"Your bookmarks file was damaged ({problem}); it was kept as {aside.name} "
                "and no good copy was found, so paperdeck starts with no bookmarks."
            )
        else:
            atomic_write_bytes(path, dump_entries(entries, revision + 1))
            revision += 1
            self.notices.append(
                f"Your bookmarks file was damaged ({problem}); it was kept as {aside.name} "
                f"and the last good copy ({len(entries)} papers) is in use."
            )
        self._state = (entries, revision)
        self._stamp = self._current_stamp()

    def _current_bytes(self) -> bytes | None:
        try:
            return self._paths.userdata_file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise UnwritableError(describe_os_error(exc, self._paths.userdata_file)) from None

    def _backup_current(self, current: bytes | None) -> None:
        if current is None:
            return
        # A missing backup must not stop the user's change.
        with contextlib.suppress(OSError, UnwritableError):
            atomic_write_bytes(self._paths.userdata_backup, current)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
