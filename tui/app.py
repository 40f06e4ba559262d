"""The paperdeck reader: library, search, bookmarks and the reading queue, keyboard
first, over the store."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Input

from store import first_screen
from store.errors import StoreError

from .app_bindings import known_bindings, reserved_keys
from .app_opening import OpeningApp
from .config import Config, config_path, load_config, save_theme
from .host import LibraryHost
from .idle_gc import IdleCollector
from .key_hold import FOCUS_MOVING, HOLD_CHECK_S, KeyHold
from .keymap import check_keymap
from .messages import (
    OpenPaper,
    OpenSavedSearch,
    PaperChanged,
    PapersChanged,
    ScreenClosed,
    ScreenOpened,
)
from .palette import PaperCommands
from .paste_filter import install as install_paste_filter
from .saved_palette import SavedSearchCommands
from .screens.base import PaperScreen
from .screens.bookmarks import BookmarksScreen
from .screens.detail import DetailScreen
from .screens.help import HelpEntry, HelpScreen
from .screens.library import LibraryScreen
from .screens.queue import QueueScreen
from .screens.saved import SavedScreen
from .screens.search import SearchScreen
from .undo import undo_last_change
from .widgets.paper_list import PaperList
from .workers import in_thread, with_library

if TYPE_CHECKING:
    from store import Library, Listing, Paper

__all__ = ["PaperdeckApp"]

PASTE_MIN_CHARS = 80
UNDO_HELP = "Undo the last change to bookmarks, tags, notes, read state or the queue"
VERSION_CHECK_S = 2.0  # how often the app looks whether another paperdeck changed the index


def _looks_like_a_page(text: str) -> bool:
    """A paste long enough and of several lines (any line ending) to be a saved page."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return len(lines) >= PASTE_MIN_CHARS and "\n" in lines


