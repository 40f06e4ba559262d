"""Snapshot tests: each screen at 120x36 on the fixture library (pytest-textual-snapshot).

Update the pictures after an intended change with ``uv run pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at them in the report before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store import Library
from store.records import paper_id
from tests.helpers import FIXTURES
from tests.pictures import hold_still, until_library_loaded
from tui.app import PaperdeckApp
from tui.config import Config

SIZE = (120, 36)


@pytest.fixture(autouse=True)
def _fixed_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERDECK_CONFIG", "/nonexistent/paperdeck/config.toml")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    with Library.open(root) as library:
        library.import_pages([FIXTURES])
        library.bookmark(paper_id("Diffusion Transformers for Image Synthesis"), tags=["vision"])
        library.set_note(paper_id("Diffusion Transformers for Image Synthesis"), "DiT baseline")
        library.set_read(paper_id("Efficient Finetuning of Quantized LLMs"))
    return root


def ready(
    then: Callable[[Pilot[None]], Awaitable[None]] | None = None,
) -> Callable[..., Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await until_library_loaded(pilot, tries=200)
        if then is not None:
            await then(pilot)
        await hold_still(pilot)

    return run_before


def app_for(data_dir: Path) -> PaperdeckApp:
    return PaperdeckApp(data_dir, config=Config())


def test_library_screen(snap_compare: Callable[..., bool], data_dir: Path) -> None:
    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=ready())


def test_first_run_screen(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path / "empty"), terminal_size=SIZE, run_before=ready())


def test_detail_screen(snap_compare: Callable[..., bool], data_dir: Path) -> None:
    async def open_first(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        await pilot.pause(0.5)

    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=ready(open_first))


def test_search_screen(snap_compare: Callable[..., bool], data_dir: Path) -> None:
    async def search(pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        await pilot.pause(0.2)
        await pilot.press(*"fine tun")
        await pilot.pause(0.5)

    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=ready(search))


def test_bookmarks_screen(snap_compare: Callable[..., bool], data_dir: Path) -> None:
    async def bookmarks(pilot: Pilot[None]) -> None:
        await pilot.press("3")
        await pilot.pause(0.5)

    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=ready(bookmarks))


def test_help_screen(snap_compare: Callable[..., bool], data_dir: Path) -> None:
    async def help_(pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        await pilot.pause(0.3)

    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=ready(help_))
