"""Changes to the user's own data: bookmarks, tags, notes, read state.

Each change is one locked read-modify-write of the user-data file (no lost update
between processes) and records when each field changed, so restoring a backup can
merge field by field. Nothing here touches the index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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

    def _change_many(
        self,
        paper_ids: Iterable[str],
        change: Callable[[UserEntry, datetime], None],
        choose: Callable[[list[UserEntry]], None] | None = None,
    ) -> int:
        """One locked read-modify-write for many papers; ``choose`` first sees their
        entries (to decide, say, between bookmarking and unbookmarking). How many
        entries changed."""

        def apply(entries: dict[str, UserEntry]) -> int:
            now = datetime.now(UTC)
            chosen = [entries.setdefault(pid, UserEntry()) for pid in dict.fromkeys(paper_ids)]
            if choose is not None:
                choose(chosen)
            changed = 0
            for entry in chosen:
                before = entry.copy_for_change()
                change(entry, now)
                changed += entry != before
            return changed

        return self.userdata.update(apply)

    def bookmark_many(self, paper_ids: Iterable[str], *, tags: Sequence[str] = ()) -> int:
        """Bookmark every paper of ``paper_ids`` (adding ``tags``), in one write."""
        return self._change_many(paper_ids, _bookmarker(True, tags))

    def toggle_bookmarks(self, paper_ids: Iterable[str]) -> tuple[bool, int]:
        """Bookmark the papers, or, if every one is bookmarked already, remove their
        bookmarks, in one write: (bookmarked now, how many changed)."""
        return self._toggle(paper_ids, lambda e: e.bookmarked, lambda on: _bookmarker(on, ()))

    def tag_many(
        self, paper_ids: Iterable[str], *, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> int:
        """Add and remove tags on every paper of ``paper_ids``, in one write (papers are
        not bookmarked by it: tags are kept on any paper)."""
        return self._change_many(paper_ids, _tagger(add, remove))

    def toggle_read_many(self, paper_ids: Iterable[str]) -> tuple[bool, int]:
        """Mark the papers read, or, if every one is read already, unread, in one
        write: (read now, how many changed)."""
        return self._toggle(paper_ids, lambda e: e.read, _reader)

    def _toggle(
        self,
        paper_ids: Iterable[str],
        is_on: Callable[[UserEntry], bool],
        setter: Callable[[bool], Callable[[UserEntry, datetime], None]],
    ) -> tuple[bool, int]:
        """Turn something on for every paper, or off if it is on for all of them."""
        wanted = True

        def choose(entries: list[UserEntry]) -> None:
            nonlocal wanted
            wanted = not all(is_on(e) for e in entries)

        def change(entry: UserEntry, now: datetime) -> None:
            setter(wanted)(entry, now)

        changed = self._change_many(paper_ids, change, choose)
        return wanted, changed

    def set_read_many(self, paper_ids: Iterable[str], read: bool = True) -> int:
        """Mark every paper of ``paper_ids`` read (or unread), in one write."""
        return self._change_many(paper_ids, _reader(read))

    def bookmark(
        self, paper_id: str, *, tags: Sequence[str] = (), note: str | None = None
    ) -> UserEntry:
        """Bookmark a paper, adding ``tags`` and setting ``note`` if given."""

        mark = _bookmarker(True, tags)

        def change(entry: UserEntry, now: datetime) -> None:
            mark(entry, now)
            if note is not None:
                entry.note = note
                entry.touch("note", now)

        return self._change(paper_id, change)

    def unbookmark(self, paper_id: str) -> UserEntry:
        """Remove the bookmark (tags and note are kept, and come back with it)."""

        return self._change(paper_id, _bookmarker(False, ()))

    def set_tags(
        self, paper_id: str, tags: Sequence[str], *, seen: Sequence[str] | None = None
    ) -> UserEntry:
        """Replace a paper's tags. With ``seen`` (the tags the user was shown), only
        what the user changed is applied: tags another paperdeck added meanwhile stay."""

        wanted = UserEntry(tags=list(tags)).tags
        if seen is None:

            def replace(entry: UserEntry, now: datetime) -> None:
                if wanted != entry.tags:
                    entry.tags = wanted
                    entry.touch("tags", now)

            return self._change(paper_id, replace)
        before = set(UserEntry(tags=list(seen)).tags)
        added = [t for t in wanted if t not in before]
        return self._change(paper_id, _tagger(added, sorted(before - set(wanted))))

    def remove_tags(self, paper_id: str, tags: Sequence[str]) -> UserEntry:
        """Take ``tags`` off a paper (the bookmark stays)."""
        return self._change(paper_id, _tagger((), tags))

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

        return self._change(paper_id, _reader(read))


def _bookmarker(bookmarked: bool, tags: Sequence[str]) -> Callable[[UserEntry, datetime], None]:
    """A change that sets the bookmark (adding ``tags``) or removes it."""

    def change(entry: UserEntry, now: datetime) -> None:
        if entry.bookmarked != bookmarked:
            entry.bookmarked, entry.bookmarked_at = bookmarked, (now if bookmarked else None)
            entry.touch("bookmarked", now)
        if tags:
            merged = UserEntry(tags=[*entry.tags, *tags]).tags  # cleaned, deduplicated
            if merged != entry.tags:
                entry.tags = merged
                entry.touch("tags", now)

    return change


def _reader(read: bool) -> Callable[[UserEntry, datetime], None]:
    """A change that marks a paper read or unread."""

    def change(entry: UserEntry, now: datetime) -> None:
        if entry.read != read:
            entry.read, entry.read_at = read, (now if read else None)
            entry.touch("read", now)

    return change


def _tagger(add: Sequence[str], remove: Sequence[str]) -> Callable[[UserEntry, datetime], None]:
    """A change that takes ``remove`` off and puts ``add`` on (cleaned like any tag)."""
    added = UserEntry(tags=list(add)).tags
    removed = set(UserEntry(tags=list(remove)).tags)

    def change(entry: UserEntry, now: datetime) -> None:
        tags = [t for t in entry.tags if t not in removed]
        tags += [t for t in added if t not in tags]
        if tags != entry.tags:
            entry.tags = tags
            entry.touch("tags", now)

    return change
