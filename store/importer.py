"""Importing sources: read and parse with no lock held, then commit all or nothing.

1. **Read and parse** every file (regular files only, each within its kind's size
   limit), holding no lock: searches and other writers are not held up meanwhile.
2. **Commit** under the index lock: merge what the files say with the papers as the
   index holds them *now* (never a copy read before the lock), store the new sources,
   write the changed papers, commit, record the sources as indexed. Sources left by an
   import that was killed before its commit are finished on the way.
3. **Restore** the user's entries from backups, merged field by field.

A refused commit (another writer busy, a full disk, Ctrl-C) leaves no stored source and
no half-written segment behind: the library is as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .backup import RestoreSummary, is_note_merge, merge_entry
from .errors import StoreError, UnwritableError
from .fetched import Fetched, FetchError
from .files import Refused, expand, os_message, read_regular_file
from .index import IndexStore
from .models import FileProblem, ImportReport, Paper, UserEntry
from .page_years import year_from_library
from .pages import FILE_TIME
from .progress import Progress
from .reading_queue import append_restored, queued_ids
from .records import Observation, merge, paper_from_stored, resolve_id, to_document
from .saved_searches import SavedSearches
from .sources import ParsedSource, parse_source, parse_stored
from .sourcestore import SourceKind, SourceStore, content_hash, display_name
from .storage import pool_limit_mb
from .userdata import UserData

__all__ = ["Importer"]


@dataclass
class _Incoming:
    """A parsed source on its way in."""

    digest: str
    data: bytes
    name: str
    shown: str
    kind: SourceKind
    year: int | None
    fallback_year: int
    parsed: ParsedSource
    seen_at: datetime
    day: date | None = None
    fetched: bool = False


class Importer:
    """Imports files and pasted text into one library."""

    def __init__(
        self,
        index: IndexStore,
        sources: SourceStore,
        userdata: UserData,
        saved: SavedSearches | None = None,
    ) -> None:
        self.index = index
        self.sources = sources
        self.userdata = userdata
        self.saved = saved  # a backup's saved searches are restored there

    # -- entry points ------------------------------------------------------------------

    def import_paths(
        self, paths: Iterable[Path | str], *, year: int | None, progress: Progress | None
    ) -> ImportReport:
        """Import files and folders of them (see the module's docstring)."""
        report = ImportReport()
        files = list(expand(paths, report))
        incoming: dict[str, _Incoming] = {}
        for done, path in enumerate(files):
            if progress:
                progress(done, len(files), display_name(path.name))
            item = self._read(path, year, report)
            if item is None:
                continue
            if item.digest in incoming:
                report.pages_unchanged += 1
            else:
                incoming[item.digest] = item
        if progress:
            progress(len(files), len(files), "")
        self._settle_years(list(incoming.values()), year, report)
        self._commit(list(incoming.values()), report, progress)
        return report

    def _settle_years(
        self, items: list[_Incoming], given: int | None, report: ImportReport
    ) -> None:
        """Pages that show no year get one from what is known before the file's time:
        the papers on them that the library, or another page of this import, dates in
        full (their dates bound the page's from below). Then each page's year is told."""
        pages = [item for item in items if item.kind == "page"]
        known = {
            o.paper_id: s.published
            for item in pages
            if item.parsed.year_source != FILE_TIME
            for o in item.parsed.observations
            for s in o.sightings
            if s.published
        }
        guessed = [item for item in pages if given is None and item.parsed.year_source == FILE_TIME]
        if guessed:
            with self.index.searcher() as searcher:
                for item in guessed:
                    better = year_from_library(searcher, item.parsed.observations, known)
                    if better is not None:
                        item.year, source = better
                        item.parsed = parse_source(
                            item.data,
                            item.name,
                            item.digest,
                            year=item.year,
                            fallback_year=item.fallback_year,
                            seen_at=item.seen_at,
                            year_source=source,
                        )
        for item in pages:
            note = f"dates without a year read as {item.parsed.year} ({item.parsed.year_source})"
            report.years.append(FileProblem(path=item.shown, message=note))

    def import_text(self, text: str, *, name: str, year: int | None) -> ImportReport:
        """Import a page given as text (pasted into the app, say)."""
        report = ImportReport()
        item = self._parse(text.encode("utf-8"), name, name, year, datetime.now(UTC).year, report)
        self._settle_years([item] if item else [], year, report)
        self._commit([item] if item else [], report, None)
        return report

    def import_fetched(self, answers: Iterable[Fetched]) -> ImportReport:
        """Import what was fetched from the site, all at once, like files. An answer
        that cannot be read fails the whole fetch: nothing is stored."""
        report = ImportReport()
        incoming: dict[str, _Incoming] = {}
        for answer in answers:
            item = self._parse(
                answer.data,
                answer.name,
                answer.name,
                None,
                (answer.day or answer.observed_at.date()).year,
                report,
                seen_at=answer.observed_at,
                day=answer.day,
                fetched=True,
            )
            if item is not None:
                incoming.setdefault(item.digest, item)
        if report.failures:
            raise FetchError(f"the site's answer {report.failures[0].line()}")
        self._commit(list(incoming.values()), report, None)
        return report

    def finish_interrupted(self, progress: Progress | None = None) -> ImportReport:
        """Index the sources an import stored but never committed (it was killed)."""
        report = ImportReport()
        if self.sources.hashes() - self.index.state().sources:
            self._commit([], report, progress)
        return report

    # -- reading and parsing (no lock) -------------------------------------------------

    def _read(self, path: Path, year: int | None, report: ImportReport) -> _Incoming | None:
        shown = display_name(str(path))
        try:
            data, mtime = read_regular_file(path)
        except Refused as refused:
            report.failures.append(FileProblem(path=shown, message=str(refused)))
            return None
        except OSError as exc:
            report.failures.append(FileProblem(path=shown, message=os_message(exc)))
            return None
        fallback_year = datetime.fromtimestamp(mtime, UTC).year
        return self._parse(data, display_name(path.name), shown, year, fallback_year, report)

    def _parse(
        self,
        data: bytes,
        name: str,
        shown: str,
        year: int | None,
        fallback_year: int,
        report: ImportReport,
        *,
        seen_at: datetime | None = None,
        day: date | None = None,
        fetched: bool = False,
    ) -> _Incoming | None:
        digest = content_hash(data)
        seen_at = seen_at or _now()
        try:
            parsed = parse_source(
                data,
                name,
                digest,
                year=year,
                fallback_year=fallback_year,
                seen_at=seen_at,
                day=day,
                fetched=fetched,
            )
        except StoreError as exc:
            report.failures.append(FileProblem(path=shown, message=str(exc)))
            return None
        except (ValueError, RecursionError, MemoryError) as exc:  # a parser bug or a bomb
            message = f"could not be read ({type(exc).__name__}: {exc})"
            report.failures.append(FileProblem(path=shown, message=message))
            return None
        report.warnings.extend(FileProblem(path=shown, message=w) for w in parsed.warnings)
        return _Incoming(
            digest,
            data,
            name,
            shown,
            parsed.kind,
            year,
            fallback_year,
            parsed,
            seen_at,
            day,
            fetched,
        )

    # -- committing (the index lock) ---------------------------------------------------

    def _commit(
        self, incoming: list[_Incoming], report: ImportReport, progress: Progress | None
    ) -> None:
        indexed = self.index.state().sources
        # A source already indexed adds nothing (a backup still restores its entries).
        fresh = [item for item in incoming if item.digest not in indexed]
        report.pages_unchanged += len(incoming) - len(fresh)
        leftovers = self.sources.hashes() - indexed - {item.digest for item in fresh}
        if fresh or leftovers:
            with self.index.locked():
                self._commit_locked(fresh, report, progress)
            self.index.save_posting_files()
        saved = [s for item in incoming for s in item.parsed.saved]
        if saved and self.saved is not None:
            self.saved.restore(saved)
        entries = {pid: entry for item in incoming for pid, entry in item.parsed.entries.items()}
        if entries:
            known = {pid for item in incoming for pid in item.parsed.paper_ids}
            summary = self._restore(entries, known)
            report.restored_entries = summary.changed
            if summary.skipped_unknown:
                report.warnings.append(
                    FileProblem(
                        path="backup",
                        message=f"{summary.skipped_unknown} entries name papers that are "
                        "neither in the backup nor in the library; skipped",
                    )
                )

    def _commit_locked(
        self, fresh: list[_Incoming], report: ImportReport, progress: Progress | None
    ) -> None:
        self.index.remove_leftovers()
        self.sources.remove_strays()
        state = self.index.state()  # again, under the lock: another writer may have run
        fresh = [item for item in fresh if item.digest not in state.sources]
        leftovers = sorted(self.sources.hashes() - state.sources - {i.digest for i in fresh})
        finished = self._parse_leftovers(leftovers, report)
        stored: list[_Incoming] = []
        committed = False
        try:
            for item in fresh:
                try:
                    self.sources.save(
                        item.data,
                        name=item.name,
                        kind=item.kind,
                        year=item.year,
                        fallback_year=item.fallback_year,
                        imported_at=item.seen_at,
                        day=item.day,
                        fetched=item.fetched,
                        year_source=item.parsed.year_source if item.year is not None else None,
                    )
                except UnwritableError as exc:  # this file fails; the others go on
                    report.failures.append(
                        FileProblem(path=item.shown, message=f"not stored: {exc}")
                    )
                    continue
                stored.append(item)
            observations = [o for item in stored for o in item.parsed.observations]
            observations += [o for parsed in finished for o in parsed.observations]
            with self.index.searcher() as searcher:
                changed, new = _merged(searcher, observations)
            if changed:
                with self.index.writer(limitmb=pool_limit_mb(len(changed))) as writer:
                    for done, paper in enumerate(changed):
                        if progress and done % 200 == 0:
                            progress(done, len(changed), "indexing papers")
                        document = to_document(paper)
                        if paper.id in new:  # nothing to replace: skip the id lookup
                            writer.add_document(**document)
                        else:
                            writer.update_document(**document)
            committed = True
        finally:
            if not committed:
                for item in stored:
                    self.sources.remove(item.digest)
        if stored or leftovers:
            self.index.write_state(state.with_sources({*(i.digest for i in stored), *leftovers}))
        report.pages += len(stored)
        report.papers_seen += sum(len(item.parsed.observations) for item in stored)
        report.new_papers = len(new)
        report.updated_papers = len(changed) - len(new)
        report.finished_sources = len(leftovers)

    def _parse_leftovers(self, leftovers: list[str], report: ImportReport) -> list[ParsedSource]:
        """Parse the sources a killed import stored; one that cannot be read again is
        recorded as indexed (with a notice), not retried at every import."""
        parsed: list[ParsedSource] = []
        for digest in leftovers:
            meta = self.sources.meta(digest)
            if meta is None:
                continue
            try:
                parsed.append(parse_stored(self.sources.read(digest), meta))
            except (OSError, StoreError) as exc:
                report.warnings.append(
                    FileProblem(path=meta.name, message=f"stored, but could not be read: {exc}")
                )
        return parsed

    # -- restoring the user's entries --------------------------------------------------

    def _restore(self, incoming: dict[str, UserEntry], known: set[str]) -> RestoreSummary:
        summary = RestoreSummary()
        with self.index.searcher() as searcher:
            indexed = {pid for pid in incoming if searcher.document_number(id=pid) is not None}

        def apply(entries: dict[str, UserEntry]) -> None:
            now = datetime.now(UTC)
            queued_before = queued_ids(entries)
            for pid, entry in incoming.items():
                if pid not in known and pid not in indexed and pid not in entries:
                    summary.skipped_unknown += 1
                    continue
                before = entries.get(pid)
                merged = merge_entry(before, entry)
                if merged is None:
                    continue
                if is_note_merge(before, merged):
                    summary.notes_kept_both += 1
                merged.updated_at = merged.updated_at or now
                entries[pid] = merged
                summary.changed += 1
            append_restored(entries, queued_before, incoming)

        self.userdata.update(apply)
        return summary


def _merged(searcher: Any, observations: list[Observation]) -> tuple[list[Paper], set[str]]:
    """The papers these observations change, merged with the index's copies, and the
    ids of those the index did not have."""
    reader = searcher.reader()
    before: dict[str, Paper | None] = {}
    batch: dict[str, Paper] = {}
    arxiv_owners: dict[str, str] = {}

    def has_paper(pid: str) -> bool:
        return pid in batch or searcher.document_number(id=pid) is not None

    def owner_of(arxiv: str) -> str | None:
        if arxiv in arxiv_owners:
            return arxiv_owners[arxiv]
        fields = searcher.document(arxiv=arxiv)
        return str(fields["id"]) if fields else None

    for observation in observations:
        pid = resolve_id(observation, has_paper, owner_of)
        if pid != observation.paper_id:
            observation = replace(observation, paper_id=pid)
        for sighting in observation.sightings:
            if sighting.arxiv_id:
                arxiv_owners.setdefault(sighting.arxiv_id, pid)
        if pid not in before:
            docnum = searcher.document_number(id=pid)
            before[pid] = (
                paper_from_stored(reader.stored_fields(docnum)["data"])
                if docnum is not None
                else None
            )
        batch[pid] = merge(batch.get(pid) or before[pid], observation)
    changed = [paper for pid, paper in batch.items() if paper != before[pid]]
    return changed, {pid for pid, paper in before.items() if paper is None}


def _now() -> datetime:
    """The time an import stores its sources: when its papers arrived (to the
    microsecond, so that "arrived after" is exact)."""
    return datetime.now(UTC)
