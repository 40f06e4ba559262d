"""Where a query matched a text: character spans, and the best fragment of an abstract."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .text import fold

__all__ = ["best_fragment", "match_spans", "merge_spans", "prefix_spans"]

Span = tuple[int, int]


def match_spans(text: str, terms: Collection[str], analyzer: Any) -> list[Span]:
    """Spans of the words of ``text`` whose indexed form is one of ``terms``."""
    if not terms or not text:
        return []
    spans: list[Span] = []
    for token in analyzer(text, chars=True, removestops=True):
        if token.text in terms:
            spans.append((token.startchar, token.endchar))
    return merge_spans(spans)


def prefix_spans(text: str, prefixes: Collection[str], analyzer: Any) -> list[Span]:
    """Spans of the leading characters of words of ``text`` that start with a prefix."""
    if not prefixes or not text:
        return []
    spans: list[Span] = []
    for token in analyzer(text, chars=True, mode="query"):
        word = fold(text[token.startchar : token.endchar])
        for prefix in prefixes:
            if word.startswith(prefix):
                spans.append((token.startchar, token.startchar + len(prefix)))
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
    best_start, best_count = spans[0][0], 0
    for start, _ in spans:
        count = sum(1 for s, e in spans if s >= start and e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    start = max(0, best_start - width // 4)
    start = text.rfind(" ", 0, start) + 1 if start > 0 else 0
    fragment = _cut(text, start, width)
    offset = start - (1 if start > 0 else 0)  # the leading ellipsis
    shifted = [
        (s - offset, e - offset)
        for s, e in spans
        if s >= start and e - offset <= len(fragment) - (1 if fragment.endswith("…") else 0)
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
