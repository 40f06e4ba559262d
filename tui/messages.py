"""What screens tell the app: messages up (the app calls down into screens in return).

Screens never import the app. They post these messages, which bubble up to it (or are
posted to it directly when the screen may be closing); the app acts on them and calls
the screens it keeps (``paper_changed``, ``library_changed``...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from store import Library, Paper

__all__ = [
    "FetchPapers",
    "OpenPaper",
    "OpenSavedSearch",
    "PaperChanged",
    "PapersChanged",
    "ScreenClosed",
    "ScreenOpened",
]


class FetchPapers(Message):
    """Fetch today's daily papers from Hugging Face and import them."""


class OpenSavedSearch(Message):
    """Show a saved search's papers in the search screen; none of them is new after."""

    def __init__(self, name: str, query: str) -> None:
        super().__init__()
        self.name = name
        self.query = query


class PaperChanged(Message):
    """A paper's bookmark, tags, note or read state changed: every screen redraws it."""

    def __init__(self, paper: Paper) -> None:
        super().__init__()
        self.paper = paper


class PapersChanged(Message):
    """Many papers' user fields changed at once (a batch on a selection): every screen
    reloads what it shows."""


class OpenPaper(Message):
    """Show one paper; ``origin`` is the list it was picked from (``[`` and ``]`` walk it),
    or None."""

    def __init__(self, paper: Paper, origin: Widget | None = None) -> None:
        super().__init__()
        self.paper = paper
        self.origin = origin


class ScreenOpened(Message):
    """A screen that shows papers is up: from now on it hears about changes.

    ``library`` is the library the screen found when it mounted (None if it was not
    open yet): if the app opened it while this message was on its way, the app tells
    the screen at once.
    """

    def __init__(self, screen: Screen[Any], library: Library | None) -> None:
        super().__init__()
        self.screen = screen
        self.library = library


class ScreenClosed(Message):
    """A screen that shows papers is gone: it no longer hears about changes."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.screen = screen
