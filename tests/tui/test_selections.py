"""Selections by keys: Space, a range with V, every match with *, then tag, bookmark and
export the selection as one change each, and undo one byte for byte."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from store import Library
from tests.helpers import make_page, write
from tests.tui.test_app import SIZE, loaded, make_app, wait_for
from tui.screens.search import SearchScreen
from tui.widgets.paper_list import PaperList

PAPERS = [
    (
        f"Paper {n:02d} on {'Mixture of Experts' if n % 3 == 0 else 'Diffusion'}",
        f"An abstract about topic {n}.",
        f"  • 2 authors\n·\nMar {n + 1}, 2025 {n}",
    )
    for n in range(24)
]  # newest first in the library: Paper 23 at the top


def _library(tmp_path: Path) -> Path:
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([write(tmp_path / "p.txt", make_page(PAPERS))])
    return data_dir


def _titles(data_dir: Path, ids: list[str]) -> list[str]:
    with Library.open(data_dir) as library:
        return [library.get(pid).title for pid in ids]


def _tagged(data_dir: Path, tag: str) -> list[str]:
    with Library.open(data_dir) as library:
        return sorted(p.title for p in library.all_papers() if tag in p.tags)


async def test_space_range_tag_and_export_a_selection(tmp_path: Path) -> None:
    data_dir = _library(tmp_path)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 24))
        plist = app.screen.query_one(PaperList)
        await pilot.press("space", "j", "space")  # papers 23 and 21: 22 skipped
        assert _titles(data_dir, list(plist.marked)) == [
            "Paper 23 on Diffusion",
            "Paper 21 on Mixture of Experts",
        ]
        await pilot.press("j", "j", "V")  # a range from 21 (the last Space) to 18
        await wait_for(pilot, lambda: len(plist.marked) == 5)
        bar = str(app.screen.query_one("SelectionBar").render())
        assert "5 selected" in bar and "tag" in bar, bar
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"moe, keep", "enter")
        await wait_for(pilot, lambda: len(_tagged(data_dir, "keep")) == 5)
        assert _tagged(data_dir, "moe") == [
            f"Paper {n} on {'Mixture of Experts' if n % 3 == 0 else 'Diffusion'}"
            for n in (18, 19, 20, 21, 23)
        ]
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        out = tmp_path / "picked.md"
        field = app.focused
        assert isinstance(field, Input)
        field.value = str(out)
        await pilot.press("enter")
        await wait_for(pilot, out.exists)
        exported = out.read_text(encoding="utf-8")
        assert exported.count("Paper ") == 5
        assert exported.index("Paper 23") < exported.index("Paper 21") < exported.index("Paper 18")
        await pilot.press("escape")  # clears the selection, stays on the screen
        await wait_for(pilot, lambda: not plist.marked)
        assert app.screen.query_one(PaperList) is plist


async def test_select_every_match_bookmark_and_undo_byte_for_byte(tmp_path: Path) -> None:
    data_dir = _library(tmp_path)
    userdata = data_dir / "userdata.json"
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 24))
        await pilot.press("b")  # one paper bookmarked first: the file exists
        await wait_for(pilot, userdata.exists)
        before = userdata.read_bytes()
        await pilot.press("slash", *"mixture of experts", "enter")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_for(pilot, lambda: screen.results is not None and screen.results.total == 8)
        plist = screen.paper_list
        await pilot.press("asterisk")  # all eight, not only the rows drawn
        await wait_for(pilot, lambda: len(plist.marked) == 8)
        await pilot.press("b")
        with Library.open(data_dir) as library:
            await wait_for(pilot, lambda: len(library.bookmarks()) == 9)
        assert userdata.read_bytes() != before
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: userdata.read_bytes() == before)


async def test_a_selection_belongs_to_its_list(tmp_path: Path) -> None:
    data_dir = _library(tmp_path)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 24))
        plist = app.screen.query_one(PaperList)
        # A range starts at the paper of the last Space, wherever a new sort put it.
        await pilot.press("j", "j", "space")  # Paper 21
        await pilot.press("s")  # sorted by arrival: the same papers, the selection kept
        await wait_for(pilot, lambda: app.screen.sort == "seen" and plist.current is not None)  # type: ignore[attr-defined]
        (chosen,) = plist.marked
        anchor = plist.source.position(chosen)
        assert anchor is not None
        await pilot.press("g", "V")
        await wait_for(pilot, lambda: len(plist.marked) == anchor + 1)
        # Another list (unread only): the selection is cleared, not carried over unseen.
        await pilot.press("u")
        await wait_for(pilot, lambda: not plist.marked)
        # `*` selects the rows shown, even those marked read since the list was drawn.
        await pilot.press("r", "j", "r")
        await pilot.press("asterisk")
        await wait_for(pilot, lambda: len(plist.marked) == len(plist.source) == 24)
        # A new query is a new list.
        await pilot.press("slash", *"diffusion", "enter")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_for(pilot, lambda: screen.results is not None and screen.results.total == 16)
        await pilot.press("space", "space")
        await wait_for(pilot, lambda: len(screen.paper_list.marked) == 2)
        await pilot.press("slash", *" 0", "enter")
        await wait_for(
            pilot, lambda: screen.results is not None and screen.results.query == "diffusion 0"
        )
        await wait_for(pilot, lambda: not screen.paper_list.marked)
