"""Pilot tests for the reading queue and undo, driven by keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from store import Library
from tests.tui.test_app import SIZE, data_dir, library_list, loaded, make_app, showing, wait_for
from tests.tui.test_bindings import _unresolved
from tui.app import PaperdeckApp
from tui.config import Config
from tui.screens.detail import DetailScreen
from tui.screens.library import LibraryScreen
from tui.screens.queue import QueueScreen

__all__ = ["data_dir"]  # the fixture, shared with test_app


def _store_queue(data_dir: Path) -> list[str]:
    with Library.open(data_dir) as library:
        return [place.id for place in library.queue()]


def _is_read(data_dir: Path, paper_id: str) -> bool:
    with Library.open(data_dir) as library:
        return library.get(paper_id).read


def _shown(app: PaperdeckApp) -> list[str]:
    screen = app.screen
    if not isinstance(screen, QueueScreen):
        return []
    source = screen.paper_list.source
    return [row.paper.id for i in range(len(source)) if (row := source.cached(i))]


def _queue_shows(app: PaperdeckApp, order: list[str]) -> Callable[[], bool]:
    return lambda: _shown(app) == order


def _told(app: PaperdeckApp, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


async def test_queue_reorder_remove_next_and_undo_by_keys(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        plist = library_list(app)
        p0, p1, p2 = (plist.paper_at(i).id for i in range(3))  # type: ignore[union-attr]
        for count, keys in enumerate((["a"], ["j", "a"], ["j", "a"]), start=1):
            await pilot.press(*keys)
            await wait_for(pilot, lambda count=count: len(_store_queue(data_dir)) == count)
        assert _store_queue(data_dir) == [p0, p1, p2]
        await wait_for(pilot, lambda: _told(app, "Queued (3 in the queue)"))

        await pilot.press("4")
        await wait_for(pilot, _queue_shows(app, [p0, p1, p2]))
        await pilot.press("J")
        await wait_for(pilot, _queue_shows(app, [p1, p0, p2]))
        await pilot.press("J")
        await wait_for(pilot, _queue_shows(app, [p1, p2, p0]))
        await pilot.press("K")  # the cursor followed the paper: p0 goes back up
        await wait_for(pilot, _queue_shows(app, [p1, p0, p2]))
        assert _store_queue(data_dir) == [p1, p0, p2]

        await pilot.press("g", "r")  # p1 read: p2 is the next unread once p0 is gone
        await wait_for(pilot, lambda: _is_read(data_dir, p1))
        before = (data_dir / "userdata.json").read_bytes()
        await pilot.press("j", "x")
        await wait_for(pilot, _queue_shows(app, [p1, p2]))
        assert _store_queue(data_dir) == [p1, p2]

        await pilot.press("n")
        await wait_for(pilot, showing(app, p2))  # opening it marks it read
        await wait_for(pilot, lambda: _is_read(data_dir, p2))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: not _is_read(data_dir, p2))
        await wait_for(pilot, lambda: _told(app, "Undid: marking read of"))
        await pilot.press("ctrl+z")
        await wait_for(pilot, _queue_shows(app, [p1, p0, p2]))
        assert (data_dir / "userdata.json").read_bytes() == before
        assert _told(app, "Undid: removal from the queue of")


async def test_ctrl_z_on_the_library_takes_a_bookmark_back(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        plist = library_list(app)
        first = plist.current
        assert first is not None
        await pilot.press("b")
        await wait_for(pilot, lambda: plist.current is not None and plist.current.bookmarked)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: _told(app, f"Undid: bookmark of {first.title!r}"))
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, LibraryScreen)
                and (paper := library_list(app).current) is not None
                and not paper.bookmarked
            ),
        )
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: _told(app, "nothing to undo"))


async def test_a_on_the_detail_screen_queues_and_an_empty_queue_says_how(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        status = app.screen.query_one("#queue-status")
        await wait_for(pilot, lambda: "press a on any paper" in str(status.render()))
        await pilot.press("1")
        await wait_for(pilot, loaded(app, 6))
        paper = library_list(app).current
        assert paper is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("a")
        await wait_for(pilot, lambda: _store_queue(data_dir) == [paper.id])


async def test_help_lists_the_queue_and_undo_keys(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        ids = {entry[3] for entry in app.help_entries()}
        assert {"paper.queue", "app.undo", "app.queue"} <= ids
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        ids = {entry[3] for entry in app.help_entries()}
        assert {"queue.move_up", "queue.move_down", "queue.remove", "queue.next"} <= ids


async def test_a_missing_paper_is_shown_and_not_opened(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        ids = [p.id for p in library.all_papers()]
        library.queue_add(ids)
        weekly = next(s for s in library.stored_sources() if s.name == "weekly.txt")
        library.remove_source(weekly.hash)
        missing = [q.id for q in library.queue() if q.missing]
    assert missing
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_for(pilot, _queue_shows(app, ids))
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        status = str(screen.query_one("#queue-status").render())
        assert f"{len(missing)} missing from the library" in status
        screen.paper_list.cursor = ids.index(missing[0])
        await pilot.press("enter")
        await wait_for(pilot, lambda: _told(app, "no longer in the library"))
        await pilot.pause(0.2)
        assert app.screen is screen
        screen.paper_list.cursor = next(i for i, pid in enumerate(ids) if pid not in missing)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)  # one detail screen, not two


async def test_queue_keys_can_be_remapped_and_all_resolve(data_dir: Path) -> None:
    keymap = {"queue.move_down": "ctrl+j", "paper.queue": "Q", "app.queue": "5"}
    app = make_app(data_dir, config=Config(keymap=keymap))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        plist = library_list(app)
        p0, p1 = (plist.paper_at(i).id for i in range(2))  # type: ignore[union-attr]
        await pilot.press("Q", "j", "Q")
        await wait_for(pilot, lambda: _store_queue(data_dir) == [p0, p1])
        await pilot.press("5")
        await wait_for(pilot, _queue_shows(app, [p0, p1]))
        assert _unresolved(app) == []
        await pilot.press("ctrl+j")
        await wait_for(pilot, _queue_shows(app, [p1, p0]))


async def test_ctrl_z_over_a_dialog_or_the_help_undoes_nothing(data_dir: Path) -> None:
    from tests.tui.test_user_data_flows import _on_bookmarks
    from tui.screens.help import HelpScreen
    from tui.widgets.dialogs import TextDialog

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _on_bookmarks(app, pilot, data_dir)
        before = (data_dir / "userdata.json").read_bytes()
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        await pilot.press("ctrl+z")
        await pilot.pause(0.3)
        assert (data_dir / "userdata.json").read_bytes() == before
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TextDialog))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("ctrl+z")
        await pilot.pause(0.3)
        assert (data_dir / "userdata.json").read_bytes() == before
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("ctrl+z")  # on the bookmarks screen it undoes the bookmark, the
        # first change: the file goes as it came (dialogs and the help block app keys)
        await wait_for(pilot, lambda: not (data_dir / "userdata.json").exists())
