"""The home screen: every paper, newest first, drawn only where visible."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static

from ..keys import Hint, binding_key, key_hints
from ..render import safe
from ..widgets.paper_list import PaperList
from ..widgets.sources import ListingSource, PreviewSource, StaticSource
from ..workers import with_library
from .base import ListScreen

if TYPE_CHECKING:
    from store import Library

__all__ = ["LibraryScreen"]

SortKey = Literal["published", "seen", "rising", "upvotes", "title", "priority"]
SORTS: tuple[SortKey, ...] = ("published", "seen", "rising", "upvotes", "title", "priority")
FILTERS = ("all", "unread", "bookmarked")

EMPTY_HELP = """Your library is empty.

Import saved Hugging Face Papers pages from a shell:

    paperdeck import ~/Downloads/papers-page.txt ~/more-pages/

or copy a saved page's text (select all on the papers page, copy) and paste it
right here: paperdeck imports it."""
STATUS_KEYS: tuple[Hint, ...] = (
    "library.sort",
    "library.unread",
    "library.bookmarked",
    "library.new",
    "paper.read",
    ("app.help", "all keys"),
)


class LibraryScreen(ListScreen):
    """All papers: ``s`` cycles the sort, ``u`` unread only, ``f`` bookmarked only,
    ``n`` only those that arrived since the reader's last start (shown after an import)."""

    LIST_ID = "library-list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_sort", "Sort", id="library.sort"),
        Binding("u", "filter('unread')", "Unread", show=False, id="library.unread"),
        Binding("f", "filter('bookmarked')", "Starred", show=False, id="library.bookmarked"),
        Binding("n", "filter('new')", "New", show=False, id="library.new"),
        Binding("R", "reload", "Reload", show=False, id="library.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort: SortKey = "published"
        self.filter: str = "all"
        self.loaded = False
        self.why: str | None = None  # sorted by priority: why the cursor's paper is there
        self.total: int | None = None  # papers in the library (the list may be filtered)

    def compose(self) -> ComposeResult:
        with Vertical(id="library-body"):
            yield PaperList(id="library-list")
            yield Static(id="library-empty", markup=False)
        yield Static("Opening the library…", id="library-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#library-empty").display = False
        self.query_one(PaperList).focus()
        saved = self.host.take_first_screen()
        listing = self.host.take_initial_listing()
        library = self.host.library
        if saved is not None:  # the last run's rows, while the library opens
            self.paper_list.set_source(PreviewSource(saved), 0, list_key=self.filter)
            self._status(saved.total)
        elif listing is not None and library is not None:  # opened at once: no wait
            source = ListingSource(listing)
            source.load(0, self.app.size.height, exact=True)  # one screen of rows, no more
            self._show((source, 0, library.count()))
        elif library is not None:
            self.library_changed()

    # -- loading -----------------------------------------------------------------------

    def library_changed(self) -> None:
        sort, only = self.sort, self.filter
        since = self.host.new_since if only == "new" else None
        at, shown = self.paper_list.cursor, self.paper_list.source
        previewing = isinstance(shown, PreviewSource)
        # The paper under the cursor (a saved row while previewing: read from memory).
        keep = next(iter(shown.ids(at, at + 1)), None) if previewing else self.current_id()

        def read(library: Library) -> tuple[ListingSource, int, int]:
            listing = library.listing(
                sort,
                read=False if only == "unread" else None,
                bookmarked=True if only == "bookmarked" else None,
                arrived_after=since,
            )
            source = ListingSource(listing)
            found = None
            if keep:  # still where it was (one paper read), else looked for (every paper)
                source.load(at, at + 1, exact=True)
                row = source.cached(at)
                found = at if row is not None and row.paper.id == keep else source.position(keep)
            if found is None:
                found = max(0, min(at, len(source) - 1)) if previewing else 0
            source.load(max(0, found - 40), found + 80)
            return source, found, library.count()

        reading = with_library(
            self,
            read,
            done=self._show,
            stale=lambda shown: shown[0].close(),
            exclusive=True,
            group="library-listing",
        )
        if reading is None:  # not open yet: it reads this sort and filter once it is
            self._status()

    def _show(self, shown: tuple[ListingSource, int, int]) -> None:
        source, index, total = shown
        self.loaded = True
        self.paper_list.set_source(source, index, list_key=self.filter)
        empty = total == 0
        if empty:
            self.query_one("#library-empty", Static).update(self._empty_help())
        self.query_one("#library-empty").display = empty
        self.paper_list.display = not empty
        if not empty and self.focused is None:
            self.paper_list.focus()  # it lost focus while hidden behind the empty-state help
        self._status(total)
        if (self.sort, self.filter) == ("published", "all"):
            self.host.remember_first_screen()  # unless saved already: the next start's rows

    def library_unavailable(self, why: str) -> None:
        """The rows the last run saved are not what can be opened now: they go."""
        if isinstance(self.paper_list.source, PreviewSource):
            self.paper_list.set_source(StaticSource(), list_key=self.filter)
        self.query_one("#library-status", Static).update(
            Text(f"The library could not be opened: {why}")
        )

    def show_import_progress(self, done: int, total: int, name: str) -> None:
        """Show an import's progress in the status line."""
        line = Text(f"Importing {done}/{total} files")
        if name:
            line.append(f": {name}")
        self.query_one("#library-status", Static).update(safe(line.plain))

    def _status(self, total: int | None = None) -> None:
        shown = len(self.paper_list.source)
        if total is not None:
            self.total = total
        total = self.total if self.total is not None else shown
        if self.filter == "new":
            since = self.host.new_since.astimezone().strftime("%d %b %H:%M")
            parts = [f"{shown:,} new since {since}"]  # short: the keys fit in 120 columns
        elif self.filter == "all":
            parts = [f"{shown:,} papers"]
        else:
            parts = [f"{shown:,} of {total:,} papers", f"only {self.filter}"]
        parts.insert(1, f"sorted by {self.sort}")
        if isinstance(self.paper_list.source, PreviewSource):
            parts.append("opening the library…")  # the last run's rows: keys wait for it
        else:
            parts.append(key_hints(self, STATUS_KEYS))
        line = Text("  ·  ".join(parts))
        if self.sort == "priority" and self.why is not None:
            line.append("\nwhy here: ", style="bold")
            line.append_text(safe(self.why))
        self.query_one("#library-status", Static).update(line)

    @on(PaperList.Highlighted, "#library-list")
    def highlighted(self, event: PaperList.Highlighted) -> None:
        """Sorted by priority, the status says why the paper under the cursor is there."""
        if self.sort != "priority" or event.paper is None:
            return
        if self.why is not None:  # the last paper's reasons are not this one's
            self.why = None
            self._status()
        paper_id = event.paper.id

        def shown(why: str) -> None:
            current = self.paper_list.current
            if current is not None and current.id == paper_id:
                self.why = why
                self._status()

        self.read_why(paper_id, shown)

    def _empty_help(self) -> Text:
        """How to fill the library, and the keys to learn more or leave."""
        keys = [
            f"{key} {what}"
            for name, what in (("app.help", "for the keys"), ("app.quit", "to quit"))
            if (key := binding_key(self, name))
        ]
        if self.host.importing:
            return Text("Importing your pages… the papers appear here as soon as they are in.")
        help_ = EMPTY_HELP
        if keys:
            help_ += "\n\nPress " + ", ".join(keys) + "."
        return Text(help_)

    def triage_key(self) -> str:
        return f"library:{self.sort}:{self.filter}"

    # -- actions -----------------------------------------------------------------------

    def action_reload(self) -> None:
        self.library_changed()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.why = None
        self.library_changed()

    def action_filter(self, name: str) -> None:
        self.filter = "all" if self.filter == name else name
        self.library_changed()
