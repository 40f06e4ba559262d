"""The library: stored pages, the Whoosh index derived from them, and the user's data.

>>> lib = Library.open(Path("/tmp/papers"))
>>> report = lib.import_pages([Path("daily.txt")])
>>> lib.search("diffusion transformer", sort="date").hits[0].paper.title
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

from whoosh import query as wq
from whoosh.index import LockError
from whoosh.reading import TermNotFound

from . import storage
from .atomic import atomic_write_text, describe_os_error
from .engine import Engine, Filters, Page
from .errors import LibraryBusyError, NotFoundError, PageError, StoreError, UnwritableError
from .export import BACKUP_FORMAT, ExportFormat, export_papers, write_export
from .highlight import Highlighter, best_fragment
from .listing import Listing
from .models import (
    FileProblem,
    ImportReport,
    LibraryInfo,
    Paper,
    Results,
    SearchHit,
    SortKey,
    UserEntry,
)
from .pages import decode_page, parse_page
from .pagestore import PageStore, SourceKind, StoredSource, content_hash
from .paths import LibraryPaths, default_data_dir
from .query import ParsedQuery, QueryBuilder
from .records import (
    Observation,
    merge,
    observations_from_page,
    paper_from_stored,
    to_document,
    user_state,
)
from .schema import SCHEMA_VERSION, build_schema
from .userdata import UserData

__all__ = ["ImportProgress", "Library"]

P = ParamSpec("P")
R = TypeVar("R")


def _repairs_index(
    method: Callable[Concatenate[Library, P], R],
) -> Callable[Concatenate[Library, P], R]:
    """Rebuild a damaged index from the stored pages, with a notice, and try once more.

    A truncated or garbled segment can open fine and fail only when a query reads it.
    """

    def wrapper(self: Library, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            self._rebuild(f"the index is damaged ({type(exc).__name__})")
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


WRITE_LOCK_TIMEOUT_S = 5.0
_SCHEMA_FILE = "paperdeck-schema"
_USER_SYNC_FILE = "paperdeck-userdata-revision"
_SOURCES_FILE = "paperdeck-sources"

ImportProgress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, file name)`` while an import runs."""