class PaperdeckApp(OpeningApp):
    """The reader. Index reads and writes run in workers, never on the UI thread; the
    library opens as :mod:`tui.app_opening` says.

    Screens read :attr:`library` through :class:`~tui.host.LibraryHost` and post
    :mod:`tui.messages` up; the app answers by calling down into the screens that are up
    (:attr:`live_screens`).
    """

    TITLE = "paperdeck"
    CSS_PATH = "app.tcss"
    DEFAULT_MODE = "library"  # the first screen is the library itself: no blank screen, no switch
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {PaperCommands, SavedSearchCommands}
    MODES: ClassVar[dict[str, type[PaperScreen]]] = {  # type: ignore[assignment]
        "library": LibraryScreen,
        "search": SearchScreen,
        "bookmarks": BookmarksScreen,
        "queue": QueueScreen,
        "saved": SavedScreen,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "section('library')", "Library", show=False, id="app.library"),
        Binding("slash,2", "section('search')", "Search", id="app.search"),
        Binding("3", "section('bookmarks')", "Bookmarks", id="app.bookmarks"),
        Binding("4", "section('queue')", "Queue", show=False, id="app.queue"),
        Binding("5", "section('saved')", "Saved searches", show=False, id="app.saved"),
        Binding("ctrl+z", "undo", "Undo", show=False, tooltip=UNDO_HELP, id="app.undo"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("F", "fetch", "Fetch today", show=False, id="app.fetch"),
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",
            show=False,
            priority=True,
            tooltip="Command palette: open paper…, saved searches, theme",
            id="app.palette",
        ),
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
        # The priority weights are checked as the library opens (that loads pydantic).
        self.config = config if config is not None else load_config(check_priority=False)
        self.library: Library | None = None
        self.importing = bool(import_paths)
        self.new_since = datetime.now(UTC)  # until the previous visit's time is read
        self.focus_search_box = False
        self.reading_width = self.config.reading_width
        self._seen_version: tuple[object, ...] | None = None
        self._initial_listing: Listing | None = None
        self._first_screen: first_screen.FirstScreen | None = None
        self._config_told = 0  # the config's problems shown so far
        self._tried_at_once = False
        self._previewed = False
        self.live_screens: set[PaperScreen] = set()
        self.collector = IdleCollector()
        self._key_hold = KeyHold()
        self._hold_watch: Timer | None = None
        self._told = 0  # notices of the library shown so far
        install_paste_filter()
        if self.config.keymap:
            known, reserved = known_bindings(type(self)), reserved_keys(self.BINDINGS)
            checked = check_keymap(self.config.keymap, known, reserved)
            self.config.problems.extend(checked.problems)  # shown once the app is up
            self.set_keymap(checked.keymap)

    # -- start-up ----------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        elif self.config.theme:
            self.notify(
                f"Unknown theme {self.config.theme!r} in the config",
                severity="warning",
                markup=False,
            )
        self.show_config_problems()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.open_library()
        self.set_interval(VERSION_CHECK_S, self.check_version)
        self.set_interval(IdleCollector.TICK_S, self.collector.tick)

    # -- screens talk to each other through the app: messages up, calls down ----------

    def on_screen_opened(self, message: ScreenOpened) -> None:
        screen = message.screen
        if not isinstance(screen, PaperScreen):
            return
        self.live_screens.add(screen)
        if self.library is not None and message.library is not self.library:
            screen.library_changed()  # the library opened while the message was on its way

    def on_screen_closed(self, message: ScreenClosed) -> None:
        if isinstance(message.screen, PaperScreen):
            self.live_screens.discard(message.screen)

    def on_paper_changed(self, message: PaperChanged) -> None:
        """Tell every screen a paper's user fields changed."""
        self._tell_changed(message.paper)

    def on_papers_changed(self, message: PapersChanged) -> None:
        """Many papers changed (a batch): every screen reloads."""
        self.broadcast_library()

    def on_open_saved_search(self, message: OpenSavedSearch) -> None:
        """The search screen, searching the saved query; its papers are seen from now."""
        self.action_section("search")
        screen = self.screen
        if isinstance(screen, SearchScreen):
            screen.search_for(message.query)
        with_library(self, lambda library: library.saved.mark_opened(message.name), group="saved")

    def on_open_paper(self, message: OpenPaper) -> None:
        """Show one paper; its origin is the list ``[`` and ``]`` walk through."""
        origin = message.origin if isinstance(message.origin, PaperList) else None
        self.push_screen(DetailScreen(message.paper, origin))

    # -- actions -----------------------------------------------------------------------

    def action_section(self, name: str) -> None:
        self.focus_search_box = name == "search"  # / (or 2) means: type a query
        if self.current_mode != name:
            self.switch_mode(name)
        else:
            while len(self.screen_stack) > 1 and isinstance(self.screen, DetailScreen):
                self.pop_screen()

    def action_undo(self) -> None:
        """Undo the last change to the user's data; every screen redraws."""
        shown = (p.id for s in self.live_screens if (p := s.current_paper()) is not None)
        undo_last_change(self, shown, self._tell_changed, self.broadcast_library)

    def _tell_changed(self, paper: Paper) -> None:
        for screen in list(self.live_screens):
            screen.paper_changed(paper)

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
            does = binding.tooltip or binding.description
            keys = grouped.setdefault(binding.id, (section, [], does))[1]
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        entries = [
            (section, ", ".join(keys), description, binding_id)
            for binding_id, (section, keys, description) in grouped.items()
        ]
        entries.sort(key=lambda e: e[0] != "This screen")
        return entries

    # -- events ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.touch()
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._key_hold.holds(self.focused):
                self._key_hold.hold(event)  # focus is on its way to a text box
                return
            if self._key_hold.held:
                await self._release_keys()
            if not isinstance(self.focused, Input) and self._moves_focus(event.key):
                self.hold_keys()
        elif isinstance(event, events.Paste) and _looks_like_a_page(event.text):
            self._import_pasted(event.text)  # wherever focus is: a page is not a query
            return
        await super().on_event(event)

    def _moves_focus(self, key: str) -> bool:
        active = self.screen.active_bindings.get(key)
        return active is not None and active.binding.id in FOCUS_MOVING

    async def _release_keys(self) -> None:
        """Hand the held keys on, in order, to whatever has focus now."""
        for key in self._key_hold.release():
            await super().on_event(key)

    def hold_keys(self) -> None:
        """Hold the next keys until focus moves (a text box is about to get it)."""
        self._key_hold.start(self.focused)
        if self._hold_watch is None:
            self._hold_watch = self.set_interval(HOLD_CHECK_S, self._check_held_keys)

    async def _check_held_keys(self) -> None:
        """Once focus has moved (or the wait is over), the held keys go where it is."""
        if self._key_hold.holds(self.focused):
            return
        if self._hold_watch is not None:
            self._hold_watch.stop()
            self._hold_watch = None
        await self._release_keys()

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str) and name != self.config.theme:
            self.config.theme = name
            in_thread(self, lambda: save_theme(name), group="config")

    def on_unmount(self) -> None:
        self.collector.stop()
        if self.library is not None:
            # What bookmarks and reads changed since is in the next start's first frame
            # (a stamp compared when nothing changed; never a sort on the way out).
            with contextlib.suppress(StoreError, OSError):
                first_screen.save_from(self.library, may_sort=False)
            self.library.close()


def _is_a_host(app: PaperdeckApp) -> LibraryHost:
    """Never called: mypy checks here that the app is what screens take it for."""
    return app


def run_app(data_dir: Path | None, paths: Sequence[Path], year: int | None) -> int:
    """Run the reader (the console script calls this); its exit status: 0, or non-zero
    when it failed (Textual has shown why)."""
    app = PaperdeckApp(data_dir, import_paths=paths, year=year)
    app.run()
    return app.return_code or 0
