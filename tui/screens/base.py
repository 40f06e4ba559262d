"""What every screen showing papers shares: the keys that act on the current paper."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker

from store import Paper, StoreError

from ..widgets.paper_list import PaperList

if TYPE_CHECKING:
    from ..app import PaperdeckApp

__all__ = ["ListScreen", "PaperScreen"]


class PaperScreen(Screen[None]):
    """A screen with a current paper: ``b`` bookmark, ``r`` read, ``o`` open, ``c`` copy."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "toggle_bookmark", "Bookmark", id="paper.bookmark"),
        Binding("r", "toggle_read", "Read", show=False, id="paper.read"),
        Binding("o", "open_link", "Open link", show=False, id="paper.open"),
        Binding("c", "copy", "Copy", show=False, id="paper.copy"),
    ]

    @property
    def deck(self) -> PaperdeckApp:
        """The app, typed."""
        from ..app import PaperdeckApp

        assert isinstance(self.app, PaperdeckApp)
        return self.app

    def on_mount(self) -> None:
        self.deck.live_screens.add(self)

    def on_unmount(self) -> None:
        self.deck.live_screens.discard(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.deck.report_worker_failure(event)

    def current_paper(self) -> Paper | None:
        """The paper the keys act on."""
        return None

    def paper_changed(self, paper: Paper) -> None:
        """A paper's bookmark, tags, note or read state changed (anywhere in the app)."""

    def library_changed(self) -> None:
        """Papers were imported or the library was opened: reload what is shown."""

    def action_toggle_bookmark(self) -> None:
        if paper := self.current_paper():
            self._change(paper.id, "bookmark")

    def action_toggle_read(self) -> None:
        if paper := self.current_paper():
            self._change(paper.id, "unread" if paper.read else "read")

    def action_open_link(self) -> None:
        if paper := self.current_paper():
            self.app.open_url(paper.url)
            self.notify(f"Opening {paper.url}", markup=False, timeout=3)

    def action_copy(self) -> None:
        if paper := self.current_paper():
            self.app.copy_to_clipboard(f"{paper.title}\n{paper.url}")
            self.notify("Copied the title and link", timeout=2)

    @work(thread=True, exit_on_error=False, group="paper-change")
    def _change(self, paper_id: str, what: str) -> None:
        library = self.deck.library
        if library is None:
            return
        try:
            if what == "bookmark":
                paper = library.toggle_bookmark(paper_id)
            else:
                paper = library.set_read(paper_id, what == "read")
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.deck.broadcast_paper, paper)


class ListScreen(PaperScreen):
    """A screen built around one list of papers (``LIST_ID``): its cursor's paper is the
    current paper, ``Enter`` opens it, and a changed paper is redrawn in place."""

    LIST_ID: ClassVar[str]

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
            self.deck.open_detail(event.paper, origin=self.paper_list)
