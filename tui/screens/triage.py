"""Triage: the papers of a list one at a time, abstract on screen, one key per decision.

``T`` on the library or the search results starts it at the paper under the cursor (or
where the last triage of the same list stopped). ``b`` bookmarks (then asks for tags),
``a`` adds to the reading queue, ``s`` skips (marks read), ``l`` leaves it for later
(unchanged); each moves on to the next paper. ``k`` goes back one; ``Esc`` stops, and
the place is remembered for the next triage of that list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from ..render import byline, safe
from ..widgets.dialogs import TextDialog
from ..widgets.paper_list import PaperList
from ..widgets.sources import Row, RowSource
from ..workers import in_thread, with_library
from .base import PaperScreen

if TYPE_CHECKING:
    from store import Library, Paper

__all__ = ["TriageScreen", "start_index"]

DECISIONS = {"bookmark": "bookmarked", "queue": "queued", "skip": "skipped", "later": "later"}


class TriageScreen(PaperScreen):
    """Walks ``origin``'s papers from ``index``; ``list_key`` names the list (to resume)."""

    DEFAULT_CSS = """
    TriageScreen #triage-body { padding: 0 1; }
    TriageScreen #triage-progress { color: $text-muted; padding: 1 0 0 0; }
    TriageScreen #triage-title { color: $accent; padding: 1 0 0 0; }
    TriageScreen #triage-meta { color: $text-muted; }
    TriageScreen #triage-why { color: $text-muted; padding-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "decide('bookmark')", "Bookmark", id="triage.bookmark"),
        Binding("a", "decide('queue')", "Queue", id="triage.queue"),
        Binding("s", "decide('skip')", "Skip (read)", id="triage.skip"),
        Binding("l", "decide('later')", "Later", id="triage.later"),
        Binding("k", "back_one", "Back one", id="triage.back_one"),
        Binding("escape", "stop", "Stop", id="triage.stop"),
    ]

    def __init__(self, origin: PaperList, index: int, list_key: str) -> None:
        super().__init__()
        self.origin = origin
        self.source: RowSource = origin.source
        self.index = index
        self.list_key = list_key
        self.paper: Paper | None = None
        self.decisions: dict[str, str] = {}
        self._done = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="triage-body"):
            yield Static(id="triage-progress", markup=False)
            yield Static(id="triage-title", markup=False)
            yield Static(id="triage-meta", markup=False)
            yield Static(id="triage-why", markup=False)
            yield Static(id="triage-abstract", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._go(self.index)

    def current_paper(self) -> Paper | None:
        return self.paper

    # -- moving ------------------------------------------------------------------------

    def _go(self, index: int) -> None:
        if not 0 <= index < len(self.source):
            self._finished()
            return
        self.index = index
        row = self.source.cached(index)
        if row is not None:
            self._show(row.paper)
            return
        source = self.source

        def load() -> Row | None:
            source.load(index, index + 50)
            return source.cached(index)

        def loaded(row: Row | None) -> None:
            if row is not None and index == self.index and not self._done:
                self._show(row.paper)

        in_thread(self, load, done=loaded, exclusive=True, group="triage-load")

    def _show(self, paper: Paper) -> None:
        self.paper = paper
        counts = Counter(self.decisions.values())
        told = " · ".join(f"{counts[d]} {d}" for d in DECISIONS.values() if counts[d])
        progress = f"Triage: paper {self.index + 1:,} of {len(self.source):,}"
        decided = self.decisions.get(paper.id)
        self.query_one("#triage-progress", Static).update(
            Text(" · ".join(p for p in (progress, told, decided and f"this one: {decided}") if p))
        )
        self.query_one("#triage-title", Static).update(Text(safe(paper.title).plain, style="bold"))
        meta = [
            paper.published.isoformat() if paper.published else "no date",
            f"{paper.upvotes} upvotes" if paper.upvotes is not None else "",
            byline(paper),
            "bookmarked" if paper.bookmarked else "",
            "read" if paper.read else "unread",
        ]
        self.query_one("#triage-meta", Static).update(Text(" · ".join(m for m in meta if m)))
        self.query_one("#triage-abstract", Static).update(safe(paper.abstract))
        self._why(paper.id)

    def _why(self, paper_id: str) -> None:
        """The paper's priority reasons, under its metadata."""

        def shown(why: str) -> None:
            if self.paper is not None and self.paper.id == paper_id:
                line = Text("priority: ", style="bold")
                line.append_text(safe(why))
                self.query_one("#triage-why", Static).update(line)

        self.query_one("#triage-why", Static).update("")
        self.read_why(paper_id, shown)
        self.query_one("#triage-body", VerticalScroll).scroll_home(animate=False)

    def _finished(self) -> None:
        counts = Counter(self.decisions.values())
        told = ", ".join(f"{counts[d]} {d}" for d in DECISIONS.values() if counts[d])
        self.notify(f"Triage done: {told or 'nothing decided'}", markup=False)
        self._remember(None)
        self._done = True
        self.dismiss()

    def _remember(self, paper_id: str | None) -> None:
        key = self.list_key
        with_library(self.app, lambda library: library.set_triage_place(key, paper_id))

    # -- deciding ----------------------------------------------------------------------

    def action_decide(self, decision: str) -> None:
        paper = self.paper
        if paper is None:
            return
        self.decisions[paper.id] = DECISIONS[decision]
        paper_id = paper.id
        if decision == "bookmark":
            self._write(lambda library: library.bookmark(paper_id))
            self.app.push_screen(
                TextDialog("Tags for the bookmark (comma-separated; empty: none)", "", "tags"),
                lambda text: self._tagged(paper_id, text),
            )
            return
        if decision == "queue":
            self._write_many(lambda library: library.queue_add([paper_id]))
        elif decision == "skip":
            self._write(lambda library: library.set_read(paper_id, True))
        self._next()

    def _tagged(self, paper_id: str, text: str | None) -> None:
        tags = [t.strip() for t in (text or "").split(",") if t.strip()]
        if tags:
            self._write(lambda library: library.bookmark(paper_id, tags=tags))
        self._next()

    def _write_many(self, change: Callable[[Library], list[Paper]]) -> None:
        with_library(self.app, change, done=self._changed_many, group="paper-change")

    def _changed_many(self, papers: list[Paper]) -> None:
        for paper in papers:
            self.tell_changed(paper)

    def _next(self) -> None:
        self._go(self.index + 1)

    def action_back_one(self) -> None:
        if self.index > 0:
            self._go(self.index - 1)

    def action_stop(self) -> None:
        if self.paper is not None:
            self._remember(self.paper.id)
        self._done = True
        self.dismiss()

    def paper_changed(self, paper: Paper) -> None:
        if not self.is_mounted or self._done:
            return  # the triage ended while the change was on its way
        if self.paper is not None and paper.id == self.paper.id:
            self._show(paper)


def start_index(source: RowSource, cursor: int, place: str | None) -> int:
    """Where a triage starts: the remembered paper if the list still has it (and its
    row is loaded), else the cursor."""
    if place is not None:
        found = source.position(place)
        if found is not None:
            return found
    return cursor
