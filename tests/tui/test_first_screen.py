"""The reader's first frame from the rows its last run saved, while the library opens in
the background; and never from rows the library no longer holds."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Library, first_screen
from store.errors import LibraryBusyError
from store.paths import LibraryPaths
from store.records import paper_id
from tests.helpers import library_of_fixtures
from tests.tui.test_app import SIZE, loaded, make_app, wait_for
from tui.screens.detail import DetailScreen
from tui.screens.library import LibraryScreen
from tui.widgets.paper_list import PaperList
from tui.widgets.sources import ListingSource, PreviewSource, RowSource

ROOT = Path(__file__).resolve().parents[2]
TULU = "TÜLU 3: Pushing Frontiers in Open Language Model Post-Training"


@pytest.fixture(autouse=True)
def _config_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERDECK_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return library_of_fixtures(tmp_path / "lib")


@pytest.fixture
def slow_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """A big library that needs work to open: not ready at once, and Library.open waits
    until the test sets the event."""
    go = threading.Event()
    original = Library.open.__func__  # type: ignore[attr-defined]
    original_if_ready = Library.open_if_ready.__func__  # type: ignore[attr-defined]

    def waiting(cls: type[Library], root: object = None) -> Library:
        go.wait(10)
        return original(cls, root)  # type: ignore[no-any-return]

    def not_ready(cls: type[Library], root: object = None) -> Library | None:
        return original_if_ready(cls, root) if go.is_set() else None  # type: ignore[no-any-return]

    monkeypatch.setattr(Library, "open", classmethod(waiting))
    monkeypatch.setattr(Library, "open_if_ready", classmethod(not_ready))
    yield go
    go.set()


async def _run_once(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))


def _drawn(plist: PaperList) -> str:
    return "\n".join(plist.render_line(y).text for y in range(6))


async def test_the_first_frame_shows_the_last_run_s_rows_before_the_library_opens(
    data_dir: Path, slow_open: threading.Event
) -> None:
    slow_open.set()
    await _run_once(data_dir)  # a run saves its first screen
    slow_open.clear()
    saved = first_screen.load(first_screen_paths(data_dir))
    assert saved is not None
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        plist = screen.query_one(PaperList)
        assert isinstance(plist.source, PreviewSource) and app.library is None
        drawn = _drawn(plist)
        assert all(row.title[:30] in drawn for row in saved.rows)
        status = str(screen.query_one("#library-status").render())
        assert "6 papers" in status and "opening the library" in status
        await pilot.press("j", "j", "space")  # nothing to select yet
        assert plist.cursor == 2 and isinstance(app.screen, LibraryScreen)
        assert not plist.marked
        slow_open.set()
        await wait_for(pilot, lambda: isinstance(plist.source, ListingSource))
        await wait_for(pilot, lambda: plist.current is not None)
        assert plist.cursor == 2 and plist.current.id == saved.rows[2].id  # type: ignore[union-attr]
        assert _drawn(plist) == drawn  # the same rows, drawn the same


async def test_enter_on_a_saved_row_opens_its_paper_once_the_library_is_open(
    data_dir: Path, slow_open: threading.Event
) -> None:
    slow_open.set()
    await _run_once(data_dir)
    slow_open.clear()
    saved = first_screen.load(first_screen_paths(data_dir))
    assert saved is not None
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        await pilot.press("j", "enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, LibraryScreen)  # the paper is not there yet
        slow_open.set()
        await wait_for(
            pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.is_mounted
        )
        assert app.screen.paper.id == saved.rows[1].id  # type: ignore[attr-defined]
        assert plist.cursor == 1


async def test_enter_then_a_move_opens_nothing(data_dir: Path, slow_open: threading.Event) -> None:
    """Enter pressed on a saved row, then the cursor moved on: that paper is not wanted."""
    slow_open.set()
    await _run_once(data_dir)
    slow_open.clear()
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        await pilot.press("enter", "j")
        slow_open.set()
        await wait_for(pilot, lambda: isinstance(plist.source, ListingSource))
        await wait_for(pilot, lambda: plist.current is not None)
        await pilot.pause(0.2)
        assert isinstance(app.screen, LibraryScreen) and plist.cursor == 1


async def test_a_quick_library_opens_once_the_saved_rows_are_painted(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a wait on the library: the saved rows come first, the library's own
    follow without a key, and the cursor's paper is then the saved row's."""
    await _run_once(data_dir)
    shown: list[str] = []
    set_source = PaperList.set_source

    def recording(self: PaperList, source: RowSource, *args: object, **kwargs: object) -> None:
        shown.append(type(source).__name__)
        set_source(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PaperList, "set_source", recording)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        status = str(app.screen.query_one("#library-status").render())
        assert "opening the library" not in status and "? all keys" in status
    assert shown == ["PreviewSource", "ListingSource"]


