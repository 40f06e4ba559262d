"""What screens may read from the app that runs them, without importing it.

Attributes down, messages up: a screen reads the library through :class:`LibraryHost`
(``cast(LibraryHost, self.app)``) and reports what it did with :mod:`tui.messages`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from store import Library, Listing
    from store.first_screen import FirstScreen

__all__ = ["LibraryHost"]


class LibraryHost(Protocol):
    """The few things of the app that screens, widgets and the palette read."""

    library: Library | None
    """The open library, or None while it is opening (or could not be opened)."""

    reading_width: int
    """How wide, at most, the paper screen's text runs (columns)."""

    importing: bool
    """True while the app imports the pages it was started with."""

    focus_search_box: bool
    """The search screen, when it is next shown, puts the cursor in its query box (the
    user asked for the search); otherwise focus comes back where it was."""

    new_since: datetime
    """Papers that arrived after this are new: the reader's previous start (or, the
    first time, this one)."""

    def hold_keys(self) -> None:
        """Hold the keys typed next until a text box has focus (one is about to open)."""
        ...

    def take_initial_listing(self) -> Listing | None:
        """The newest-first listing if the library could be opened at once, for the
        first frame (handed out once; later callers get None)."""
        ...

    def take_first_screen(self) -> FirstScreen | None:
        """The first rows the last run saved, while the library is as it was then (handed
        out once; the library itself opens in the background)."""
        ...

    def remember_first_screen(self) -> None:
        """Save the library's first rows for the next start (in a worker)."""
        ...
