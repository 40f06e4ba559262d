"""The JSON backup: written by ``export --format json``, restored by ``import``.

- **write**: papers are streamed one per line, so a backup of any size holds one paper
  in memory at a time;
- **recognise**: by its ``format`` field, whatever the file is called;
- **parse**: the whole document is validated before anything is stored or changed (a
  known version, ids that are the hash of their titles, no dates in the future, sizes
  within bounds); a bad backup is refused in one line;
- **restore**: the user's entries are merged field by field by the time of each change
  (:func:`merge_entry`), never deleting a tag, a note or a queued paper.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from pydantic import ValidationError

from .errors import BackupError
from .models import NEVER, Paper, UserEntry, UserField
from .records import Observation, paper_id
from .saved_searches import SavedSearch

__all__ = [
    "BACKUP_FORMAT",
    "BACKUP_VERSION",
    "Backup",
    "RestoreSummary",
    "is_note_merge",
    "looks_like_backup",
    "merge_entry",
    "parse_backup",
    "write_backup",
]

BACKUP_FORMAT = "paperdeck-backup"
BACKUP_VERSION = 2
_READABLE_VERSIONS = {1, 2}
_MAX_PAPERS = 2_000_000
_ID = re.compile(r"^[0-9a-f]{12}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_CLOCK_SKEW = timedelta(days=1)


def looks_like_backup(data: bytes) -> bool:
    """True when ``data`` starts like a paperdeck backup (a JSON object naming the format)."""
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and BACKUP_FORMAT.encode() in data[:4096]


def write_backup(
    papers: Iterable[Paper],
    entries: Mapping[str, UserEntry],
    out: TextIO,
    saved: Sequence[SavedSearch] = (),
) -> int:
    """Write a backup of ``papers``, the user's entries for them and their saved
    searches; returns the count."""
    header = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
    }
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + ',\n"papers": [\n')
    ids: list[str] = []
    for paper in papers:
        stored = paper.model_dump(mode="json", exclude={"bookmarked", "tags", "note", "read"})
        out.write(("," if ids else "") + json.dumps(stored, ensure_ascii=False) + "\n")
        ids.append(paper.id)
    out.write('],\n"entries": {\n')
    first = True
    for pid in ids:
        entry = entries.get(pid)
        if entry is None or entry.is_blank():
            continue
        value = json.dumps(entry.model_dump(mode="json", exclude_defaults=True))
        out.write(("" if first else ",") + json.dumps(pid) + ": " + value + "\n")
        first = False
    searches = [s.model_dump(mode="json") for s in saved]
    out.write('},\n"saved_searches": ' + json.dumps(searches, ensure_ascii=False) + "}\n")
    return len(ids)


@dataclass
class Backup:
    """A validated backup: what it says about papers, and the user's entries."""

    observations: list[Observation]
    entries: dict[str, UserEntry]
    paper_ids: set[str] = field(default_factory=set)
    saved: list[SavedSearch] = field(default_factory=list)


def parse_backup(data: bytes) -> Backup:
    """Validate and read a backup; :class:`~store.errors.BackupError` says what is wrong."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BackupError(f"this paperdeck backup is not valid JSON ({_first_line(exc)})") from None
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise BackupError("this is not a paperdeck backup")
    version = document.get("version")
    if version not in _READABLE_VERSIONS:
        raise BackupError(
            f"this backup has version {version!r}; this paperdeck reads versions "
            f"{', '.join(map(str, sorted(_READABLE_VERSIONS)))} (it may come from a newer "
            "paperdeck)"
        )
    raw_papers, raw_entries = document.get("papers", []), document.get("entries", {})
    if not isinstance(raw_papers, list) or not isinstance(raw_entries, dict):
        raise BackupError("this paperdeck backup is damaged (papers or entries missing)")
    if len(raw_papers) > _MAX_PAPERS or len(raw_entries) > _MAX_PAPERS:
        raise BackupError(f"this backup holds more than {_MAX_PAPERS:,} papers")
    now = datetime.now(UTC)
    papers = [_paper(raw, number, now) for number, raw in enumerate(raw_papers, start=1)]
    entries = {_entry_id(key): _entry(key, raw, now) for key, raw in raw_entries.items()}
    observations = [
        Observation(p.id, p.title_raw or p.title, p.abstract_raw or p.abstract, p.sightings)
        for p in papers
    ]
    return Backup(observations, entries, {p.id for p in papers}, _saved(document))


def _saved(document: dict[str, Any]) -> list[SavedSearch]:
    """The backup's saved searches (none in a backup from before they existed)."""
    raw = document.get("saved_searches", [])
    if not isinstance(raw, list) or len(raw) > 10_000:
        raise BackupError("this paperdeck backup is damaged (saved_searches is not a list)")
    try:
        return [SavedSearch.model_validate(item) for item in raw]
    except ValidationError as exc:
        raise BackupError(
            f"a saved search of the backup is malformed ({_first_line(exc)})"
        ) from None


