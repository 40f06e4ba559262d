"""The worker helper: results on the UI thread, stale ones dropped, failures told."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import pytest
from textual.app import App

from store import Library, StoreError
from tui.workers import in_thread, with_library


class Host(App[None]):
    """The least an app needs to be a host: a library attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.library: Library | None = None


def messages(app: App[Any]) -> list[tuple[str, str, str]]:
    return [(n.title, n.message, n.severity) for n in app._notifications]


async def settle(pilot: Any, condition: Any, timeout: float = 5.0) -> None:
    waited = 0.0
    while not condition():
        await pilot.pause(0.02)
        waited += 0.02
        assert waited < timeout, "timed out"


async def test_done_runs_on_the_ui_thread_with_the_result() -> None:
    app = Host()
    seen: list[tuple[int, bool]] = []
    async with app.run_test() as pilot:
        ui = threading.get_ident()
        in_thread(
            app,
            lambda: threading.get_ident(),
            done=lambda worker_thread: seen.append((worker_thread, threading.get_ident() == ui)),
        )
        await settle(pilot, lambda: seen)
    assert seen[0][0] != ui and seen[0][1]


async def test_a_store_error_is_one_plain_line() -> None:
    app = Host()

    def fail() -> None:
        raise StoreError("the library is [bold]read-only[/bold]\nat /x")

    async with app.run_test() as pilot:
        in_thread(app, fail, done=lambda _: pytest.fail("done after an error"))
        await settle(pilot, lambda: messages(app))
    assert messages(app) == [("", "the library is [bold]read-only[/bold] at /x", "error")]


async def test_anything_else_is_a_failure_told_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = Host()

    def fail() -> None:
        raise RuntimeError("disk on fire")

    with caplog.at_level(logging.ERROR, logger="tui.workers"):
        async with app.run_test() as pilot:
            in_thread(app, fail, group="fire")
            await settle(pilot, lambda: messages(app))
            assert app.is_running
    assert messages(app) == [("Something failed", "RuntimeError: disk on fire", "error")]
    assert any(r.exc_info and "fire" in r.getMessage() for r in caplog.records)


async def test_a_superseded_exclusive_worker_is_dropped() -> None:
    app = Host()
    shown: list[str] = []
    stale: list[str] = []

    started = threading.Event()

    def slow() -> str:
        started.set()
        time.sleep(0.3)
        return "old"

    async with app.run_test() as pilot:
        for call in (slow, lambda: "new"):
            in_thread(app, call, done=shown.append, stale=stale.append, exclusive=True, group="g")
            await settle(pilot, started.is_set)
        await settle(pilot, lambda: stale)
    assert shown == ["new"] and stale == ["old"]


async def test_nothing_runs_without_a_library() -> None:
    app = Host()
    async with app.run_test():
        assert with_library(app, lambda library: library.count()) is None
