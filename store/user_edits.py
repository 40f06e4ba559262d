"""Changes to the user's own data: bookmarks, tags, notes, read state.

Each change is one locked read-modify-write of the user-data file (no lost update
between processes) and records when each field changed, so restoring a backup can
merge field by field. Nothing here touches the index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from .errors import ConflictError
from .models import UserEntry
from .userdata import UserData

__all__ = ["UserEdits"]


class UserEdits:
    """The user's changes to one library's papers, by paper id."""

    def __init__(self, userdata: UserData) -> None:
        self.userdata = userdata

    def _change(self, paper_id: str, change: Callable[[UserEntry, datetime], None]) -> UserEntry:
        def apply(entries: dict[str, UserEntry]) -> UserEntry:
            entry = entries.setdefault(paper_id, UserEntry())
            change(entry, datetime.now(UTC))
            return entry.model_copy(deep=True)

        return self.userdata.update(apply)

    def bookmark(
        self, paper_id: str, *, tags: Sequence[str] = (), note: str | None = None
    ) -> UserEntry:
        """Bookmark a paper, adding ``tags`` and setting ``note`` if given."""

        def change(entry: UserEntry, now: datetime) -> None:
            if not entry.bookmarked:
                entry.bookmarked, entry.bookmarked_at = True, now
                entry.touch("bookmarked", now)
            if tags:
                entry.tags = [*entry.tags, *tags]  # cleaned and deduplicated by UserEntry
                entry.touch("tags", now)
            if note is not None:
                entry.note = note
                entry.touch("note", now)

        return self._change(paper_id, change)

    def unbookmark(self, paper_id: str) -> UserEntry:
        """Remove the bookmark (tags and note are kept, and come back with it)."""

        def change(entry: UserEntry, now: datetime) -> None:
            if entry.bookmarked:
                entry.bookmarked, entry.bookmarked_at = False, None
                entry.touch("bookmarked", now)

        return self._change(paper_id, change)

    def set_tags(
        self, paper_id: str, tags: Sequence[str], *, seen: Sequence[str] | None = None
    ) -> UserEntry:
        """Replace a paper's tags. With ``seen`` (the tags the user was shown), only
        what the user changed is applied: tags another paperdeck added meanwhile stay."""

        def change(entry: UserEntry, now: datetime) -> None:
            wanted = UserEntry(tags=list(tags)).tags
            if seen is None:
                result = wanted
            else:
                before = set(UserEntry(tags=list(seen)).tags)
                removed = before - set(wanted)
                result = [t for t in entry.tags if t not in removed]
                result += [t for t in wanted if t not in before]
            if result != entry.tags:
                entry.tags = result
                entry.touch("tags", now)

        return self._change(paper_id, change)

    def remove_tags(self, paper_id: str, tags: Sequence[str]) -> UserEntry:
        """Take ``tags`` off a paper (the bookmark stays)."""
        unwanted = set(UserEntry(tags=list(tags)).tags)

        def change(entry: UserEntry, now: datetime) -> None:
            kept = [t for t in entry.tags if t not in unwanted]
            if kept != entry.tags:
                entry.tags = kept
                entry.touch("tags", now)

        return self._change(paper_id, change)

    def set_note(self, paper_id: str, note: str, *, seen: str | None = None) -> UserEntry:
        """Replace a paper's note. With ``seen`` (the note the user was shown), refuse
        with :class:`~store.errors.ConflictError` if another paperdeck changed it since."""

        def change(entry: UserEntry, now: datetime) -> None:
            if seen is not None and entry.note != UserEntry(note=seen).note:
                raise ConflictError(
                    "the note was changed elsewhere while you edited it", current=entry.note
                )
            if entry.note != UserEntry(note=note).note:
                entry.note = note
                entry.touch("note", now)

        return self._change(paper_id, change)

    def set_read(self, paper_id: str, read: bool = True) -> UserEntry:
        """Mark a paper read (or unread)."""

        def change(entry: UserEntry, now: datetime) -> None:
            if entry.read != read:
                entry.read, entry.read_at = read, (now if read else None)
                entry.touch("read", now)

        return self._change(paper_id, change)
