"""What every screen showing papers shares: the keys that act on the current paper."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..host import LibraryHost
from ..messages import OpenPaper, PaperChanged, ScreenClosed, ScreenOpened
from ..render import plural
from ..widgets.paper_list import PaperList
from ..workers import with_library
from .batch import (
    SelectionBar,
    bookmark_papers,
    export_papers,
    queue_papers,
    read_papers,
    tag_papers,
)

if TYPE_CHECKING:
    from store import Library, Paper

__all__ = ["ListScreen", "PaperScreen", "ShownListScreen"]


class PaperScreen(Screen[None]):
    """A screen with a current paper: ``b`` bookmark, ``r`` read, ``o`` open, ``c`` copy,
    ``a`` add to the reading queue.

    It reads the library through :attr:`host` and tells the app what it changed with
    :mod:`tui.messages`; the app calls :meth:`paper_changed` and :meth:`library_changed`
    on every screen that is up.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "toggle_bookmark", "Bookmark", id="paper.bookmark"),
        Binding("r", "toggle_read", "Read", show=False, id="paper.read"),
        Binding("o", "open_link", "Open link", show=False, id="paper.open"),
        Binding("c", "copy", "Copy", show=False, id="paper.copy"),
        Binding("a", "queue", "Add to queue", show=False, id="paper.queue"),
    ]

    @property
    def host(self) -> LibraryHost:
        """What the screen may read from the app (never the app's class itself)."""
        return cast(LibraryHost, self.app)

    def on_mount(self) -> None:
        # Textual runs a subclass's on_mount before this one: the screen has loaded what
        # it could by now, with the library it found.
        self.app.post_message(ScreenOpened(self, self.host.library))

    def on_unmount(self) -> None:
        # Straight to the app: a closing screen no longer passes messages on.
        self.app.post_message(ScreenClosed(self))

    def current_paper(self) -> Paper | None:
        """The paper the keys act on."""
        return None

    def paper_changed(self, paper: Paper) -> None:
        """A paper's bookmark, tags, note or read state changed (anywhere in the app)."""

    def library_changed(self) -> None:
        """Papers were imported or the library was opened: reload what is shown."""

    def library_unavailable(self, why: str) -> None:
        """The library could not be opened (``why``, one line)."""

    def tell_changed(self, paper: Paper) -> None:
        """Tell every screen that ``paper`` changed (this one too, through the app)."""
        self.app.post_message(PaperChanged(paper))

    def action_toggle_bookmark(self) -> None:
        if paper := self.current_paper():
            paper_id = paper.id
            self._write(lambda library: library.toggle_bookmark(paper_id))

    def action_toggle_read(self) -> None:
        if paper := self.current_paper():
            paper_id, read = paper.id, not paper.read
            self._write(lambda library: library.set_read(paper_id, read))

    def action_queue(self) -> None:
        """Add the current paper to the end of the reading queue, and say so."""
        if paper := self.current_paper():
            paper_id, title = paper.id, paper.title

            def queue(library: Library) -> int:
                library.queue_add([paper_id])
                return len(library.queue())

            def queued(count: int) -> None:
                self.notify(f"Queued ({count} in the queue): {title}", markup=False, timeout=3)

            with_library(self.app, queue, done=queued, group="paper-queue")

    def read_why(self, paper_id: str, shown: Callable[[str], None]) -> None:
        """Why the paper is where it is in the priority order, in words, to ``shown``
        (in a worker; a newer call drops an older one's answer)."""
        with_library(
            self,
            lambda library: library.priority_of(paper_id).why,
            done=shown,
            exclusive=True,
            group="priority-why",
        )

    def _write(self, change: Callable[[Library], Paper]) -> None:
        # The app's worker: the change is told even if this screen closes meanwhile.
        with_library(self.app, change, done=self.tell_changed, group="paper-change")

    def action_open_link(self) -> None:
        if paper := self.current_paper():
            self.app.open_url(paper.url)
            self.notify(f"Opening {paper.url}", markup=False, timeout=3)

    def action_copy(self) -> None:
        if paper := self.current_paper():
            self.app.copy_to_clipboard(f"{paper.title}\n{paper.url}")
            self.notify("Copied the title and link", timeout=2)


