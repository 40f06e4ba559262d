"""How the reader opens the library: its first frame as early as it can be, the library
behind it, and the checks for papers imported elsewhere.

:class:`OpeningApp` is that part of the app (``PaperdeckApp`` extends it). The library
screen mounts before the app does and asks first (:meth:`take_first_screen`,
:meth:`take_initial_listing`); whichever comes first decides, once, how to open:

1. the rows the last run saved (:mod:`store.first_screen`), while the library is as it
   was then: drawn in the first frame with neither the index nor pydantic loaded, while
   a worker loads the store and opens the library (the imports run in the gaps Textual
   leaves while it settles its first frames: on the UI thread after the first frame,
   they left the library's own rows 0.1 s later);
2. else a healthy library whose newest-first order was saved, opened in the first frame
   (index, a 400 KB order file, one screen of rows: about 10 ms);
3. else (a rebuild, a repair, a first sort) in a worker, the screen saying so meanwhile.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store import first_screen
from store.errors import StoreError
from store.paths import LibraryPaths, default_data_dir

from .app_imports import ImportingApp
from .workers import in_thread, one_line, tell_store_error, with_library

if TYPE_CHECKING:
    from store import Library, Listing

    from .config import Config
    from .idle_gc import IdleCollector

__all__ = ["OpeningApp"]


class OpeningApp(ImportingApp):
    """Opening the library, and noticing when another paperdeck changed it."""

    data_dir: Path | None
    config: Config
    collector: IdleCollector
    new_since: datetime
    _seen_version: tuple[object, ...] | None
    _initial_listing: Listing | None
    _first_screen: first_screen.FirstScreen | None
    _config_told: int  # the config's problems shown so far
    _tried_at_once: bool
    _previewed: bool  # the first frame showed the rows the last run saved

    def open_library(self) -> None:
        """Open the library the quickest way there is (on mount)."""
        self._open_at_once()
        self._open_library()  # opened at once, or now in a worker
        if self.library is not None:
            self.call_after_refresh(self.collector.start)  # once the first screen is up

    def show_config_problems(self) -> None:
        """The config's problems not shown yet, as notifications."""
        for problem in self.config.problems[self._config_told :]:
            self.notify(problem, severity="warning", markup=False)
        self._config_told = len(self.config.problems)

    def take_initial_listing(self) -> Listing | None:
        """The newest-first listing if the library could be opened at once (once only)."""
        self._open_at_once()
        listing, self._initial_listing = self._initial_listing, None
        return listing

    def take_first_screen(self) -> first_screen.FirstScreen | None:
        """The first screen saved by the last run, if the library is as it was then
        (once only)."""
        self._open_at_once()
        saved, self._first_screen = self._first_screen, None
        return saved

    def remember_first_screen(self) -> None:
        """Save the library's first rows for the next start (in a worker)."""
        with_library(self, first_screen.save_from, exclusive=True, group="first-screen")

    def _open_at_once(self) -> None:
        if self._tried_at_once:
            return
        self._tried_at_once = True
        root = Path(self.data_dir) if self.data_dir is not None else default_data_dir()
        self._first_screen = first_screen.load(LibraryPaths(root))
        self._previewed = self._first_screen is not None
        if self._previewed:
            return
        library = self._open_quickly()
        listing = library.saved_listing() if library is not None else None
        if library is None or listing is None:
            if library is not None:
                library.close()
            return
        self.library = library
        self._initial_listing = listing
        self._show_notices(library)

    def _open_quickly(self) -> Library | None:
        """The library if it opens without work (no rebuild, no repair, no write)."""
        from store import Library

        try:
            library = Library.open_if_ready(self.data_dir)
        except StoreError:
            return None
        if library is not None:
            library.priority_settings = self.config.priority
            self._seen_version = library.version()  # what the first screen shows
        return library

    def _open_library(self) -> None:
        if self.library is not None:
            self._record_visit()
            self._finish_interrupted()
            self._import_paths()
            return
        data_dir = self.data_dir

        def open_library() -> Library:
            from store import Library

            settings = self.config.priority  # checked first: told even if the open fails
            library = Library.open(data_dir)
            library.priority_settings = settings
            self._seen_version = library.version()  # what the screens will show
            return library

        in_thread(
            self,
            open_library,
            done=self._library_opened,
            store_error=self._library_unavailable,
            group="open",
        )

    def _library_opened(self, library: Library) -> None:
        self.library = library
        self.call_after_refresh(self.collector.start)  # what it loaded is frozen too
        self.show_config_problems()  # the priority weights', checked as it opened
        self._show_notices(library)
        self.broadcast_library()
        self._record_visit()
        self._finish_interrupted()
        self._import_paths()

    def _library_unavailable(self, error: StoreError) -> None:
        self.show_config_problems()
        tell_store_error(self, error)
        for screen in list(self.live_screens):
            screen.library_unavailable(one_line(str(error)))

    def _record_visit(self) -> None:
        """This start is a visit; papers that arrived since the previous one are new."""

        def visited(previous: datetime | None) -> None:
            if previous is not None:
                self.new_since = previous

        with_library(self, lambda library: library.visit(), done=visited, group="visit")

    def check_version(self) -> None:
        """Papers imported by another paperdeck (or a rebuild elsewhere): every screen
        reloads, keeping its cursor."""
        with_library(
            self,
            lambda library: library.version(),
            done=self._version_read,
            exclusive=True,
            group="version",
        )

    def _version_read(self, version: tuple[object, ...]) -> None:
        changed = self._seen_version is not None and version != self._seen_version
        self._seen_version = version
        if changed:
            self.broadcast_library()
