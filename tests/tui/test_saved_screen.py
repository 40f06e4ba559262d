"""Saved searches on letter keys (screen 5): each with its new papers, N going to 0 once
it has been opened; ctrl+s on the search screen saves the query shown."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from store import Library
from tests.helpers import make_page, write
from tests.tui.test_app import SIZE, loaded, make_app, wait_for
from tui.screens.saved import SavedScreen
from tui.screens.search import SearchScreen


def _page(tmp_path: Path, name: str, first: int, count: int) -> Path:
    papers = [
        (
            f"Quantization study {n}",
            f"Low-bit weights, take {n}.",
            f"  • 2 authors\n·\nMar {n % 27 + 1}, 2025 {n}",
        )
        for n in range(first, first + count)
    ]
    papers.append((f"Diffusion paper {first}", "About images.", "  • 1 author\n·\nMar 2, 2025 1"))
    return write(tmp_path / name, make_page(papers))


def _rows(app: object) -> list[str]:
    options = app.screen.query_one(OptionList)  # type: ignore[attr-defined]
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_a_saved_search_new_count_goes_to_zero_once_opened(tmp_path: Path) -> None:
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([_page(tmp_path, "one.txt", 0, 3)])
        library.save_search("quant", "quantization")
        library.save_search("images", "diffusion")
        library.import_pages([_page(tmp_path, "two.txt", 10, 4)])
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 9))
        await pilot.press("5")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen) and len(_rows(app)) == 2)
        rows = _rows(app)
        assert rows[0].startswith(" a  quant  4 new of 7"), rows
        assert rows[1].startswith(" b  images  1 new of 2"), rows
        await pilot.press("a")  # its letter opens it
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_for(pilot, lambda: screen.results is not None and screen.results.total == 7)
        await pilot.press("escape", "5")
        await wait_for(
            pilot, lambda: isinstance(app.screen, SavedScreen) and "0 new" in _rows(app)[0]
        )
        assert _rows(app)[1].startswith(" b  images  1 new of 2")  # the other one untouched


async def test_ctrl_s_saves_the_query_shown(tmp_path: Path) -> None:
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([_page(tmp_path, "one.txt", 0, 3)])
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 4))
        await pilot.press("slash", *"quantization", "ctrl+s", *"low bits", "enter")
        with Library.open(data_dir) as library:
            await wait_for(pilot, lambda: [s.name for s in library.saved.all()] == ["low bits"])
            assert library.saved.get("low bits").query == "quantization"
