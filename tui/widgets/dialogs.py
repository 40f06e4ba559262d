"""Small modal dialogs: a line of text, a yes/no question, the export form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from store.formats import FORMATS, default_filename

from ..keys import Hint, key_hints

if TYPE_CHECKING:
    from store import ExportFormat

__all__ = [
    "DIALOGS",
    "ConfirmDialog",
    "Dialog",
    "ExportChoice",
    "ExportDialog",
    "NoteChoice",
    "NoteConflictDialog",
    "TextDialog",
]

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A modal box over the screen; its styles load with the first dialog shown.

    A dialog with ``HINTS`` shows their keys in its ``#dialog-hint`` label when its
    ``HINT_FIELD`` (a widget id) has the focus (the field's own keys, like an input's Enter, count).
    """

    # Absolute: Textual resolves a relative path from each subclass's own module.
    CSS_PATH = str(Path(__file__).with_name("dialogs.tcss"))
    HINTS: ClassVar[tuple[Hint, ...]] = ()
    HINT_FIELD: ClassVar[str] = ""

    def hint_label(self) -> Label:
        """Where the keys are shown."""
        return Label(classes="dialog-hint", id="dialog-hint", markup=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.HINTS and self.HINT_FIELD and event.widget.id == self.HINT_FIELD:
            hints = key_hints(self, self.HINTS)
            self.query_one("#dialog-hint", Label).update(Text(hints, style="dim"))


class TextDialog(Dialog[str | None]):
    """Ask for one line of text; Enter accepts, Esc cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]
    HINTS = (("submit", "to save"), ("dialog.cancel", "to cancel"))
    HINT_FIELD = "dialog-input"

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title", markup=False)
            # Not selected on focus: a key typed first must add to what is there, never
            # replace it (a stray key wiped a paper's tags that way).
            yield Input(
                self.value,
                placeholder=self.placeholder,
                id="dialog-input",
                select_on_focus=False,
            )
            yield self.hint_label()

    def on_mount(self) -> None:
        field = self.query_one("#dialog-input", Input)
        field.cursor_position = len(field.value)
        field.focus()

    @on(Input.Submitted, "#dialog-input")
    def accept(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog[bool]):
    """A yes/no question; ``y`` or Enter on Yes says yes, ``n`` or Esc says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question), classes="dialog-title", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes", id="yes", variant="warning")
                yield Button("No", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


NoteChoice = Literal["mine", "theirs", "both"]


class NoteConflictDialog(Dialog[NoteChoice]):
    """The note changed elsewhere while it was edited here: show both, the user picks.
    Esc keeps the other one (nothing of this edit is saved)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "choose('mine')", "Keep mine", id="note.mine"),
        Binding("t,escape", "choose('theirs')", "Keep theirs", id="note.theirs"),
        Binding("b", "choose('both')", "Keep both", id="note.both"),
    ]

    def __init__(self, mine: str, theirs: str) -> None:
        super().__init__()
        self.mine = mine
        self.theirs = theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                Text("The note was changed elsewhere while you edited it."),
                classes="dialog-title",
                markup=False,
            )
            yield Label(Text("Yours:", style="bold"), markup=False)
            yield Label(Text(self.mine or "(empty)"), markup=False)
            yield Label(Text("Now saved:", style="bold"), markup=False)
            yield Label(Text(self.theirs or "(empty)"), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep mine", id="mine", variant="warning")
                yield Button("Keep theirs", id="theirs", variant="primary")
                yield Button("Keep both", id="both")

    def on_mount(self) -> None:
        self.query_one("#theirs", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "theirs")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice if choice in ("mine", "both") else "theirs")  # type: ignore[arg-type]


@dataclass(frozen=True)
class ExportChoice:
    """What the export dialog returns."""

    fmt: ExportFormat
    path: Path


class ExportDialog(Dialog[ExportChoice | None]):
    """Pick a format and a file; the path follows the format until you edit it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]
    HINTS = (
        ("submit", "exports"),
        ("app.focus_previous", "changes the format"),
        ("export.cancel", "cancels"),
    )
    HINT_FIELD = "export-path"

    def __init__(self, folder: Path, count: int, what: str = "bookmarks") -> None:
        super().__init__()
        self.folder = folder
        self.count = count
        self.what = what
        self.stem = "bookmarks" if what == "bookmarks" else "selection"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                Text(f"Export {self.count} {self.what}"), classes="dialog-title", markup=False
            )
            yield Select(
                [(f, f) for f in FORMATS], value="bibtex", allow_blank=False, id="export-format"
            )
            yield Input(str(self.folder / default_filename("bibtex", self.stem)), id="export-path")
            yield self.hint_label()
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        current = Path(path_input.value)
        fmt = str(event.value)
        path_input.value = str(current.with_name(default_filename(fmt, self.stem)))  # type: ignore[arg-type]

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#export-path")
    def export(self) -> None:
        fmt = str(self.query_one("#export-format", Select).value)
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.notify("Give a file name.", severity="warning")
            return
        self.dismiss(ExportChoice(fmt, Path(raw).expanduser()))  # type: ignore[arg-type]

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


DIALOGS: tuple[type[Dialog[object]], ...] = (
    TextDialog,
    ConfirmDialog,
    NoteConflictDialog,
    ExportDialog,
)  # type: ignore[assignment]
"""Every dialog (their bindings can be remapped too)."""
