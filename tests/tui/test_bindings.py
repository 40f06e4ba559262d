"""Every key the help lists does something, and a keymap that cannot be used is said
at start while the defaults keep working."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.tui.test_app import SIZE, data_dir, library_list, loaded, make_app, wait_for
from tui.app import PaperdeckApp
from tui.config import Config
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.detail import DetailScreen
from tui.screens.search import SearchScreen

__all__ = ["data_dir"]


def _unresolved(app: PaperdeckApp) -> list[str]:
    """The active bindings of the current screen whose action nothing implements."""
    missing = []
    for active in app.screen.active_bindings.values():
        action = active.binding.action
        target: object = active.node
        if action.startswith("app."):
            target, action = app, action.removeprefix("app.")
        elif action.startswith("screen."):
            target, action = app.screen, action.removeprefix("screen.")
        name = action.split("(", 1)[0]
        if not callable(getattr(target, f"action_{name}", None)):
            missing.append(f"{active.binding.id or active.binding.key}: {active.binding.action}")
    return missing


async def test_every_active_binding_has_an_action(data_dir: Path) -> None:
    """Tab in the detail screen named an action the screen did not have."""
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        assert _unresolved(app) == []
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert _unresolved(app) == []
        await pilot.press("tab")  # moves focus into the links
        await pilot.pause(0.1)
        assert app.focused is not None and app.focused.id == "detail-links"
        await pilot.press("escape", "2")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert _unresolved(app) == []
        await pilot.press("escape", "3")  # the query box takes digits: leave it first
        await wait_for(pilot, lambda: isinstance(app.screen, BookmarksScreen))
        assert _unresolved(app) == []


@pytest.mark.parametrize(
    ("keymap", "said"),
    [
        ({"list.down": "notakey!!"}, "'notakey!!' is not a key; list.down keeps j,down"),
        ({"list.dwon": "x"}, "no binding has the id 'list.dwon' (did you mean 'list.down'?)"),
        ({"list.down": "ctrl+p"}, "ctrl+p belongs to"),
    ],
)
async def test_a_keymap_that_cannot_be_used_is_said_and_defaults_stay(
    data_dir: Path, keymap: dict[str, str], said: str
) -> None:
    app = make_app(data_dir, config=Config(keymap=keymap))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await wait_for(pilot, lambda: any(said in str(n.message) for n in app._notifications))
        await pilot.press("j")
        await wait_for(pilot, lambda: library_list(app).cursor == 1)
        await pilot.press("down")
        await wait_for(pilot, lambda: library_list(app).cursor == 2)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))  # the palette opens


async def test_a_good_keymap_entry_beside_a_bad_one_still_works(data_dir: Path) -> None:
    app = make_app(data_dir, config=Config(keymap={"list.down": "n", "list.up": "nope!"}))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, loaded(app, 6))
        await pilot.press("n", "n")
        await wait_for(pilot, lambda: library_list(app).cursor == 2)
        await pilot.press("k")  # list.up kept its default
        await wait_for(pilot, lambda: library_list(app).cursor == 1)
