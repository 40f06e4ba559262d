"""The keys: generated from the bindings of the screen underneath and the app's own."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..keys import binding_key
from ..widgets.dialogs import Dialog

__all__ = ["HelpEntry", "HelpScreen"]

HelpEntry = tuple[str, str, str, str]
"""(section, keys, description, binding id)."""


class HelpScreen(Dialog[None]):
    """Every binding that is active where ``?`` was pressed, with its id for the keymap."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, entries: list[HelpEntry], config_file: str) -> None:
        super().__init__()
        self.entries = entries
        self.config_file = config_file

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column("keys", style="bold", no_wrap=True)
        table.add_column("does")
        table.add_column("binding id", style="dim", no_wrap=True)
        section = None
        for name, keys, description, binding_id in self.entries:
            if name != section:
                table.add_row(Text(name, style="bold underline"), "", "")
                section = name
            table.add_row(Text(keys), Text(description), Text(binding_id))
        with VerticalScroll(classes="dialog help"):
            yield Static(Text("paperdeck keys", style="bold"), markup=False)
            yield Static(table)
            yield Static(id="help-footer", markup=False)

    def on_mount(self) -> None:
        footer = Text(
            f"\nRemap any key by its id in {self.config_file}, e.g.\n"
            '  [keymap]\n  "list.down" = "j,down,ctrl+n"',
            style="dim",
        )
        if close := binding_key(self, "help.close"):
            footer.append(f"\n{close} closes this help.")
        self.query_one("#help-footer", Static).update(footer)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
