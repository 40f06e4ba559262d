"""Dialogs never wipe what another paperdeck wrote, nor what the user did not clear on
purpose; pastes are imported whole; an interrupted import is finished with a notice."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from store import Library
from store.records import paper_id
from tests.helpers import make_page
from tests.tui.test_app import SIZE, data_dir, library_list, loaded, make_app, wait_for
from tui.paste_filter import PasteFilter
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.search import SearchScreen
from tui.widgets.dialogs import ConfirmDialog, NoteConflictDialog, TextDialog

__all__ = ["data_dir"]  # the fixture, shared with test_app

TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")


async def _on_bookmarks(app, pilot, data_dir: Path) -> str:  # type: ignore[no-untyped-def]
    with Library.open(data_dir) as library:
        library.bookmark(TULU, tags=["survey"], note="mine first")
    await wait_for(pilot, loaded(app, 6))
    await pilot.press("3")
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, BookmarksScreen) and app.screen.paper_list.current is not None
        ),
    )
    return TULU


async def test_a_tag_added_elsewhere_while_the_dialog_is_open_is_kept(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _on_bookmarks(app, pilot, data_dir)
        await pilot.press("t")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TextDialog) and isinstance(app.focused, Input)
        )
        assert app.screen.query_one(Input).value == "survey"
        with Library.open(data_dir) as other:  # `paperdeck bookmark add ID --tag from-laptop`
            other.bookmark(TULU, tags=["from-laptop"])
        await pilot.press(*", mine", "enter")
        await wait_for(pilot, lambda: "mine" in Library.open(data_dir).get(TULU).tags)
    assert Library.open(data_dir).get(TULU).tags == ["survey", "from-laptop", "mine"]


async def test_a_note_changed_elsewhere_shows_both_and_the_user_chooses(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _on_bookmarks(app, pilot, data_dir)
        await pilot.press("n")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TextDialog) and isinstance(app.focused, Input)
        )
        with Library.open(data_dir) as other:
            other.set_note(TULU, "written on the laptop")
        app.screen.query_one(Input).value = "written here"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteConflictDialog))
        assert Library.open(data_dir).get(TULU).note == "written on the laptop"  # untouched
        await pilot.press("b")
        await wait_for(pilot, lambda: "written here" in Library.open(data_dir).get(TULU).note)
    assert Library.open(data_dir).get(TULU).note == "written on the laptop\n\nwritten here"


async def test_clearing_every_tag_is_asked_and_can_be_refused(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _on_bookmarks(app, pilot, data_dir)
        before = (data_dir / "userdata.json").read_bytes()
        await pilot.press("t")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TextDialog) and isinstance(app.focused, Input)
        )
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await pilot.pause(0.3)
        assert (data_dir / "userdata.json").read_bytes() == before
        await pilot.press("t")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TextDialog) and isinstance(app.focused, Input)
        )
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: Library.open(data_dir).get(TULU).tags == [])


async def test_enter_on_an_unchanged_dialog_writes_nothing(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _on_bookmarks(app, pilot, data_dir)
        before = (data_dir / "userdata.json").read_bytes()
        await pilot.press("n")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TextDialog) and isinstance(app.focused, Input)
        )
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert (data_dir / "userdata.json").read_bytes() == before


# -- pastes ----------------------------------------------------------------------------

PAGE = make_page(
    [
        ("A Pasted Paper About Escapes", "Its abstract has \x1b[31mred\x1b[0m text in it b r q."),
        ("A Second Pasted Paper", "Nothing odd here at all, just words."),
    ]
)


def test_an_escape_inside_a_paste_does_not_end_it() -> None:
    """Textual's parser ended the paste at the ESC and sent the rest as keys."""
    from textual._xterm_parser import XTermParser

    from tui.paste_filter import install

    install()
    parser = XTermParser()
    raw = "\x1b[200~" + PAGE.replace("\n", "\r") + "\x1b[201~"
    tokens = [*parser.feed(raw[:50]), *parser.feed(raw[50:]), *parser.feed("")]
    assert [type(t).__name__ for t in tokens] == ["Paste"]
    assert "b r q." in tokens[0].text and "\x1b" not in tokens[0].text  # type: ignore[attr-defined]


def test_the_paste_filter_leaves_keys_outside_pastes_alone() -> None:
    paste_filter = PasteFilter()
    assert paste_filter("\x1b") == "\x1b"  # an Esc key press is not held back
    assert paste_filter("[Aj") == "[Aj"
    assert paste_filter("\x1b[2") + paste_filter("00~a\x1bb\x1b[20") + paste_filter("1~c") == (
        "\x1b[200~ab\x1b[201~c"
    )


async def test_a_pasted_page_with_escapes_and_cr_endings_is_imported(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        text = PAGE.replace("\x1b", "").replace("\n", "\r")  # what the filtered paste holds
        app.post_message(events.Paste(text))
        await wait_for(pilot, loaded(app, 2), timeout=10)  # what just arrived, first
        status = str(app.screen.query_one("#library-status").render())
        assert "2 new since " in status, status
        await pilot.press("n")  # and then everything
        await wait_for(pilot, loaded(app, 8), timeout=10)
        assert app.is_running


async def test_a_page_pasted_into_the_search_box_is_imported_not_searched(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        app.post_message(events.Paste(PAGE))
        await wait_for(pilot, lambda: Library.open(data_dir).count() == 8, timeout=10)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(Input).value == ""


async def test_an_interrupted_import_is_finished_when_the_app_opens(data_dir: Path) -> None:
    with Library.open(data_dir) as library:  # what a killed import left
        library.sources.save(
            make_page([("Left By A Killed Import", "Stored, never indexed.")]).encode(),
            name="killed.txt",
            kind="page",
            year=None,
            fallback_year=2025,
        )
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 7), timeout=10)
        await wait_for(
            pilot, lambda: any("interrupted" in str(n.message) for n in app._notifications)
        )
        assert any(
            p.title.startswith("Left By") for p in library_list(app).source.listing.papers(0, 7)
        )  # type: ignore[attr-defined]
