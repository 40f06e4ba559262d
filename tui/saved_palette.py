"""Command palette provider: the saved searches, each with how many papers are new."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from store import StoreError

from .host import LibraryHost
from .messages import OpenSavedSearch

if TYPE_CHECKING:
    from store.digest import SavedStatus

__all__ = ["SavedSearchCommands", "status_label"]


def status_label(status: SavedStatus) -> Text:
    """``Saved search: name (3 new of 40)``, the name and query as plain text."""
    label = Text("Saved search: ", style="dim")
    label.append(status.search.name, style="bold")
    label.append(f" ({status.new} new of {status.total})", style="green" if status.new else "")
    return label


class SavedSearchCommands(Provider):
    """Open a saved search (``paperdeck saved add NAME QUERY`` makes one)."""

    async def _statuses(self) -> list[SavedStatus]:
        library = cast(LibraryHost, self.app).library
        if library is None:
            return []
        try:
            return await asyncio.to_thread(library.saved_searches)
        except StoreError:
            return []

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for status in await self._statuses():
            label = status_label(status)
            score = matcher.match(f"Saved search: {status.search.name} {status.search.query}")
            if score > 0:
                yield Hit(
                    score, label, self._opener(status), text=label.plain, help=status.search.query
                )

    async def discover(self) -> Hits:
        for status in await self._statuses():
            label = status_label(status)
            yield DiscoveryHit(
                label, self._opener(status), text=label.plain, help=status.search.query
            )

    def _opener(self, status: SavedStatus) -> Callable[[], None]:
        def open_search() -> None:
            self.app.post_message(OpenSavedSearch(status.search.name, status.search.query))

        return open_search
