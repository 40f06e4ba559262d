"""The reader's imports: the paths it was started with, a pasted page, today's papers
fetched with ``F``, and an import a killed paperdeck left unfinished; with progress on
the library screen and one notification for what each brought.

:class:`ImportingApp` is the part of the app that runs them (``PaperdeckApp`` extends
it); every read and write runs in a thread worker.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from .messages import FetchPapers
from .render import plural
from .screens.base import PaperScreen
from .screens.library import LibraryScreen
from .workers import one_line, tell_store_error, with_library

if TYPE_CHECKING:
    from store import ImportReport, Library, StoreError

__all__ = ["ImportingApp"]


class ImportingApp(App[None]):
    """Imports and fetches of the reader, told on the library screen."""

    library: Library | None
    importing: bool
    import_paths: list[Path]
    year: int | None
    live_screens: set[PaperScreen]
    _told: int  # notices of the library shown so far

    def broadcast_library(self) -> None:
        """Tell every screen to reload (the library opened or papers were imported)."""
        for screen in list(self.live_screens):
            screen.library_changed()

    def _show_notices(self, library: Library) -> None:
        """What opening the library repaired or recovered, told to the user."""
        self._told = 0
        self._show_notices_once(library)

    def _show_notices_once(self, library: Library) -> None:
        """The notices not told yet."""
        notices = library.notices + library.userdata.notices
        for notice in notices[self._told :]:
            self.notify(notice, severity="warning", markup=False, timeout=10)
        self._told = len(notices)

    def _finish_interrupted(self) -> None:
        """Index what an import that was killed stored (a notice says so), with progress."""
        with_library(
            self,
            lambda library: library.finish_interrupted(progress=self._progress),
            done=self._finished_interrupted,
            group="import",
        )

    def _finished_interrupted(self, report: ImportReport) -> None:
        if report.finished_sources and self.library is not None:
            self._show_notices_once(self.library)
            self.broadcast_library()

    def _import_paths(self) -> None:
        """Import the paths given on the command line, with progress on the library."""
        if not self.import_paths:
            return
        paths, year = list(self.import_paths), self.year
        self.importing = True

        def failed(error: StoreError) -> None:
            self.importing = False
            tell_store_error(self, error)
            self.broadcast_library()

        with_library(
            self,
            lambda library: library.import_pages(paths, year=year, progress=self._progress),
            done=self._imported,
            store_error=failed,
            group="import",
        )

    def _progress(self, done: int, total: int, name: str) -> None:
        self.call_from_thread(self._show_progress, done, total, name)

    def _show_progress(self, done: int, total: int, name: str) -> None:
        for screen in self.live_screens:
            if isinstance(screen, LibraryScreen):
                screen.show_import_progress(done, total, name)

    def _imported(self, report: ImportReport) -> None:
        self.importing = False
        lines = [
            f"Imported {report.pages} {plural(report.pages, 'page')}: {report.new_papers} new "
            f"{plural(report.new_papers, 'paper')}, {report.updated_papers} updated"
        ]
        if report.pages_unchanged:
            already = plural(report.pages_unchanged, "page was", "pages were")
            lines.append(f"{report.pages_unchanged} {already} already in the library")
        lines.extend(f.line() for f in report.failures)
        self.notify(
            "\n".join(lines),
            title="Import",
            severity="error" if report.failures else "information",
            markup=False,
            timeout=10,
        )
        if report.new_papers:
            for screen in self.live_screens:
                if isinstance(screen, LibraryScreen):
                    screen.filter = "new"  # what just arrived, first (n shows them all)
        self.broadcast_library()

    def on_fetch_papers(self, message: FetchPapers) -> None:
        self.action_fetch()

    def action_fetch(self) -> None:
        """Fetch today's daily papers from Hugging Face in a worker, then import them."""
        if self.library is None:
            return
        self.notify("Fetching today's papers from Hugging Face…", markup=False, timeout=4)
        self._show_progress(0, 1, "fetching today's papers")
        with_library(
            self,
            self._fetch_today,
            done=self._fetched,
            store_error=self._fetch_failed,
            exclusive=True,
            group="fetch",
        )

    def _fetch_today(self, library: Library) -> ImportReport:
        from store.fetch import Fetcher, endpoint_from_env  # httpx loads only for a fetch

        endpoint, token = endpoint_from_env()
        fetcher = Fetcher(
            endpoint,
            token,
            notice=lambda line: self.call_from_thread(self.notify, line, markup=False),
        )
        try:
            answers = fetcher.daily(datetime.now(UTC).date())
        finally:
            fetcher.close()
        self.call_from_thread(self._show_progress, 1, 1, "importing")
        return library.import_fetched(answers)

    def _fetched(self, report: ImportReport) -> None:
        if not report.pages and not report.pages_unchanged:
            self.notify("Hugging Face has no daily papers for today yet.", markup=False)
            self.broadcast_library()
            return
        self._imported(report)

    def _fetch_failed(self, error: StoreError) -> None:
        tell_store_error(self, error)
        self.broadcast_library()  # the status line goes back to the library

    def _import_pasted(self, text: str) -> None:
        with_library(
            self, lambda library: library.import_text(text), done=self._pasted, group="paste"
        )

    def _pasted(self, report: ImportReport) -> None:
        if report.failures:
            message = "The pasted text was not imported: " + report.failures[0].message
            self.notify(one_line(message), severity="error", markup=False)
            return
        self._imported(report)
