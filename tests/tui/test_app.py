"""Pilot tests for the reader: every flow a user goes through."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, OptionList, Static

from store import Library
from store.records import paper_id
from tests.helpers import FIXTURES, library_of_fixtures, make_page, write
from tui import idle_gc
from tui.app import PaperdeckApp
from tui.config import Config, load_config
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.detail import DetailScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.search import SearchScreen
from tui.widgets.dialogs import ConfirmDialog, ExportDialog, TextDialog
from tui.widgets.paper_list import PaperList

SIZE = (120, 36)
DIFFUSION = "Diffusion Transformers for Image Synthesis"
HOSTILE = [
    ("[MASK] Is Not All You Need [/]", "Abstract with [bold]markup[/bold] and [/] closers."),
    (
        "Escape \x1b[31mred\x1b[0m title \x07",
        "Abstract \x1b]0;pwned\x07 with OSC and \x1b[2J clear.",
    ),
    ("[link=https://evil.example]click[/link] ]]", "Brackets [[ and ]] and [red]x[/red]."),
]


@pytest.fixture(autouse=True)
def _config_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("PAPERDECK_CONFIG", str(path))
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return library_of_fixtures(tmp_path / "lib")


def make_app(data_dir: Path, **kwargs: object) -> PaperdeckApp:
    return PaperdeckApp(data_dir, config=kwargs.pop("config", Config()), **kwargs)  # type: ignore[arg-type]


async def wait_for(pilot: object, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let workers run until ``condition`` holds."""
    waited = 0.0
    while not condition():
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        waited += 0.05
        if waited > timeout:
            raise AssertionError("timed out waiting for the app")


def searched(app: PaperdeckApp, query: str) -> Callable[[], bool]:
    def check() -> bool:
        screen = app.screen
        return (
            isinstance(screen, SearchScreen)
            and screen.results is not None
            and screen.results.query == query
        )

    return check


def showing(app: PaperdeckApp, paper_id: str) -> Callable[[], bool]:
    def check() -> bool:
        return isinstance(app.screen, DetailScreen) and app.screen.paper.id == paper_id

    return check


def library_list(app: PaperdeckApp) -> PaperList:
    return app.screen.query_one("#library-list", PaperList)


def loaded(app: PaperdeckApp, count: int) -> Callable[[], bool]:
    def check() -> bool:
        screen = app.screen
        if not isinstance(screen, LibraryScreen) or not screen.loaded:
            return False
        plist = library_list(app)
        return len(plist.source) == count and plist.current is not None

    return check


async def test_first_run_explains_how_to_import(tmp_path: Path) -> None:
    app = make_app(tmp_path / "empty")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded)
        empty = app.screen.query_one("#library-empty", Static)
        assert empty.display
        text = str(empty.render())
        assert "paperdeck import" in text and "paste" in text


async def test_import_on_launch_and_paste_import(tmp_path: Path) -> None:
    app = make_app(tmp_path / "lib", import_paths=[FIXTURES / "daily.txt"])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 4))
        page = make_page([("Pasted Paper About Robots", "Robots learn to paste.")])
        app.post_message(events.Paste(page))
        await wait_for(pilot, loaded(app, 5))
        titles = [library_list(app).paper_at(i).title for i in range(5)]  # type: ignore[union-attr]
        assert "Pasted Paper About Robots" in titles


