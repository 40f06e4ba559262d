"""The library: a facade over the rooms that do the work.

>>> lib = Library.open(Path("/tmp/papers"))
>>> report = lib.import_pages([Path("daily.txt")])
>>> lib.search("diffusion transformer", sort="date").hits[0].paper.title

- :mod:`store.index` opens and reads the Whoosh index, and holds the writers' lock;
- :mod:`store.importer` imports files (parse with no lock, commit all or nothing);
- :mod:`store.rebuild` rebuilds the index from the stored sources;
- :mod:`store.search` is the search policy; :mod:`store.engine` runs queries;
- :mod:`store.user_edits` changes the user's data; :mod:`store.backup` and
  :mod:`store.export` write it out.

Damage policy: a read that fails with an error that means damage (:mod:`store.damage`)
rebuilds the index from the stored sources once, with a notice, and is tried again;
every other error is raised as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO, TypeVar

from .damage import describe_damage, is_damage
from .engine import Engine
from .errors import NotFoundError
from .export import export_papers, write_export, write_papers
from .formats import ExportFormat
from .importer import Importer
from .index import IndexStore, folder_identity
from .listing import Listing
from .models import ImportReport, LibraryInfo, Paper, Results, SortKey, UserEntry
from .paths import LibraryPaths, default_data_dir
from .progress import Progress
from .query import QueryBuilder
from .rebuild import rebuild_index
from .records import paper_from_stored
from .schema import SCHEMA_VERSION
from .search import SearchPolicy, SearchRequest
from .sourcestore import SourceStore
from .user_edits import UserEdits
from .user_fields import filters_for
from .userdata import UserData
from .whoosh_private import segment_count

__all__ = ["Library"]

R = TypeVar("R")
ListSort = Literal["date", "upvotes", "title"]
REPAIR_WAIT_S = 30.0  # how long a damaged read waits for another process's rebuild
_CHUNK = 500


def _check_id(paper_id: object) -> str:
    if not isinstance(paper_id, str):
        raise TypeError(f"a paper id is a string, not {type(paper_id).__name__}")
    return paper_id


class Library:
    """A paperdeck library in one folder. Safe to share between threads and processes.

    Reads never wait for writers; imports and rebuilds take the index lock (waiting up
    to :data:`~store.index.WRITE_LOCK_TIMEOUT_S`); the user's data has its own lock.
    """

    def __init__(self, root: Path) -> None:
        self.paths = LibraryPaths(root)
        self.sources = SourceStore(self.paths.pages_dir)
        self.userdata = UserData(self.paths)
        self.notices: list[str] = []
        self.rebuilt_on_open = False
        self._index = IndexStore(self.paths)
        queries = QueryBuilder(self._index.schema)
        self._engine = Engine(self._index.weighting, cache_dir=self.paths.index_dir)
        self._policy = SearchPolicy(queries, self._engine)
        self._importer = Importer(self._index, self.sources, self.userdata)
        self._edits = UserEdits(self.userdata)

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
        problem = library._index.problem()
        if problem is not None:
            library._repair(problem)
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

    def _repair(self, problem: str) -> None:
        """Make the index usable (found on open): rebuild it, or make a first, empty one,
        unless another process did it while this one waited for the lock."""
        with self._index.locked(timeout=REPAIR_WAIT_S):
            if self._index.problem() is None:
                return
            if self._index.is_new() and not self.sources.count():
                self._index.create_empty()
                return
            self._rebuild_locked(problem)

    def _repair_damage(self, exc: Exception, seen: tuple[int, int] | None) -> None:
        """A read found damage: rebuild, unless another process swapped in a new index
        since (``seen`` is the index folder's identity before the read)."""
        with self._index.locked(timeout=REPAIR_WAIT_S):
            if folder_identity(self.paths.index_dir) != seen:
                self._index.problem()  # rebuilt meanwhile: open the new one
                return
            self._rebuild_locked(f"the index is damaged ({describe_damage(exc)})")

    def _rebuild_locked(self, reason: str) -> None:
        count = rebuild_index(self._index, self.sources, notices=self.notices)
        self.rebuilt_on_open = True
        self.notices.append(
            f"The search index was rebuilt from {self.sources.count()} stored pages "
            f"({count} papers) because {reason}; your bookmarks are untouched."
        )

    def close(self) -> None:
        """Release the searchers and the index."""
        self._index.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------

    def _read(self, read: Callable[[Any], R]) -> R:
        """Run ``read`` on a searcher; on damage, rebuild once and run it again."""
        seen = folder_identity(self.paths.index_dir)
        try:
            with self._index.searcher() as searcher:
                return read(searcher)
        except Exception as exc:
            if not is_damage(exc):
                raise
            self._repair_damage(exc, seen)
        with self._index.searcher() as searcher:
            return read(searcher)  # a second failure is not damage: it is raised

    def count(self) -> int:
        """How many papers the library holds."""
        return self._read(lambda searcher: int(searcher.doc_count()))

    def get(self, paper_id: str) -> Paper:
        """The paper with this id (or a unique prefix of it, at least 4 characters)."""
        paper_id = _check_id(paper_id)

        def read(searcher: Any) -> Paper:
            fields = searcher.document(id=paper_id)
            if fields is None and len(paper_id) >= 4:
                matches = list(searcher.reader().expand_prefix("id", paper_id.lower()))
                if len(matches) > 1:
                    shown = ", ".join(_text(m) for m in matches[:5])
                    raise NotFoundError(
                        f"{paper_id!r} is ambiguous: {len(matches)} papers start with it "
                        f"({shown}{', …' if len(matches) > 5 else ''}); type more"
                    )
                if matches:
                    fields = searcher.document(id=_text(matches[0]))
            if fields is None:
                raise NotFoundError(f"no paper has the id {paper_id!r}")
            return paper_from_stored(fields["data"])

        paper = self._read(read)
        return paper.with_user(self.userdata.get(paper.id))

    def related(self, paper_id: str, limit: int = 8) -> list[Paper]:
        """Papers like this one (Whoosh ``more_like`` over title and abstract), offline."""
        paper = self.get(paper_id)

        def read(searcher: Any) -> list[Paper]:
            docnum = searcher.document_number(id=paper.id)
            if docnum is None:
                return []
            hits = searcher.more_like(
                docnum, "abstract", text=f"{paper.title} {paper.abstract}", top=limit + 1
            )
            return [paper_from_stored(hit["data"]) for hit in hits]

        entries = self.userdata.entries()
        found = self._read(read)
        return [p.with_user(entries.get(p.id)) for p in found if p.id != paper.id][:limit]

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
    ) -> Results:
        """Search the library. Never raises on what the user typed.

        An empty ``text`` lists every paper (newest first unless ``sort`` says otherwise).
        A query that finds nothing is retried with its words as prefixes and fuzzy terms,
        and ``notice`` says so; ``suggestion`` carries a "did you mean" text.
        """
        request = SearchRequest(text, sort, limit, offset, as_you_type, bookmarked, read, tag)
        entries = self.userdata.entries()
        version = self.userdata.revision
        return self._read(lambda s: self._policy.search(s, request, entries, version))

    def listing(
        self,
        sort: ListSort = "date",
        *,
        bookmarked: bool | None = None,
        read: bool | None = None,
        tag: str | None = None,
    ) -> Listing:
        """Every paper (or those passing the filters) in ``sort`` order, read on demand.

        Made for lists of 100,000 papers that draw only the visible rows.
        """
        seen = folder_identity(self.paths.index_dir)
        try:
            listing = self._listing(sort, bookmarked=bookmarked, read=read, tag=tag)
        except Exception as exc:
            if not is_damage(exc):
                raise
            self._repair_damage(exc, seen)
            listing = self._listing(sort, bookmarked=bookmarked, read=read, tag=tag)
        assert listing is not None
        return listing

    def saved_listing(self) -> Listing | None:
        """All papers, newest first, if that order was saved for this index version (a
        file read, not a sort: for showing the library at once); else None."""
        return self._listing("date", bookmarked=None, read=None, tag=None, saved_only=True)

    def _listing(
        self,
        sort: ListSort,
        *,
        bookmarked: bool | None,
        read: bool | None,
        tag: str | None,
        saved_only: bool = False,
    ) -> Listing | None:
        searcher = self._index.open_searcher()
        try:
            reader = searcher.reader()
            ordering = self._engine.orderings.get(reader, sort, saved_only=saved_only)
            if ordering is None:
                searcher.close()
                return None
            ordered: Sequence[int] = ordering.docnums
            if bookmarked is not None or read is not None or tag:
                filters = filters_for(
                    reader, self.userdata.entries(), bookmarked=bookmarked, read=read, tag=tag
                )
                ordered = [d for d in ordered if filters.allows(d)]
        except BaseException:
            searcher.close()
            raise
        return Listing(searcher, ordered, self.userdata)

    def papers(self, sort: ListSort = "date", *, tag: str | None = None) -> Iterator[Paper]:
        """Every paper (with ``tag`` only, if given) in ``sort`` order, read a few hundred
        at a time: memory stays bounded at any library size."""
        listing = self.listing(sort, tag=tag)
        try:
            for start in range(0, len(listing), _CHUNK):
                yield from listing.papers(start, start + _CHUNK)
        finally:
            listing.close()

    def all_papers(self, sort: ListSort = "date") -> list[Paper]:
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

        def read(searcher: Any) -> list[Paper]:
            found = (searcher.document(id=pid) for _, pid in chosen)
            return [paper_from_stored(fields["data"]) for fields in found if fields is not None]

        return [p.with_user(entries[p.id]) for p in self._read(read)]

    def tags(self) -> dict[str, int]:
        """Every tag in use, with how many papers carry it."""
        counts: dict[str, int] = {}
        for entry in self.userdata.entries().values():
            for tag in entry.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items()))

    # -- information and export --------------------------------------------------------

    def info(self) -> LibraryInfo:
        """Paths, counts and index health."""
        entries = self.userdata.entries()
        index_dir = self.paths.index_dir
        index_bytes = (
            sum(f.stat().st_size for f in index_dir.glob("*") if f.is_file())
            if index_dir.is_dir()
            else 0
        )
        not_indexed = len(self.sources.hashes() - self._index.state().sources)
        try:
            papers = self.count()
            ok = True
        except Exception as exc:
            if not is_damage(exc):
                raise
            papers, ok = 0, False
        return LibraryInfo(
            data_dir=str(self.paths.root),
            index_dir=str(index_dir),
            pages_dir=str(self.paths.pages_dir),
            userdata_file=str(self.paths.userdata_file),
            papers=papers,
            pages=self.sources.count(),
            bookmarks=sum(1 for e in entries.values() if e.bookmarked),
            read=sum(1 for e in entries.values() if e.read),
            tagged=sum(1 for e in entries.values() if e.tags),
            index_ok=ok and not_indexed == 0,
            index_segments=segment_count(self._index.ix) if ok else 0,
            index_bytes=index_bytes,
            pages_not_indexed=not_indexed,
            schema_version=SCHEMA_VERSION,
            notices=list(self.notices) + list(self.userdata.notices),
        )

    def _chosen(self, everything: bool, tag: str | None) -> Iterable[Paper]:
        return self.papers(tag=tag) if everything else self.bookmarks(tag=tag)

    def export(
        self, fmt: ExportFormat, *, everything: bool = False, tag: str | None = None
    ) -> tuple[str, int]:
        """The bookmarks (or every paper) in ``fmt`` as text, and how many."""
        papers = list(self._chosen(everything, tag))
        return export_papers(papers, fmt, self.userdata.entries()), len(papers)

    def export_stream(
        self, out: TextIO, fmt: ExportFormat, *, everything: bool = False, tag: str | None = None
    ) -> int:
        """Write the bookmarks (or every paper) to ``out`` as they are read; how many."""
        return write_papers(self._chosen(everything, tag), fmt, out, self.userdata.entries())

    def export_to(
        self,
        path: Path,
        fmt: ExportFormat,
        *,
        everything: bool = False,
        tag: str | None = None,
        force: bool = False,
    ) -> int:
        """Write an export to ``path`` atomically (never overwriting unless ``force``)."""
        papers = self._chosen(everything, tag)
        return write_export(path, papers, fmt, entries=self.userdata.entries(), force=force)


def _text(term: object) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)
