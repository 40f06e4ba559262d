"""Key hints drawn from the bindings that are active, so a key remapped in the config's
``[keymap]`` shows its new key wherever the app mentions it.

A hint names a binding by its id (``"library.sort"``); Textual's own bindings, which
have no id (an input's Enter, the screen's Tab), are named by their action
(``"submit"``, ``"app.focus_previous"``). Keys are shown as the footer shows them
(``App.get_key_display``): ``?``, ``esc``, ``⏎``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.screen import Screen

__all__ = ["Hint", "binding_key", "key_hints"]

Hint = str | tuple[str, str]
"""A binding id (or action), or (id, label) to say something else than its description."""


def _find(screen: Screen[Any], name: str) -> Binding | None:
    bindings = [active.binding for active in screen.active_bindings.values()]
    by_id = next((b for b in bindings if b.id == name), None)
    return by_id or next((b for b in bindings if b.action == name), None)


def binding_key(screen: Screen[Any], name: str) -> str | None:
    """The key of the binding ``name`` (its first key if it has several), as the footer
    shows it; None if no active binding of ``screen`` has that id or action."""
    binding = _find(screen, name)
    return screen.app.get_key_display(binding) if binding is not None else None


def key_hints(screen: Screen[Any], hints: Sequence[Hint], separator: str = " · ") -> str:
    """``"s sort · u unread · ? all keys"``: each hint's key and label (the binding's
    description in lower case unless given), those not active left out."""
    parts: list[str] = []
    for hint in hints:
        name, label = (hint, None) if isinstance(hint, str) else hint
        binding = _find(screen, name)
        if binding is None:
            continue
        key = screen.app.get_key_display(binding)
        parts.append(f"{key} {label if label is not None else binding.description.lower()}")
    return separator.join(parts)
