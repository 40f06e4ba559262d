"""What the screen says: papers imported elsewhere appear, an import on launch is not an
empty library, a removed bookmark comes back with one key, a paper reads at a reading
width, links keep every character."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from store import Library
from store.records import paper_id
from tests.helpers import FIXTURES, make_page, write
from tests.tui.test_app import SIZE, data_dir, library_list, loaded, make_app, wait_for
from tui.config import Config
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.detail import DetailScreen

__all__ = ["data_dir"]

TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")


async def test_papers_imported_by_another_paperdeck_appear(data_dir: Path, tmp_path: Path) -> None:
    """The count stayed at the old number; there was no reload key."""
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        page = write(tmp_path / "new.txt", make_page([("Imported From The Shell", "x.")]))
        with Library.open(data_dir) as other:
            other.import_pages([page])
        await wait_for(pilot, loaded(app, 7), timeout=10)  # picked up by itself
        page2 = write(tmp_path / "new2.txt", make_page([("Imported Again Elsewhere", "y.")]))
        with Library.open(data_dir) as other:
            other.import_pages([page2])
        await pilot.press("R")  # or at once, by hand
        await wait_for(pilot, loaded(app, 8), timeout=3)


async def test_an_import_on_launch_is_not_an_empty_library(tmp_path: Path) -> None:
    app = make_app(tmp_path / "lib", import_paths=[FIXTURES])
    async with app.run_test(size=SIZE) as pilot:
        shown: list[str] = []

        def look() -> bool:
            empty = app.screen.query_one("#library-empty", Static)
            if empty.display:
                shown.append(str(empty.render()))
            return loaded(app, 6)()

        await wait_for(pilot, look, timeout=15)
        assert not any("Your library is empty" in text for text in shown)


async def test_removing_a_bookmark_here_can_be_undone_at_once(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.bookmark(TULU, tags=["keep"], note="a note")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("3")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, BookmarksScreen) and len(app.screen.paper_list.source) == 1
            ),
        )
        await pilot.press("b")
        await wait_for(pilot, lambda: len(app.screen.paper_list.source) == 0)  # type: ignore[attr-defined]
        assert any("press u to undo" in str(n.message) for n in app._notifications)
        await pilot.press("u")
        await wait_for(pilot, lambda: len(app.screen.paper_list.source) == 1)  # type: ignore[attr-defined]
    with Library.open(data_dir) as library:
        paper = library.get(TULU)
    assert paper.bookmarked and paper.tags == ["keep"] and paper.note == "a note"


async def test_a_paper_reads_at_a_reading_width_and_links_keep_every_character(
    tmp_path: Path,
) -> None:
    title = "Predictable Scale: Part I -- Optimal Hyperparameter Scaling Law in Large Models"
    page = write(tmp_path / "p.txt", make_page([(title, "word " * 200)]))
    app = make_app(tmp_path / "lib", import_paths=[page], config=Config(reading_width=70))
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_for(pilot, lambda: library_list(app).current is not None, timeout=10)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.pause(0.2)
        abstract = app.screen.query_one("#detail-abstract")
        assert abstract.size.width <= 70
        links = app.screen.query_one("#detail-links", OptionList)
        shown = "".join(str(links.get_option_at_index(i).prompt) for i in range(links.option_count))
        # the search link once lost its dash when it was wrapped
        whole = "I%20%E2%80%93%20Optimal%20Hyperparameter%20Scaling%20Law%20in%20Large%20Models"
        assert whole in shown
