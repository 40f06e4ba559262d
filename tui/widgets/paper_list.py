"""A list of papers that draws only the visible rows (the Line API), for 100k papers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.first_screen import ScreenRow

from ..render import byline, spans_text
from ..workers import in_thread
from .sources import RowSource, StaticSource

if TYPE_CHECKING:
    from store import Paper

__all__ = ["PaperList"]


class PaperList(ScrollView, can_focus=True):
    """Papers, one per line: markers, date, upvotes, title, authors or organisation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("enter", "select", "Open", id="list.open"),
        Binding("space", "toggle_mark", "Select", show=False, id="list.mark"),
        Binding("V", "mark_range", "Select range", show=False, id="list.mark_range"),
        Binding("escape", "clear_marks", "Clear selection", show=False, id="list.clear_marks"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--dim",
        "paper-list--match",
        "paper-list--mark",
        "paper-list--selected",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to a paper (None while its row loads or the list is empty)."""

        def __init__(self, paper_list: PaperList, paper: Paper | None, index: int) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.paper = paper
            self.index = index

        @property
        def control(self) -> PaperList:
            """The list that sent the message (for ``@on`` selectors)."""
            return self.paper_list

    class Selected(Highlighted):
        """Enter was pressed on a paper."""

        paper: Paper

    class MarksChanged(Message):
        """Papers were selected or unselected (``Space``, a range, all matches)."""

        def __init__(self, paper_list: PaperList) -> None:
            super().__init__()
            self.paper_list = paper_list

        @property
        def control(self) -> PaperList:
            """The list whose selection changed."""
            return self.paper_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source: RowSource = StaticSource()
        self._loading: tuple[int, int] | None = None
        self.marked: dict[str, None] = {}
        """The ids of the selected papers, in the order they were selected (kept across
        reloads; ``Esc`` clears them)."""
        self._anchor: str | None = None  # the paper of the last Space: a range starts there
        # Enter on a row not loaded yet: its index, and its paper's id if known (a saved
        # row). Opened once loaded, unless the cursor or the list moved on.
        self._open_when_loaded: tuple[int, str | None] | None = None
        self._list_key: object = None  # what the rows are a list of (marks are kept for it)
        # Drawn rows by (index, width, under the cursor, focused, selected): scrolling by
        # one row draws one new row. Cleared whenever rows or styles change.
        self._lines: LRUCache[tuple[int, int, bool, bool, bool], Strip] = LRUCache(1024)

    # -- data --------------------------------------------------------------------------

    def set_source(self, source: RowSource, index: int = 0, list_key: object = None) -> None:
        """Show ``source`` with the cursor at ``index`` (the caller finds where a paper
        went in a worker, with :meth:`RowSource.position`). ``list_key`` says what the
        rows are a list of (a query, a filter): the selection is kept while it stays the
        same (a reload, a new sort) and cleared when it changes; rows held in memory
        also drop the marks of papers no longer in them."""
        if list_key != self._list_key:
            self._list_key = list_key
            if self.marked:
                self.marked, self._anchor = {}, None
                self.post_message(self.MarksChanged(self))
        elif self.marked and isinstance(source, StaticSource):
            shown = {row.paper.id for row in source.rows}
            kept = {pid: None for pid in self.marked if pid in shown}
            if len(kept) != len(self.marked):
                self.marked = kept
                self.post_message(self.MarksChanged(self))
        old = self.source
        self.source = source
        self._loading = None
        if self._open_when_loaded is not None and self._open_when_loaded[1] is None:
            self._open_when_loaded = None  # another list: its row there is another paper
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(source))
        if old is not source:
            old.close()
        self.cursor = index
        self.refresh()
        self.call_after_refresh(self._prefetch)

    def paper_at(self, index: int) -> Paper | None:
        """The paper at ``index`` if its row is loaded."""
        row = self.source.cached(index)
        return row.paper if row else None

    @property
    def current(self) -> Paper | None:
        """The paper under the cursor, if loaded."""
        return self.paper_at(self.cursor)

    def update_paper(self, paper: Paper) -> None:
        """Redraw a paper whose user fields changed."""
        self.source.update(paper)
        self._lines.clear()
        self.refresh()

    # -- cursor ------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.source) - 1)) if len(self.source) else 0

    def watch_cursor(self, old: int, new: int) -> None:
        if self._open_when_loaded is not None and new != self._open_when_loaded[0]:
            self._open_when_loaded = None  # the cursor left the row Enter was pressed on
        top = self.scroll_offset.y
        self._scroll_cursor_into_view()
        if self.scroll_offset.y == top:
            self.refresh_line(old)  # only the two rows that changed
            self.refresh_line(new)
        else:
            self.refresh()
        self._announce()
        self._prefetch()

    def _announce(self) -> None:
        paper = self.current
        if paper is None and len(self.source):
            height = max(1, self.scrollable_content_region.height)
            top = int(self.scroll_offset.y)
            self._request(min(top, self.cursor), max(top + height, self.cursor + 1), urgent=True)
            return
        self.post_message(self.Highlighted(self, paper, self.cursor))
        wanted, self._open_when_loaded = self._open_when_loaded, None
        if (
            paper is not None
            and wanted is not None
            and wanted[0] == self.cursor
            and wanted[1] in (None, paper.id)  # its row, its paper
            and self.screen.is_current  # not behind a screen opened meanwhile
        ):
            self.post_message(self.Selected(self, paper, self.cursor))

    def _scroll_cursor_into_view(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.source) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_select(self) -> None:
        paper = self.current
        if paper is not None:
            self.post_message(self.Selected(self, paper, self.cursor))
        elif len(self.source):  # a saved row (the library is opening) or one loading
            saved = self.source.preview(self.cursor)
            self._open_when_loaded = (self.cursor, saved.id if saved else None)

    def on_click(self, event: object) -> None:
        offset = getattr(event, "y", None)
        if isinstance(offset, int):
            self.cursor = int(self.scroll_offset.y) + offset

    # -- selection ---------------------------------------------------------------------

    def set_marks(self, ids: list[str]) -> None:
        """Select exactly ``ids`` (all matches of a search, say)."""
        self.marked = dict.fromkeys(ids)
        self._marks_changed()

    def _marks_changed(self) -> None:
        self._lines.clear()
        self.refresh()
        self.post_message(self.MarksChanged(self))

    def action_toggle_mark(self) -> None:
        """Select the paper under the cursor (or unselect it) and go to the next one."""
        paper = self.current
        if paper is None:
            return
        if paper.id in self.marked:
            del self.marked[paper.id]
        else:
            self.marked[paper.id] = None
        self._anchor = paper.id
        self._marks_changed()
        self.cursor += 1

    def action_mark_range(self) -> None:
        """Select every paper from the last one selected with Space to the cursor."""
        anchor_id, cursor, source = self._anchor, self.cursor, self.source
        if not source.loads:
            return  # the last run's rows, while the library opens: nothing to select yet
        current = self.current

        def read() -> list[str]:
            anchor = source.position(anchor_id) if anchor_id is not None else None
            anchor = cursor if anchor is None else anchor  # its paper left the list
            return source.ids(min(anchor, cursor), max(anchor, cursor) + 1)

        def added(ids: list[str]) -> None:
            if source is self.source:
                self.marked.update(dict.fromkeys(ids))
                self._anchor = current.id if current is not None else None
                self._marks_changed()

        in_thread(self, read, done=added, group="paper-list-range")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_marks":
            return bool(self.marked)  # else Esc goes on to the screen (back)
        return True

    def action_clear_marks(self) -> None:
        self.marked = {}
        self._anchor = None
        self._marks_changed()

    # -- loading -----------------------------------------------------------------------

    def _request(self, start: int, stop: int, *, urgent: bool = False) -> None:
        """Load rows in a worker; ``urgent`` rows (on screen now) are read exactly, the
        others a whole page at a time."""
        if not self.source.loads:
            return  # rows saved by the last run: the real ones come with the library
        if self._loading is not None and self._loading[0] <= start and stop <= self._loading[1]:
            return
        self._loading = (start, stop)
        source = self.source
        in_thread(
            self,
            lambda: source.load(start, stop, exact=urgent),
            done=lambda _: self._loaded(source),
            exclusive=True,
            group="paper-list-rows",
        )

    def _loaded(self, source: RowSource) -> None:
        if source is not self.source:
            return  # a newer source replaced it: drop the stale rows
        self._loading = None
        self.refresh()  # rows drawn as "…" were never cached: they are drawn anew
        self._announce()
        self._prefetch()

    def _prefetch(self) -> None:
        """Read ahead while the user reads: the rows a screen above and three below the
        visible ones, then the last and first screens (``G``, ``g``), one load at a time.
        Key presses then find their rows in memory instead of waiting for the index."""
        if self._loading is not None:
            return
        count = len(self.source)
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        wanted = [
            (max(0, top - height), min(count, top + 4 * height)),
            (max(0, count - height), count),
            (0, min(count, height)),
        ]
        for start, stop in wanted:
            if any(self.source.cached(i) is None for i in range(start, stop)):
                self._request(start, stop)
                return

    # -- drawing -----------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.source))
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a theme or focus change restyles every row

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        base = self.rich_style
        if index >= len(self.source):
            return Strip.blank(width, base)
        row = self.source.cached(index)
        saved = self.source.preview(index) if row is None else None
        paper_id = row.paper.id if row is not None else saved.id if saved else None
        selected = paper_id is not None and paper_id in self.marked
        key = (index, width, index == self.cursor, self.has_focus, selected)
        if (cached := self._lines.get(key)) is not None:
            return cached
        facts = ScreenRow.of(row.paper) if row is not None else saved
        if facts is None:
            height = self.scrollable_content_region.height
            top = int(self.scroll_offset.y)
            self._request(top, top + height + 1, urgent=True)
            text = Text("  …", style=self.get_component_rich_style("paper-list--dim", partial=True))
        else:
            text = self._row_text(facts, row.title_spans if row else (), width, selected)
        if selected:
            picked = self.get_component_rich_style("paper-list--selected", partial=True)
            text.stylize(picked)
            base = base + picked
        if index == self.cursor:
            cursor_style = self.get_component_rich_style("paper-list--cursor", partial=True)
            text.stylize(cursor_style)
            base = base + cursor_style
        text.stylize_before(base)  # the widget's colours under the row's own styles
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(0, width, base)
        if facts is not None:
            self._lines[key] = strip
        return strip

    def _row_text(
        self, paper: ScreenRow, spans: Sequence[tuple[int, int]], width: int, selected: bool
    ) -> Text:
        dim = self.get_component_rich_style("paper-list--dim", partial=True)
        mark = self.get_component_rich_style("paper-list--mark", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append("★" if paper.bookmarked else " ", style=mark)
        text.append(" " if paper.read else "•", style=mark)
        text.append("✓ " if selected else "  ", style=mark + Style(bold=True))
        if width >= 70:
            if paper.published:
                text.append(f"{paper.published.isoformat():<10} ", style=dim)
            else:  # no publication date: the newest page it was seen on, in italics
                label = paper.seen.isoformat() if paper.seen else ""
                text.append(f"{label:<10} ", style=dim + Style(italic=True))
        if width >= 80:
            text.append(f"{paper.upvotes:>4}▲ " if paper.upvotes else "      ", style=dim)
        title = spans_text(
            paper.title,
            spans,
            self.get_component_rich_style("paper-list--match", partial=True),
        )
        by = byline(paper)
        room = max(10, width - text.cell_len - 1)
        if width >= 90 and by:
            by_text = Text(f"  {by}", style=dim)
            by_text.truncate(min(28, room // 3), overflow="ellipsis")
            title.truncate(max(10, room - by_text.cell_len), overflow="ellipsis")
            title.append_text(by_text)
        else:
            title.truncate(room, overflow="ellipsis")
        text.append_text(title)
        return text
