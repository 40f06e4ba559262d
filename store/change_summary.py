"""One line for what a change to the user's data did ("bookmark", "tag edit"), worked
out from the entries before and after it, for the undo journal to tell the user."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .models import UserEntry

__all__ = ["Change", "describe", "summarise"]

_SHOWN_IDS = 20  # the journal names at most this many papers


@dataclass(frozen=True)
class Change:
    """What one change did: a verb, the papers it touched (a few ids) and how many."""

    verb: str
    papers: list[str] = field(default_factory=list)
    count: int = 0


def _verb(before: UserEntry, after: UserEntry) -> str:
    if before.bookmarked != after.bookmarked:
        return "bookmark" if after.bookmarked else "bookmark removal"
    if before.queued != after.queued:
        if before.queued is None:
            return "queueing"
        return "removal from the queue" if after.queued is None else "move in the queue"
    if before.read != after.read:
        return "marking read" if after.read else "marking unread"
    if before.tags != after.tags:
        return "tag edit"
    if before.note != after.note:
        return "note edit"
    return "change"


def summarise(before: Mapping[str, UserEntry], after: Mapping[str, UserEntry]) -> Change:
    """The change from ``before`` to ``after`` (entries by paper id)."""
    blank = UserEntry()
    verbs: dict[str, str] = {}
    for pid in sorted(before.keys() | after.keys()):
        old, new = before.get(pid, blank), after.get(pid, blank)
        if old != new:
            verbs[pid] = _verb(old, new)
    kinds = set(verbs.values())
    verb = kinds.pop() if len(kinds) == 1 else "change"
    return Change(verb, list(verbs)[:_SHOWN_IDS], len(verbs))


def describe(change: Change, title_of: Callable[[str], str | None]) -> str:
    """``bookmark of 'Title'`` for one paper, ``tag edit of 3 papers`` for more."""
    if change.count == 1 and change.papers:
        title = title_of(change.papers[0])
        return f"{change.verb} of {title!r}" if title else f"{change.verb} of {change.papers[0]}"
    if change.count:
        return f"{change.verb} of {change.count} papers"
    return change.verb