async def test_sort_keeps_the_cursor_on_its_paper(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("j", "j")
        chosen = library_list(app).current
        assert chosen is not None
        for sort in ("seen", "rising", "upvotes", "title", "priority", "published"):
            await pilot.press("s")
            await wait_for(pilot, lambda s=sort: app.screen.sort == s and loaded(app, 6)())  # type: ignore[attr-defined]
            await wait_for(pilot, lambda: library_list(app).current is not None)
            assert library_list(app).current.id == chosen.id  # type: ignore[union-attr]
        # g / G go to the ends
        await pilot.press("G")
        assert library_list(app).cursor == 5
        await pilot.press("g")
        assert library_list(app).cursor == 0


async def test_filters_unread_and_bookmarked(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.bookmark(paper_id(DIFFUSION))
        library.set_read(paper_id(DIFFUSION))
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("u")
        await wait_for(pilot, loaded(app, 5))
        await pilot.press("f")
        await wait_for(pilot, loaded(app, 1))
        assert library_list(app).current.title == DIFFUSION  # type: ignore[union-attr]


async def test_open_marks_read_and_walks_the_list(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        first = library_list(app).current
        second = library_list(app).paper_at(1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.paper.id == first.id  # type: ignore[union-attr]
        await wait_for(pilot, lambda: Library.open(data_dir).get(first.id).read)  # type: ignore[union-attr]
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: detail.paper.id == second.id)  # type: ignore[union-attr]
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: detail.paper.id == first.id)  # type: ignore[union-attr]
        await wait_for(
            pilot, lambda: detail.query_one("#detail-related", OptionList).option_count > 0
        )
        await pilot.press("r")  # toggles back to unread
        await wait_for(pilot, lambda: not Library.open(data_dir).get(first.id).read)  # type: ignore[union-attr]
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_bookmark_tags_note_and_export(data_dir: Path, tmp_path: Path) -> None:
    app = make_app(data_dir)
    target = tmp_path / "out.bib"
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        chosen = library_list(app).current
        await pilot.press("b")
        await wait_for(pilot, lambda: library_list(app).current.bookmarked)  # type: ignore[union-attr]
        await pilot.press("3")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, BookmarksScreen) and len(app.screen.paper_list.source) == 1
            ),
        )
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        await pilot.press(*"survey, llm", "enter")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        app.screen.query_one(Input).value = "read [b]this[/b] first"
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: Library.open(data_dir).get(chosen.id).note == "read [b]this[/b] first",  # type: ignore[union-attr]
        )
        assert Library.open(data_dir).get(chosen.id).tags == ["survey", "llm"]  # type: ignore[union-attr]
        await pilot.press("f")  # filter by the first tag
        await wait_for(pilot, lambda: app.screen.tag == "llm")  # type: ignore[attr-defined]
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        hint = app.screen.query_one("#dialog-hint")
        await wait_for(pilot, lambda: "cancels" in str(hint.render()))
        assert str(hint.render()) == "⏎ exports · shift+tab changes the format · esc cancels"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: target.exists())
        assert target.read_text().startswith("@misc{")
        # exporting again asks before overwriting; "n" keeps the file
        target.write_text("keep me")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await pilot.pause(0.3)
        assert target.read_text() == "keep me"


async def test_search_as_you_type(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_for(pilot, lambda: screen.query_one(Input).has_focus)
        await pilot.press(*"diffusion transf")
        await wait_for(
            pilot,
            lambda: screen.results is not None and screen.results.query == "diffusion transf",
        )
        results = screen.paper_list
        assert len(results.source) == 1 and results.current.title == DIFFUSION  # type: ignore[union-attr]
        row = results.source.cached(0)
        assert row is not None and row.title_spans  # matched words are highlighted
        status = str(screen.query_one("#search-status", Static).render())
        assert "1 paper ·" in status
        await pilot.press("down")
        assert results.has_focus
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: screen.query_one(Input).has_focus)
        screen.query_one(Input).value = "difusion"
        await wait_for(
            pilot, lambda: screen.results is not None and screen.results.query == "difusion"
        )
        status = str(screen.query_one("#search-status", Static).render())
        assert "Did you mean: diffusion" in status


