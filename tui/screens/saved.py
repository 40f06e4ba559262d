"""Saved searches, each on a letter key, with how many of its papers are new since it
was last opened; a letter (or Enter) opens it in the search screen, ``x`` removes it.
``ctrl+s`` on the search screen saves the query shown there."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..keys import binding_key
from ..messages import OpenSavedSearch
from ..render import plural, safe
from ..widgets.dialogs import ConfirmDialog
from ..workers import with_library
from .base import PaperScreen

if TYPE_CHECKING:
    from store import Library
    from store.digest import SavedStatus

__all__ = ["LETTERS", "SavedScreen"]

LETTERS = "abcdefhilmnoprstuvwyz"
"""The keys of the saved searches, in order (j, k, g, q and x keep their meaning)."""


PAPER_ACTIONS = frozenset({"toggle_bookmark", "toggle_read", "open_link", "copy", "queue"})


class SavedScreen(PaperScreen):
    """The saved searches: a letter or ``Enter`` opens one, ``x`` removes one."""

    DEFAULT_CSS = """
    SavedScreen #saved-title { padding: 1 1 0 1; text-style: bold; }
    SavedScreen #saved-list { height: 1fr; border: none; }
    SavedScreen #saved-help { padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x,delete", "remove", "Remove", id="saved.remove"),
        Binding("j", "cursor(1)", "Down", show=False, id="saved.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="saved.up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[SavedStatus] = []
        self.letters = LETTERS  # those no binding of the screen uses (a keymap may)

    def compose(self) -> ComposeResult:
        yield Static("Saved searches", id="saved-title", markup=False)
        yield OptionList(id="saved-list")
        yield Static(id="saved-help", markup=False)
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action not in PAPER_ACTIONS  # no paper here: b, r, o, c and a are letters

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        if self.host.library is not None:
            self.library_changed()

    def on_screen_resume(self) -> None:
        self.library_changed()  # a search opened meanwhile has nothing new now

    def library_changed(self) -> None:
        with_library(
            self,
            lambda library: library.saved_searches(),
            done=self._show,
            exclusive=True,
            group="saved-list",
        )

    def _free_letters(self) -> str:
        taken = {
            key
            for key, active in self.active_bindings.items()
            if active.binding.action not in PAPER_ACTIONS
        }
        return "".join(letter for letter in LETTERS if letter not in taken)

    def _show(self, statuses: list[SavedStatus]) -> None:
        self.letters = self._free_letters()
        self.statuses = statuses[: len(self.letters)]
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.clear_options()
        for letter, status in zip(self.letters, self.statuses, strict=False):
            line = Text(f" {letter}  ", style="bold")
            line.append_text(safe(status.search.name))
            line.append(f"  {status.new:,} new", style="green bold" if status.new else "dim")
            line.append(f" of {status.total:,}  ", style="dim")
            line.append_text(safe(status.search.query))
            options.add_option(Option(line, id=status.search.name))
        if self.statuses:
            options.highlighted = min(keep or 0, len(self.statuses) - 1)
        self.query_one("#saved-help", Static).update(self._help(len(statuses)))

    def _help(self, count: int) -> Text:
        if not count:
            return Text(
                "No saved searches yet. On the search screen, ctrl+s saves the query; "
                "from a shell: paperdeck saved add NAME QUERY"
            )
        remove = binding_key(self, "saved.remove") or "x"
        more = (
            f" ({count - len(self.letters)} more: see paperdeck saved ls)"
            if count > len(self.letters)
            else ""
        )
        return Text(
            f"{count} saved {plural(count, 'search', 'searches')}{more} · a letter or ⏎ opens "
            f"one (its papers are no longer new) · {remove} removes one"
        )

    def on_key(self, event: events.Key) -> None:
        """A saved search's letter opens it (before any other use of the key here)."""
        letters = self.letters[: len(self.statuses)]
        if event.character and event.character in letters:
            event.stop()
            event.prevent_default()
            self._open(self.statuses[letters.index(event.character)])

    @on(OptionList.OptionSelected, "#saved-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._open(self.statuses[event.option_index])

    def _open(self, status: SavedStatus) -> None:
        self.post_message(OpenSavedSearch(status.search.name, status.search.query))

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_remove(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.statuses):
            return
        name = self.statuses[index].search.name

        def confirmed(yes: bool | None) -> None:
            if yes:

                def remove(library: Library) -> None:
                    library.remove_saved_search(name)

                with_library(self, remove, done=lambda _: self.library_changed(), group="saved")

        self.app.push_screen(ConfirmDialog(f"Remove the saved search {name!r}?"), confirmed)
