"""The paperdeck reader: library, search and bookmarks, keyboard first, over the store."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.worker import Worker, WorkerState

from store import ImportReport, Library, Paper, StoreError

from .config import Config, config_path, load_config, save_theme
from .idle_gc import IdleCollector
from .palette import PaperCommands
from .screens.base import PaperScreen
from .screens.bookmarks import BookmarksScreen
from .screens.detail import DetailScreen
from .screens.help import HelpEntry, HelpScreen
from .screens.library import LibraryScreen
from .screens.search import SearchScreen
from .widgets.paper_list import PaperList
from .widgets.sources import ListingSource

__all__ = ["PaperdeckApp"]

PASTE_MIN_CHARS = 80


class PaperdeckApp(App[None]):
    """The reader. Opens the library in a worker; nothing slow runs on the UI thread."""

    TITLE = "paperdeck"
    CSS_PATH = "app.tcss"
    DEFAULT_MODE = "library"  # the first screen is the library itself: no blank screen, no switch
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {PaperCommands}
    MODES: ClassVar[dict[str, type[PaperScreen]]] = {  # type: ignore[assignment]
        "library": LibraryScreen,
        "search": SearchScreen,
        "bookmarks": BookmarksScreen,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "section('library')", "Library", show=False, id="app.library"),
        Binding("slash,2", "section('search')", "Search", id="app.search"),
        Binding("3", "section('bookmarks')", "Bookmarks", id="app.bookmarks"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        import_paths: Sequence[Path] = (),
        year: int | None = None,
        config: Config | None = None,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.import_paths = list(import_paths)
        self.year = year
        self.config = config if config is not None else load_config()
        self.library: Library | None = None
        self._initial_source: ListingSource | None = None
        self._tried_at_once = False
        self.live_screens: set[PaperScreen] = set()
        self.collector = IdleCollector()
        if self.config.keymap:
            self.set_keymap(self.config.keymap)

    # -- start-up ----------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        elif self.config.theme:
            self.notify(f"Unknown theme {self.config.theme!r} in the config", severity="warning")
        for problem in self.config.problems:
            self.notify(problem, severity="warning", markup=False)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._open_at_once()
        self._open_library()
        self.call_after_refresh(self.collector.start)  # once the first screen is up
        self.set_interval(IdleCollector.TICK_S, self.collector.tick)

    def take_initial_source(self) -> ListingSource | None:
        """The first screen of the library if it could be opened at once (once only)."""
        self._open_at_once()
        source, self._initial_source = self._initial_source, None
        return source

    def _open_at_once(self) -> None:
        """Show the library in the first frame when that is cheap.

        A healthy library whose newest-first order was saved opens in a few milliseconds
        (index open, a 400 KB order file, one screen of rows). Anything more (a rebuild,
        a repair, a first sort) happens in the worker instead. The library screen mounts
        before the app does, so whichever comes first opens it.
        """
        if self._tried_at_once:
            return
        self._tried_at_once = True
        try:
            library = Library.open_if_ready(self.data_dir)
            listing = library.saved_listing() if library is not None else None
        except StoreError:
            return
        if library is None or listing is None:
            if library is not None:
                library.close()
            return
        source = ListingSource(listing)
        source.load(0, self.size.height, exact=True)  # one screen of rows, no more
        self.library = library
        self._initial_source = source
        self._show_notices(library)

    @work(thread=True, exit_on_error=False, group="open-library")
    def _open_library(self) -> None:
        library = self.library
        if library is None:
            library = Library.open(self.data_dir)
            self.call_from_thread(self._library_opened, library)
        if self.import_paths:
            report = library.import_pages(
                self.import_paths, year=self.year, progress=self._progress
            )
            self.call_from_thread(self._imported, report)

    def _library_opened(self, library: Library) -> None:
        self.library = library
        self._show_notices(library)
        self.broadcast_library()

    def _show_notices(self, library: Library) -> None:
        """What opening the library repaired or recovered, told to the user."""
        for notice in library.notices + library.userdata.notices:
            self.notify(notice, severity="warning", markup=False, timeout=10)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.call_from_thread(self._show_progress, done, total, name)

    def _show_progress(self, done: int, total: int, name: str) -> None:
        for screen in self.live_screens:
            if isinstance(screen, LibraryScreen):
                screen.show_import_progress(done, total, name)

    def _imported(self, report: ImportReport) -> None:
        lines = [
            f"Imported {report.pages} pages: {report.new_papers} new papers, "
            f"{report.updated_papers} updated"
        ]
        if report.pages_unchanged:
            lines.append(f"{report.pages_unchanged} pages were already in the library")
        lines.extend(f.line() for f in report.failures)
        self.notify(
            "\n".join(lines),
            title="Import",
            severity="error" if report.failures else "information",
            markup=False,
            timeout=10,
        )
        self.broadcast_library()

    # -- screens talk to each other through the app ------------------------------------

    def broadcast_paper(self, paper: Paper) -> None:
        """Tell every screen a paper's user fields changed."""
        for screen in list(self.live_screens):
            screen.paper_changed(paper)

    def broadcast_library(self) -> None:
        """Tell every screen to reload (the library opened or papers were imported)."""
        for screen in list(self.live_screens):
            screen.library_changed()

    def open_detail(self, paper: Paper, origin: PaperList | None = None) -> None:
        """Show one paper; ``origin`` is the list ``[`` and ``]`` walk through."""
        self.push_screen(DetailScreen(paper, origin))

    # -- actions -----------------------------------------------------------------------

    def action_section(self, name: str) -> None:
        if self.current_mode != name:
            self.switch_mode(name)
        else:
            while len(self.screen_stack) > 1 and isinstance(self.screen, DetailScreen):
                self.pop_screen()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_entries(), str(config_path())))

    def help_entries(self) -> list[HelpEntry]:
        """The active bindings that have an id, from the bindings themselves: the current
        screen's (and its focused widget's) first, then the global ones."""
        grouped: dict[str, tuple[str, list[str], str]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.id:
                continue
            section = "Everywhere" if active.node is self else "This screen"
            keys = grouped.setdefault(binding.id, (section, [], binding.description))[1]
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        entries = [
            (section, ", ".join(keys), description, binding_id)
            for binding_id, (section, keys, description) in grouped.items()
        ]
        entries.sort(key=lambda e: e[0] != "This screen")
        entries.append(("Everywhere", "ctrl+p", "Command palette: open paper…, theme", "-"))
        return entries

    # -- events ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.touch()
        await super().on_event(event)

    def on_paste(self, event: events.Paste) -> None:
        text = event.text
        if len(text) < PASTE_MIN_CHARS or "\n" not in text.strip():
            return
        self._import_pasted(text)

    @work(thread=True, exit_on_error=False, group="paste")
    def _import_pasted(self, text: str) -> None:
        if self.library is None:
            return
        try:
            report = self.library.import_text(text)
        except StoreError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        if report.failures:
            message = "The pasted text was not imported: " + report.failures[0].message
            self.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        self.call_from_thread(self._imported, report)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker_failure(event)

    def report_worker_failure(self, event: Worker.StateChanged) -> None:
        """Show a worker's failure as a notification (workers never crash the app).

        Worker state messages do not bubble: every widget and screen that starts workers
        forwards its own here.
        """
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = (
            str(error) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
        )
        self.notify(message, title="Something failed", severity="error", markup=False, timeout=8)

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str) and name != self.config.theme:
            self.config.theme = name
            self._save_theme(name)

    @work(thread=True, exit_on_error=False, group="config")
    def _save_theme(self, name: str) -> None:
        save_theme(name)

    def on_unmount(self) -> None:
        self.collector.stop()
        if self.library is not None:
            self.library.close()


def run_app(data_dir: Path | None, paths: Sequence[Path], year: int | None) -> None:
    """Run the reader (the console script calls this)."""
    app = PaperdeckApp(data_dir, import_paths=paths, year=year)
    app.run()
    if os.environ.get("PAPERDECK_DEBUG") and app.return_code:
        raise SystemExit(app.return_code)
