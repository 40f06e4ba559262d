"""Every binding of the reader by id, for checking the user's ``[keymap]``: the app's,
each screen's, the list's and the dialogs'; and the keys no keymap may take."""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding, BindingType

from .keymap import binding_keys
from .screens.bookmarks import BookmarksScreen
from .screens.detail import DetailScreen
from .screens.help import HelpScreen
from .screens.library import LibraryScreen
from .screens.queue import QueueScreen
from .screens.saved import SavedScreen
from .screens.search import SearchScreen
from .screens.triage import TriageScreen
from .widgets.dialogs import DIALOGS
from .widgets.paper_list import PaperList

__all__ = ["known_bindings", "reserved_keys"]

OWNERS: tuple[type, ...] = (
    LibraryScreen,
    SearchScreen,
    BookmarksScreen,
    QueueScreen,
    SavedScreen,
    TriageScreen,
    DetailScreen,
    HelpScreen,
    PaperList,
    *DIALOGS,
)
"""Everything but the app that has bindings."""


def known_bindings(app: type) -> dict[str, str]:
    """Every binding id of the ``app`` class and of :data:`OWNERS`, with its keys."""
    bindings = [
        b for owner in (app, *OWNERS) for cls in owner.__mro__ for b in getattr(cls, "BINDINGS", [])
    ]
    return binding_keys(bindings)


def reserved_keys(app_bindings: Sequence[BindingType]) -> dict[str, tuple[str, str]]:
    """Keys that work everywhere before any other binding: key -> (binding id, what)."""
    reserved = {"ctrl+c": ("textual.copy", "copying"), "ctrl+q": ("app.quit", "quitting")}
    for binding in app_bindings:
        if isinstance(binding, Binding) and binding.priority and binding.id:
            for key in binding.key.split(","):
                reserved[key.strip()] = (binding.id, binding.tooltip or binding.description)
    return reserved
