"""Keys typed while focus moves land where the user is moving to.

``/`` then ``quantization`` typed fast: Textual moves focus to the search box a moment
after ``/`` is handled, and the keys already on their way went to the list (``q``
quit the app). So when a key that moves focus into a text box arrives, the keys after
it are held until focus has left the widget that had it, then handed on in order to
wherever focus went; after :data:`HOLD_S` (focus never moved) they go where it is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from textual import events
from textual.widget import Widget

__all__ = ["FOCUS_MOVING", "HOLD_CHECK_S", "HOLD_S", "KeyHold"]

HOLD_S = 0.6
HOLD_CHECK_S = 0.01  # how often a hold looks whether focus has moved
FOCUS_MOVING = frozenset(
    {
        "app.search",
        "app.palette",
        "search.edit",
        "bookmarks.tags",
        "bookmarks.note",
        "bookmarks.export",
        "search.save",
        "list.tag",
        "list.export",
    }
)
"""Binding ids whose action puts the cursor in a text box."""


@dataclass
class KeyHold:
    """Keys waiting for a text box to get focus."""

    held: list[events.Key] = field(default_factory=list)
    until: float = 0.0
    origin: Widget | None = None

    def holds(self, focused: Widget | None) -> bool:
        """True while focus is still where it was when the hold began, or nowhere (a new
        screen before it focuses anything), and for no longer than :data:`HOLD_S`."""
        return focused in (self.origin, None) and time.monotonic() < self.until

    def start(self, focused: Widget | None) -> None:
        """Hold the keys that come next, until focus leaves ``focused``."""
        self.origin = focused
        self.until = time.monotonic() + HOLD_S

    def hold(self, event: events.Key) -> None:
        """Keep ``event`` for later."""
        self.held.append(event)

    def release(self) -> list[events.Key]:
        """The held keys, in order; holding stops."""
        held, self.held, self.until, self.origin = self.held, [], 0.0, None
        return held
