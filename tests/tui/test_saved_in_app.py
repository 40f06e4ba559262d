"""Saved searches in the reader: the command palette lists them with their new papers."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from store import Library
from store.saved_searches import SavedSearches
from tests.helpers import FIXTURES
from tests.tui.test_app import SIZE, loaded, make_app, wait_for
from tui.screens.search import SearchScreen
from tui.widgets.paper_list import PaperList


async def test_a_saved_search_opens_from_the_palette_and_its_new_count_goes_to_zero(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([FIXTURES / "daily.txt"])
        library.save_search("low bits", "quantized OR transformers")
        library.import_pages([FIXTURES / "weekly.txt"])  # brings a paper on transformers
        [low_bits] = library.saved_searches()
        assert low_bits.new >= 1
        expected = low_bits.total
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"low bits")
        await pilot.pause(0.8)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert screen.query_one(Input).value == "quantized OR transformers"
        results = screen.query_one(PaperList)
        await wait_for(pilot, lambda: len(results.source) == expected, timeout=10)
        file = SavedSearches(data_dir / "searches.json", data_dir / "userdata.json.lock")
        opened_before = low_bits.search.opened_at
        await wait_for(pilot, lambda: file.get("low bits").opened_at != opened_before)
    with Library.open(data_dir) as library:
        [low_bits] = library.saved_searches()
        assert low_bits.new == 0 and low_bits.total == expected


async def test_n_shows_what_arrived_since_the_last_visit(tmp_path: Path) -> None:
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([FIXTURES / "daily.txt"])
        before = library.count()
        assert library.visit() is None  # the reader was opened once, then closed
        library.import_pages([FIXTURES / "weekly.txt"])  # later, from cron say
        arrived = library.count() - before
        assert arrived > 0
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.pause(0.3)  # the previous visit's time is read
        await pilot.press("n")
        await wait_for(pilot, loaded(app, arrived))
        status = str(app.screen.query_one("#library-status").render())
        assert f"{arrived} new since " in status
        await pilot.press("n")
        await wait_for(pilot, loaded(app, 6))
