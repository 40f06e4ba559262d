"""Keys typed while focus moves land where the user is moving to: ``/`` and a query typed
at once, as a terminal delivers a fast typist's keys (posted straight into the app's
queue, not through Pilot, which waits between keys)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from tests.tui.test_app import SIZE, data_dir, loaded, make_app
from tui.app import PaperdeckApp
from tui.screens.detail import DetailScreen
from tui.screens.library import LibraryScreen
from tui.screens.search import SearchScreen

__all__ = ["data_dir"]

RUNS = 50
QUERY = "quantization"  # starts with q: a key that reached the list would quit the app
SPACINGS_S = (0.0, 0.01, 0.03)


async def wait_for(pilot: object, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until ``condition`` holds (polling often: runs are many)."""
    waited = 0.0
    while not condition():
        await pilot.pause(0.01)  # type: ignore[attr-defined]
        waited += 0.01
        if waited > timeout:
            raise AssertionError("timed out waiting for the app")


def _key(character: str) -> events.Key:
    names = {"/": "slash", " ": "space"}
    return events.Key(names.get(character, character), character)


async def _type(app: PaperdeckApp, text: str, spacing: float) -> None:
    for character in text:
        app.post_message(_key(character))
        if spacing:
            await asyncio.sleep(spacing)


def _query_box(app: PaperdeckApp) -> Input | None:
    if isinstance(app.screen, SearchScreen):
        return app.screen.query_one("#search-input", Input)
    return None


async def _go_to(app: PaperdeckApp, pilot: object, origin: str) -> None:
    """Put the app where a run starts from: the library, the results list or a paper."""
    while not isinstance(app.screen, LibraryScreen):
        await pilot.press("escape")  # type: ignore[attr-defined]
        await pilot.pause(0.01)  # type: ignore[attr-defined]
    await wait_for(pilot, loaded(app, 6))
    if origin == "detail":
        await pilot.press("enter")  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
    elif origin == "results":
        await pilot.press("2")  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: _query_box(app) is not None)
        box = _query_box(app)
        assert box is not None
        box.value = "model"
        await wait_for(pilot, lambda: len(app.screen.paper_list.source) > 0)  # type: ignore[attr-defined]
        await pilot.press("down")  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: app.screen.paper_list.has_focus)  # type: ignore[attr-defined]


@pytest.mark.parametrize("origin", ["library", "results", "detail"])
async def test_slash_and_a_burst_of_keys_end_in_the_query(data_dir: Path, origin: str) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        for run in range(RUNS):
            spacing = SPACINGS_S[run % len(SPACINGS_S)]
            await _go_to(app, pilot, origin)
            if origin == "results":
                box = _query_box(app)
                assert box is not None
                before = box.value
                # / goes back to the query box with the cursor at its end: the keys add on.
                await _type(app, "/" + " " + QUERY, spacing)
                expected = f"{before} {QUERY}"
            else:
                await _type(app, "/" + QUERY, spacing)
                expected = QUERY
            try:
                await wait_for(
                    pilot,
                    lambda e=expected: (box := _query_box(app)) is not None and box.value == e,
                    timeout=5,
                )
            except AssertionError:
                shown = _query_box(app)
                raise AssertionError(
                    f"run {run} at {spacing * 1000:.0f} ms from {origin}: the query box holds "
                    f"{shown.value if shown else None!r}, not {expected!r} ({app.screen})"
                ) from None
            assert app.is_running, f"run {run}: a key quit the app"
            box = _query_box(app)
            assert box is not None
            box.value = ""