async def test_help_lists_bindings_with_ids(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        ids = {entry[3] for entry in app.screen.entries}  # type: ignore[attr-defined]
        assert {"list.down", "library.sort", "paper.bookmark", "app.search", "app.quit"} <= ids
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_keymap_from_config_remaps_keys(data_dir: Path) -> None:
    app = make_app(data_dir, config=Config(keymap={"list.down": "n"}))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("n")
        assert library_list(app).cursor == 1


async def test_status_line_shows_remapped_keys(data_dir: Path) -> None:
    app = make_app(data_dir, config=Config(keymap={"library.sort": "z", "app.help": "h"}))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        status = str(app.screen.query_one("#library-status", Static).render())
        assert "z sort" in status and "h all keys" in status, status
        assert "s sort" not in status and "? all keys" not in status
        assert "u unread · f starred · n new · r read · h all keys" in status
        await pilot.press("z")
        await wait_for(pilot, lambda: app.screen.sort == "seen")  # type: ignore[attr-defined]


async def test_other_hints_follow_the_keymap_too(data_dir: Path, tmp_path: Path) -> None:
    keymap = {
        "bookmarks.filter": "ctrl+t",
        "paper.bookmark": "x",
        "dialog.cancel": "ctrl+g",
        "help.close": "ctrl+w",
        "app.quit": "ctrl+q",
    }
    empty = make_app(tmp_path / "empty", config=Config(keymap=keymap))
    async with empty.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: isinstance(empty.screen, LibraryScreen) and empty.screen.loaded
        )
        text = str(empty.screen.query_one("#library-empty", Static).render())
        assert "Press ? for the keys, ^q to quit." in text
        await pilot.press("3")
        await wait_for(pilot, lambda: isinstance(empty.screen, BookmarksScreen))
        line = lambda: str(empty.screen.query_one("#bookmarks-filter", Static).render())  # noqa: E731
        await wait_for(pilot, lambda: "No bookmarks yet" in line())
        assert "press x on any paper" in line()
    with Library.open(data_dir) as library:
        library.bookmark(paper_id(DIFFUSION), tags=["vision"])
    app = make_app(data_dir, config=Config(keymap=keymap))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("3")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, BookmarksScreen) and len(app.screen.paper_list.source) == 1
            ),
        )
        line = str(app.screen.query_one("#bookmarks-filter", Static).render())
        assert "(^t cycles: vision)" in line, line
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        hint = app.screen.query_one("#dialog-hint")
        await wait_for(pilot, lambda: "to cancel" in str(hint.render()))
        assert str(hint.render()) == "⏎ to save · ^g to cancel"
        await pilot.press("ctrl+g", "question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        footer = app.screen.query_one("#help-footer", Static)
        await wait_for(pilot, lambda: "closes this help" in str(footer.render()))
        assert "^w closes this help." in str(footer.render())


async def test_a_screen_that_missed_the_library_opening_is_told(data_dir: Path) -> None:
    """A screen reports itself with the library it found; if the library opened while
    that message was on its way, the app tells the screen at once, and only then."""
    from tui.messages import ScreenOpened

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen in app.live_screens
        told: list[str] = []
        screen.library_changed = lambda: told.append("told")  # type: ignore[method-assign]
        app.post_message(ScreenOpened(screen, app.library))
        await pilot.pause(0.05)
        assert told == []
        app.post_message(ScreenOpened(screen, None))
        await wait_for(pilot, lambda: told == ["told"])


async def test_theme_is_remembered(data_dir: Path, _config_in_tmp: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        app.theme = "nord"
        await wait_for(pilot, lambda: _config_in_tmp.exists())
    assert load_config(_config_in_tmp).theme == "nord"


async def test_palette_opens_a_paper(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"diffusion")
        await pilot.pause(0.8)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert app.screen.paper.title == DIFFUSION  # type: ignore[attr-defined]


async def test_hostile_titles_render_literally_everywhere(tmp_path: Path) -> None:
    page = write(tmp_path / "hostile.txt", make_page(HOSTILE))
    app = make_app(tmp_path / "lib", import_paths=[page])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 3))
        # the list draws once it is laid out (under load, a moment after it loads)
        await wait_for(pilot, lambda: library_list(app).scrollable_content_region.width > 0)
        rows = [library_list(app).paper_at(i) for i in range(3)]
        shown = "\n".join(
            "".join(seg.text for seg in library_list(app).render_line(i)) for i in range(3)
        )
        assert "[MASK] Is Not All You Need [/]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "[link=https://evil.example]click[/link] ]]" in shown
        for index, paper in enumerate(rows):
            library_list(app).cursor = index
            await pilot.press("enter")
            await wait_for(
                pilot,
                lambda p=paper: (
                    isinstance(app.screen, DetailScreen) and app.screen.paper.id == p.id
                ),
            )  # type: ignore[union-attr]
            await pilot.pause(0.1)
            await pilot.press("b")  # notifications carry data too
            await pilot.press("escape")
        await pilot.press("slash", *"mask")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, SearchScreen)
                and app.screen.results is not None
                and app.screen.results.query == "mask"
            ),
        )  # type: ignore[attr-defined]
        await pilot.press("ctrl+p", *"mask")
        await pilot.pause(0.5)
        await pilot.press("escape")


