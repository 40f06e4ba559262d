"""The ``[keymap]`` of the config file, checked before the app uses it.

A keymap entry with an impossible key (``"list.down" = "notakey!!"``) silently disabled
``j`` and ``Down``; a misspelt binding id was ignored without a word; a key taken from
the command palette (``ctrl+p``) was lost. :func:`check_keymap` keeps what can be used,
drops the rest (their bindings keep their default keys) and says why, one line each.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import Keys, _character_to_key, key_to_character

__all__ = ["KeymapCheck", "binding_keys", "check_keymap"]

_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED = {key.value for key in Keys}


@dataclass
class KeymapCheck:
    """What of a keymap can be used, and what was wrong with the rest."""

    keymap: dict[str, str]
    problems: list[str]


def binding_keys(bindings: Iterable[object]) -> dict[str, str]:
    """Binding id -> its default keys, for the bindings that have an id."""
    found: dict[str, str] = {}
    for binding in bindings:
        if isinstance(binding, Binding) and binding.id:
            found.setdefault(binding.id, binding.key)
    return found


def _normal(key: str) -> str:
    return _character_to_key(key) if len(key) == 1 else key.lower()


def _is_key(key: str) -> bool:
    """True for a key Textual can deliver: ``j``, ``?``, ``down``, ``ctrl+n``, ``f5``."""
    if not key:
        return False
    if len(key) == 1:
        return key.isprintable()
    *modifiers, base = key.lower().split("+")
    if any(m not in _MODIFIERS for m in modifiers):
        return False
    return (
        len(base) == 1
        or base in _NAMED
        or f"ctrl+{base}" in _NAMED
        or key_to_character(base) is not None
    )


def check_keymap(
    keymap: Mapping[str, str],
    known: Mapping[str, str],
    reserved: Mapping[str, tuple[str, str]],
    where: str = "keymap",
) -> KeymapCheck:
    """The usable part of ``keymap``: ids must be ``known`` (id -> default keys), keys
    must be keys, and keys in ``reserved`` (key -> (binding id, what it does)) stay with
    their binding."""
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (press ? for the ids)"
            problems.append(f"{where}: no binding has the id {binding_id!r}{hint}; ignored")
            continue
        default = known[binding_id]
        wanted = [k.strip() for k in keys.split(",") if k.strip()]
        bad = [k for k in wanted if not _is_key(k)]
        if bad:
            problems.append(
                f"{where}: {binding_id} = {keys!r}: {', '.join(map(repr, bad))} is not a key; "
                f"{binding_id} keeps {default}"
            )
            continue
        kept = []
        for key in wanted:
            holder = reserved.get(_normal(key))
            if holder is not None and holder[0] != binding_id:
                owner = f"{holder[1]} ({holder[0]})"
                problems.append(f"{where}: {key} belongs to {owner}; not given to {binding_id}")
            else:
                kept.append(key)
        if kept:
            usable[binding_id] = ",".join(kept)
        elif wanted:
            problems.append(f"{where}: {binding_id} keeps {default}")
    return KeymapCheck(usable, problems)
