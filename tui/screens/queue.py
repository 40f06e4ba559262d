"""The reading queue: what to read next, in order; reorder it, take papers out, open
the next unread one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from ..keys import Hint, binding_key, key_hints
from ..messages import OpenPaper
from ..render import plural
from ..widgets.paper_list import PaperList
from ..widgets.sources import Row, StaticSource
from ..workers import with_library
from .base import ShownListScreen

if TYPE_CHECKING:
    from store import Paper
    from store.reading_queue import QueuedPaper

__all__ = ["QueueScreen"]

STATUS_KEYS: tuple[Hint, ...] = (
    "queue.move_up",
    "queue.move_down",
    "queue.remove",
    "queue.next",
    ("app.undo", "undo"),
)


def _row(place: QueuedPaper) -> Row:
    """A queued paper's row; one the library lost says so (and cannot be opened)."""
    if place.paper is not None:
        return Row(place.paper)
    from store import Paper  # pydantic loads with the library, not before the first frame

    missing = Paper(id=place.id, title=f"missing: {place.id} (its page was removed)", abstract="")
    return Row(missing, detail="missing")


class QueueScreen(ShownListScreen):
    """The queue in reading order: ``J``/``K`` move a paper, ``x`` removes it, ``n``
    opens the first unread one."""

    LIST_ID = "queue-list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("K", "move(-1)", "Move up", id="queue.move_up"),
        Binding("J", "move(1)", "Move down", id="queue.move_down"),
        Binding("x,d", "remove", "Remove", id="queue.remove"),
        Binding("n", "next_unread", "Next unread", id="queue.next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.missing: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static("", id="queue-status", markup=False)
        yield PaperList(id="queue-list")
        yield Footer()

    def library_changed(self, keep: str | None = None, at: int | None = None) -> None:
        """Read the queue again (in a worker), the cursor on ``keep`` or at ``at``."""
        keep = keep or self.current_id()
        with_library(
            self,
            lambda library: library.queue(),
            done=lambda queue: self._show(queue, keep, at),
            exclusive=True,
            group="queue",
        )

    def paper_changed(self, paper: Paper) -> None:
        self.library_changed()  # a paper read or queued elsewhere changes what is next

    def _show(self, queue: list[QueuedPaper], keep: str | None, at: int | None) -> None:
        self.missing = {place.id for place in queue if place.missing}
        source = StaticSource([_row(place) for place in queue])
        index = at if at is not None else (source.position(keep) if keep else None)
        self.paper_list.set_source(source, index or 0, list_key="queue")
        unread = sum(1 for p in queue if p.paper is not None and not p.paper.read)
        line = Text(f"{len(queue)} {plural(len(queue), 'paper')} in the queue, {unread} unread")
        if self.missing:
            line.append(f", {len(self.missing)} missing from the library")
        if not queue and (add := binding_key(self, "paper.queue")):
            line.append(f" · press {add} on any paper to queue it")
        hints = key_hints(self, STATUS_KEYS)
        if hints:
            line.append(f"\n{hints}", style="dim")
        self.query_one("#queue-status", Static).update(line)

    def current_paper(self) -> Paper | None:
        paper = self.paper_list.current
        return None if paper is None or paper.id in self.missing else paper

    def _queued_id(self) -> str | None:
        paper = self.paper_list.current
        return paper.id if paper is not None else None

    def action_move(self, offset: int) -> None:
        if (paper_id := self._queued_id()) is None:
            return
        with_library(
            self.app,
            lambda library: library.queue_move(paper_id, offset),
            done=lambda _place: self.library_changed(keep=paper_id),
            group="queue-edit",
        )

    def action_remove(self) -> None:
        paper = self.paper_list.current
        if paper is None:
            return
        at, paper_id, title = self.paper_list.cursor, paper.id, paper.title

        def removed(left: list[str]) -> None:
            self.notify(f"Removed from the queue: {title}", markup=False, timeout=4)
            self.library_changed(at=min(at, max(0, len(left) - 1)))

        with_library(
            self.app,
            lambda library: library.queue_remove([paper_id]),
            done=removed,
            group="queue-edit",
        )

    def action_next_unread(self) -> None:
        def opened(paper: Paper | None) -> None:
            if paper is None:
                self.notify("No unread paper in the queue.", timeout=3)
                return
            self.library_changed(keep=paper.id)
            self.post_message(OpenPaper(paper, self.paper_list))

        with_library(self, lambda library: library.queue_next(), done=opened, group="queue-next")

    def on_paper_list_selected(self, event: PaperList.Selected) -> None:
        # Textual runs ListScreen's handler after this one unless the default is prevented.
        if event.paper_list is self.paper_list and event.paper.id in self.missing:
            event.stop()
            event.prevent_default()
            self.notify("This paper is no longer in the library.", severity="warning")