async def test_small_terminal_and_resize(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(60, 15)) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.resize_terminal(40, 10)
        await pilot.pause(0.1)
        await pilot.resize_terminal(140, 50)
        await pilot.press("escape", "2", *"model")
        await pilot.pause(0.3)
        await pilot.press("down", "3", "1")
        await pilot.pause(0.2)
        assert isinstance(app.screen, LibraryScreen)


async def test_a_failing_worker_is_a_notification_not_a_crash(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        monkeypatch.setattr(Library, "search", broken)
        await pilot.press("slash", *"x")
        await wait_for(
            pilot, lambda: any("disk on fire" in str(n.message) for n in app._notifications)
        )
        assert app.is_running and isinstance(app.screen, SearchScreen)


KEYS = [
    *"jkgGsufbrotnec123/?[]",
    "enter",
    "escape",
    "down",
    "up",
    "pagedown",
    "pageup",
    "tab",
    "shift+tab",
    "ctrl+p",
    "space",
    "backspace",
    *'aqz~*:"',
    "left",
    "right",
]


async def _monkey(data_dir: Path, presses: int, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from textual.app import App

    monkeypatch.setenv("HOME", str(data_dir.parent / "home"))
    monkeypatch.setattr(App, "open_url", lambda self, url, **kw: None)
    rng = random.Random(seed)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        for _ in range(presses):
            key = rng.choice(KEYS)
            if key == "q" and not isinstance(app.screen.focused, Input):
                continue  # quitting would end the walk early
            await pilot.press(key)
            if rng.random() < 0.02:
                await pilot.resize_terminal(rng.randint(40, 160), rng.randint(10, 50))
        await pilot.pause(0.2)
        assert app.is_running


async def test_random_keys_never_crash(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    await _monkey(data_dir, 400, seed=7, monkeypatch=monkeypatch)


@pytest.mark.slow
async def test_random_keys_never_crash_long(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _monkey(data_dir, 4000, seed=11, monkeypatch=monkeypatch)


async def test_hostile_text_never_reaches_the_terminal_raw(tmp_path: Path) -> None:
    page = write(tmp_path / "hostile.txt", make_page(HOSTILE))
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([page])
        for paper in library.all_papers():
            library.bookmark(paper.id, tags=["[red]x[/red]"], note="\x1b[2J [/] note")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 3))
        screens = []
        for keys in (["1"], ["enter"], ["escape", "3"], ["2", *"mask"], ["question_mark"]):
            await pilot.press(*keys)
            await pilot.pause(0.4)
            screens.append(app.export_screenshot())
        app.notify(HOSTILE[0][0], markup=False)
        await pilot.pause(0.1)
        screens.append(app.export_screenshot())
    for svg in screens:
        assert "\x1b" not in svg and "\x07" not in svg and "\x9b" not in svg
    shown = "".join(screens)
    assert "[MASK]&#160;Is&#160;Not&#160;All&#160;You&#160;Need&#160;[/]" in shown or (
        "[MASK] Is Not All You Need [/]" in shown
    )


async def test_random_search_input_never_crashes(data_dir: Path) -> None:
    import random

    rng = random.Random(5)
    alphabet = [*list('abc XYZ"():*~^[]{}\\/-+!?ü漢\t'), "AND", "OR", "NOT", "title:", "tag:"]
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        box = app.screen.query_one(Input)
        for _ in range(60):
            box.value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            await pilot.pause(0.02)
        box.value = "x" * 5000
        await wait_for(pilot, searched(app, "x" * 5000))
        assert app.is_running


async def test_rows_are_read_ahead_so_keys_do_not_wait(tmp_path: Path) -> None:
    """Beyond the first screen, the rows below, and the last screen (``G``), are read in
    the background without a key; ``G`` then shows the oldest paper at once."""
    from tests.benchmarks.synthetic import generate_pages

    root = tmp_path / "lib"
    with Library.open(root) as library:
        library.import_pages(generate_pages(tmp_path / "pages", 600, per_page=100, seed=5))
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded)
        plist = app.screen.query_one(PaperList)
        count = len(plist.source)
        assert count == 600
        height = plist.scrollable_content_region.height
        await wait_for(pilot, lambda: plist.source.cached(count - 1) is not None)
        await wait_for(pilot, lambda: plist.source.cached(4 * height - 1) is not None)
        assert plist.source.cached(count // 2) is None  # read ahead, not everything
        await pilot.press("G")
        assert plist.cursor == count - 1
        assert plist.current is not None  # no wait for the index


@pytest.mark.skipif(not idle_gc.supported(), reason="the idle collector steps aside here")
async def test_full_collections_wait_for_a_pause(data_dir: Path) -> None:
    """While the app runs, Python's full garbage collections come from the idle timer
    (not in the middle of a key press); on exit the collector is as it was."""
    import gc

    before = gc.get_threshold()
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: gc.get_freeze_count() > 0)
        assert gc.get_threshold()[2] > before[2]  # no automatic full collections
        collector = app.collector
        garbage = []
        for _ in range(3000):  # cycles that survive into the old generation
            cycle: list[object] = []
            cycle.append(cycle)
            garbage.append(cycle)
        del garbage
        gc.collect(1)
        gc.collect(1)
        collector.touch()
        assert not collector.tick()  # input just now: not yet
        collector.last_input -= collector.IDLE_S
        assert collector.tick()  # paused: collected
        assert gc.get_count()[2] == 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_collectors_of_several_apps_restore_python_s_settings_once() -> None:
    """Tests run several apps in one process: the thresholds Python had come back when
    the last collector stops, not those a second one saw while the first ran."""
    import gc

    from tui.idle_gc import IdleCollector

    before = gc.get_threshold()
    first, second = IdleCollector(enabled=True), IdleCollector(enabled=True)
    first.start()
    second.start()
    first.stop()
    assert gc.get_threshold()[2] == IdleCollector.NO_AUTOMATIC_FULL  # second still runs
    second.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


async def test_a_damaged_bookmarks_file_is_told_at_start(data_dir: Path) -> None:
    """The fast first-frame open only reads: a damaged user-data file is left to the full
    open, which keeps it aside, uses the last good copy and says so."""
    tulu = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")
    with Library.open(data_dir) as library:
        library.bookmark(tulu, note="first")
        library.set_note(tulu, "second")  # the backup holds the first version
    userdata = data_dir / "userdata.json"
    userdata.write_text("{garbage", encoding="utf-8")
    assert Library.open_if_ready(data_dir) is None
    assert userdata.read_text(encoding="utf-8") == "{garbage"  # untouched by that look
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await wait_for(
            pilot,
            lambda: any("bookmarks file was damaged" in str(n.message) for n in app._notifications),
        )
    assert list(data_dir.glob("userdata.json.corrupt-*"))
    with Library.open(data_dir) as library:
        assert library.get(tulu).note == "first"