async def test_rows_changed_since_are_not_shown(data_dir: Path, slow_open: threading.Event) -> None:
    """A bookmark set from the command line after the last run: its saved rows are stale,
    so the first frame waits for the library instead of showing an empty star."""
    slow_open.set()
    await _run_once(data_dir)
    with Library.open(data_dir) as library:
        library.bookmark(paper_id(TULU))
    assert first_screen.load(first_screen_paths(data_dir)) is None
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        assert not isinstance(plist.source, PreviewSource)
        await wait_for(pilot, loaded(app, 6))
        row = next(i for i in range(6) if plist.paper_at(i).title == TULU)  # type: ignore[union-attr]
        assert plist.render_line(row).text.startswith("★")


async def test_quitting_saves_what_changed_in_the_app(data_dir: Path) -> None:
    """A paper read in the app is in the next start's first frame."""
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        plist = app.screen.query_one(PaperList)
        first = plist.current
        assert first is not None and not first.read
        await pilot.press("r")
        await wait_for(pilot, lambda: plist.current is not None and plist.current.read)
    saved = first_screen.load(first_screen_paths(data_dir))
    assert saved is not None
    assert saved.rows[0].id == first.id and saved.rows[0].read


def test_the_reader_module_loads_neither_whoosh_nor_pydantic() -> None:
    """What the first frame needs comes without the index's libraries: they load with
    the library, in the background."""
    code = (
        "import sys\nimport tui.app\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'whoosh', 'pydantic'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def first_screen_paths(data_dir: Path) -> LibraryPaths:
    return LibraryPaths(data_dir)


async def test_saved_rows_go_when_the_library_cannot_be_opened(
    data_dir: Path, slow_open: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows that cannot be opened are not left on screen: the status says why instead."""
    slow_open.set()
    await _run_once(data_dir)

    def refuse(cls: type[Library], root: object = None) -> Library:
        raise LibraryBusyError("another paperdeck is rebuilding the index")

    monkeypatch.setattr(Library, "open", classmethod(refuse))
    monkeypatch.setattr(Library, "open_if_ready", classmethod(lambda cls, root=None: None))
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        status = app.screen.query_one("#library-status")
        await wait_for(pilot, lambda: "could not be opened" in str(status.render()))
        assert not isinstance(plist.source, PreviewSource) and len(plist.source) == 0
        assert "another paperdeck is rebuilding" in str(status.render())


async def test_selections_and_sorts_wait_for_the_library(
    data_dir: Path, slow_open: threading.Event
) -> None:
    """``V`` and ``*`` select nothing among saved rows; ``s`` is told at once and sorts
    once the library is open."""
    slow_open.set()
    await _run_once(data_dir)
    slow_open.clear()
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        plist = screen.query_one(PaperList)
        await pilot.press("j", "V", "asterisk", "s")
        await pilot.pause(0.1)
        assert not plist.marked and screen.sort == "seen"
        assert "sorted by seen" in str(screen.query_one("#library-status").render())
        slow_open.set()
        await wait_for(pilot, lambda: isinstance(plist.source, ListingSource))
        await wait_for(pilot, lambda: plist.current is not None)
        assert not plist.marked
        with Library.open(data_dir) as library:
            listing = library.listing("seen")
            assert len(plist.source) == len(listing) == 6
            assert [plist.paper_at(i).id for i in range(6)] == listing.ids(0, 6)  # type: ignore[union-attr]
            listing.close()


async def test_an_empty_library_shows_how_to_fill_it(tmp_path: Path) -> None:
    """Nothing is saved for an empty library: its first frame is the help, never an
    empty list."""
    root = tmp_path / "empty"
    Library.open(root).close()
    for _ in range(2):
        app = make_app(root)
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            await wait_for(pilot, lambda: screen.query_one("#library-empty").display)  # noqa: B023
            assert not isinstance(screen.query_one(PaperList).source, PreviewSource)
    assert not LibraryPaths(root).first_screen_file.exists()


async def test_an_import_from_the_command_line_saves_the_first_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], slow_open: threading.Event
) -> None:
    """The first start after ``paperdeck import`` (or ``bookmark``) paints its rows at once too."""
    from tests.helpers import FIXTURES
    from tui.cli import main

    root = tmp_path / "lib"
    slow_open.set()  # the commands open it at their pace
    assert main(["--data-dir", str(root), "import", str(FIXTURES)]) == 0
    saved = first_screen.load(LibraryPaths(root))
    assert saved is not None and saved.total == 6
    tulu = paper_id(TULU)
    assert main(["--data-dir", str(root), "bookmark", "add", tulu]) == 0  # and a bookmark
    saved = first_screen.load(LibraryPaths(root))
    assert saved is not None and next(r for r in saved.rows if r.id == tulu).bookmarked
    slow_open.clear()  # the reader's library opens only once the test has looked
    app = make_app(root)
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen.query_one(PaperList).source, PreviewSource)
