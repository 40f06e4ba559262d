"""Python's cycle collector, run while the user is not typing.

Rendering leaves cyclic garbage behind (Textual's strips cache themselves), thousands
of objects a second while keys are pressed. Much of it lives just long enough to reach
the oldest generation, and the full collections that free it landed in the middle of
key presses: pauses of 40 to 80 ms at 100k papers, the slowest keys of the whole app.

So everything alive once the library is open and the first screen is up is frozen out
of the collector's sight (modules, widgets, the library), the young generations are
still collected as usual (small, quick), and full collections run from a timer when
input has paused, or at the latest every few seconds of continuous use, so memory
stays bounded.

All of this was measured on the three-generation collector of Python 3.11 to 3.13.
Python 3.14's incremental collector gives thresholds and counts other meanings, so on
any collector it was not measured on (:func:`supported`) the collector steps aside:
``start`` changes nothing, ``tick`` never collects, and Python collects as it would.
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

__all__ = ["IdleCollector", "supported"]

# The newest Python whose collector this was measured on (three generations).
_LAST_MEASURED = (3, 13)


def supported(version_info: tuple[Any, ...] = sys.version_info) -> bool:
    """True on a Python whose cycle collector the idle collector was measured on
    (3.11 to 3.13); False from 3.14 on (its incremental collector)."""
    return tuple(version_info[:2]) <= _LAST_MEASURED


# Collectors running in this process (tests run several apps in one), and Python's own
# thresholds from before the first one started: the last one to stop restores them.
_running = 0
_saved_thresholds = gc.get_threshold()


class IdleCollector:
    """Runs full collections between key presses (``start`` ... ``stop``)."""

    IDLE_S = 0.3  # no input for this long: a collection is invisible
    TICK_S = 0.25
    MAX_WAIT_S = 15.0  # a full collection at least this often, typing or not
    MIN_YOUNG_COLLECTIONS = 2  # nothing much reached the old generation before this
    NO_AUTOMATIC_FULL = 1_000_000  # gen-1 collections before Python would do one itself

    def __init__(self, *, enabled: bool | None = None) -> None:
        """``enabled`` defaults to :func:`supported` for the running Python."""
        self.last_input = time.monotonic()
        self.last_collect = time.monotonic()
        self.collections = 0
        self.enabled = supported() if enabled is None else enabled
        self._running = False

    def start(self) -> None:
        """Freeze what is alive now and take over full collections (if enabled)."""
        global _running, _saved_thresholds
        if self._running or not self.enabled:
            return
        self._running = True
        if _running == 0:
            _saved_thresholds = gc.get_threshold()
        _running += 1
        gc.freeze()
        young, middle, _ = _saved_thresholds
        gc.set_threshold(young, middle, self.NO_AUTOMATIC_FULL)

    def stop(self) -> None:
        """Give collection back to Python (the app is closing)."""
        global _running
        if not self._running:
            return
        self._running = False
        _running -= 1
        if _running == 0:
            gc.unfreeze()
            gc.set_threshold(*_saved_thresholds)

    def touch(self) -> None:
        """Input arrived: hold collections off for a moment."""
        self.last_input = time.monotonic()

    def tick(self) -> bool:
        """Collect if the user paused (or waited too long); True if it collected."""
        if not self._running:
            return False
        now = time.monotonic()
        aged = gc.get_count()[2]  # gen-1 collections since the last full one
        idle = now - self.last_input >= self.IDLE_S
        overdue = now - self.last_collect >= self.MAX_WAIT_S
        if (idle and aged >= self.MIN_YOUNG_COLLECTIONS) or (overdue and aged):
            gc.collect()
            self.last_collect = now
            self.collections += 1
            return True
        return False
