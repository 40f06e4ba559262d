"""The Whoosh schema and analyzers of the paper index.

Text is folded (lower case, no accents) and stemmed, and hyphenated compounds are
indexed both as parts and joined (``fine-tuning`` -> ``fine``, ``tuning``,
``finetuning``), so ``finetuning``, ``fine-tuning`` and ``fine tuning`` meet.
Titles also get an edge n-gram field, so the word being typed is an exact term lookup
instead of a prefix expansion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    NgramFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from .analysis_memo import MemoAnalyzer
from .index_state import SCHEMA_VERSION
from .spelling import SpellingFilter

__all__ = [
    "ABSTRACT_PREFIX_MAX",
    "PREFIX_MAX",
    "PREFIX_MIN",
    "SCHEMA_VERSION",
    "CompoundTokenizer",
    "abstract_prefix_analyzer",
    "build_schema",
    "organization_analyzer",
    "prefix_analyzer",
    "text_analyzer",
]

PREFIX_MIN = 2
PREFIX_MAX = 12
ABSTRACT_PREFIX_MAX = 3

_WORD = re.compile(r"\w+(?:[-\u2010\u2011]\w+)*", re.UNICODE)
_HYPHENS = re.compile(r"[-\u2010\u2011]")


class CompoundTokenizer(Tokenizer):  # type: ignore[misc]
    """Word tokenizer that also emits the joined form of hyphenated compounds.

    At index time ``fine-tuning`` gives ``fine`` (pos n), ``finetuning`` (pos n) and
    ``tuning`` (pos n+1). At query time only the joined form is emitted, which matches
    every spelling that was indexed.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompoundTokenizer)

    def __hash__(self) -> int:
        return hash(CompoundTokenizer)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in _WORD.finditer(value):
            word = match.group(0)
            emit: Sequence[tuple[str, int, int, int]]  # text, pos, start, end
            if not _HYPHENS.search(word):  # most words: one token, no split
                emit = ((word, pos, match.start(), match.end()),)
                pos += 1
            elif mode == "query":
                emit = (("".join(_HYPHENS.split(word)), pos, match.start(), match.end()),)
                pos += 1
            else:
                parts = _HYPHENS.split(word)
                emit = [("".join(parts), pos, match.start(), match.end())]
                offset = match.start()
                for part in parts:
                    emit.append((part, pos, offset, offset + len(part)))
                    offset += len(part) + 1
                    pos += 1
            for text, token_pos, start, end in emit:
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = token_pos
                if chars:
                    token.startchar, token.endchar = start_char + start, start_char + end
                yield token


def text_analyzer() -> Analyzer:
    """Folded, stop-worded, American-spelled, stemmed words (with joined compounds),
    each text analysed once for all the fields that index it (see analysis_memo.py)."""
    return MemoAnalyzer(
        CompoundTokenizer(),
        LowercaseFilter(),
        CharsetFilter(accent_map),
        StopFilter(minsize=1),
        SpellingFilter(),
        StemFilter(cachesize=100_000),
    )


def organization_analyzer() -> Analyzer:
    """Folded words of organisation names, stop words dropped as in the text fields (a
    query's ``of`` must not be required of the organisation)."""
    return (
        CompoundTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(minsize=1)
    )


def abstract_prefix_analyzer() -> Analyzer:
    """The first two and three letters of every abstract word: while the first letters
    of a word are typed, the abstracts that have a word starting with them."""
    return (
        CompoundTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | NgramFilter(minsize=PREFIX_MIN, maxsize=ABSTRACT_PREFIX_MAX, at="start")
    )


def prefix_analyzer() -> Analyzer:
    """Edge n-grams of folded title words, for search as you type."""
    return (
        CompoundTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | NgramFilter(minsize=PREFIX_MIN, maxsize=PREFIX_MAX, at="start")
    )


def _column() -> NUMERIC:
    """A whole number kept as a sortable column; ranges and sorts read the column (see
    :mod:`store.docsets`), so one term per value is indexed, not Whoosh's tiers of
    rounded values (eight terms a value, 9% of an import's postings)."""
    return NUMERIC(int, bits=32, sortable=True, signed=False, shift_step=32)


def build_schema() -> Schema:
    """The index schema. Bump SCHEMA_VERSION whenever this changes: indexes rebuild."""
    text = text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=text, field_boost=3.0, phrase=True, spelling=True),
        title_prefix=TEXT(analyzer=prefix_analyzer(), phrase=False, field_boost=2.0),
        # Matching reads its postings too: the common words' from the files saved beside
        # the index (store/posting_files.py), so no position-free copy is kept.
        abstract=TEXT(analyzer=text, phrase=True, spelling=True),
        # The first letters of abstract words (as-you-type for words of 2-3 letters).
        abstract_prefix=TEXT(analyzer=abstract_prefix_analyzer(), phrase=False),
        organization=TEXT(analyzer=organization_analyzer(), field_boost=3.0),
        # From Hugging Face's data: author names (folded, unstemmed: author:lukasiewicz
        # finds Łukasiewicz), its AI keywords, the arXiv id, what a paper has.
        author_names=TEXT(analyzer=organization_analyzer(), phrase=True),
        keywords=TEXT(analyzer=text, phrase=True),
        arxiv=ID(),
        has=KEYWORD(scorable=False),
        stars=_column(),
        comments=_column(),
        rising=_column(),  # upvotes a day x 100
        published=_column(),
        sort_published=_column(),  # 0: undated
        sort_seen=_column(),  # first arrival (Unix time)
        year=_column(),
        upvotes=_column(),
        authors=_column(),
        sort_title=ID(sortable=True),
        # Never filled: the user's data stays in its own file. The fields exist so the
        # query parser understands tag:, bookmarked: and read: (see user_fields.py).
        bookmarked=BOOLEAN(),
        read=BOOLEAN(),
        tags=KEYWORD(lowercase=True, commas=True, scorable=False),
        pages=KEYWORD(scorable=False),
        data=STORED(),
    )
