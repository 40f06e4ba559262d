"""The word being typed, as you type: a prefix that only ever narrows.

Typing a word letter by letter must only narrow (or keep) what the search shows, and
every prefix must find at least what the finished word finds. Index terms are stems
(``tuning`` is ``tune``), so a typed prefix ``p`` matches, in titles and in abstracts:

- the papers with a word starting with ``p`` (for two or three letters: edge n-gram
  fields, one term lookup each; titles up to twelve letters);
- from four letters on, also the stems of the title and abstract words that start
  with ``p`` (looked up among the unstemmed words Whoosh keeps for spelling), in both
  fields: what each of those words would find once finished. That set shrinks as
  ``p`` grows;
- while ``p`` is a stop word, what its first letters matched: the finished word would
  be dropped, and that must not widen the search as it is typed.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from .schema import ABSTRACT_PREFIX_MAX, PREFIX_MAX, PREFIX_MIN
from .spelling import american_prefix
from .text import fold
from .whoosh_private import prefix_frequencies

__all__ = ["TypedWord", "on_its_way", "prefix_query", "split_typed"]

MAX_FAMILY = 64  # words per field a typed prefix may stand for
_FIELDS = {
    "title": "title",
    "abstract": "abstract",
    "org": "organization",
    "organization": "organization",
    "organisation": "organization",
}
_LAST = re.compile(r"^(?:(?P<field>\w+):)?(?P<word>\w[\w'\u2010\u2011-]*)$")
_DANGLING = re.compile(r"(?:\s+(?:AND|OR|NOT|ANDNOT|ANDMAYBE)|\s*[-+]|\s+\w+:)\s*$")


@dataclass(frozen=True)
class TypedWord:
    """The unfinished last word of a query, and the field it is typed into (None: all)."""

    word: str
    field: str | None = None


def split_typed(text: str, balanced: Callable[[str], bool]) -> tuple[str, TypedWord | None]:
    """``text`` without its unfinished last word, and that word. A dangling operator at
    the end (``transformers -``, ``diffusion OR``) is not yet part of the query."""
    if text.endswith(" "):
        return text, None
    while (trimmed := _DANGLING.sub("", text)) != text:
        text = trimmed
    head, _, last = text.rpartition(" ")
    match = _LAST.match(last)
    if not match or not balanced(head):
        return text, None
    field = match.group("field")
    if field is not None and field.lower() not in _FIELDS:
        return text, None
    return head, TypedWord(match.group("word"), _FIELDS[field.lower()] if field else None)


def prefix_query(
    typed: TypedWord, reader: Any, analyze: Callable[[str], list[str]]
) -> wq.Query | None:
    """What the typed word matches (None: no constraint yet)."""
    folded = fold(typed.word)
    while len(folded) > PREFIX_MIN and not analyze(folded):
        folded = folded[:-1]  # "with" is a stop word: keep narrowing by "wit"
    if len(folded) < PREFIX_MIN or not analyze(folded):
        return None  # too short to narrow anything
    if typed.field == "organization":
        terms = _starting_with(reader, "organization", folded)
        return wq.Or([wq.Term("organization", t) for t in terms]) if terms else wq.NullQuery
    options: list[wq.Query] = []
    # A British spelling being typed (optimisa) also stands for the American one
    # (optimiza): the finished word finds both, so every prefix of it must too.
    for prefix in dict.fromkeys((folded, american_prefix(folded))):
        options += _prefix_options(prefix, typed.field, reader, analyze)
    return wq.Or(options).normalize() if options else wq.NullQuery


def _prefix_options(
    folded: str, field: str | None, reader: Any, analyze: Callable[[str], list[str]]
) -> list[wq.Query]:
    options: list[wq.Query] = []
    # Sorted: the query's parts in the same order in every process, so are its scores'
    # last bits (a set's order follows the process's hash seed).
    stems = sorted(_stems(reader, folded, analyze)) if len(folded) > ABSTRACT_PREFIX_MAX else []
    if field in (None, "title"):
        options.append(wq.Term("title_prefix", folded[:PREFIX_MAX]))
        options += [wq.Term("title", t) for t in stems if reader.doc_frequency("title", t)]
    if field in (None, "abstract"):
        if len(folded) <= ABSTRACT_PREFIX_MAX:
            options.append(wq.Term("abstract_prefix", folded))
        options += [wq.Term("abstract", t) for t in stems if reader.doc_frequency("abstract", t)]
    return options


def on_its_way(folded: str, reader: Any) -> bool:
    """True when some title or abstract word starts with ``folded`` or its American
    spelling (a word being typed that is going somewhere: not a misspelling yet)."""
    american = american_prefix(folded)
    return _on_its_way(folded, reader) or (american != folded and _on_its_way(american, reader))


def _on_its_way(folded: str, reader: Any) -> bool:
    if reader.doc_frequency("title_prefix", folded[:PREFIX_MAX]) > 0:
        return True
    if len(folded) <= ABSTRACT_PREFIX_MAX:
        return bool(reader.doc_frequency("abstract_prefix", folded))
    return any(True for _ in reader.iter_prefix("abstract", folded))


def _stems(reader: Any, prefix: str, analyze: Callable[[str], list[str]]) -> set[str]:
    """The stems of the (most frequent) title and abstract words that start with
    ``prefix``: what each of them would find once finished (``costs`` typed finds the
    titles that say ``cost``)."""
    words = {
        *_starting_with(reader, "spell_title", prefix),
        *_starting_with(reader, "spell_abstract", prefix),
    }
    return {stem for word in words for stem in analyze(word)}


def _starting_with(reader: Any, fieldname: str, prefix: str) -> list[str]:
    """The :data:`MAX_FAMILY` most frequent terms of a field that start with ``prefix``
    (among its first 5,000, in term order)."""
    found = prefix_frequencies(reader, fieldname, prefix.encode("utf-8"), 5_000)
    counted = ((count, term.decode("utf-8")) for term, count in found.items())
    return [text for _, text in heapq.nlargest(MAX_FAMILY, counted)]
