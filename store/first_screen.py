"""The library's first screen, saved: the newest papers as the reader's list shows them.

The reader saves the first rows of its library list (newest first, every paper) with a
stamp of the files they were read from: the index folder and its generation, and the
user's data (bookmarks, read state). At its next start, while that stamp still holds,
it paints those rows at once and opens the library (Whoosh, pydantic, the index) in the
background. Anything changed since (an import, a rebuild, a bookmark set from the
command line) changes the stamp, and the saved rows are not used.

Standard library only: this is what the reader reads before anything heavy is loaded.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .atomic import atomic_write_bytes
from .errors import UnwritableError
from .index_state import SCHEMA_VERSION, STATE_FILE

if TYPE_CHECKING:
    from .library import Library
    from .models import Paper
    from .paths import LibraryPaths

__all__ = [
    "FIRST_SCREEN_ROWS",
    "FirstScreen",
    "ScreenRow",
    "library_stamp",
    "load",
    "save",
    "save_from",
]

FORMAT = "paperdeck-first-screen/1"
FIRST_SCREEN_ROWS = 200  # more than any terminal is tall


@dataclass(frozen=True, slots=True)
class ScreenRow:
    """What the library list draws of a paper (the attribute names are :class:`Paper`'s;
    ``seen`` is the newest page it was seen on, shown when it has no publication date)."""

    id: str
    title: str
    published: date | None
    seen: date | None
    upvotes: int | None
    organization: str | None
    authors_count: int | None
    bookmarked: bool
    read: bool

    @classmethod
    def of(cls, paper: Paper) -> ScreenRow:
        """The row of a paper."""
        seen = None
        if paper.published is None:
            seen = max((s.page_date for s in paper.sightings if s.page_date), default=None)
        return cls(
            paper.id,
            paper.title,
            paper.published,
            seen,
            paper.upvotes,
            paper.organization,
            paper.authors_count,
            paper.bookmarked,
            paper.read,
        )


@dataclass(frozen=True, slots=True)
class FirstScreen:
    """The saved rows and how many papers the library held."""

    rows: tuple[ScreenRow, ...]
    total: int


def library_stamp(paths: LibraryPaths) -> list[Any] | None:
    """What changes whenever the rows could: the index folder's identity (a rebuild
    swaps it), its table-of-contents files (a commit writes a new one), its state file
    (which schema built it), the user data file (written anew on every change) and the
    schema this code builds (a paperdeck that must rebuild the index shows no old rows
    meanwhile). None when the index is missing."""
    try:
        index = os.stat(paths.index_dir)
        tocs = sorted(name for name in os.listdir(paths.index_dir) if name.endswith(".toc"))
    except OSError:
        return None
    state = _file_stamp(paths.index_dir / STATE_FILE)
    return [
        SCHEMA_VERSION,
        [index.st_dev, index.st_ino],
        tocs,
        state,
        _file_stamp(paths.userdata_file),
    ]


def _file_stamp(path: os.PathLike[str]) -> list[int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return [-1]  # unreadable now: never equal to a stamp saved when it was readable
    return [info.st_ino, info.st_size, info.st_mtime_ns]


def load(paths: LibraryPaths) -> FirstScreen | None:
    """The saved first screen if the library is still as it was when it was saved;
    None otherwise (never saved, stale, unreadable or damaged)."""
    try:
        raw = json.loads(paths.first_screen_file.read_bytes())
        if raw.get("format") != FORMAT or raw.get("stamp") != library_stamp(paths):
            return None
        rows = tuple(_row(item) for item in raw["rows"])
        total = raw["total"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(total, int) or total < len(rows) or total == 0:
        return None  # an empty library shows how to fill it, not an empty list
    return FirstScreen(rows, total)


def _row(item: dict[str, Any]) -> ScreenRow:
    """A row read back (TypeError or ValueError for anything of the wrong shape)."""
    row = ScreenRow(**item)
    if not isinstance(row.id, str) or not isinstance(row.title, str):
        raise TypeError("a row's id and title are text")
    for number in (row.upvotes, row.authors_count):
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise TypeError("a row's counts are whole numbers")
    if row.organization is not None and not isinstance(row.organization, str):
        raise TypeError("a row's organisation is text")
    return ScreenRow(
        row.id,
        row.title,
        _date(row.published),
        _date(row.seen),
        row.upvotes,
        row.organization,
        row.authors_count,
        row.bookmarked is True,
        row.read is True,
    )


def _date(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("a row's dates are ISO text")
    return date.fromisoformat(value)


def save(paths: LibraryPaths, stamp: list[Any], screen: FirstScreen) -> bool:
    """Save ``screen``, read while the library's stamp was ``stamp``, unless the library
    changed meanwhile or that screen is saved already. True when written; an unwritable
    folder only costs the next start its head start."""
    if stamp != library_stamp(paths):
        return False  # changed while the rows were read: they may be a mix
    rows = [asdict(row) for row in screen.rows]
    for row in rows:
        for key in ("published", "seen"):
            row[key] = row[key].isoformat() if row[key] else None
    data = {"format": FORMAT, "stamp": stamp, "total": screen.total, "rows": rows}
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        if paths.first_screen_file.read_bytes() == encoded:
            return False
    except OSError:
        pass
    try:
        atomic_write_bytes(paths.first_screen_file, encoded)
    except UnwritableError:
        return False
    return True


def save_from(library: Library, count: int = FIRST_SCREEN_ROWS, *, may_sort: bool = True) -> bool:
    """Save ``library``'s first screen (its ``count`` newest papers) unless it is saved
    already, the library is empty or it changed while the rows were read (``may_sort``
    False: nor when the newest-first order would have to be sorted first). True when
    written."""
    stamp = library_stamp(library.paths)
    if stamp is None or load(library.paths) is not None:
        return False  # no index, or saved and still right
    listing = library.saved_listing()
    if listing is None and may_sort:
        listing = library.listing("published")
    if listing is None:
        return False
    try:
        rows = tuple(ScreenRow.of(paper) for paper in listing.papers(0, count))
        total = len(listing)
    finally:
        listing.close()
    return bool(total) and save(library.paths, stamp, FirstScreen(rows, total))
