"""The reading queue: an ordered to-read list of paper ids, kept in the user's data.

Each queued paper's entry holds its place (``UserEntry.queued``, a whole number: lower
reads first), so the order survives whatever the user's data survives (rebuilds,
backups and their restore) and a paper is queued at most once. Every change is one
locked write of the user-data file, and so one step of undo. Nothing here reads the
index: papers missing from it stay queued.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from .change_summary import Change
from .errors import NotFoundError
from .models import Paper, UserEntry
from .userdata import UserData

__all__ = ["QueuedPaper", "ReadingQueue", "append_restored", "queued_ids"]


@dataclass(frozen=True)
class QueuedPaper:
    """One place in the queue: the paper, or None when the index no longer has it."""

    id: str
    paper: Paper | None

    @property
    def missing(self) -> bool:
        """True when the paper's source was removed from the library."""
        return self.paper is None


def queued_ids(entries: Mapping[str, UserEntry]) -> list[str]:
    """The queued paper ids, in reading order."""
    places = ((e.queued, pid) for pid, e in entries.items() if e.queued is not None)
    return [pid for _, pid in sorted(places)]


def _place(entries: dict[str, UserEntry], order: Sequence[str], now: datetime) -> None:
    """Number ``order`` 0, 1, 2…; a paper whose place changes is touched."""
    for number, pid in enumerate(order):
        entry = entries.setdefault(pid, UserEntry())
        if entry.queued != number:
            entry.queued = number
            entry.queued_at = entry.updated_at = now


def append_restored(
    entries: dict[str, UserEntry], before: Sequence[str], incoming: Mapping[str, UserEntry]
) -> None:
    """After a restore merged ``incoming`` into ``entries``: the papers queued ``before``
    keep their order, followed by those the backup queued, in the backup's order (no
    duplicates, nothing dropped)."""
    kept = set(before)
    restored = [
        pid
        for pid in queued_ids(incoming)
        if pid not in kept and pid in entries and entries[pid].queued is not None
    ]
    for number, pid in enumerate([*before, *restored]):
        entries[pid].queued = number


class ReadingQueue:
    """The queue of one library's user data. ``get`` finds a paper by id, prefix or
    arXiv id (NotFoundError if none); ``papers_of`` reads those of some ids the index
    holds."""

    def __init__(
        self,
        userdata: UserData,
        get: Callable[[str], Paper],
        papers_of: Callable[[list[str]], list[Paper]],
    ) -> None:
        self.userdata = userdata
        self._get = get
        self._papers_of = papers_of

    def ids(self) -> list[str]:
        """The queued paper ids, in reading order."""
        return queued_ids(self.userdata.entries())

    def _reorder(
        self, arrange: Callable[[list[str]], list[str]], change: Change | None = None
    ) -> list[str]:
        def apply(entries: dict[str, UserEntry]) -> list[str]:
            now = datetime.now(UTC)
            before = queued_ids(entries)
            order = list(dict.fromkeys(arrange(list(before))))
            for pid in set(before) - set(order):
                entries[pid].queued = None
                entries[pid].queued_at = entries[pid].updated_at = now
            _place(entries, order, now)
            return order

        return self.userdata.update(apply, summary=change)

    def papers(self) -> list[QueuedPaper]:
        """The queue in reading order, each with its paper (None if missing)."""
        entries = self.userdata.entries()
        ids = queued_ids(entries)
        found = {p.id: p.with_user(entries.get(p.id)) for p in self._papers_of(ids)}
        return [QueuedPaper(pid, found.get(pid)) for pid in ids]

    def resolve(self, given: str) -> str:
        """The queued paper ``given`` names: its id, a unique prefix of it (4+
        characters) or anything ``get`` takes; NotFoundError otherwise."""
        ids = self.ids()
        if given in ids:
            return given
        try:
            return self._get(given).id
        except NotFoundError:
            starting = [pid for pid in ids if len(given) >= 4 and pid.startswith(given.lower())]
            if len(starting) == 1:
                return starting[0]
            raise

    def add(self, paper_ids: Sequence[str], *, front: bool = False) -> list[Paper]:
        """Queue papers (ids, prefixes or arXiv ids) at the end, or the front in the
        order given; a paper already queued keeps its one place (moved to the front
        with ``front``). The papers named."""
        papers = [self._get(given) for given in paper_ids]
        wanted = list(dict.fromkeys(p.id for p in papers))
        change = Change("queueing", wanted, len(wanted))
        if front:
            self._reorder(lambda order: [*wanted, *order], change)
        else:
            self._reorder(lambda order: [*order, *wanted], change)
        return papers

    def remove(self, paper_ids: Sequence[str]) -> list[str]:
        """Take papers out of the queue (those not in it are ignored); the new order."""
        gone = {self.resolve(given) for given in paper_ids}
        change = Change("removal from the queue", sorted(gone), len(gone))
        return self._reorder(lambda order: [p for p in order if p not in gone], change)

    def move_to(self, paper_id: str, position: int) -> int:
        """Put a queued paper at ``position`` (0 is first; clamped to the queue); the
        place it is at now."""
        paper_id = self.resolve(paper_id)

        def arrange(order: list[str]) -> list[str]:
            if paper_id not in order:
                raise NotFoundError(f"{paper_id} is not in the reading queue")
            order.remove(paper_id)
            order.insert(max(0, min(position, len(order))), paper_id)
            return order

        return self._reorder(arrange, Change("move in the queue", [paper_id], 1)).index(paper_id)

    def move(self, paper_id: str, offset: int) -> int:
        """Move a queued paper ``offset`` places later (negative: earlier); its place."""
        paper_id = self.resolve(paper_id)
        order = self.ids()
        if paper_id not in order:
            raise NotFoundError(f"{paper_id} is not in the reading queue")
        return self.move_to(paper_id, order.index(paper_id) + offset)

    def next_unread(self) -> Paper | None:
        """The first queued paper not marked read that the library holds, if any."""
        entries = self.userdata.entries()
        unread = [pid for pid in queued_ids(entries) if not entries[pid].read]
        found = self._papers_of(unread[:1])
        if not found and len(unread) > 1:  # the first is missing: look further
            found = self._papers_of(unread)
        return found[0].with_user(entries.get(found[0].id)) if found else None
