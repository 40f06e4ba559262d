"""The idle collector takes over only on the collectors it was measured on (3.11-3.13)
and steps aside elsewhere (3.14's incremental collector) without the app noticing."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Library
from tests.helpers import FIXTURES
from tui import idle_gc
from tui.app import PaperdeckApp
from tui.config import Config
from tui.idle_gc import IdleCollector, supported
from tui.screens.search import SearchScreen

PY313 = (3, 13, 5, "final", 0)
PY314 = (3, 14, 0, "final", 0)


@pytest.fixture(autouse=True)
def _python_s_collector() -> Iterator[tuple[int, int, int]]:
    """Every test leaves the thresholds and the freeze as Python had them."""
    before = gc.get_threshold()
    yield before
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_supported_collectors() -> None:
    assert supported((3, 11, 0, "final", 0)) and supported(PY313)
    assert not supported(PY314) and not supported((3, 15, 0, "alpha", 1))
    assert not supported((4, 0))
    assert IdleCollector().enabled == supported()


def test_on_a_measured_collector_it_takes_over_and_gives_back() -> None:
    before = gc.get_threshold()
    collector = IdleCollector(enabled=supported(PY313))
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], IdleCollector.NO_AUTOMATIC_FULL)
        assert gc.get_freeze_count() > 0
    finally:
        collector.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_on_3_14_it_leaves_the_collector_alone() -> None:
    before = gc.get_threshold()
    collector = IdleCollector(enabled=supported(PY314))
    collector.start()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    for _ in range(3):
        gc.collect(1)  # aged objects a running collector would collect now
    collector.last_input -= collector.IDLE_S + collector.MAX_WAIT_S
    collector.last_collect -= collector.MAX_WAIT_S
    assert not collector.tick() and collector.collections == 0
    collector.touch()
    collector.stop()
    assert gc.get_threshold() == before


async def test_the_app_runs_with_the_collector_stepping_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERDECK_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setattr(idle_gc, "supported", lambda *args: False)
    root = tmp_path / "lib"
    with Library.open(root) as library:
        library.import_pages([FIXTURES])
    before = gc.get_threshold()
    app = PaperdeckApp(root, config=Config())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        assert not app.collector.enabled
        assert gc.get_threshold() == before and gc.get_freeze_count() == 0
        await pilot.press("/")
        await pilot.pause(0.1)
        assert isinstance(app.screen, SearchScreen)
        assert not app.collector.tick()
    assert gc.get_threshold() == before
