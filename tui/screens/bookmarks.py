"""Bookmarked papers with their tags and notes; edit them, filter by tag, export."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from store import ConflictError

from ..keys import binding_key
from ..render import plural, safe
from ..widgets.dialogs import ConfirmDialog, NoteChoice, NoteConflictDialog, TextDialog
from ..widgets.paper_list import PaperList
from ..widgets.sources import Row, StaticSource
from ..workers import tell_store_error, with_library
from .base import ShownListScreen
from .export_flow import ask_and_export

if TYPE_CHECKING:
    from store import Library, Paper, StoreError

__all__ = ["BookmarksScreen"]


class BookmarksScreen(ShownListScreen):
    """``t`` tags, ``n`` note, ``f`` next tag filter, ``e`` export."""

    LIST_ID = "bookmarks-list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "edit_tags", "Tags", id="bookmarks.tags"),
        Binding("n", "edit_note", "Note", id="bookmarks.note"),
        Binding("f", "next_tag", "Filter tag", id="bookmarks.filter"),
        Binding("e", "export", "Export", id="bookmarks.export"),
        Binding("u", "undo", "Undo remove", show=False, id="bookmarks.undo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tag: str | None = None
        self.tags: list[str] = []
        self.removed: Paper | None = None  # the last bookmark removed here, for undo

    def compose(self) -> ComposeResult:
        yield Static("", id="bookmarks-filter", markup=False)
        yield PaperList(id="bookmarks-list")
        yield Static("", id="bookmarks-preview", markup=False)
        yield Footer()

    # -- loading -----------------------------------------------------------------------

    def library_changed(self) -> None:
        keep, wanted = self.current_id(), self.tag

        def read(library: Library) -> tuple[list[Paper], list[str], str | None]:
            tags = list(library.tags())
            tag = wanted if wanted in tags else None
            return library.bookmarks(tag=tag), tags, tag

        def show(found: tuple[list[Paper], list[str], str | None]) -> None:
            self._show(*found, keep)

        with_library(self, read, done=show, exclusive=True, group="bookmarks")

    def _show(
        self, papers: list[Paper], tags: list[str], tag: str | None, keep: str | None
    ) -> None:
        self.tags, self.tag = tags, tag
        source = StaticSource([Row(p) for p in papers])
        index = (source.position(keep) if keep else None) or 0
        self.paper_list.set_source(source, index, list_key=tag)
        line = Text(f"{len(papers)} {plural(len(papers), 'bookmark')}")
        line.append(" · tag: ")
        name = safe(tag or "all")
        name.stylize("bold")
        line.append_text(name)
        if tags:
            cycle = binding_key(self, "bookmarks.filter")
            intro = f" ({cycle} cycles: " if cycle else " (tags: "
            line.append_text(safe(intro + ", ".join(tags) + ")"))
        if not papers:
            mark = binding_key(self, "paper.bookmark")
            how = f": press {mark} on any paper to bookmark it." if mark else "."
            line.append("\nNo bookmarks yet" + how)
        self.query_one("#bookmarks-filter", Static).update(line)
        self._preview(self.paper_list.current)

    def _preview(self, paper: Paper | None) -> None:
        text = Text()
        if paper is not None:
            text.append("tags: ", style="bold")
            text.append_text(safe(", ".join(paper.tags) or "none"))
            text.append("\nnote: ", style="bold")
            text.append_text(safe(paper.note or "none"))
        self.query_one("#bookmarks-preview", Static).update(text)

    @on(PaperList.Highlighted, "#bookmarks-list")
    def highlighted(self, event: PaperList.Highlighted) -> None:
        self._preview(event.paper)

    def paper_changed(self, paper: Paper) -> None:
        self.library_changed()

    # -- editing -----------------------------------------------------------------------

    def action_toggle_bookmark(self) -> None:
        """Here ``b`` removes the bookmark, and says how to take that back at once."""
        paper = self.current_paper()
        if paper is None or not paper.bookmarked or self.paper_list.marked:
            super().action_toggle_bookmark()
            return
        self.removed = paper
        paper_id = paper.id
        self._edit(lambda library: library.unbookmark(paper_id))
        undo = binding_key(self, "bookmarks.undo")
        hint = f"; press {undo} to undo" if undo else ""
        self.notify(f"Removed the bookmark of {paper.title}{hint}", markup=False, timeout=8)

    def action_undo(self) -> None:
        paper, self.removed = self.removed, None
        if paper is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        paper_id = paper.id
        self._edit(lambda library: library.bookmark(paper_id))

    def action_edit_tags(self) -> None:
        if self.paper_list.marked:
            self.action_tag()  # the selection: tags added and removed on every paper
            return
        self._ask("Tags (comma-separated)", "tags", "survey, to-read")

    def action_edit_note(self) -> None:
        self._ask("Note", "note", "why this paper matters")

    def _ask(self, title: str, what: str, placeholder: str) -> None:
        """Edit the current paper's tags or note: read it afresh (another paperdeck may
        have changed it), show that in a dialog, save what the user changed."""
        paper = self.current_paper()
        if paper is None:
            return
        paper_id = paper.id
        with_library(
            self,
            lambda library: library.get(paper_id),
            done=lambda fresh: self._edit_in_dialog(title, what, placeholder, fresh),
            group="bookmarks-ask",
        )

    def _edit_in_dialog(self, title: str, what: str, placeholder: str, fresh: Paper) -> None:
        shown = ", ".join(fresh.tags) if what == "tags" else fresh.note

        def save(value: str | None) -> None:
            if value is None or value == shown:
                return
            if what == "tags":
                tags = [t.strip() for t in value.split(",") if t.strip()]
                self._confirm_clearing(
                    not tags and bool(fresh.tags),
                    f"Remove all {len(fresh.tags)} tags ({', '.join(fresh.tags)})?",
                    lambda: self._save_tags(fresh, tags),
                )
            else:
                self._confirm_clearing(
                    not value.strip() and bool(fresh.note),
                    "Delete the note?",
                    lambda: self._save_note(fresh, value),
                )

        self.app.push_screen(TextDialog(title, shown, placeholder), save)

    def _confirm_clearing(self, clearing: bool, question: str, go: Callable[[], None]) -> None:
        """Clearing what the user had is a visible, confirmed act, never a side effect."""
        if not clearing:
            go()
            return
        self.app.push_screen(ConfirmDialog(question), lambda yes: go() if yes else None)

    def _save_tags(self, fresh: Paper, tags: list[str]) -> None:
        seen = list(fresh.tags)  # tags added elsewhere meanwhile are kept
        self._edit(lambda library: library.set_tags(fresh.id, tags, seen=seen))

    def _save_note(self, fresh: Paper, note: str) -> None:
        def conflict(error: StoreError) -> None:
            if not isinstance(error, ConflictError):
                tell_store_error(self.app, error)
                return
            theirs = error.current

            def chosen(choice: NoteChoice | None) -> None:
                if choice == "mine":
                    self._edit(lambda library: library.set_note(fresh.id, note))
                elif choice == "both":
                    both = f"{theirs}\n\n{note}"
                    self._edit(lambda library: library.set_note(fresh.id, both, seen=theirs))
                else:
                    self.library_changed()  # show what is saved

            self.app.push_screen(NoteConflictDialog(note, theirs), chosen)

        with_library(
            self.app,
            lambda library: library.set_note(fresh.id, note, seen=fresh.note),
            done=self.tell_changed,
            store_error=conflict,
            group="bookmarks-edit",
        )

    def _edit(self, change: Callable[[Library], Paper]) -> None:
        # The app's worker: the change is told even if this screen goes away meanwhile.
        with_library(self.app, change, done=self.tell_changed, group="bookmarks-edit")

    def action_next_tag(self) -> None:
        options: list[str | None] = [None, *self.tags]
        position = options.index(self.tag) if self.tag in options else 0
        self.tag = options[(position + 1) % len(options)]
        self.library_changed()

    # -- export ------------------------------------------------------------------------

    def action_export(self) -> None:
        if self.paper_list.marked:
            super().action_export()  # the selection
            return
        count = len(self.paper_list.source)
        if not count:
            self.notify("No bookmarks to export yet.", severity="warning")
            return
        tag = self.tag
        ask_and_export(
            self,
            count,
            "bookmarks",
            lambda library, choice, force: library.export_to(
                choice.path, choice.fmt, tag=tag, force=force
            ),
        )
