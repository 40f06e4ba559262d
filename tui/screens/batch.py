"""What a list screen does with its selection: bookmark, mark read, queue, tag and export
every selected paper at once. Each batch is one locked write of the user's data (one
``ctrl+z`` takes it back); with nothing selected, tag and export act on the paper under
the cursor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from ..keys import key_hints
from ..messages import PapersChanged
from ..render import plural
from ..widgets.dialogs import TextDialog
from ..workers import with_library
from .export_flow import ask_and_export

if TYPE_CHECKING:
    from store import Library

__all__ = [
    "SelectionBar",
    "bookmark_papers",
    "export_papers",
    "parse_tag_edit",
    "queue_papers",
    "read_papers",
    "tag_papers",
]

BAR_KEYS = (
    "paper.bookmark",
    ("list.tag", "tag"),
    ("bookmarks.tags", "tag"),
    "paper.read",
    ("paper.queue", "queue"),
    ("list.export", "export"),
    ("bookmarks.export", "export"),
    ("list.clear_marks", "clear"),
)


class SelectionBar(Static):
    """One line under a list: how many papers are selected, and the keys acting on them."""

    def show_count(self, count: int, screen: Screen[Any]) -> None:
        """Show ``count`` selected (hidden at 0)."""
        self.set_class(count > 0, "-active")
        if count:
            line = Text(f"{count:,} selected", style="bold")
            line.append("  " + key_hints(screen, BAR_KEYS))
            self.update(line)


def _batch(screen: Screen[Any], change: Callable[[Library], str]) -> None:
    """Run ``change`` in the app's worker; say what it did; every screen reloads."""

    def done(said: str) -> None:
        screen.app.notify(said, markup=False, timeout=4)
        screen.app.post_message(PapersChanged())

    with_library(screen.app, change, done=done, group="batch")


def bookmark_papers(screen: Screen[Any], ids: list[str]) -> None:
    """Bookmark them all, or remove the bookmarks if every one has one."""

    def change(library: Library) -> str:
        on, _changed = library.toggle_bookmarks(ids)
        papers = f"{len(ids):,} {plural(len(ids), 'paper')}"
        return f"Bookmarked {papers}" if on else f"Removed the bookmarks of {papers}"

    _batch(screen, change)


def read_papers(screen: Screen[Any], ids: list[str]) -> None:
    """Mark them all read, or unread if every one is read."""

    def change(library: Library) -> str:
        read, _changed = library.toggle_read_all(ids)
        return f"Marked {len(ids):,} {plural(len(ids), 'paper')} {'read' if read else 'unread'}"

    _batch(screen, change)


def queue_papers(screen: Screen[Any], ids: list[str]) -> None:
    """Add them to the end of the reading queue (those queued already keep their place)."""

    def change(library: Library) -> str:
        library.queue_add(ids)
        total = len(library.queue())
        return f"Queued {len(ids):,} {plural(len(ids), 'paper')} ({total:,} in the queue)"

    _batch(screen, change)


def parse_tag_edit(text: str) -> tuple[list[str], list[str]]:
    """``"survey, -old"``: the tags to add and those to remove."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    add = [p for p in parts if not p.startswith("-")]
    remove = [p[1:].strip() for p in parts if p.startswith("-") and p[1:].strip()]
    return add, remove


def tag_papers(screen: Screen[Any], ids: list[str], what: str) -> None:
    """Ask which tags to add (``name``) and remove (``-name``) on ``what``, then do it."""

    def save(value: str | None) -> None:
        add, remove = parse_tag_edit(value or "")
        if not add and not remove:
            return

        def change(library: Library) -> str:
            changed = library.tag_all(ids, add=add, remove=remove)
            done = []
            if add:
                done.append("added " + ", ".join(add))
            if remove:
                done.append("removed " + ", ".join(remove))
            return f"Tags {' and '.join(done)}: {changed:,} {plural(changed, 'paper')} changed"

        _batch(screen, change)

    title = f"Tags for {what}: a name adds it, -name removes it"
    screen.app.push_screen(TextDialog(title, "", "survey, -to-read"), save)


def export_papers(screen: Screen[Any], ids: list[str]) -> None:
    """Export these papers (a selection), in the order they were selected."""
    ask_and_export(
        screen,
        len(ids),
        plural(len(ids), "paper"),
        lambda library, choice, force: library.export_to(
            choice.path, choice.fmt, force=force, ids=ids
        ),
    )
