"""Where a query matched a text: character spans, and the best fragment of an abstract.

Matching runs a plain word scan with a cache of indexed forms, not the full analyzer
pipeline, so highlighting a page of hits costs a few milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from .cache import SizedCache
from .text import fold

__all__ = ["Highlighter", "best_fragment", "merge_spans"]

Span = tuple[int, int]
_WORD = re.compile(r"\w+(?:[-\u2010\u2011]\w+)*")
_PART = re.compile(r"\w+")


class Highlighter:
    """Finds the words of a text whose indexed form is one of a query's terms."""

    def __init__(self, index_form: Callable[[str], str | None], cache_size: int = 200_000) -> None:
        self._index_form = index_form
        self._cache: SizedCache[str, tuple[str, str | None]] = SizedCache(cache_size)

    def _forms(self, word: str) -> tuple[str, str | None]:
        """(folded word without hyphens, indexed form), cached by the word as written."""
        forms = self._cache.get(word)
        if forms is None:
            folded = fold(word).replace("-", "").replace("\u2010", "").replace("\u2011", "")
            forms = (folded, self._index_form(folded))
            self._cache.put(word, forms)
        return forms

    def spans(
        self, text: str, terms: Collection[str], prefixes: Collection[str] = ()
    ) -> list[Span]:
        """Spans of words matching ``terms`` (whole words) or ``prefixes`` (their start)."""
        if not text or not (terms or prefixes):
            return []
        spans: list[Span] = []
        # Folding and stemming keep a plain ASCII word's first letter: words starting
        # with a letter no term starts with are passed over without analysing them.
        initials = {t[0] for t in terms if t} | {p[0] for p in prefixes if p}
        for match in _WORD.finditer(text):
            word = match.group(0)
            first = word[0]
            if first.isascii() and first.lower() not in initials and word.isalnum():
                continue
            candidates = [(word, match.start())]
            if not word.isalnum() and not word.replace("_", "").isalnum():
                candidates += [
                    (m.group(0), match.start() + m.start()) for m in _PART.finditer(word)
                ]
            for candidate, start in candidates:
                folded, form = self._forms(candidate)
                if form is not None and form in terms:
                    spans.append((start, start + len(candidate)))
                    break
                if prefixes:
                    prefix = next((p for p in prefixes if folded.startswith(p)), None)
                    if prefix:
                        spans.append((start, start + len(prefix)))
                        break
        return merge_spans(spans)


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sort spans and join the ones that touch or overlap."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def best_fragment(text: str, spans: list[Span], width: int = 240) -> tuple[str, list[Span]]:
    """The ``width``-character window of ``text`` holding most matches, cut at word breaks.

    Returns the fragment (with ``…`` where it was cut) and the spans shifted into it.
    """
    if len(text) <= width:
        return text, spans
    if not spans:
        return _cut(text, 0, width), []
    best_start, best_count, right = spans[0][0], 0, 0
    for left, (start, _) in enumerate(spans):
        right = max(right, left)
        while right < len(spans) and spans[right][1] <= start + width:
            right += 1
        if right - left > best_count:
            best_start, best_count = start, right - left
    start = max(0, best_start - width // 4)
    start = text.rfind(" ", 0, start) + 1 if start > 0 else 0
    fragment = _cut(text, start, width)
    lead = 1 if start > 0 else 0  # the leading ellipsis
    body_end = len(fragment) - (1 if fragment.endswith("…") else 0)
    shifted = [
        (s - start + lead, e - start + lead)
        for s, e in spans
        if s >= start and e - start + lead <= body_end
    ]
    return fragment, shifted


def _cut(text: str, start: int, width: int) -> str:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start + width // 2:
            end = space
    body = text[start:end]
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
