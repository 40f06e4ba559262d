"""Turn what the user typed into a Whoosh query that never raises and never crawls.

- Whoosh syntax works: ``OR``, ``NOT``, ``"phrases"``, ``title:``/``abstract:``/``org:``/
  ``tag:`` prefixes, ranges (``year:2024``, ``upvotes:>=10``), ``trans*``, ``transfromer~``.
- Prefix and wildcard terms expand to at most :data:`MAX_EXPANSION` of their most common
  terms, so ``t*`` costs about as much as a few plain words.
- As you type, the last word is a prefix: an exact lookup in the title's edge n-grams
  (and the word itself in abstracts).
- ``finetuning``, ``fine-tuning`` and ``fine tuning`` are rewritten to meet each other.
- Anything the parser cannot make sense of falls back to its plain words.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
)

from .docsets import DocSetQuery
from .engine_types import EMPTY
from .schema import PREFIX_MAX, PREFIX_MIN, text_analyzer
from .text import collapse_space, fold, strip_control
from .typed_word import TypedWord, on_its_way, prefix_query, split_typed
from .user_fields import USER_FIELDS

__all__ = ["MAX_EXPANSION", "MAX_QUERY_CHARS", "ParsedQuery", "QueryBuilder"]

MAX_EXPANSION = 12
MAX_QUERY_CHARS = 500
TEXT_FIELDS = ("title", "abstract")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
# Numeric fields where 0 means "not known" (no author count, no date): a range never
# matches it, so authors:<5 is not every paper without an author count.
_ZERO_IS_UNKNOWN = {"authors", "year", "published"}
_LEXEME = re.compile(r'"[^"]*"?|\S+')
# Stands for the word being typed while the rest of the query is parsed: a word the
# analyzers keep as it is (no stem, no stop word, no spelling variant).
_MARKER = "qqxtypedwordqqx"
_OPERATOR_END = re.compile(r"(?:^|\s)(?:AND|OR|NOT|ANDNOT|ANDMAYBE)$")
_BARE_WORD = re.compile(r"^\w[\w'\u2010\u2011-]*$")
# A quoted phrase (left alone), or + or - starting a word.
_PLUS_MINUS = re.compile(r'"[^"]*"|(?:^|(?<=[\s(]))([+-])(?=[^\s+-])')


@dataclass
class ParsedQuery:
    """A query ready to run, and what was done to the user's text on the way."""

    query: wq.Query
    text: str
    words: list[str] = field(default_factory=list)
    fell_back: bool = False
    prefix_word: str | None = None
    stop_words: bool = False  # only words too common to search for: everything matches

    @property
    def is_everything(self) -> bool:
        """True for an empty query, which lists every paper."""
        return isinstance(self.query, wq.Every)


def _web_operators(text: str) -> str:
    """``-word`` as ``NOT word`` and ``+word`` as ``word`` (words are required anyway), as
    in web search; a hyphen inside a word (self-supervised) or a phrase stays."""
    return _PLUS_MINUS.sub(
        lambda m: (
            m.group(0) if m.group(0).startswith('"') else ("NOT " if m.group(1) == "-" else "")
        ),
        text,
    )


def _balanced(text: str) -> bool:
    """False for an unclosed quote or parenthesis (Whoosh would swallow the rest)."""
    depth = 0
    for char in text.replace('"', ""):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and text.count('"') % 2 == 0


def _words(text: str) -> list[str]:
    """The plain words of ``text`` (no operators, no field prefixes)."""
    return [
        w
        for lexeme in _LEXEME.findall(text)
        if ":" not in lexeme and lexeme not in _OPERATORS
        for w in re.findall(r"\w+", lexeme)
    ]


def _is_marker(query: wq.Query) -> bool:
    return getattr(query, "text", None) == _MARKER


def _put_typed(query: wq.Query, typed: wq.Query) -> wq.Query:
    """``query`` with the marker's terms (one per field searched) replaced by ``typed``."""
    if query.is_leaf():
        return typed if _is_marker(query) else query
    leaves = list(query.leaves())
    if leaves and all(_is_marker(leaf) for leaf in leaves):
        return typed
    return query.apply(lambda child: _put_typed(child, typed))


def _is_null(query: wq.Query) -> bool:
    return query is wq.NullQuery or type(query) is type(wq.NullQuery)


