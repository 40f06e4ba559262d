"""The undo journal: the user-data file's previous bytes for its last changes.

A folder beside the file holds one record per change, each written atomically: a line
of JSON (what the change did, the SHA-256 of the bytes it wrote) and then the file's
bytes from before it. Undo puts the newest record's bytes back, but only while the file
still holds what that change wrote: a file changed in a way the journal does not know
is never overwritten. At most :data:`KEEP` records and :data:`MAX_BYTES` are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_write_bytes
from .change_summary import Change

__all__ = ["KEEP", "MAX_BYTES", "Record", "UndoJournal", "digest"]

KEEP = 20
MAX_BYTES = 64 * 1024 * 1024
_SUFFIX = ".undo"


def digest(data: bytes | None) -> str:
    """The SHA-256 of a file's bytes, or ``"absent"`` for no file."""
    return "absent" if data is None else hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Record:
    """One change that can be undone."""

    path: Path
    change: Change
    after: str  # digest of what the change wrote
    before: bytes | None  # the file before the change (None: there was no file)
    revision: int  # the revision the change wrote


class UndoJournal:
    """The records in ``folder``, newest last."""

    def __init__(self, folder: Path, keep: int = KEEP, max_bytes: int = MAX_BYTES) -> None:
        self.folder = folder
        self.keep = keep
        self.max_bytes = max_bytes

    def _files(self) -> list[Path]:
        try:
            return sorted(self.folder.glob(f"*{_SUFFIX}"))
        except OSError:
            return []

    def record(self, before: bytes | None, after: bytes, revision: int, change: Change) -> None:
        """Remember a change that replaced ``before`` with ``after``."""
        files = self._files()
        number = int(files[-1].stem) + 1 if files else 1
        meta = {
            "verb": change.verb,
            "papers": change.papers,
            "count": change.count,
            "after": digest(after),
            "revision": revision,
            "absent": before is None,
        }
        data = json.dumps(meta, ensure_ascii=False).encode("utf-8") + b"\n" + (before or b"")
        path = self.folder / f"{number:08d}{_SUFFIX}"
        atomic_write_bytes(path, data, create_parents=True)
        self._prune([*files, path])

    def _prune(self, files: list[Path]) -> None:
        sizes = []
        for path in files:
            try:
                sizes.append(path.stat().st_size)
            except OSError:
                sizes.append(0)
        while len(files) > 1 and (len(files) > self.keep or sum(sizes) > self.max_bytes):
            with contextlib.suppress(OSError):
                files[0].unlink()
            files, sizes = files[1:], sizes[1:]

    def newest(self) -> Record | None:
        """The last change recorded, if any (a damaged record counts as none)."""
        files = self._files()
        if not files:
            return None
        try:
            raw = files[-1].read_bytes()
            head, _, before = raw.partition(b"\n")
            meta = json.loads(head.decode("utf-8"))
            change = Change(str(meta["verb"]), [str(p) for p in meta["papers"]], int(meta["count"]))
            return Record(
                files[-1],
                change,
                str(meta["after"]),
                None if meta["absent"] else before,
                int(meta["revision"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def drop(self, record: Record) -> None:
        """Forget ``record`` once it is undone; the revision it wrote is remembered so
        that later changes never reuse it (caches are keyed by revision)."""
        floor = max(self.floor(), record.revision)
        atomic_write_bytes(self.folder / "revision", f"{floor}\n".encode(), create_parents=True)
        record.path.unlink(missing_ok=True)

    def floor(self) -> int:
        """The highest revision an undone change wrote (0 if none)."""
        try:
            return int((self.folder / "revision").read_text().strip() or 0)
        except (OSError, ValueError):
            return 0