def _paper(raw: Any, number: int, now: datetime) -> Paper:
    try:
        paper = Paper.model_validate(raw)
    except ValidationError as exc:
        raise BackupError(
            f"paper {number} of the backup is malformed ({_first_line(exc)})"
        ) from None
    if paper_id(paper.title_raw or paper.title) != paper.id:
        raise BackupError(
            f"paper {number} of the backup has an id ({paper.id!r}) that is not its title's"
        )
    latest = now.date() + timedelta(days=2)
    for sighting in paper.sightings:
        if not _HASH.match(sighting.page_hash):
            raise BackupError(f"paper {number} of the backup names a page that is not a hash")
        for day in (sighting.page_date, sighting.published):
            if day is not None and day > latest:
                raise BackupError(f"paper {number} of the backup was seen in the future ({day})")
    if paper.published is not None and paper.published > latest:
        raise BackupError(f"paper {number} of the backup is published in the future")
    return paper


def _entry_id(key: str) -> str:
    if not _ID.match(key):
        raise BackupError(f"the backup has an entry for {key[:40]!r}, which is not a paper id")
    return key


def _entry(key: str, raw: Any, now: datetime) -> UserEntry:
    try:
        entry = UserEntry.model_validate(raw)
    except ValidationError as exc:
        raise BackupError(
            f"the backup's entry for {key} is malformed ({_first_line(exc)})"
        ) from None
    times = [entry.bookmarked_at, entry.read_at, entry.updated_at, entry.queued_at]
    times += entry.changed.values()
    for when in times:
        if when is not None and _aware(when) > now + _CLOCK_SKEW:
            raise BackupError(f"the backup's entry for {key} was changed in the future ({when})")
    return entry


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- restoring the user's entries ------------------------------------------------------


@dataclass
class RestoreSummary:
    """What a restore did to the user's entries."""

    changed: int = 0
    skipped_unknown: int = 0
    notes_kept_both: int = 0


def merge_entry(current: UserEntry | None, incoming: UserEntry) -> UserEntry | None:
    """``current`` with what ``incoming`` (from a backup) changed more recently, or None
    when nothing changes. Per field, the later change wins, except that a restore never
    deletes: tags are added, and a different note is kept beside the current one."""
    if current is None:
        return None if incoming.is_blank() else incoming.model_copy(deep=True)
    merged = current.model_copy(deep=True)

    def newer(name: UserField) -> bool:
        return _aware(incoming.changed_at(name)) > _aware(current.changed_at(name))

    if incoming.bookmarked != current.bookmarked and newer("bookmarked"):
        merged.bookmarked, merged.bookmarked_at = incoming.bookmarked, incoming.bookmarked_at
    if incoming.read != current.read and newer("read"):
        merged.read, merged.read_at = incoming.read, incoming.read_at
    queued_later = _aware(incoming.queued_at or NEVER) > _aware(current.queued_at or NEVER)
    if incoming.queued is not None and current.queued is None and queued_later:
        # placed after the current queue on restore
        merged.queued, merged.queued_at = incoming.queued, incoming.queued_at
    if not set(incoming.tags) <= set(current.tags) and newer("tags"):
        merged.tags = [*current.tags, *incoming.tags]
    note = incoming.note
    if note and note != current.note and note not in current.note:
        if not current.note:
            if newer("note"):
                merged.note = note
        else:  # both have a note: keep both, the later one first
            first, second = (note, current.note) if newer("note") else (current.note, note)
            merged.note = f"{first}\n\n{second}"
    for name in ("bookmarked", "tags", "note", "read"):
        if merged.model_dump(include={name}) != current.model_dump(include={name}):
            merged.changed = {
                **merged.changed,
                name: max(_aware(incoming.changed_at(name)), _aware(current.changed_at(name))),
            }
    if merged == current:
        return None
    times = [t for t in (current.updated_at, incoming.updated_at) if t is not None]
    merged.updated_at = max((_aware(t) for t in times), default=None)
    return merged


def is_note_merge(before: UserEntry | None, after: UserEntry) -> bool:
    """True when a restore kept two notes side by side."""
    return (
        before is not None
        and bool(before.note)
        and after.note != before.note
        and (before.note in after.note)
    )
