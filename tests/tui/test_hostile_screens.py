"""Generated hostile papers (hypothesis) through every screen of the reader.

Titles, abstracts, organisations, tags and notes are drawn from text mixed with terminal
escape sequences, Rich markup and odd Unicode; each example imports them, bookmarks them
and tours the library, a paper, the next paper, search, bookmarks, help, the palette and
a notification. The app must not crash (a MarkupError would end ``run_test`` with it)
and no escape character may reach the screen.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Library
from tests.helpers import make_page, write
from tests.system.test_hostile import META, field_text
from tests.tui.test_app import SIZE, loaded, make_app, wait_for

RAW = ("\x1b", "\x07", "\x9b", "\x00")
papers_strategy = st.lists(
    st.tuples(field_text, field_text, st.one_of(st.none(), st.sampled_from(META))),
    min_size=1,
    max_size=4,
    unique_by=lambda p: re.sub(r"\W", "", p[0].lower()),
)
tags_strategy = st.lists(field_text, max_size=3)


async def _tour(
    tmp: Path, papers: list[tuple[str, str, str | None]], tags: list[str], note: str
) -> None:
    page = write(
        tmp / "page.txt", make_page([(t, a) if m is None else (t, a, m) for t, a, m in papers])
    )
    data_dir = tmp / "lib"
    with Library.open(data_dir) as library:
        report = library.import_pages([page])
        count = library.count()
        for paper in library.all_papers():
            library.bookmark(paper.id, tags=tags, note=note)
    if not report.ok or count == 0:
        return  # a page the importer refused: test_hostile covers that
    app = make_app(data_dir)
    screens: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, count))
        screens.append(app.export_screenshot())
        first = app.screen.query_one("#library-list").current  # type: ignore[attr-defined]
        word = next(iter(re.findall(r"[^\W_]{3,}", first.title)), "a")
        for keys in (
            ["enter"],
            ["right_square_bracket"],
            ["escape", "3"],
            ["question_mark"],
            ["escape", "2", *word],
        ):
            await pilot.press(*keys)
            await pilot.pause(0.15)
            screens.append(app.export_screenshot())
        await pilot.press("escape", "ctrl+p", *word)
        await pilot.pause(0.3)
        screens.append(app.export_screenshot())
        await pilot.press("escape")
        app.notify(first.title, title=note, markup=False)
        await pilot.pause(0.1)
        screens.append(app.export_screenshot())
        assert app.is_running
    for svg in screens:
        assert not any(raw in svg for raw in RAW)


COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def _tour_test(examples: int):  # type: ignore[no-untyped-def]
    """The test, with ``examples`` generated libraries."""

    @settings(max_examples=examples, **COMMON)  # type: ignore[arg-type]
    @given(papers_strategy, tags_strategy, field_text)
    def test(
        tmp_path_factory: pytest.TempPathFactory,
        papers: list[tuple[str, str, str | None]],
        tags: list[str],
        note: str,
    ) -> None:
        asyncio.run(_tour(tmp_path_factory.mktemp("screens"), papers, tags, note))

    return test


test_generated_hostile_papers_on_every_screen = _tour_test(8)
test_generated_hostile_papers_on_every_screen_long = pytest.mark.slow(_tour_test(60))
