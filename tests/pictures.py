"""Taking still pictures of the app: shared by the snapshot tests and make_screenshots.py."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from tui.screens.library import LibraryScreen


async def until_library_loaded(pilot: Pilot[None], tries: int = 500) -> None:
    """Wait (up to ``tries`` x 20 ms) for the library screen to show its papers."""
    for _ in range(tries):
        if isinstance(pilot.app.screen, LibraryScreen) and pilot.app.screen.loaded:
            return
        await pilot.pause(0.02)


async def hold_still(pilot: Pilot[None], settle: float = 0.3) -> None:
    """Make the screen the same at every run: no blinking cursor, workers settled, no
    notifications (the import one carries a time)."""
    app = pilot.app
    for box in app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause(settle)
    app.clear_notifications()
    await pilot.pause()
