"""A BibTeX export read back by a real parser (bibtexparser 2) says what the library says.

A fair reader: bibtexparser splits the file into entries and fields, the co-author
middleware splits the names the way BibTeX does, and pylatexenc's ``latex2text`` undoes
the LaTeX escaping (taught the three kernel commands it lacks or maps to a look-alike:
``\\textbraceleft``, ``\\textbraceright``, ``\\textasciicircum``). Texts are compared
with white space folded, since a field is one line. Every field is also checked the
way BibTeX itself reads it: braces counted literally, escaped or not, must balance.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import SeparateCoAuthors
from pylatexenc import latex2text

from store import Library
from store.export import cite_key, export_papers
from store.models import Paper
from store.records import paper_id
from tests.helpers import FIXTURES, HF_FIXTURES, make_page, write

SPECIALS = "& % # { } \\ $ _ ~ ^"
HOSTILE = "Cats & Dogs: 100% of #1 {set} back\\slash $5 snake_case a~b x^2 Über café 中文 🚀"
NOTE = "Mine: 50% & #2 {open\nsecond line C:\\path $x$ a_b ~ ^ — ü é 中文 🤖"
TAGS = ["r&d", "50%", "#nlp", "{x}", "c_d", "e~f", "g^h", "$", "\\", "über", "中文", "🚀"]


def _decoder() -> latex2text.LatexNodes2Text:
    db = latex2text.get_default_latex_context_db()
    db.add_context_category(
        "paperdeck-export",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("textbraceleft", simplify_repl="{"),
            latex2text.MacroTextSpec("textbraceright", simplify_repl="}"),
            latex2text.MacroTextSpec("textasciicircum", simplify_repl="^"),
        ],
    )
    return latex2text.LatexNodes2Text(latex_context=db)


DECODER = _decoder()


def _text(value: str) -> str:
    """What a reader sees in a field: LaTeX undone, white space folded."""
    return " ".join(DECODER.latex_to_text(value).split())


def _folded(text: str) -> str:
    return " ".join(text.split())


def _balanced_for_bibtex(value: str) -> bool:
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _parse(text: str) -> dict[str, dict[str, Any]]:
    """Entries by key; the parse must fail nowhere, keys must be unique."""
    library = parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == len(set(keys)) == text.count("\n@misc{") + text.startswith("@misc{")
    return {entry.key: {f.key: f.value for f in entry.fields} for entry in library.entries}


def _check(paper: Paper, fields: dict[str, Any]) -> None:
    """The entry of ``paper`` says what the paper says."""
    for name, value in fields.items():
        for part in value if isinstance(value, list) else [value]:
            assert _balanced_for_bibtex(part), (name, part)
    title = fields["title"]
    assert title.startswith("{") and title.endswith("}")  # the title's case is kept
    assert _text(title) == _folded(paper.title)
    assert _text(fields["abstract"]) == _folded(paper.abstract)
    if paper.authors:
        names = [_text(name) for name in fields["author"]]
        assert names == [_folded(name) for name in paper.authors]
    else:
        assert "author" not in fields
    if paper.organization:
        assert _text(fields["institution"]) == _folded(paper.organization)
    else:
        assert "institution" not in fields
    if paper.published:
        assert fields["year"] == str(paper.published.year)
        assert fields["month"] == paper.published.strftime("%b").lower()
    else:
        assert "year" not in fields and "month" not in fields
    if paper.arxiv_id:
        assert fields["eprint"] == paper.arxiv_id and fields["archivePrefix"] == "arXiv"
    else:
        assert "eprint" not in fields
    assert fields["url"] == paper.url or "{" in paper.url or "\\" in paper.url
    if paper.tags:
        assert _text(fields["keywords"]).split(", ") == paper.tags
    if paper.note:
        assert _text(fields["annote"]) == _folded(paper.note)


def _round_trip(papers: list[Paper]) -> dict[str, dict[str, Any]]:
    entries = _parse(export_papers(papers, "bibtex"))
    assert len(entries) == len(papers)
    for paper, (key, fields) in zip(papers, entries.items(), strict=True):
        assert key.startswith(cite_key(paper)[:-4])
        _check(paper, fields)
    return entries


@pytest.fixture
def every_kind(tmp_path: Path) -> Library:
    """The fixture pages (authors, organisation only, neither, undated), the site's JSON
    (arXiv ids) and a page of hostile titles; hostile notes and tags on each kind."""
    hostile = write(
        tmp_path / "hostile.txt",
        make_page(
            [
                (HOSTILE, f"An abstract with {SPECIALS} and {HOSTILE}."),
                ("Ünïcödé only: 中文标题 and emoji 🚀🤖", "Résumé: naïve café, 東京 🍣."),
            ]
        ),
    )
    library = Library.open(tmp_path / "lib")
    report = library.import_pages(
        [FIXTURES, HF_FIXTURES / "daily_2024-11-25.json", HF_FIXTURES / "paper_2411.15124.json"]
    )
    assert report.ok, report.failures
    assert library.import_pages([hostile]).ok
    for paper in library.all_papers():
        library.bookmark(paper.id, tags=TAGS, note=NOTE)
    return library


def test_a_library_s_export_reads_back(every_kind: Library) -> None:
    papers = every_kind.all_papers()
    kinds = {
        "authors": any(p.authors for p in papers),
        "organisation only": any(p.organization and not p.authors for p in papers),
        "neither": any(not p.organization and not p.authors for p in papers),
        "undated": any(p.published is None for p in papers),
        "arXiv id": any(p.arxiv_id for p in papers),
        "hostile title": any("Cats & Dogs" in p.title for p in papers),
        "non-ASCII title": any("中文" in p.title for p in papers),
    }
    assert all(kinds.values()), kinds
    text, count = every_kind.export("bibtex", everything=True)
    assert count == len(papers) >= 10
    _round_trip(papers)
    entries = _parse(text)
    assert [_text(e["annote"]) for e in entries.values()] == [_folded(NOTE)] * len(papers)
    tulu = every_kind.get(
        paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")
    )
    (tulu_entry,) = [e for e in entries.values() if e.get("eprint") == "2411.15124"]
    assert tulu_entry["year"] == "2024" and _text(tulu_entry["title"]) == tulu.title
    every_kind.close()


def _paper(title: str, **fields: Any) -> Paper:
    return Paper(id=paper_id(title), title=title, abstract=fields.pop("abstract", title), **fields)


def test_every_special_character_survives_everywhere() -> None:
    """Papers made directly, so no import cleaning stands between the characters and
    the exporter: braces and tildes as they are, in every field."""
    papers = [
        _paper(
            HOSTILE,
            abstract=f"{SPECIALS} {HOSTILE} and a lone {{ and }} and a trailing \\",
            authors=["Zoë Ünal", "李雷", "Jean-Émile d'Arc", "R&D {Team}", "A_b ^c ~d $e %f #g"],
            organization="Ça & Co {Labs} 50% #1",
            published=date(2024, 11, 25),
            arxiv_id="2411.15124",
            tags=TAGS,
            note=NOTE,
        ),
        _paper("}{ Unbalanced braces { first", abstract="}}} {{{", tags=["}"], note="{"),
        _paper("Undated, no authors, no organisation", abstract="~^\\"),
        _paper("Organisation only 🚀", organization="中文 Lab", published=date(2023, 1, 2)),
        _paper("Names BibTeX would split", authors=["Smith, Jr., John", "Rock and Roll", "AND"]),
        _paper("Old arXiv id", arxiv_id="hep-th/9901001", published=date(1999, 1, 1)),
        _paper("A link with braces", links=["https://example.org/a{b}c\\d e"]),
    ]
    entries = _round_trip(papers)
    names = list(entries.values())[4]["author"]
    assert len(names) == 3  # "and" and commas inside a name do not split it
    link = list(entries.values())[6]["url"]
    assert link == "https://example.org/a%7Bb%7Dc%5Cd%20e"


def test_cite_keys_stay_unique_when_ids_look_alike() -> None:
    """Two papers with the same first word and year whose ids share four characters."""
    base = _paper("Diffusion models revisited", published=date(2024, 1, 1))
    twin = base.model_copy(update={"id": base.id[:4] + "ffffffff", "title": "Diffusion again"})
    same = base.model_copy()
    entries = _parse(export_papers([base, twin, same], "bibtex"))
    keys = list(entries)
    assert keys[0] == cite_key(base) and keys[1] == cite_key(base)[:-4] + twin.id[:6]
    assert len(set(keys)) == 3
