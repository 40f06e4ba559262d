"""``ctrl+z`` anywhere: undo the last change to the user's data, say what it was, and
redraw every screen (in a worker: the undo reads and writes files)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App

from store import NotFoundError

from .workers import with_library

if TYPE_CHECKING:
    from store import Library, Paper

__all__ = ["undo_last_change"]


def undo_last_change(
    app: App[Any],
    shown: Iterable[str],
    changed: Callable[[Paper], None],
    reload: Callable[[], None],
) -> None:
    """Undo; then each paper of ``shown`` (ids on screen) is read again and handed to
    ``changed``, and ``reload`` redraws the lists."""
    ids = list(dict.fromkeys(shown))

    def undo(library: Library) -> tuple[str, list[Paper]]:
        what = library.undo()
        fresh: list[Paper] = []
        for paper_id in ids:
            try:
                fresh.append(library.get(paper_id))
            except NotFoundError:
                continue
        return what, fresh

    def undone(result: tuple[str, list[Paper]]) -> None:
        what, fresh = result
        app.notify(f"Undid: {what}", markup=False, timeout=5)
        for paper in fresh:
            changed(paper)
        reload()

    with_library(app, undo, done=undone, group="undo", exclusive=True)
