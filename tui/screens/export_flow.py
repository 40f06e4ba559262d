"""Export from a screen: ask for a format and a file, confirm overwriting, write it in
the app's worker and say how many papers went out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from ..widgets.dialogs import ConfirmDialog, ExportChoice, ExportDialog
from ..workers import with_library

if TYPE_CHECKING:
    from store import Library

__all__ = ["ask_and_export"]

Writer = Callable[["Library", ExportChoice, bool], int]
"""Writes the export (the library, the user's choice, overwrite?); how many papers."""


def ask_and_export(screen: Screen[Any], count: int, what: str, write: Writer) -> None:
    """The export dialog for ``count`` papers (``what`` they are), then ``write``."""
    app = screen.app

    def run(choice: ExportChoice, force: bool) -> None:
        def exported(written: int) -> None:
            app.notify(f"Exported {written} papers to {choice.path}", markup=False, timeout=8)

        with_library(
            app,
            lambda library: write(library, choice, force),
            done=exported,
            group="export",
        )

    def chosen(choice: ExportChoice | None) -> None:
        if choice is None:
            return
        if not choice.path.exists():
            run(choice, False)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                run(choice, True)

        app.push_screen(ConfirmDialog(f"{choice.path} exists. Overwrite it?"), confirmed)

    app.push_screen(ExportDialog(Path.home(), count, what), chosen)