class QueryBuilder:
    """Builds queries against one index schema, looking terms up in a reader."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema
        self._analyzer = text_analyzer()
        self._parser = MultifieldParser(
            ["title", "abstract", "organization"], schema, group=AndGroup
        )
        self._parser.add_plugin(FuzzyTermPlugin())
        self._parser.add_plugin(GtLtPlugin())
        self._parser.add_plugin(
            FieldAliasPlugin(
                {
                    "organization": ["org", "organisation"],
                    "tags": ["tag"],
                    "author_names": ["author"],
                    "keywords": ["kw", "keyword"],
                    "bookmarked": ["bookmark"],
                }
            )
        )
        self._plain_parser = MultifieldParser(
            ["title", "abstract", "organization"], schema, group=AndGroup, plugins=[]
        )

    # -- public ------------------------------------------------------------------------

    def build(self, text: str, reader: Any, *, as_you_type: bool = False) -> ParsedQuery:
        """Parse ``text``; never raises. An empty text matches every paper."""
        text = collapse_space(strip_control(text))[:MAX_QUERY_CHARS]
        if not text:
            return ParsedQuery(wq.Every(), text)
        body, typed = split_typed(text, _balanced) if as_you_type else (text, None)
        prefix_word = typed.word if typed else None
        if typed is not None and _OPERATOR_END.search(body):
            operand = self._typed_operand(body, typed, reader)
            if operand is not None:  # "quantized OR nvf": the typed word is OR's operand
                return ParsedQuery(operand, text, _words(text), prefix_word=prefix_word)
        words = _words(text)
        fell_back = False
        rewritten = (
            self._rewrite_compounds(_web_operators(body), reader)
            if body and _balanced(body)
            else None
        )
        try:
            raw = self._parser.parse(rewritten) if rewritten is not None else None
        except Exception:  # the parser's own errors on odd text (it reads no index)
            raw = None
        parsed = self._bound(raw, reader) if raw is not None else None
        if body and (parsed is None or _is_null(parsed)) and not self._only_stop_words(body):
            fell_back = True
            parsed = self.plain(body, reader)
        typed_query = prefix_query(typed, reader, self.analyze) if typed else None
        parts = [q for q in (parsed, typed_query) if q is not None and not _is_null(q)]
        if not parts:
            if (body and not self._only_stop_words(body)) or (typed_query is not None):
                return ParsedQuery(wq.NullQuery, text, words, fell_back=True)
            # Only words too common to search for (``of``, ``the``), or nothing typed yet.
            return ParsedQuery(wq.Every(), text, [], prefix_word=prefix_word, stop_words=bool(body))
        query = parts[0] if len(parts) == 1 else wq.And(parts)
        return ParsedQuery(query.normalize(), text, words, fell_back, prefix_word)

    def _typed_operand(self, body: str, typed: TypedWord, reader: Any) -> wq.Query | None:
        """The query of ``body`` and the word being typed after its last operator, the
        parser placing the word (``a b OR c`` is ``a (b OR c)``); None when the word is
        too short to stand for anything yet or the text does not parse."""
        typed_query = prefix_query(typed, reader, self.analyze)
        if typed_query is None or not _balanced(body):
            return None
        marked = self._rewrite_compounds(_web_operators(f"{body} {_MARKER}"), reader)
        try:
            parsed = self._bound(self._parser.parse(marked), reader)
        except Exception:  # the parser's own errors on odd text
            return None
        placed = _put_typed(parsed, typed_query)
        return None if placed is parsed else placed.normalize()

    def _only_stop_words(self, text: str) -> bool:
        """True when every word of ``text`` is one the index drops (``of the``)."""
        plain = re.findall(r"\w+", re.sub(r"\w+:", " ", text))
        return bool(plain) and all(not self.analyze(w) for w in plain)

    def plain(self, text: str, reader: Any) -> wq.Query:
        """The plain words of ``text``, ANDed, with no syntax at all."""
        text = re.sub(r"\w+:", " ", text)  # a field name is syntax, not a word to find
        words = [w.lower() for w in re.findall(r"\w+", text)]
        if not words:
            return wq.NullQuery
        return self._bound(self._plain_parser.parse(" ".join(words)), reader)

    def loosen(self, words: Iterable[str], reader: Any, unfinished: str | None = None) -> wq.Query:
        """A forgiving query for a search that found nothing: each word as prefix or fuzzy.

        The ``unfinished`` word being typed gets near spellings only when no title word
        starts with it, as in :meth:`suggest` (``transf`` is on its way somewhere;
        ``difusion`` is not, and finds the diffusion papers while the user looks)."""
        clauses: list[wq.Query] = []
        words = list(words)
        for position, word in enumerate(words):
            last = position == len(words) - 1
            folded = fold(word)
            options: list[wq.Query] = []
            if len(folded) >= PREFIX_MIN:
                options.append(wq.Term("title_prefix", folded[:PREFIX_MAX]))
                options.append(self._expand("abstract", self._stem(folded) or folded, reader))
            # Near spellings only for words the library does not know.
            typed = last and word == unfinished
            going = typed and on_its_way(folded, reader)
            if len(folded) >= 4 and not going and not self._known(folded, reader):
                options.append(self._fuzzy(folded, 2, reader))
            if options:
                clauses.append(wq.Or(options))
        if not clauses:
            return wq.NullQuery
        return wq.And(clauses).normalize()

    def suggest(
        self, words: Iterable[str], reader: Any, unfinished: str | None = None
    ) -> str | None:
        """A 'did you mean' text when some words are unknown and a close known word exists.

        The ``unfinished`` word being typed is judged only when no title word starts
        with it (``transf`` is on its way somewhere; ``difusion`` is not)."""
        changed = False
        out: list[str] = []
        words = list(words)
        for position, word in enumerate(words):
            folded = fold(word)
            typed = position == len(words) - 1 and word == unfinished
            if (
                len(folded) < 3
                or folded.isdigit()
                or self._known(folded, reader)
                or (typed and on_its_way(folded, reader))
            ):
                out.append(word)
                continue
            best: str | None = None
            for fieldname in TEXT_FIELDS:
                found = reader.corrector(fieldname).suggest(folded, limit=1, maxdist=2)
                if found:
                    best = found[0]
                    break
            if best and best != folded:
                changed = True
                out.append(best)
            else:
                out.append(word)
        return " ".join(out) if changed else None

    def index_form(self, word: str) -> str | None:
        """The single indexed form of one word (None for a stop word)."""
        forms = self.analyze(word)
        return forms[0] if forms else None

    def analyze(self, word: str) -> list[str]:
        """The indexed forms of ``word`` (folded, stemmed; empty for a stop word)."""
        return [t.text for t in self._analyzer(word, mode="query")]

    # -- internals ---------------------------------------------------------------------

    def _stem(self, word: str) -> str | None:
        forms = self.analyze(word)
        return forms[0] if forms else None

    def _known(self, folded: str, reader: Any) -> bool:
        stem = self._stem(folded)
        return stem is None or any(reader.doc_frequency(f, stem) > 0 for f in TEXT_FIELDS)

    def _df(self, word: str, reader: Any) -> int:
        stem = self._stem(word)
        if stem is None:
            return 0
        return max(int(reader.doc_frequency(f, stem)) for f in TEXT_FIELDS)

    def _rewrite_compounds(self, text: str, reader: Any) -> str:
        """``fine tuning`` -> ``((fine tuning) OR finetuning)``; ``finetuning`` -> also
        ``"fine tuning"``; only where the other spelling exists in the index."""
        lexemes = _LEXEME.findall(text)
        out: list[str] = []
        index = 0
        while index < len(lexemes):
            word = lexemes[index]
            bare = bool(_BARE_WORD.match(word)) and word not in _OPERATORS
            if bare and index + 1 < len(lexemes):
                nxt = lexemes[index + 1]
                if _BARE_WORD.match(nxt) and nxt not in _OPERATORS and "-" not in word + nxt:
                    joined = word + nxt
                    if self._df(joined, reader) > 0:
                        out.append(f"(({word} {nxt}) OR {joined})")
                        index += 2
                        continue
            if bare and "-" in word.strip("-"):
                spaced = " ".join(part for part in word.split("-") if part)
                out.append(f'({word} OR "{spaced}")')
                index += 1
                continue
            if bare and "-" not in word and len(word) >= 7:
                split = self._best_split(word, reader)
                if split:
                    out.append(f'({word} OR "{split[0]} {split[1]}")')
                    index += 1
                    continue
            out.append(word)
            index += 1
        return " ".join(out)

    def _best_split(self, word: str, reader: Any) -> tuple[str, str] | None:
        best: tuple[int, tuple[str, str]] | None = None
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            score = min(self._df(left, reader), self._df(right, reader))
            if score > 0 and (best is None or score > best[0]):
                best = (score, (left, right))
        return best[1] if best else None

    def _expand(
        self, fieldname: str, prefix: str, reader: Any, *, limit: int = MAX_EXPANSION
    ) -> wq.Query:
        """The ``limit`` most frequent terms of ``fieldname`` that start with ``prefix``."""
        candidates: list[tuple[int, str]] = []
        if fieldname not in self._schema or not hasattr(self._schema[fieldname], "analyzer"):
            return wq.NullQuery  # only text fields have words to expand
        for count, (term, info) in enumerate(reader.iter_prefix(fieldname, prefix)):
            if count >= 5_000:
                break
            text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
            candidates.append((info.doc_frequency(), text))
        top = heapq.nlargest(limit, candidates)
        if not top:
            return wq.NullQuery
        return wq.Or([wq.Term(fieldname, text) for _, text in top])

    def _fuzzy(
        self, word: str, maxdist: int, reader: Any, *, fields: tuple[str, ...] = TEXT_FIELDS
    ) -> wq.Query:
        """Terms within ``maxdist`` edits of ``word``.

        Stemmed fields keep their unstemmed words in ``spell_<field>``; near words are
        found there and looked up in their stemmed form.
        """
        terms: dict[tuple[str, str], None] = {}
        keep = 2 if len(word) >= 6 else 1  # typos rarely hit the first letters
        for fieldname in fields:
            near = list(reader.terms_within(f"spell_{fieldname}", word, maxdist, prefix=keep))
            for candidate in near[: MAX_EXPANSION * 2]:
                text = candidate.decode("utf-8") if isinstance(candidate, bytes) else candidate
                for form in self.analyze(text):
                    terms[(fieldname, form)] = None
        if not terms:
            return wq.NullQuery
        return wq.Or([wq.Term(f, t) for f, t in list(terms)[:MAX_EXPANSION]])

    def _bound(self, query: wq.Query, reader: Any) -> wq.Query:
        """Replace unbounded expansions with bounded ones; widen fuzzy terms a little.
        Terms on the user's own fields (``tag:sur*``) are left for the user's data."""
        if getattr(query, "fieldname", None) in USER_FIELDS:
            return query
        if isinstance(query, (wq.Prefix, wq.Wildcard)) and not isinstance(query, wq.FuzzyTerm):
            fieldname = query.fieldname
            text = str(query.text)
            if isinstance(query, wq.Wildcard):
                head = re.split(r"[*?]", text, maxsplit=1)[0]
                if not head:
                    return wq.NullQuery
                expanded = self._expand(fieldname, head, reader, limit=MAX_EXPANSION * 4)
                pattern = re.compile(re.escape(text).replace(r"\*", ".*").replace(r"\?", ".") + "$")
                terms = [
                    t
                    for t in (expanded.subqueries if isinstance(expanded, wq.Or) else [])
                    if pattern.match(str(t.text))
                ][:MAX_EXPANSION]
                return wq.Or(terms) if terms else wq.NullQuery
            if fieldname == "title" and len(text) <= PREFIX_MAX:
                return wq.Term("title_prefix", fold(text))
            return self._expand(fieldname, text, reader)
        if isinstance(query, wq.FuzzyTerm):
            maxdist = 2 if len(str(query.text)) >= 5 else max(1, query.maxdist)
            if query.fieldname in TEXT_FIELDS:
                return self._fuzzy(str(query.text), maxdist, reader, fields=(query.fieldname,))
            fuzzy = wq.FuzzyTerm(
                query.fieldname, query.text, boost=query.boost, maxdist=maxdist, prefixlength=1
            )
            # Nothing near in the field (an organisation name, mostly): no part of the
            # query, which can then be scored in memory rather than by Whoosh.
            return fuzzy if next(iter(fuzzy.expanded_terms(reader)), None) else wq.NullQuery
        if isinstance(query, wq.NumericRange) and query.fieldname in _ZERO_IS_UNKNOWN:
            if query.start is None or query.start < 1:  # authors:<5 means 1 to 4
                return wq.NumericRange(
                    query.fieldname, 1, query.end, False, query.endexcl, boost=query.boost
                )
            return query
        if isinstance(query, wq.Not):
            inner = self._bound(query.query, reader).normalize()
            if _is_null(inner):  # NOT of nothing is every paper (Whoosh's normalize: none)
                inner = DocSetQuery("nothing", EMPTY, None)
            return wq.Not(inner, boost=query.boost)
        if query.is_leaf():
            return query
        return query.apply(lambda child: self._bound(child, reader))
