"""The library: a facade over the rooms that do the work.

>>> lib = Library.open(Path("/tmp/papers"))
>>> report = lib.import_pages([Path("daily.txt")])
>>> lib.search("diffusion transformer", sort="published").hits[0].paper.title

- :mod:`store.index` opens and reads the Whoosh index, and holds the writers' lock;
- :mod:`store.importer` imports files (parse with no lock, commit all or nothing);
- :mod:`store.rebuild` rebuilds the index from the stored sources;
- :mod:`store.search` is the search policy; :mod:`store.engine` runs queries;
- :mod:`store.user_edits` changes the user's data; :mod:`store.reading_queue` orders
  what to read; :mod:`store.undo_journal` undoes the last changes; :mod:`store.backup` and
  :mod:`store.export` write it out.

Damage policy: a read that fails with an error that means damage (:mod:`store.damage`)
rebuilds the index from the stored sources once, with a notice, and is tried again;
every other error is raised as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

from . import paper_reads, source_admin
from .change_summary import describe
from .engine import Engine
from .fetched import Fetched
from .importer import Importer
from .index import IndexStore
from .library_batch import BatchVerbs
from .library_export import ExportVerbs
from .library_info import library_info
from .library_priority import PriorityVerbs
from .library_saved import SavedSearchVerbs
from .listing import Listing
from .models import ImportReport, LibraryInfo, Paper, Results, SortKey, UserEntry, normal_sort
from .paper_reads import ListSort, check_id
from .paths import LibraryPaths, default_data_dir
from .priority_order import PriorityOrder
from .progress import Progress
from .query import QueryBuilder
from .reading_queue import QueuedPaper, ReadingQueue
from .rebuild import rebuild_index
from .repair import IndexGuard
from .saved_searches import SavedSearches
from .search import SearchPolicy, SearchRequest
from .sourcestore import SourceStore, StoredSource
from .user_edits import UserEdits
from .userdata import UserData

__all__ = ["Library"]

_CHUNK = 500


class Library(SavedSearchVerbs, ExportVerbs, BatchVerbs, PriorityVerbs):
    """A paperdeck library in one folder. Safe to share between threads and processes.

    Reads never wait for writers; imports and rebuilds take the index lock (waiting up
    to :data:`~store.index.WRITE_LOCK_TIMEOUT_S`); the user's data has its own lock.
    """

    def __init__(self, root: Path) -> None:
        self.paths = LibraryPaths(root)
        self.sources = SourceStore(self.paths.pages_dir)
        self.userdata = UserData(self.paths)
        self.saved = SavedSearches(self.paths.searches_file, self.paths.userdata_lock)
        self.notices: list[str] = []
        self._index = IndexStore(self.paths)
        self._guard = IndexGuard(self._index, self.sources, self.notices)
        self._engine = Engine(self._index.weighting, cache_dir=self.paths.index_dir)
        self._policy = SearchPolicy(QueryBuilder(self._index.schema), self._engine)
        self._importer = Importer(self._index, self.sources, self.userdata, self.saved)
        self._edits = UserEdits(self.userdata)
        self._queue = ReadingQueue(self.userdata, self.get, self._indexed)
        self._priority = PriorityOrder(self._policy, self._engine.orderings, self.saved)
        self._engine.custom_orders["priority"] = self._priority_order

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path | str | None = None) -> Library:
        """Open (creating if needed) the library at ``root`` or the default data folder.

        An index that is missing, unreadable or of another schema is rebuilt from the
        stored sources, with a notice in :attr:`notices`. Nothing else is done on open:
        sources left by a killed import are indexed by the next import (or
        :meth:`finish_interrupted`), never by a reader.
        """
        library = cls(Path(root) if root is not None else default_data_dir())
        library.userdata.refresh()  # a damaged file is moved aside now, with a notice
        library._guard.open()
        return library

    @classmethod
    def open_if_ready(cls, root: Path | str | None = None) -> Library | None:
        """Open the library only if that is quick: no rebuild, no repair, no write.

        Returns None when :meth:`open` would have work to do. Made for showing a library
        at once; call :meth:`open` in the background otherwise.
        """
        library = cls(Path(root) if root is not None else default_data_dir())
        # A damaged user-data file is recovered (moved aside, the user told) by open().
        if library.userdata.is_damaged() or library._index.problem() is not None:
            library.close()
            return None
        return library

    def version(self) -> tuple[object, ...]:
        """Changes whenever the index does, in this process or another (an import, a
        rebuild): a reader compares it to pick up papers imported elsewhere."""
        return self._index.version()

    @property
    def rebuilt_on_open(self) -> bool:
        """True when opening (or a read since) had to rebuild the index."""
        return self._guard.rebuilt

    def close(self) -> None:
        """Release the searchers and the index."""
        self._index.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------

    def count(self) -> int:
        """How many papers the library holds."""
        return self._guard.read(lambda searcher: int(searcher.doc_count()))

    def get(self, paper_id: str) -> Paper:
        """The paper with this id (or a unique prefix of it, at least 4 characters)."""
        paper_id = check_id(paper_id)
        paper = self._guard.read(lambda searcher: paper_reads.by_id(searcher, paper_id))
        return paper.with_user(self.userdata.get(paper.id))

    def related(self, paper_id: str, limit: int = 8) -> list[Paper]:
        """Papers like this one (Whoosh ``more_like`` over title and abstract), offline."""
        paper = self.get(paper_id)
        found = self._guard.read(lambda searcher: paper_reads.related(searcher, paper, limit))
        entries = self.userdata.entries()
        return [p.with_user(entries.get(p.id)) for p in found]

    def search(
        self,
        text: str = "",
        *,
        sort: SortKey = "relevance",
        limit: int = 20,
        offset: int = 0,
        as_you_type: bool = False,
        bookmarked: bool | None = None,
        read: bool | None = None,
        tag: str | None = None,
        arrived_after: datetime | None = None,
    ) -> Results:
        """Search the library. Never raises on what the user typed.

        An empty ``text`` lists every paper (newest first unless ``sort`` says otherwise).
        A query that finds nothing is retried with its words as prefixes and fuzzy terms,
        and ``notice`` says so; ``suggestion`` carries a "did you mean" text.
        ``arrived_after`` keeps the papers that first came into the library later.
        """
        request = SearchRequest(
            text, sort, limit, offset, as_you_type, bookmarked, read, tag, arrived_after
        )
        entries, revision = self.userdata.snapshot()
        version: object = revision
        if normal_sort(sort) == "priority":  # its order depends on more than the user data
            version = (version, self._priority.token())
        return self._guard.read(lambda s: self._policy.search(s, request, entries, version))

    def listing(
        self,
        sort: ListSort = "published",
        *,
        bookmarked: bool | None = None,
        read: bool | None = None,
        tag: str | None = None,
        arrived_after: datetime | None = None,
    ) -> Listing:
        """Every paper (or those passing the filters) in ``sort`` order, read on demand.

        Made for lists of 100,000 papers that draw only the visible rows.
        """
        listing = self._guard.guarded(
            lambda: self._listing(
                sort, bookmarked=bookmarked, read=read, tag=tag, arrived=arrived_after
            )
        )
        assert listing is not None
        return listing

    def saved_listing(self) -> Listing | None:
        """All papers, newest first, if that order was saved for this index version (a
        file read, not a sort: for showing the library at once); else None."""
        return self._listing("published", saved_only=True)

    def _listing(self, sort: ListSort, **options: bool | str | datetime | None) -> Listing | None:
        searcher = self._index.open_searcher()
        try:
            made = paper_reads.listing(
                searcher,
                self._engine.orderings,
                self.userdata,
                sort,
                order=self._priority_order(searcher) if sort == "priority" else None,
                **options,  # type: ignore[arg-type]
            )
        except BaseException:
            searcher.close()
            raise
        if made is None:
            searcher.close()
        return made

    def papers(self, sort: ListSort = "published", *, tag: str | None = None) -> Iterator[Paper]:
        """Every paper (with ``tag`` only, if given) in ``sort`` order, read a few hundred
        at a time: memory stays bounded at any library size."""
        listing = self.listing(sort, tag=tag)
        try:
            for start in range(0, len(listing), _CHUNK):
                yield from listing.papers(start, start + _CHUNK)
        finally:
            listing.close()

    def all_papers(self, sort: ListSort = "published") -> list[Paper]:
        """Every paper in the library, in ``sort`` order (a list: see :meth:`papers`)."""
        return list(self.papers(sort))

    # -- importing and rebuilding ------------------------------------------------------

    def import_pages(
        self,
        paths: Iterable[Path | str],
        *,
        year: int | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import saved pages (files or folders of them) and paperdeck JSON backups.

        Every good file is imported even when others fail; each failure is one line in
        the report. The commit is all-or-nothing: an import that is refused or killed
        leaves the library as it was (what a killed one stored is indexed by the next).
        """
        return self._importer.import_paths(paths, year=year, progress=progress)

    def import_text(
        self, text: str, *, name: str = "pasted page", year: int | None = None
    ) -> ImportReport:
        """Import a page given as text (pasted into the app, say)."""
        return self._importer.import_text(text, name=name, year=year)

    def import_fetched(self, answers: Iterable[Fetched]) -> ImportReport:
        """Import the answers of a fetch (:mod:`store.fetch`), all or none, stored like
        imported files (fetching an unchanged day again changes nothing)."""
        return self._importer.import_fetched(answers)

    def finish_interrupted(self, progress: Progress | None = None) -> ImportReport:
        """Index what an import that was killed stored; a notice says so. Cheap (a folder
        listing) when there is nothing to do."""
        report = self._importer.finish_interrupted(progress)
        if report.finished_sources:
            self.notices.append(
                f"An earlier import was interrupted; its {report.finished_sources} stored "
                "pages are now indexed."
            )
        return report

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the index from the stored sources; the user's data is untouched."""
        with self._index.locked():
            return rebuild_index(self._index, self.sources, progress=progress, notices=self.notices)

    def set_page_years(
        self, years: dict[str, int], progress: Progress | None = None
    ) -> list[StoredSource]:
        """Give saved pages (by file name or hash prefix) the year for their dates
        without one, then rebuild the index; nothing else changes."""
        return source_admin.set_page_years(self._index, self.sources, years, progress, self.notices)

    def stored_sources(self) -> list[StoredSource]:
        """Every stored source (page, backup, fetched answer), oldest import first."""
        return list(self.sources.sources())

    def remove_source(self, digest: str, progress: Progress | None = None) -> StoredSource:
        """Forget one stored source (a unique prefix of its hash will do) and rebuild the
        index without it; the user's data is kept."""
        return source_admin.remove_source(self._index, self.sources, digest, progress, self.notices)

    # -- the user's data ---------------------------------------------------------------

    def _edited(self, paper_id: str, edit: Callable[[str], UserEntry]) -> Paper:
        paper = self.get(paper_id)
        return paper.with_user(edit(paper.id))

    def bookmark(
        self, paper_id: str, *, tags: Sequence[str] = (), note: str | None = None
    ) -> Paper:
        """Bookmark a paper, adding ``tags`` and setting ``note`` if given."""
        return self._edited(paper_id, lambda pid: self._edits.bookmark(pid, tags=tags, note=note))

    def unbookmark(self, paper_id: str) -> Paper:
        """Remove the bookmark (tags and note are kept, and come back with it)."""
        return self._edited(paper_id, self._edits.unbookmark)

    def toggle_bookmark(self, paper_id: str) -> Paper:
        """Bookmark an unbookmarked paper, and the other way round."""
        if self.get(paper_id).bookmarked:
            return self.unbookmark(paper_id)
        return self.bookmark(paper_id)

    def set_tags(
        self, paper_id: str, tags: Sequence[str], *, seen: Sequence[str] | None = None
    ) -> Paper:
        """Replace a paper's tags (with ``seen``: apply only what the user changed)."""
        return self._edited(paper_id, lambda pid: self._edits.set_tags(pid, tags, seen=seen))

    def remove_tags(self, paper_id: str, tags: Sequence[str]) -> Paper:
        """Take tags off a paper; its bookmark stays."""
        return self._edited(paper_id, lambda pid: self._edits.remove_tags(pid, tags))

    def set_note(self, paper_id: str, note: str, *, seen: str | None = None) -> Paper:
        """Replace a paper's note (with ``seen``: ConflictError if it changed meanwhile)."""
        return self._edited(paper_id, lambda pid: self._edits.set_note(pid, note, seen=seen))

    def set_read(self, paper_id: str, read: bool = True) -> Paper:
        """Mark a paper read (or unread)."""
        return self._edited(paper_id, lambda pid: self._edits.set_read(pid, read))

    def bookmarks(self, tag: str | None = None) -> list[Paper]:
        """Bookmarked papers, most recently bookmarked first, optionally with one tag."""
        entries = self.userdata.entries()
        wanted = tag.strip().lower() if tag else None
        chosen = sorted(
            (
                (entry.bookmarked_at.isoformat() if entry.bookmarked_at else "", pid)
                for pid, entry in entries.items()
                if entry.bookmarked and (wanted is None or wanted in entry.tags)
            ),
            reverse=True,
        )
        found = self._guard.read(lambda s: paper_reads.by_ids(s, (pid for _, pid in chosen)))
        return [p.with_user(entries[p.id]) for p in found]

    def _indexed(self, ids: list[str]) -> list[Paper]:
        return self._guard.read(lambda s: paper_reads.by_ids(s, ids)) if ids else []

    def queue(self) -> list[QueuedPaper]:
        """The reading queue in order (a paper the index lost is there, as missing)."""
        return self._queue.papers()

    def queue_add(self, paper_ids: Sequence[str], *, front: bool = False) -> list[Paper]:
        """Queue papers at the end (or the front); a queued paper is queued once."""
        return self._queue.add(paper_ids, front=front)

    def queue_remove(self, paper_ids: Sequence[str]) -> list[str]:
        """Take papers out of the queue; the ids left, in order."""
        return self._queue.remove(paper_ids)

    def queue_move(self, paper_id: str, offset: int) -> int:
        """Move a queued paper ``offset`` places later (negative: earlier); its place."""
        return self._queue.move(paper_id, offset)

    def queue_move_to(self, paper_id: str, position: int) -> int:
        """Put a queued paper at ``position`` (0 is first); its place."""
        return self._queue.move_to(paper_id, position)

    def queue_next(self) -> Paper | None:
        """The first paper in the queue not marked read, if any."""
        return self._queue.next_unread()

    def undo(self) -> str:
        """Undo the last change to the user's data (byte for byte); what it was."""
        return describe(self.userdata.undo(), self._title_of)

    def _title_of(self, paper_id: str) -> str | None:
        found = self._indexed([paper_id])
        return found[0].title if found else None

    def tags(self) -> dict[str, int]:
        """Every tag in use, with how many papers carry it."""
        counts: dict[str, int] = {}
        for entry in self.userdata.entries().values():
            for tag in entry.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items()))

    # -- information --------------------------------------------------------------------

    def info(self) -> LibraryInfo:
        """Paths, counts and index health."""
        return library_info(self._index, self.sources, self.userdata, self.count, self.notices)
