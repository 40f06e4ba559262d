"""Search as you type: results update on every key, off the UI thread, stale ones dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from ..render import plural, safe, spans_text
from ..widgets.dialogs import TextDialog
from ..widgets.paper_list import PaperList
from ..widgets.sources import SearchSource
from ..workers import with_library
from .base import ListScreen

if TYPE_CHECKING:
    from store import Library, Paper, Results

__all__ = ["SearchScreen"]

SortKey = Literal["relevance", "published", "seen", "rising", "upvotes", "title", "priority"]
SORTS: tuple[SortKey, ...] = (
    "relevance",
    "published",
    "seen",
    "rising",
    "upvotes",
    "title",
    "priority",
)
PAGE_SIZE = 50
SYNTAX = (
    'words ANDed · OR · NOT · -word · "phrase" · title: org: tag: · '
    "year:2024 · upvotes:>=10 · trans* · transfromer~"
)


class SearchScreen(ListScreen):
    """Type to search; ``Down`` moves into the results, ``Enter`` opens one."""

    LIST_ID = "search-results"

    CSS_PATH = "search.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_sort", "Sort", id="search.sort"),
        Binding("escape", "leave", "Back", id="search.back"),
        Binding("slash", "focus_input", "Edit query", show=False, id="search.edit"),
        Binding("ctrl+s", "save_search", "Save search", show=False, id="search.save"),
    ]

    pending_query = ""

    def __init__(self) -> None:
        super().__init__()
        self.sort: SortKey = "relevance"
        self.generation = 0
        self.results: Results | None = None
        self.source: SearchSource | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search-top"):
            # Not selected on focus: keys typed after ``/`` add to the query in order.
            yield Input(
                placeholder="Search titles, abstracts and organisations…",
                id="search-input",
                select_on_focus=False,
            )
            yield Static(Text(SYNTAX), id="search-syntax", markup=False)
            yield Static("", id="search-status", markup=False)
        yield PaperList(id="search-results")
        yield Static("", id="search-preview", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        self.host.focus_search_box = False  # done: the box has the cursor
        if self.pending_query:  # asked for before the screen was up (a saved search)
            box.value = self.pending_query  # Input.Changed runs the search
        else:
            self.run_search("")

    def focus_input(self) -> None:
        """Put the cursor at the end of the query box."""
        box = self.query_one(Input)
        box.cursor_position = len(box.value)
        box.focus()

    def search_for(self, text: str) -> None:
        """Put ``text`` in the query box and search for it (once mounted, if not yet)."""
        self.pending_query = text
        if self.is_mounted:
            self.query_one(Input).value = text  # Input.Changed runs the search
            self.focus_input()

    def on_screen_resume(self) -> None:
        # Back from a paper or a triage: focus stays where it was (the results, say), so
        # j/k keep moving; asked for with / or 2: the query box.
        if self.host.focus_search_box:
            self.host.focus_search_box = False
            self.focus_input()

    # -- searching ---------------------------------------------------------------------

    @on(Input.Changed, "#search-input")
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def run_search(self, text: str) -> None:
        """Start a search; any answer to an older one is dropped when it arrives."""
        self.generation += 1
        generation, sort = self.generation, self.sort

        def search(library: Library) -> SearchSource:
            def fetch(offset: int, limit: int) -> Results:
                return library.search(text, sort=sort, offset=offset, limit=limit, as_you_type=True)

            first = fetch(0, PAGE_SIZE)
            if first.hits:
                _ = first.hits[0].fragment  # highlighted here, off the UI thread
            return SearchSource(fetch, first)

        with_library(
            self,
            search,
            done=lambda source: self._show(generation, source),
            exclusive=True,
            group="search",
        )

    def _show(self, generation: int, source: SearchSource) -> None:
        if generation != self.generation:
            return  # stale: the user typed more since
        self.source = source
        self.results = source.first
        self.paper_list.set_source(source, 0, list_key=source.first.query)
        self._status(source.first)
        self._preview(self.paper_list.current)

    def _status(self, results: Results) -> None:
        count = f"{results.total:,}" if results.total_exact else f"about {results.total:,}"
        line = Text(f"{count} {plural(results.total, 'paper')} · sorted by {results.sort}")
        if results.notice:
            line.append("\n")
            line.append_text(safe(results.notice))
        if results.suggestion:
            line.append("\nDid you mean: ")
            line.append_text(Text(results.suggestion, style="bold"))
        self.query_one("#search-status", Static).update(line)

    def _preview(self, paper: Paper | None) -> None:
        preview = self.query_one("#search-preview", Static)
        if paper is None:
            preview.update("")
            return
        found = self.source.fragment(paper.id) if self.source is not None else None
        fragment, spans = found or (paper.abstract[:240], [])
        preview.update(spans_text(fragment, spans, "bold reverse"))

    @on(PaperList.Highlighted, "#search-results")
    def highlighted(self, event: PaperList.Highlighted) -> None:
        self._preview(event.paper)

    @on(Input.Submitted, "#search-input")
    def submitted(self) -> None:
        if len(self.paper_list.source):
            self.paper_list.focus()

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if key == "down" and self.query_one(Input).has_focus and len(self.paper_list.source):
            self.paper_list.focus()
            getattr(event, "stop", lambda: None)()

    # -- actions -----------------------------------------------------------------------

    def match_finder(self) -> Callable[[Library], list[str]]:
        shown = self.results.query if self.results is not None else ""
        return lambda library: library.matching_ids(shown, as_you_type=True)

    def action_save_search(self) -> None:
        """Name the query shown and save it (``5`` lists the saved searches)."""
        query = self.query_one(Input).value.strip()
        if not query:
            self.notify("Type a query first, then save it.", timeout=3)
            return

        def named(name: str | None) -> None:
            if not name or not name.strip():
                return

            def save(library: Library) -> str:
                saved = library.save_search(name.strip(), query)
                return f"Saved {saved.name!r}: {saved.query}"

            with_library(
                self,
                save,
                done=lambda said: self.notify(said, markup=False, timeout=4),
                group="search-save",
            )

        self.app.push_screen(
            TextDialog(f"Name for the search {query!r}", "", "quantization"), named
        )

    def triage_key(self) -> str:
        return f"search:{self.query_one(Input).value.strip()}:{self.sort}"

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.run_search(self.query_one(Input).value)

    def action_focus_input(self) -> None:
        self.focus_input()

    def action_leave(self) -> None:
        if self.paper_list.has_focus:
            self.focus_input()
        else:
            self.app.switch_mode("library")

    def library_changed(self) -> None:
        self.run_search(self.query_one(Input).value)
