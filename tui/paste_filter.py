"""A pasted text stays a paste, even when it holds an escape character.

Textual's terminal parser (checked on 8.2.x) ends a bracketed paste at the first ESC it
meets and sends the rest of the pasted text as key presses: a saved page whose abstract
carries an escape sequence would bookmark (``b``), mark read (``r``) and quit (``q``)
instead of being imported. Terminals mark a paste with ``ESC [200~`` ... ``ESC [201~``;
this filter sits in front of the parser and drops every other ESC between the two
markers (control characters are stripped from pasted text anyway), so the parser sees
one whole paste and no keys.

:func:`install` wraps ``XTermParser.feed``; it keeps its own state per parser and
never holds back input outside a paste (an Esc key press is never delayed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["PasteFilter", "install"]

START = "\x1b[200~"
END = "\x1b[201~"
ESC = "\x1b"


class PasteFilter:
    """Removes ESC characters inside bracketed pastes from a stream of terminal input."""

    def __init__(self) -> None:
        self.in_paste = False
        self._recent = ""  # the last characters seen outside a paste (a split START)
        self._held = ""  # a possible start of END at the end of a chunk, inside a paste

    def __call__(self, data: str) -> str:
        out: list[str] = []
        data = self._held + data
        self._held = ""
        position = 0
        while position < len(data):
            if not self.in_paste:
                window = self._recent + data[position:]
                found = window.find(START)
                if found < 0:
                    out.append(data[position:])
                    self._recent = window[-(len(START) - 1) :]
                    break
                end_of_start = found + len(START) - len(self._recent)
                out.append(data[position : position + end_of_start])
                position += end_of_start
                self._recent = ""
                self.in_paste = True
                continue
            found = data.find(END, position)
            if found < 0:
                chunk = data[position:]
                keep = _partial_suffix(chunk, END)
                if keep:
                    self._held, chunk = chunk[-keep:], chunk[:-keep]
                out.append(chunk.replace(ESC, ""))
                break
            out.append(data[position:found].replace(ESC, ""))
            out.append(END)
            position = found + len(END)
            self.in_paste = False
        return "".join(out)


def _partial_suffix(text: str, marker: str) -> int:
    """How many characters at the end of ``text`` could begin ``marker``."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


def install() -> None:
    """Put a :class:`PasteFilter` in front of every Textual terminal parser (idempotent)."""
    from textual._xterm_parser import XTermParser

    if getattr(XTermParser, "_paperdeck_paste_filter", False):
        return
    original = XTermParser.feed

    def feed(self: Any, data: str) -> Iterable[Any]:
        paste_filter = self.__dict__.get("_paste_filter")
        if paste_filter is None:
            paste_filter = self.__dict__["_paste_filter"] = PasteFilter()
        return original(self, paste_filter(data))

    XTermParser.feed = feed  # type: ignore[method-assign]
    XTermParser._paperdeck_paste_filter = True  # type: ignore[attr-defined]
