"""One paper: title, metadata, the clean abstract, links, sightings and related papers."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from ..messages import OpenPaper
from ..render import ai_details, hf_details, paper_links, plural, safe, sighting_lines
from ..widgets.paper_list import PaperList
from ..widgets.sources import Row, RowSource
from ..workers import in_thread, with_library
from .base import PaperScreen

if TYPE_CHECKING:
    from store import Paper

__all__ = ["DetailScreen"]


class DetailScreen(PaperScreen):
    """A paper in full. ``[``/``]`` walk the list it was opened from; ``Esc`` goes back."""

    CSS_PATH = "detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("left_square_bracket", "step(-1)", "Previous", id="detail.previous"),
        Binding("right_square_bracket", "step(1)", "Next", id="detail.next"),
        Binding("j", "scroll_down", "Scroll down", show=False, id="detail.scroll_down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="detail.scroll_up"),
        Binding("tab", "app.focus_next", "Links/related", show=False, id="detail.focus_next"),
        Binding("p", "open_pdf", "PDF", show=False, id="detail.pdf"),
    ]

    def __init__(self, paper: Paper, origin: PaperList | None = None) -> None:
        super().__init__()
        self.paper = paper
        self.origin = origin
        self.origin_source: RowSource | None = origin.source if origin else None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-body"):
            yield Static(id="detail-title", markup=False)
            yield Static(id="detail-meta", markup=False)
            yield Static(id="detail-hf", markup=False)
            yield Static(id="detail-history-title", markup=False)
            yield Sparkline([], id="detail-history")
            yield Static(id="detail-abstract", markup=False)
            yield Static(id="detail-ai", markup=False)
            yield Static(Text("Links", style="bold"), id="detail-links-title", markup=False)
            yield OptionList(id="detail-links")
            yield Static(id="detail-seen", markup=False)
            yield Static(Text("Related papers", style="bold"), markup=False)
            yield OptionList(
                Option(Text("Looking for related papers…"), disabled=True), id="detail-related"
            )
        yield Footer()

    def on_mount(self) -> None:
        width = self.host.reading_width
        for part in (
            "#detail-title",
            "#detail-meta",
            "#detail-hf",
            "#detail-history",
            "#detail-abstract",
            "#detail-ai",
            "#detail-seen",
        ):
            self.query_one(part).styles.max_width = width  # a reading width, not the screen's
        self.show(self.paper)
        self.query_one("#detail-body").focus()

    def current_paper(self) -> Paper | None:
        return self.paper

    def show(self, paper: Paper) -> None:
        """Show ``paper``, mark it read, and look for related papers."""
        self.paper = paper
        self.query_one("#detail-title", Static).update(Text(safe(paper.title).plain, style="bold"))
        self.query_one("#detail-meta", Static).update(self._meta(paper))
        self.query_one("#detail-abstract", Static).update(safe(paper.abstract))
        for part, text in (("#detail-hf", hf_details(paper)), ("#detail-ai", ai_details(paper))):
            widget = self.query_one(part, Static)
            widget.update(text)
            widget.display = bool(text.plain)  # text pages carry none of it
        self._show_history(paper)
        links = self.query_one("#detail-links", OptionList)
        links.clear_options()
        for number, (label, url) in enumerate(paper_links(paper)):
            links.add_option(Option(_link(f"{label}: {url}"), id=f"link-{number}"))
        seen = [Padding(Text(line), (0, 0, 0, 2)) for line in sighting_lines(paper)]
        self.query_one("#detail-seen", Static).update(
            Group(Text("Seen on", style="bold"), *seen, Text(""))
        )
        self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False)
        self._related(paper.id)
        if not paper.read:
            self._mark_read(paper.id)

    def _meta(self, paper: Paper) -> Text:
        seen = max((s.page_date for s in paper.sightings if s.page_date), default=None)
        undated = f"no date (seen {seen.isoformat()})" if seen else "no date"
        parts = [
            paper.published.isoformat() if paper.published else undated,
            f"{paper.upvotes} upvotes" if paper.upvotes is not None else "",
            paper.organization
            or (
                f"{paper.authors_count} {plural(paper.authors_count, 'author')}"
                if paper.authors_count
                else ""
            ),
            "★ bookmarked" if paper.bookmarked else "",
            "read" if paper.read else "unread",
            ("tags: " + ", ".join(paper.tags)) if paper.tags else "",
            f"id {paper.id}",
        ]
        text = safe(" · ".join(p for p in parts if p))
        if paper.note:
            text.append("\nnote: ")
            text.append_text(safe(paper.note))
        return text

    def _show_history(self, paper: Paper) -> None:
        """The upvotes over the paper's sightings, when there are two counts or more."""
        history = paper.upvote_history()
        title = self.query_one("#detail-history-title", Static)
        chart = self.query_one("#detail-history", Sparkline)
        shown = len(history) >= 2
        title.display = chart.display = shown
        if shown:
            first, last = history[0], history[-1]
            title.update(
                Text(
                    f"Upvotes: {first[1]} on {first[0].date().isoformat()} → {last[1]} on "
                    f"{last[0].date().isoformat()} ({paper.rising():+.1f} a day)",
                    style="bold",
                )
            )
            chart.data = [float(count) for _, count in history]

    def action_open_pdf(self) -> None:
        if self.paper.pdf_url is None:
            self.notify("The PDF is known for papers with an arXiv id.", timeout=3)
            return
        self.app.open_url(self.paper.pdf_url)
        self.notify(f"Opening {self.paper.pdf_url}", markup=False, timeout=3)

    def paper_changed(self, paper: Paper) -> None:
        if paper.id == self.paper.id:
            self.paper = paper
            # Not there before the screen is composed (it then shows the paper as it is)
            # nor while the app closes.
            for meta in self.query("#detail-meta").results(Static):
                meta.update(self._meta(paper))

    # -- workers -----------------------------------------------------------------------

    def _related(self, paper_id: str) -> None:
        with_library(
            self,
            lambda library: library.related(paper_id),
            done=lambda related: self._show_related(paper_id, related),
            # Related papers are a bonus: when they cannot be found, say there are none.
            store_error=lambda _: self._show_related(paper_id, []),
            exclusive=True,
            group="detail-related",
        )

    def _show_related(self, paper_id: str, related: list[Paper]) -> None:
        if paper_id != self.paper.id:
            return  # the user moved on: drop the stale answer
        options = self.query_one("#detail-related", OptionList)
        options.clear_options()
        self._related_papers = {p.id: p for p in related}
        if not related:
            options.add_option(Option(Text("No related papers found."), disabled=True))
        for paper in related:
            label = safe(paper.title)
            if paper.published:
                label.append(f"  {paper.published.isoformat()}", style="dim")
            options.add_option(Option(label, id=paper.id))

    def _mark_read(self, paper_id: str) -> None:
        # The app's worker: the list behind learns of it even if this screen closes first.
        # Opening a paper on a read-only library is not an error worth a notification.
        with_library(
            self.app,
            lambda library: library.set_read(paper_id, True),
            done=self.tell_changed,
            store_error=lambda _: None,
            group="detail-read",
        )

    # -- actions -----------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#detail-related")
    def open_related(self, event: OptionList.OptionSelected) -> None:
        paper = getattr(self, "_related_papers", {}).get(event.option.id or "")
        if paper is not None:
            self.post_message(OpenPaper(paper))

    @on(OptionList.OptionSelected, "#detail-links")
    def open_link(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        url = paper_links(self.paper)[int(option_id.removeprefix("link-"))][1]
        self.app.open_url(url)
        self.notify(f"Opening {url}", markup=False, timeout=3)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_scroll_down(self) -> None:
        self.query_one("#detail-body", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#detail-body", VerticalScroll).scroll_up(animate=False)

    def action_step(self, delta: int) -> None:
        origin = self.origin
        if origin is None or origin.source is not self.origin_source or not len(origin.source):
            self.notify("This paper was not opened from a list.", timeout=2)
            return
        target = max(0, min(len(origin.source) - 1, origin.cursor + delta))
        if target == origin.cursor:
            self.notify("No more papers that way.", timeout=2)
            return
        origin.cursor = target
        paper = origin.paper_at(target)
        if paper is not None:
            self.show(paper)
        else:
            self._step_load(origin.source, target)

    def _step_load(self, source: RowSource, index: int) -> None:
        def load() -> Row | None:
            source.load(index, index + 1)
            return source.cached(index)

        def loaded(row: Row | None) -> None:
            if row is not None:
                self.show(row.paper)

        in_thread(self, load, done=loaded, exclusive=True, group="detail-step")


def _link(label: str) -> Text:
    """A link as one unbroken run: folded at the edge, every character kept."""
    text = safe(label)
    text.overflow = "fold"
    return text
