"""Command palette provider: "Open paper…" backed by the index, searched off the UI thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import Hit, Hits, Provider

from store import StoreError

from .host import LibraryHost
from .messages import FetchPapers, OpenPaper
from .render import spans_text

if TYPE_CHECKING:
    from store import Paper

__all__ = ["PaperCommands"]


FETCH_LABEL = "Fetch today's papers from Hugging Face"


class PaperCommands(Provider):
    """Type part of a title to open a paper."""

    async def search(self, query: str) -> Hits:
        library = cast(LibraryHost, self.app).library
        fetch = self.matcher(query).match(FETCH_LABEL)
        if fetch > 0:
            yield Hit(fetch, FETCH_LABEL, self._fetch, text=FETCH_LABEL)
        if library is None or len(query.strip()) < 2:
            return
        try:
            results = await asyncio.to_thread(library.search, query, limit=12, as_you_type=True)
        except StoreError:
            return
        for rank, hit in enumerate(results.hits):
            label = Text("Open paper: ", style="dim")
            label.append_text(spans_text(hit.paper.title, hit.title_spans, "bold underline"))
            yield Hit(
                1.0 - rank / 20,
                label,
                self._opener(hit.paper),
                text=f"Open paper: {hit.paper.title}",
                help=hit.paper.published.isoformat() if hit.paper.published else None,
            )

    async def discover(self) -> Hits:
        yield Hit(
            0.5,
            Text("Open paper… (type part of a title)"),
            lambda: None,
            text="Open paper…",
        )
        yield Hit(0.4, FETCH_LABEL, self._fetch, text=FETCH_LABEL)

    def _fetch(self) -> None:
        self.app.post_message(FetchPapers())

    def _opener(self, paper: Paper) -> Callable[[], None]:
        def open_paper() -> None:
            self.app.post_message(OpenPaper(paper))

        return open_paper