class ListScreen(PaperScreen):
    """A screen built around one list of papers (``LIST_ID``): its cursor's paper is the
    current paper, ``Enter`` opens it, and a changed paper is redrawn in place."""

    LIST_ID: ClassVar[str]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("T", "triage", "Triage", show=False, id="list.triage"),
        Binding("asterisk", "mark_all", "Select all", show=False, id="list.mark_all"),
        Binding("t", "tag", "Tag", show=False, id="list.tag"),
        Binding("e", "export", "Export", show=False, id="list.export"),
    ]

    def on_mount(self) -> None:
        self.mount(SelectionBar())

    # -- the selection (Space, V, * and Esc in the list) ---------------------------------

    def marked_ids(self) -> list[str]:
        """The selected papers' ids, in the order they were selected."""
        return list(self.paper_list.marked)

    def targets(self) -> tuple[list[str], str]:
        """What tag and export act on: the selection, else the paper under the cursor;
        and how to name it."""
        if ids := self.marked_ids():
            return ids, f"{len(ids):,} selected {plural(len(ids), 'paper')}"
        paper = self.current_paper()
        return ([paper.id], repr(paper.title)) if paper else ([], "")

    def match_finder(self) -> Callable[[Library], list[str]]:
        """What ``*`` runs in a worker (made here, on the UI thread): every paper of the
        list shown, not only the rows read so far."""
        source = self.paper_list.source
        return lambda _library: source.ids(0, len(source))

    def action_mark_all(self) -> None:
        """Select every paper of the list: all matches of its search, at any size."""
        plist, source = self.paper_list, self.paper_list.source
        if not source.loads:
            return  # the last run's rows, while the library opens: nothing to select yet

        def chosen(ids: list[str]) -> None:
            if plist.source is source:  # else the list changed meanwhile
                plist.set_marks(ids)
                self.notify(f"Selected {len(ids):,} {plural(len(ids), 'paper')}", timeout=2)

        with_library(self, self.match_finder(), done=chosen, exclusive=True, group="mark-all")

    @on(PaperList.MarksChanged)
    def marks_changed(self, event: PaperList.MarksChanged) -> None:
        self.query_one(SelectionBar).show_count(len(event.paper_list.marked), self)

    def action_toggle_bookmark(self) -> None:
        if ids := self.marked_ids():
            bookmark_papers(self, ids)
        else:
            super().action_toggle_bookmark()

    def action_toggle_read(self) -> None:
        if ids := self.marked_ids():
            read_papers(self, ids)
        else:
            super().action_toggle_read()

    def action_queue(self) -> None:
        if ids := self.marked_ids():
            queue_papers(self, ids)
        else:
            super().action_queue()

    def action_tag(self) -> None:
        ids, what = self.targets()
        if ids:
            tag_papers(self, ids, what)

    def action_export(self) -> None:
        ids, _what = self.targets()
        if ids:
            export_papers(self, ids)

    def triage_key(self) -> str:
        """The name of what the list shows, for a triage to resume where it stopped."""
        return self.LIST_ID

    def action_triage(self) -> None:
        """Walk this list one paper at a time (from where the last triage of it stopped)."""
        plist = self.paper_list
        if not plist.source.loads:
            return  # the last run's rows, while the library opens
        if not len(plist.source):
            self.notify("No papers to triage here.", timeout=2)
            return
        from .triage import TriageScreen, start_index  # screens know each other lazily

        key, cursor, source = self.triage_key(), plist.cursor, plist.source

        def place(library: Library) -> int:
            return start_index(source, cursor, library.triage_place(key))

        with_library(
            self, place, done=lambda index: self.app.push_screen(TriageScreen(plist, index, key))
        )

    @property
    def paper_list(self) -> PaperList:
        """The screen's list."""
        return self.query_one(f"#{self.LIST_ID}", PaperList)

    def current_paper(self) -> Paper | None:
        return self.paper_list.current

    def current_id(self) -> str | None:
        """The id of the paper under the cursor (to keep it there across reloads)."""
        paper = self.paper_list.current
        return paper.id if paper else None

    def paper_changed(self, paper: Paper) -> None:
        self.paper_list.update_paper(paper)

    def on_paper_list_selected(self, event: PaperList.Selected) -> None:
        if event.paper_list is self.paper_list:
            event.stop()
            self.post_message(OpenPaper(event.paper, self.paper_list))


class ShownListScreen(ListScreen):
    """A list screen that loads once the library is open and again whenever it is shown
    (bookmarks, the queue: what they list changes on other screens)."""

    def on_mount(self) -> None:
        self.paper_list.focus()
        if self.host.library is not None:
            self.library_changed()

    def on_screen_resume(self) -> None:
        self.library_changed()
