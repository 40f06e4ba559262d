"""Triage by keys: twenty papers, mixed decisions, stopped midway and resumed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from store import Library
from tests.helpers import make_page, write
from tests.tui.test_app import SIZE, loaded, make_app, wait_for
from tui.screens.library import LibraryScreen
from tui.screens.triage import TriageScreen

PAPERS = [
    (
        f"Paper {n:02d} on Topic {n}",
        f"An abstract about topic {n}.",
        f"  • 2 authors\n·\nMar {n + 1}, 2025 {n}",
    )
    for n in range(20)
]


def _title(app: object) -> str:
    return str(app.screen.query_one("#triage-title").render())  # type: ignore[attr-defined]


def _twenty_papers(tmp_path: Path) -> Path:
    """A library of the twenty papers; its folder."""
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([write(tmp_path / "p.txt", make_page(PAPERS))])
    return data_dir


async def test_triage_twenty_papers_with_mixed_decisions_and_resume(tmp_path: Path) -> None:
    data_dir = _twenty_papers(tmp_path)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 20))
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await wait_for(pilot, lambda: "Paper 19" in _title(app))  # newest published first
        await pilot.press("b")  # bookmark, then its tags
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"must read", "enter")
        await wait_for(pilot, lambda: "Paper 18" in _title(app))
        await pilot.press("a")  # to the reading queue
        await wait_for(pilot, lambda: "Paper 17" in _title(app))
        await pilot.press("s")  # skip: read
        await wait_for(pilot, lambda: "Paper 16" in _title(app))
        await pilot.press("l")  # later: unchanged
        await wait_for(pilot, lambda: "Paper 15" in _title(app))
        await pilot.press("k")  # back one
        await wait_for(pilot, lambda: "Paper 16" in _title(app))
        await pilot.press("s")
        await wait_for(pilot, lambda: "Paper 15" in _title(app))
        progress = str(app.screen.query_one("#triage-progress").render())
        assert "paper 5 of 20" in progress and "2 skipped" in progress, progress
        await pilot.press("escape")  # stop midway
        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("T")  # resumes where it stopped
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await wait_for(pilot, lambda: "Paper 15" in _title(app))
        for _ in range(16):  # the rest (15 down to 00): skipped, to the end
            await pilot.press("s")
            await pilot.pause(0.05)
        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen), timeout=10)
        await pilot.pause(0.3)
    with Library.open(data_dir) as library:
        papers = {p.title[:8]: p for p in library.all_papers()}
        assert papers["Paper 19"].bookmarked and papers["Paper 19"].tags == ["must read"]
        assert [q.paper.id for q in library.queue()] == [papers["Paper 18"].id]
        read = sorted(t for t, p in papers.items() if p.read)
        assert read == sorted(f"Paper {n:02d}" for n in range(18))
        assert not papers["Paper 18"].read  # queued, not read
        assert library.triage_place("library:published:all") is None  # finished


async def test_back_from_a_paper_or_a_triage_the_results_keep_the_focus(tmp_path: Path) -> None:
    """Esc from a paper opened in the search results put the cursor in the query box:
    the next j typed a letter, T started nothing."""
    from textual.widgets import Input

    from tui.screens.detail import DetailScreen
    from tui.screens.search import SearchScreen
    from tui.widgets.paper_list import PaperList

    data_dir = _twenty_papers(tmp_path)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 20))
        await pilot.press("slash", *"topic")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        results = app.screen.query_one("#search-results", PaperList)
        await wait_for(pilot, lambda: len(results.source) == 20)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.focused is results
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.focused is results
        await pilot.press("slash")  # asked for: the query box
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        assert app.screen.query_one(Input).value == "topic"


async def test_sorted_by_priority_each_paper_says_why(tmp_path: Path) -> None:
    data_dir = _twenty_papers(tmp_path)
    with Library.open(data_dir) as library:
        library.save_search("seven", '"topic 7"')
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 20))
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        while screen.sort != "priority":
            await pilot.press("s")
        await pilot.press("g")
        status = lambda: str(screen.query_one("#library-status").render())  # noqa: E731
        # The saved search lifts Paper 07 (3 for its upvotes + 2) over Paper 19 (4.3).
        await wait_for(
            pilot, lambda: "why here: matches saved search 'seven' · 7 upvotes" in status()
        )
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        why = lambda: str(app.screen.query_one("#triage-why").render())  # noqa: E731
        await wait_for(pilot, lambda: "Paper 07" in _title(app))
        await wait_for(pilot, lambda: "matches saved search 'seven'" in why())
        await pilot.press("l")
        await wait_for(pilot, lambda: "Paper 19" in _title(app))
        await wait_for(pilot, lambda: why() == "priority: 19 upvotes")
