"""The text analyzer that analyses a text once for every field that indexes it.

An abstract is indexed twice over (``abstract`` with positions, and its unstemmed words
for the spelling graph), and Whoosh runs the analyzer chain for each.
:class:`MemoAnalyzer` is the same chain (same filters, same tokens) that keeps the words
of the last few texts it analysed for indexing: the chain before its stemmer runs once
per text, the stemmer once more, and the other calls replay the list. Query-time calls
and anything unusual go through the chain unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import CompositeAnalyzer, Token

__all__ = ["MemoAnalyzer"]

_KEPT = 4  # texts remembered: a paper's fields are indexed one after the other
# Index-time keywords a replay reproduces; any other keyword goes through the chain.
_REPLAYABLE = frozenset({"positions", "chars", "boosts", "mode", "removestops"})

# One word as the chain left it: text, position, first and last character, boost.
_Word = tuple[str, int, int, int, float]


class _Analysed:
    """The words of one text before the stemmer and, once asked for, after it."""

    __slots__ = ("plain", "stemmed")

    def __init__(self, plain: list[_Word]) -> None:
        self.plain = plain
        self.stemmed: list[_Word] | None = None


class MemoAnalyzer(CompositeAnalyzer):  # type: ignore[misc]  # Whoosh is untyped
    """A :class:`~whoosh.analysis.CompositeAnalyzer` that remembers its last texts."""

    def __init__(self, *composables: Any) -> None:
        super().__init__(*composables)
        self._fresh_memory()

    def _fresh_memory(self) -> None:
        self._memory: dict[str, _Analysed] = {}
        self._lock = threading.Lock()
        # Replays stem the remembered words last: right only if nothing follows a stemmer.
        morph = [bool(getattr(item, "is_morph", False)) for item in self.items[1:]]
        self._stems_last = morph == sorted(morph)

    def __reduce__(self) -> tuple[type[CompositeAnalyzer], tuple[Any, ...]]:
        # Pickled into the index's table of contents as the plain chain it equals, so
        # an index stays readable by code without this class (an older paperdeck).
        return CompositeAnalyzer, tuple(self.items)

    def __call__(self, value: Any, no_morph: bool = False, **kwargs: Any) -> Iterator[Token]:
        if not (self._stems_last and _replayable(value, kwargs)):
            return super().__call__(value, no_morph=no_morph, **kwargs)  # type: ignore[no-any-return]
        analysed = self._analysed(value)
        if no_morph:
            words = analysed.plain
        else:
            if analysed.stemmed is None:
                analysed.stemmed = self._stem(analysed.plain)
            words = analysed.stemmed
        return _replay(words, kwargs)

    def _analysed(self, value: str) -> _Analysed:
        with self._lock:
            found = self._memory.get(value)
        if found is not None:
            return found
        chain = super().__call__(value, no_morph=True, positions=True, chars=True, mode="index")
        analysed = _Analysed([_word(t) for t in chain])
        with self._lock:
            self._memory[value] = analysed
            while len(self._memory) > _KEPT:
                del self._memory[next(iter(self._memory))]
        return analysed

    def _stem(self, plain: list[_Word]) -> list[_Word]:
        """The chain's morphological filters (the stemmer) run over remembered words."""
        stream: Iterator[Token] = _replay(plain, {"positions": True, "chars": True})
        for item in self.items[1:]:
            if getattr(item, "is_morph", False):
                stream = item(stream)
        return [_word(t) for t in stream]


def _replayable(value: Any, kwargs: dict[str, Any]) -> bool:
    """An index-time call on a plain text: the kind a replay gives exactly."""
    return (
        type(value) is str
        and kwargs.get("mode", "") in ("", "index")
        and kwargs.get("removestops", True) is True
        and kwargs.keys() <= _REPLAYABLE
    )


def _word(token: Token) -> _Word:
    return (token.text, token.pos, token.startchar, token.endchar, token.boost)


def _replay(words: list[_Word], kwargs: dict[str, Any]) -> Iterator[Token]:
    positions = bool(kwargs.get("positions", False))
    chars = bool(kwargs.get("chars", False))
    token = Token(**kwargs)
    for text, pos, start, end, boost in words:
        token.text = text
        token.boost = boost
        token.stopped = False
        if positions:
            token.pos = pos
        if chars:
            token.startchar, token.endchar = start, end
        yield token