class Library:
    """A paperdeck library in one folder. Safe to share between processes.

    Reads never block; writes to the index take Whoosh's write lock (waiting up to
    :data:`WRITE_LOCK_TIMEOUT_S`), writes to the user's data take their own lock.
    """

    def __init__(self, root: Path) -> None:
        self.paths = LibraryPaths(root)
        self.pages = PageStore(self.paths.pages_dir)
        self.userdata = UserData(self.paths)
        self.notices: list[str] = []
        self._schema = build_schema()
        self._queries = QueryBuilder(self._schema)
        self._highlighter = Highlighter(self._queries.index_form)
        self._engine = Engine(cache_dir=self.paths.index_dir)
        self._ix: Any = None
        self._searcher: Any = None
        self._lock = threading.RLock()
        self.rebuilt_on_open = False

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path | str | None = None) -> Library:
        """Open (creating if needed) the library at ``root`` or the default data folder.

        An index that is missing, unreadable or of an older schema is rebuilt from the
        stored pages, with a notice in :attr:`notices`.
        """
        library = cls(Path(root) if root is not None else default_data_dir())
        library._open_index()
        return library

    @classmethod
    def open_if_ready(cls, root: Path | str | None = None) -> Library | None:
        """Open the library only if that is quick: no rebuild, no repair, no write.

        Returns None when :meth:`open` would have work to do (a new, damaged or outdated
        index, an interrupted import, user data the index has not caught up with). Made
        for showing a library at once; call :meth:`open` in the background otherwise.
        """
        library = cls(Path(root) if root is not None else default_data_dir())
        try:
            # A damaged user-data file is recovered (moved aside, the user told) by open().
            ready = not library.userdata.is_damaged() and library._open_index(repair=False)
        except Exception:
            ready = False
        if not ready:
            library.close()
            return None
        return library

    def _open_index(self, *, repair: bool = True) -> bool:
        """Open the index, rebuilding or repairing it if ``repair``; False if it needed
        work and ``repair`` was off."""
        index_dir = self.paths.index_dir
        problem: str | None = None
        if not storage.exists(index_dir):
            if not repair:
                return False
            problem = None if not self.pages.count() else "the index is missing"
            if problem is None:
                self._create_index()
                return True
        elif self._stored_schema_version() != SCHEMA_VERSION:
            problem = "the index was made by another version of paperdeck"
        else:
            try:
                ix = storage.open_index(index_dir, self._schema)
                with ix.searcher() as searcher:
                    searcher.doc_count()
                self._ix = ix
            except Exception as exc:
                problem = f"the index is unreadable ({type(exc).__name__})"
        if not repair:
            return problem is None and not self._needs_repair()
        if problem is not None:
            self._rebuild(problem)
            self.rebuilt_on_open = True
        else:
            self._complete_interrupted_import()
        self._sync_user_fields(quiet=True)
        return True

    def _needs_repair(self) -> bool:
        """True when an import was interrupted or the index lags the user's data."""
        try:
            recorded = (self.paths.index_dir / _SOURCES_FILE).read_text().split()
            synced = int((self.paths.index_dir / _USER_SYNC_FILE).read_text().strip())
        except (OSError, ValueError):
            return True
        self.userdata.refresh()
        if synced != self.userdata.revision:
            return True
        # The pages folder unchanged since the last commit: nothing stored unindexed.
        if len(recorded) == 2 and recorded[1] == str(self.pages.stamp()):
            return False
        return not recorded or recorded[0] != str(self.pages.count())

    def _complete_interrupted_import(self) -> None:
        """Index pages that were stored but never committed (an import was killed).

        Cheap when there is nothing to do: the number of stored sources is compared with
        the number recorded at the last commit.
        """
        stored = self.pages.count()
        try:
            recorded = int((self.paths.index_dir / _SOURCES_FILE).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            recorded = -1
        if stored == recorded or stored == 0:
            return
        with self._reading() as searcher:
            reader = searcher.reader()
            missing = [
                source
                for source in self.pages.sources()
                if source.kind == "backup" or reader.doc_frequency("pages", source.hash) == 0
            ]
        if not missing:
            self._record_sources()
            return
        batch: dict[str, Paper] = {}
        with self._reading() as searcher:
            reader = searcher.reader()
            for source in missing:
                for observation in self._observations_of(source):
                    current = batch.get(observation.paper_id) or self._stored_paper(
                        reader, observation.paper_id
                    )
                    batch[observation.paper_id] = merge(current, observation)
        try:
            self._commit(batch.values())
        except (LibraryBusyError, UnwritableError):
            return  # another process is writing; it or the next open finishes the job
        pages = sum(1 for source in missing if source.kind == "page")
        if pages:
            self.notices.append(
                f"An earlier import was interrupted; its {pages} stored pages are now indexed."
            )

    def _record_sources(self) -> None:
        """Remember how many sources the index holds, to notice an interrupted import."""
        with contextlib.suppress(UnwritableError):
            self._write_marker(_SOURCES_FILE, f"{self.pages.count()} {self.pages.stamp()}")

    def _create_index(self) -> None:
        try:
            self.paths.index_dir.mkdir(parents=True, exist_ok=True)
            self._ix = storage.create_index(self.paths.index_dir, self._schema)
            self._write_marker(_SCHEMA_FILE, str(SCHEMA_VERSION))
        except OSError as exc:
            raise UnwritableError(describe_os_error(exc, self.paths.index_dir)) from None

    def _stored_schema_version(self) -> int | None:
        try:
            return int((self.paths.index_dir / _SCHEMA_FILE).read_text().strip())
        except (OSError, ValueError):
            return None

    def _write_marker(self, name: str, value: str) -> None:
        atomic_write_text(self.paths.index_dir / name, value + "\n")

    def close(self) -> None:
        """Release the searcher and the index."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:
        """A searcher on the newest committed index (reused while nothing changed)."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self._ix.searcher(weighting=self._engine.weighting)
            elif not self._searcher_is_current():
                # Not Searcher.refresh(): it reuses segment readers and misses deletions
                # made since, so an updated paper would be found twice.
                self._searcher.close()
                self._searcher = self._ix.searcher(weighting=self._engine.weighting)
            yield self._searcher

    def _searcher_is_current(self) -> bool:
        try:
            return bool(self._searcher.up_to_date())
        except Exception:
            return False

    @_repairs_index
    def count(self) -> int:
        """How many papers the library holds."""
        with self._reading() as searcher:
            return int(searcher.doc_count())

    @_repairs_index
    def get(self, paper_id: str) -> Paper:
        """The paper with this id (or a unique prefix of it, at least 4 characters)."""
        with self._reading() as searcher:
            fields = searcher.document(id=paper_id)
            if fields is None and len(paper_id) >= 4:
                matches = list(searcher.reader().expand_prefix("id", paper_id.lower()))
                if len(matches) == 1:
                    term = matches[0]
                    fields = searcher.document(
                        id=term.decode() if isinstance(term, bytes) else term
                    )
                elif len(matches) > 1:
                    raise NotFoundError(f"{paper_id!r} matches {len(matches)} papers; type more")
            if fields is None:
                raise NotFoundError(f"no paper has the id {paper_id!r}")
            paper, _ = paper_from_stored(fields["data"])
        return paper.with_user(self.userdata.get(paper.id))

    @_repairs_index
    def related(self, paper_id: str, limit: int = 8) -> list[Paper]:
        """Papers like this one (Whoosh ``more_like`` over title and abstract), offline."""
        paper = self.get(paper_id)
        with self._reading() as searcher:
            docnum = searcher.document_number(id=paper.id)
            if docnum is None:
                return []
            hits = searcher.more_like(
                docnum, "abstract", text=f"{paper.title} {paper.abstract}", top=limit
            )
            found = [paper_from_stored(hit["data"])[0] for hit in hits]
        entries = self.userdata.entries()
        return [p.with_user(entries.get(p.id)) for p in found if p.id != paper.id][:limit]

    @_repairs_index
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
        started = time.perf_counter()
        limit = max(1, min(limit, 10_000))
        offset = max(0, offset)
        with self._reading() as searcher:
            reader = searcher.reader()
            parsed = self._queries.build(text, reader, as_you_type=as_you_type)
            notice = None
            if parsed.fell_back:
                notice = "The query's syntax was not understood; searched for its plain words."
            if parsed.is_everything and sort == "relevance":
                sort = "date"
            filters = self._filters(reader, bookmarked=bookmarked, read=read, tag=tag)
            page = self._engine.run(
                searcher, parsed.query, sort=sort, offset=offset, limit=limit, filters=filters
            )
            exact_total = page.total
            if page.total == 0 and parsed.words and not parsed.is_everything:
                loose = self._queries.loosen(parsed.words, reader, parsed.prefix_word)
                page = self._engine.run(
                    searcher, loose, sort=sort, offset=offset, limit=limit, filters=filters
                )
                if page.total:
                    notice = (
                        f"No exact matches for {parsed.text!r}; showing prefix and "
                        "near-spelling matches."
                    )
            if page.broad and notice is None:
                notice = (
                    "A broad query: the best title matches come first, then the other "
                    "matches, newest first. More words rank more precisely."
                )
            suggestion = None
            if exact_total < 3 and parsed.words:
                # The word being typed is only a prefix; judge it only if nothing matched.
                unfinished = parsed.prefix_word is not None and exact_total > 0
                words = parsed.words[:-1] if unfinished else parsed.words
                suggestion = self._queries.suggest(words, reader, parsed.prefix_word)
            hits = self._hits(reader, page, parsed)
        return Results(
            query=text,
            total=page.total,
            total_exact=page.exact,
            offset=offset,
            hits=hits,
            sort=sort,
            notice=notice,
            suggestion=suggestion,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    @_repairs_index
    def listing(
        self,
        sort: Literal["date", "upvotes", "title"] = "date",
        *,
        bookmarked: bool | None = None,
        read: bool | None = None,
        tag: str | None = None,
    ) -> Listing:
        """Every paper (or those passing the filters) in ``sort`` order, read on demand.

        Made for lists of 100,000 papers that draw only the visible rows.
        """
        listing = self._listing(sort, bookmarked=bookmarked, read=read, tag=tag, saved_only=False)
        assert listing is not None
        return listing

    def saved_listing(self) -> Listing | None:
        """All papers, newest first, if that order was saved for this index version (a
        file read, not a sort: for showing the library at once); else None."""
        return self._listing("date", bookmarked=None, read=None, tag=None, saved_only=True)

    def _listing(
        self,
        sort: Literal["date", "upvotes", "title"],
        *,
        bookmarked: bool | None,
        read: bool | None,
        tag: str | None,
        saved_only: bool,
    ) -> Listing | None:
        searcher = self._ix.searcher(weighting=self._engine.weighting)
        try:
            ordering = self._engine.ordering(searcher, sort, saved_only=saved_only)
            if ordering is None:
                searcher.close()
                return None
            ordered = ordering.docnums
            filters = self._filters(searcher.reader(), bookmarked=bookmarked, read=read, tag=tag)
            if filters.active:
                ordered = [d for d in ordered if filters.allows(d)]
        except BaseException:
            searcher.close()
            raise
        return Listing(searcher, ordered, self.userdata)

    def _filters(
        self, reader: Any, *, bookmarked: bool | None, read: bool | None, tag: str | None
    ) -> Filters:
        """Docnum filters from the user's data (the truth, even if the index lags)."""
        filters = Filters()
        if bookmarked is None and read is None and not tag:
            return filters
        entries = self.userdata.entries()

        def docnums(wanted: Callable[[UserEntry], bool]) -> set[int]:
            found = (_first_id(reader, pid) for pid, e in entries.items() if wanted(e))
            return {d for d in found if d is not None}

        includes: list[set[int]] = []
        if bookmarked is not None:
            marked = docnums(lambda e: e.bookmarked)
            if bookmarked:
                includes.append(marked)
            else:
                filters.exclude.update(marked)
        if read is not None:
            seen = docnums(lambda e: e.read)
            if read:
                includes.append(seen)
            else:
                filters.exclude.update(seen)
        if tag:
            wanted_tag = tag.strip().lower()
            includes.append(docnums(lambda e: wanted_tag in e.tags))
        if includes:
            filters.include = set.intersection(*includes)
        return filters

    def _hits(self, reader: Any, page: Page, parsed: ParsedQuery) -> list[SearchHit]:
        entries = self.userdata.entries()
        words: set[str] = set()
        prefixes: set[str] = set()
        for fieldname, term in _query_terms(parsed.query):
            if fieldname in ("title", "abstract"):
                words.add(term)
            elif fieldname == "title_prefix":
                prefixes.add(term)
        hits: list[SearchHit] = []
        for docnum, score in zip(page.docnums, page.scores, strict=True):
            paper, _ = paper_from_stored(reader.stored_fields(docnum)["data"])
            paper = paper.with_user(entries.get(paper.id))
            abstract_spans = self._highlighter.spans(paper.abstract, words)
            fragment, fragment_spans = best_fragment(paper.abstract, abstract_spans)
            hits.append(
                SearchHit(
                    paper=paper,
                    score=score,
                    title_spans=self._highlighter.spans(paper.title, words, prefixes),
                    fragment=fragment,
                    fragment_spans=fragment_spans,
                )
            )
        return hits

    # -- importing ---------------------------------------------------------------------

    def import_pages(
        self,
        paths: Iterable[Path | str],
        *,
        year: int | None = None,
        progress: ImportProgress | None = None,
    ) -> ImportReport:
        """Import saved pages (files or folders of them) and paperdeck JSON backups.

        Every good file is imported even when others fail; each failure is one line in
        the report. The index commit is all-or-nothing: a killed import leaves the
        library as it was, and running it again completes it.
        """
        report = ImportReport()
        files = list(_expand(paths, report))
        batch: dict[str, Paper] = {}
        sources: list[str] = []
        restored: dict[str, UserEntry] = {}
        with self._reading() as searcher:
            reader = searcher.reader()
            for done, path in enumerate(files, start=1):
                if progress:
                    progress(done - 1, len(files), path.name)
                self._import_file(path, year, reader, batch, sources, restored, report)
            if progress:
                progress(len(files), len(files), "")
            existing_ids = {pid for pid in batch if searcher.document_number(id=pid) is not None}
        if restored:
            report.restored_entries = self._restore_entries(restored)
        if batch:
            self._commit_import(batch.values(), sources)
            report.new_papers = len(batch) - len(existing_ids)
            report.updated_papers = len(existing_ids)
        elif restored:
            self._sync_user_fields(quiet=True)
        return report

    def import_text(
        self, text: str, *, name: str = "pasted page", year: int | None = None
    ) -> ImportReport:
        """Import a page given as text (pasted into the app, say)."""
        report = ImportReport()
        data = text.encode("utf-8")
        batch: dict[str, Paper] = {}
        sources: list[str] = []
        with self._reading() as searcher:
            reader = searcher.reader()
            self._import_bytes(
                data, name, year, datetime.now(UTC).year, reader, batch, sources, {}, report
            )
            existing_before = {pid for pid in batch if searcher.document_number(id=pid) is not None}
        if batch:
            self._commit_import(batch.values(), sources)
            report.new_papers = len(batch) - len(existing_before)
            report.updated_papers = len(existing_before)
        return report

    def _import_file(
        self,
        path: Path,
        year: int | None,
        reader: Any,
        batch: dict[str, Paper],
        sources: list[str],
        restored: dict[str, UserEntry],
        report: ImportReport,
    ) -> None:
        try:
            data = path.read_bytes()
            mtime_year = datetime.fromtimestamp(path.stat().st_mtime, UTC).year
        except OSError as exc:
            report.failures.append(FileProblem(path=str(path), message=_os_message(exc)))
            return
        self._import_bytes(
            data,
            path.name,
            year,
            mtime_year,
            reader,
            batch,
            sources,
            restored,
            report,
            shown=str(path),
        )

    def _import_bytes(
        self,
        data: bytes,
        name: str,
        year: int | None,
        fallback_year: int,
        reader: Any,
        batch: dict[str, Paper],
        sources: list[str],
        restored: dict[str, UserEntry],
        report: ImportReport,
        shown: str | None = None,
    ) -> None:
        shown = shown or name
        digest = content_hash(data)
        if digest in sources:
            report.pages_unchanged += 1
            return
        try:
            kind: SourceKind = "backup" if _looks_like_backup(data) else "page"
            if kind == "backup":
                observations, entries = _parse_backup(data, digest)
                restored.update(entries)
                warnings: list[str] = []
            else:
                page = parse_page(decode_page(data), year=year, fallback_year=fallback_year)
                observations = observations_from_page(page, name, digest)
                warnings = page.warnings
        except StoreError as exc:
            report.failures.append(FileProblem(path=shown, message=str(exc)))
            return
        except Exception as exc:  # a parser bug must not stop the other files
            report.failures.append(
                FileProblem(path=shown, message=f"could not be read ({type(exc).__name__}: {exc})")
            )
            return
        sources.append(digest)
        already = self.pages.has(digest) and reader.doc_frequency("pages", digest) > 0
        if already and kind == "page":
            report.pages_unchanged += 1
            return
        try:
            self.pages.save(data, name=name, kind=kind, year=year, fallback_year=fallback_year)
        except UnwritableError as exc:
            report.failures.append(FileProblem(path=shown, message=f"not stored: {exc}"))
            return
        report.pages += 1
        report.papers_seen += len(observations)
        report.warnings.extend(FileProblem(path=shown, message=w) for w in warnings)
        self._merge_into(batch, observations, reader)

    def _merge_into(
        self, batch: dict[str, Paper], observations: list[Observation], reader: Any
    ) -> None:
        for observation in observations:
            current = batch.get(observation.paper_id)
            if current is None:
                current = self._stored_paper(reader, observation.paper_id)
            batch[observation.paper_id] = merge(current, observation)

    @staticmethod
    def _stored_paper(reader: Any, paper_id: str) -> Paper | None:
        docnum = _first_id(reader, paper_id)
        if docnum is None:
            return None
        return paper_from_stored(reader.stored_fields(docnum)["data"])[0]

    def _commit_import(self, papers: Iterable[Paper], sources: Sequence[str]) -> None:
        """Commit an import's papers; if the index cannot be written (a full disk, a
        read-only folder), the pages this import stored are removed again, so the
        library is exactly as before and the disk space is given back."""
        try:
            self._commit(papers)
        except UnwritableError:
            with self._reading() as searcher:
                reader = searcher.reader()
                unindexed = [d for d in sources if reader.doc_frequency("pages", d) == 0]
            for digest in unindexed:
                self.pages.remove(digest)
            raise

    def _commit(self, papers: Iterable[Paper]) -> None:
        entries = self.userdata.entries()
        with self._writing() as writer:
            for paper in papers:
                writer.update_document(**to_document(paper, entries.get(paper.id)))
        self._record_sources()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Any]:
        try:
            writer = storage.open_writer(self._ix, timeout=WRITE_LOCK_TIMEOUT_S, delay=0.05)
        except LockError:
            raise LibraryBusyError(
                "another paperdeck is writing to this library (import or reindex); "
                "wait for it to finish and try again"
            ) from None
        except OSError as exc:
            raise UnwritableError(describe_os_error(exc, self.paths.index_dir)) from None
        try:
            yield writer
        except BaseException as exc:
            storage.abandon(self._ix, writer)
            if isinstance(exc, OSError):
                raise UnwritableError(describe_os_error(exc, self.paths.index_dir)) from None
            raise
        else:
            try:
                writer.commit()
            except OSError as exc:
                storage.abandon(self._ix, writer)
                raise UnwritableError(describe_os_error(exc, self.paths.index_dir)) from None

    # -- the user's data ---------------------------------------------------------------

    def _change_user(self, paper_id: str, change: Callable[[UserEntry], None]) -> Paper:
        paper = self.get(paper_id)

        def apply(entries: dict[str, UserEntry]) -> None:
            entry = entries.setdefault(paper.id, UserEntry())
            change(entry)
            entry.updated_at = datetime.now(UTC)

        self.userdata.update(apply)
        self._sync_user_fields(quiet=True)
        return paper.with_user(self.userdata.get(paper.id))

    def bookmark(
        self, paper_id: str, *, tags: Sequence[str] = (), note: str | None = None
    ) -> Paper:
        """Bookmark a paper, adding ``tags`` and setting ``note`` if given."""

        def change(entry: UserEntry) -> None:
            if not entry.bookmarked:
                entry.bookmarked = True
                entry.bookmarked_at = datetime.now(UTC)
            entry.tags = [*entry.tags, *tags]  # cleaned and deduplicated by UserEntry
            if note is not None:
                entry.note = note

        return self._change_user(paper_id, change)

    def unbookmark(self, paper_id: str) -> Paper:
        """Remove the bookmark (tags and note are kept, and come back with it)."""

        def change(entry: UserEntry) -> None:
            entry.bookmarked = False
            entry.bookmarked_at = None

        return self._change_user(paper_id, change)

    def toggle_bookmark(self, paper_id: str) -> Paper:
        """Bookmark an unbookmarked paper, and the other way round."""
        if self.get(paper_id).bookmarked:
            return self.unbookmark(paper_id)
        return self.bookmark(paper_id)

    def set_tags(self, paper_id: str, tags: Sequence[str]) -> Paper:
        """Replace a paper's tags."""

        def change(entry: UserEntry) -> None:
            entry.tags = list(tags)

        return self._change_user(paper_id, change)

    def set_note(self, paper_id: str, note: str) -> Paper:
        """Replace a paper's note."""

        def change(entry: UserEntry) -> None:
            entry.note = note

        return self._change_user(paper_id, change)

    def set_read(self, paper_id: str, read: bool = True) -> Paper:
        """Mark a paper read (or unread)."""

        def change(entry: UserEntry) -> None:
            entry.read = read
            entry.read_at = datetime.now(UTC) if read else None

        return self._change_user(paper_id, change)

    @_repairs_index
    def bookmarks(self, tag: str | None = None) -> list[Paper]:
        """Bookmarked papers, most recently bookmarked first, optionally with one tag."""
        entries = self.userdata.entries()
        wanted = tag.strip().lower() if tag else None
        chosen = [
            (entry.bookmarked_at or datetime.min.replace(tzinfo=UTC), pid)
            for pid, entry in entries.items()
            if entry.bookmarked and (wanted is None or wanted in entry.tags)
        ]
        papers: list[Paper] = []
        with self._reading() as searcher:
            for _, pid in sorted(chosen, reverse=True):
                fields = searcher.document(id=pid)
                if fields is not None:
                    paper, _ = paper_from_stored(fields["data"])
                    papers.append(paper.with_user(entries[pid]))
        return papers

    def tags(self) -> dict[str, int]:
        """Every tag in use, with how many papers carry it."""
        counts: dict[str, int] = {}
        for entry in self.userdata.entries().values():
            for tag in entry.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items()))

    def _restore_entries(self, restored: dict[str, UserEntry]) -> int:
        def apply(entries: dict[str, UserEntry]) -> int:
            changed = 0
            for pid, incoming in restored.items():
                current = entries.get(pid)
                if current is None or (incoming.updated_at or datetime.min.replace(tzinfo=UTC)) > (
                    current.updated_at or datetime.min.replace(tzinfo=UTC)
                ):
                    entries[pid] = incoming
                    changed += 1
                elif current != incoming:
                    current.tags = [*current.tags, *incoming.tags]
                    current.bookmarked = current.bookmarked or incoming.bookmarked
                    current.read = current.read or incoming.read
                    current.note = current.note or incoming.note
                    changed += 1
            return changed

        return self.userdata.update(apply)

    def _sync_user_fields(self, *, quiet: bool) -> None:
        """Bring the index's bookmarked/read/tags fields in line with the user's data.

        The user's data is the truth; the index copy only serves queries such as
        ``tag:survey``. If another process holds the write lock, this is tried again on
        the next write or open.
        """
        self.userdata.refresh()
        revision = self.userdata.revision
        marker = self.paths.index_dir / _USER_SYNC_FILE
        try:
            synced = int(marker.read_text().strip())
        except (OSError, ValueError):
            synced = -1
        if synced == revision:
            return
        entries = self.userdata.entries()
        try:
            with self._reading() as searcher:
                reader = searcher.reader()
                stale: list[Paper] = []
                candidates = set(entries)
                for fieldname in ("bookmarked", "read"):
                    candidates.update(
                        reader.stored_fields(d)["id"]
                        for d in searcher.docs_for_query(wq.Term(fieldname, True))
                    )
                candidates.update(
                    reader.stored_fields(d)["id"] for d in searcher.docs_for_query(wq.Every("tags"))
                )
                for pid in candidates:
                    docnum = _first_id(reader, pid)
                    if docnum is None:
                        continue
                    paper, indexed = paper_from_stored(reader.stored_fields(docnum)["data"])
                    if indexed != user_state(entries.get(pid)):
                        stale.append(paper)
            if stale:
                self._commit(stale)
            self._write_marker(_USER_SYNC_FILE, str(revision))
        except (LibraryBusyError, UnwritableError):
            if not quiet:
                raise

    # -- maintenance -------------------------------------------------------------------

    def reindex(self) -> int:
        """Rebuild the index from the stored pages; the user's data is untouched."""
        self._rebuild(None)
        return self.count()

    def _rebuild(self, reason: str | None) -> None:
        """Build a fresh index beside the old one from the stored sources, then swap."""
        root = self.paths.root
        fresh = root / f"index.rebuild-{int(time.time() * 1000)}"
        try:
            fresh.mkdir(parents=True)
            ix = storage.create_index(fresh, self._schema)
            papers: dict[str, Paper] = {}
            for source in self.pages.sources():
                for observation in self._observations_of(source):
                    papers[observation.paper_id] = merge(
                        papers.get(observation.paper_id), observation
                    )
            entries = self.userdata.entries()
            writer = storage.open_writer(ix, limitmb=256)
            for paper in papers.values():
                writer.add_document(**to_document(paper, entries.get(paper.id)))
            writer.commit()
            ix.close()
            atomic_write_text(fresh / _SCHEMA_FILE, str(SCHEMA_VERSION) + "\n")
            atomic_write_text(fresh / _USER_SYNC_FILE, str(self.userdata.revision) + "\n")
            atomic_write_text(fresh / _SOURCES_FILE, f"{self.pages.count()} {self.pages.stamp()}\n")
            self.close()
            old = root / f"index.old-{int(time.time() * 1000)}"
            if self.paths.index_dir.exists():
                self.paths.index_dir.rename(old)
            fresh.rename(self.paths.index_dir)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            shutil.rmtree(fresh, ignore_errors=True)
            raise UnwritableError(describe_os_error(exc, fresh)) from None
        self._ix = storage.open_index(self.paths.index_dir, self._schema)
        if reason:
            self.notices.append(
                f"The search index was rebuilt from {self.pages.count()} stored pages "
                f"because {reason}; your bookmarks are untouched."
            )

    def _observations_of(self, source: StoredSource) -> list[Observation]:
        try:
            data = self.pages.read(source.hash)
            if source.kind == "backup":
                return _parse_backup(data, source.hash)[0]
            page = parse_page(
                decode_page(data), year=source.year, fallback_year=source.fallback_year
            )
        except (OSError, StoreError, ValueError) as exc:
            self.notices.append(f"Stored page {source.name} could not be read again: {exc}")
            return []
        return observations_from_page(page, source.name, source.hash)

    def info(self) -> LibraryInfo:
        """Paths, counts and index health."""
        entries = self.userdata.entries()
        index_bytes = (
            sum(f.stat().st_size for f in self.paths.index_dir.glob("*") if f.is_file())
            if self.paths.index_dir.is_dir()
            else 0
        )
        ok = True
        segments = 0
        not_indexed = 0
        papers = 0
        try:
            with self._reading() as searcher:
                reader = searcher.reader()
                papers = int(searcher.doc_count())
                segments = len(self._ix._segments()) if hasattr(self._ix, "_segments") else 0
                for source in self.pages.sources():
                    if source.kind == "page" and reader.doc_frequency("pages", source.hash) == 0:
                        not_indexed += 1
        except Exception:
            ok = False
        return LibraryInfo(
            data_dir=str(self.paths.root),
            index_dir=str(self.paths.index_dir),
            pages_dir=str(self.paths.pages_dir),
            userdata_file=str(self.paths.userdata_file),
            papers=papers,
            pages=self.pages.count(),
            bookmarks=sum(1 for e in entries.values() if e.bookmarked),
            read=sum(1 for e in entries.values() if e.read),
            tagged=sum(1 for e in entries.values() if e.tags),
            index_ok=ok and not_indexed == 0,
            index_segments=segments,
            index_bytes=index_bytes,
            pages_not_indexed=not_indexed,
            schema_version=SCHEMA_VERSION,
            notices=list(self.notices) + list(self.userdata.notices),
        )

    # -- export ----------------------------------------------------------------------

    def all_papers(self, sort: SortKey = "date") -> list[Paper]:
        """Every paper in the library, in ``sort`` order."""
        total = max(1, self.count())
        return [hit.paper for hit in self.search("", sort=sort, limit=total).hits]

    def export(
        self, fmt: ExportFormat, *, everything: bool = False, tag: str | None = None
    ) -> tuple[str, int]:
        """Render the bookmarks (or every paper) in ``fmt``; returns the text and the count."""
        papers = self.all_papers() if everything else self.bookmarks(tag=tag)
        if everything and tag:
            wanted = tag.strip().lower()
            papers = [p for p in papers if wanted in p.tags]
        return export_papers(papers, fmt, self.userdata.entries()), len(papers)

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
        text, count = self.export(fmt, everything=everything, tag=tag)
        write_export(path, text, force=force)
        return count


def _query_terms(query: wq.Query) -> Iterator[tuple[str, str]]:
    """The concrete (field, text) terms of a query, after prefix and fuzzy expansion."""
    try:
        pairs = list(query.iter_all_terms())
    except Exception:
        return
    for fieldname, term in pairs:
        if isinstance(term, bytes):
            try:
                term = term.decode("utf-8")
            except UnicodeDecodeError:
                continue
        if isinstance(term, str):
            yield fieldname, term


def _first_id(reader: Any, paper_id: str) -> int | None:
    try:
        docnum = reader.first_id("id", paper_id)
    except TermNotFound:
        return None
    return int(docnum) if docnum is not None else None


def _os_message(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def _expand(paths: Iterable[Path | str], report: ImportReport) -> Iterator[Path]:
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not found:
                report.failures.append(FileProblem(path=str(path), message="the folder is empty"))
            yield from found
        elif path.exists():
            yield path
        else:
            report.failures.append(FileProblem(path=str(path), message="no such file"))


def _looks_like_backup(data: bytes) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and BACKUP_FORMAT.encode() in data[:4096]


def _parse_backup(data: bytes, digest: str) -> tuple[list[Observation], dict[str, UserEntry]]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
        if document.get("format") != BACKUP_FORMAT:
            raise ValueError("not a paperdeck backup")
        papers = [Paper.model_validate(p) for p in document.get("papers", [])]
        entries = {
            str(k): UserEntry.model_validate(v) for k, v in document.get("entries", {}).items()
        }
    except (ValueError, TypeError, AttributeError) as exc:
        raise PageError(f"this paperdeck backup is damaged ({str(exc).splitlines()[0]})") from None
    observations = [
        Observation(p.id, p.title_raw or p.title, p.abstract_raw or p.abstract, p.sightings)
        for p in papers
    ]
    return observations, entries
