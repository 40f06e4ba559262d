"""Export papers as BibTeX, RIS, Markdown, CSV or JSON (the JSON is a restorable backup).

Every format is written paper by paper to a text stream, so an export of the whole
library holds one paper in memory at a time, at any size.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from .atomic import atomic_writer, describe_os_error
from .backup import write_backup
from .errors import UnwritableError
from .formats import FORMATS, ExportFormat, default_filename
from .models import Paper, UserEntry
from .saved_searches import SavedSearch
from .text import fold

__all__ = [
    "cite_key",
    "default_filename",
    "export_papers",
    "resolve_target",
    "write_export",
    "write_papers",
]

_STOP = {"a", "an", "the", "on", "of", "for", "and", "to", "in", "with", "is", "are", "towards"}


def write_papers(
    papers: Iterable[Paper],
    fmt: ExportFormat,
    out: TextIO,
    entries: Mapping[str, UserEntry] | None = None,
    saved: Sequence[SavedSearch] = (),
) -> int:
    """Write ``papers`` to ``out`` in ``fmt``, one at a time; returns how many.
    ``entries`` (the user's data) and ``saved`` (searches) feed the JSON backup."""
    if fmt == "json":
        return write_backup(papers, entries or {}, out, saved)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    chunks = {"bibtex": _bibtex, "ris": _ris, "markdown": _markdown, "csv": _csv}[fmt]
    counted = 0

    def counting() -> Iterator[Paper]:
        nonlocal counted
        for paper in papers:
            counted += 1
            yield paper

    for chunk in chunks(counting()):
        out.write(chunk)
    return counted


def export_papers(
    papers: Iterable[Paper],
    fmt: ExportFormat,
    entries: Mapping[str, UserEntry] | None = None,
    saved: Sequence[SavedSearch] = (),
) -> str:
    """``papers`` in ``fmt`` as one string (for small exports; see :func:`write_papers`)."""
    buffer = io.StringIO()
    write_papers(papers, fmt, buffer, entries, saved)
    return buffer.getvalue()


def resolve_target(path: Path, *, force: bool) -> Path:
    """The file an export to ``path`` writes: a symlink is written through (its target
    replaced), anything but a regular file is refused, an existing file only with
    ``force``."""
    target = path.resolve() if path.is_symlink() else path
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UnwritableError(describe_os_error(exc, path)) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UnwritableError(f"{path} is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise UnwritableError(f"{path} is not a regular file (a device or pipe); not replaced")
    if mode is not None and not force:
        raise UnwritableError(f"{path} already exists; use --force to overwrite it")
    if not target.parent.is_dir():
        raise UnwritableError(f"{path}: the folder {target.parent} does not exist")
    return target


def write_export(
    path: Path,
    papers: Iterable[Paper],
    fmt: ExportFormat,
    *,
    entries: Mapping[str, UserEntry] | None = None,
    saved: Sequence[SavedSearch] = (),
    force: bool = False,
) -> int:
    """Write an export to ``path`` atomically; returns how many papers it holds."""
    target = resolve_target(path, force=force)
    with atomic_writer(target) as out:
        return write_papers(papers, fmt, out, entries, saved)


# -- BibTeX ----------------------------------------------------------------------------


def cite_key(paper: Paper) -> str:
    """A citation key that belongs to the paper alone: the first significant title word,
    the year, and four characters of its id (``tulu2024a3f0``). It never depends on
    which other papers are exported, and never is all digits."""
    return _key_stem(paper) + paper.id[:4]


def _key_stem(paper: Paper) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", fold(paper.title)) if w not in _STOP]
    word = next((w for w in words if not w.isdigit()), "paper")[:20]
    return f"{word}{paper.year or ''}"


# BibTeX itself counts every brace, escaped or not: ``\{`` would leave a field open and
# swallow the rest of the file. These LaTeX kernel commands print braces and balance.
_BRACE_COMMANDS = {"{": r"{\textbraceleft}", "}": r"{\textbraceright}"}
# BibTeX splits a name list on "and" (any case) outside braces and a name on commas.
_SPLITS_A_NAME = re.compile(r",|\band\b", re.IGNORECASE)
# Characters that would unbalance or end a url field; a URL may say them percent-encoded.
_URL_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C"}


def _latex(text: str) -> str:
    """``text`` on one line as LaTeX a BibTeX field holds safely (specials escaped,
    non-ASCII as accents where LaTeX has them, braces balanced)."""
    from pylatexenc.latexencode import unicode_to_latex  # loads only when exporting

    one_line = " ".join(text.split())
    return "".join(
        _BRACE_COMMANDS.get(part)
        or str(unicode_to_latex(part, non_ascii_only=False, unknown_char_warning=False))
        for part in re.split(r"([{}])", one_line)
        if part
    )


def _bib_name(name: str) -> str:
    """One author: a name BibTeX would split ("A and B", "Smith, Jr.") is kept whole."""
    encoded = _latex(name)
    return "{" + encoded + "}" if _SPLITS_A_NAME.search(name) else encoded


def _bib_url(url: str) -> str:
    """A URL as a (verbatim) url field holds it: no brace, backslash or space."""
    return "".join("%20" if c.isspace() else _URL_UNSAFE.get(c, c) for c in url)


def _unique_key(paper: Paper, used: set[str]) -> str:
    """:func:`cite_key`, or, when a paper before it in this export already has that key
    (same word and year, ids alike in four characters), one with more of the id."""
    key, length = cite_key(paper), 4
    while key in used and length < len(paper.id):
        length += 2
        key = _key_stem(paper) + paper.id[:length]
    while key in used:  # the same paper twice: keep every entry citable
        key += "x"
    used.add(key)
    return key


def _bibtex(papers: Iterable[Paper]) -> Iterator[str]:
    used: set[str] = set()
    for index, paper in enumerate(papers):
        fields: list[tuple[str, str]] = [("title", "{" + _latex(paper.title) + "}")]
        if paper.authors:
            fields.append(("author", " and ".join(_bib_name(name) for name in paper.authors)))
        if paper.published:
            fields.append(("year", str(paper.published.year)))
            fields.append(("month", paper.published.strftime("%b").lower()))
        if paper.organization:
            fields.append(("institution", _latex(paper.organization)))
        if paper.arxiv_id:
            fields.append(("eprint", paper.arxiv_id))
            fields.append(("archivePrefix", "arXiv"))
        fields.append(("url", _bib_url(paper.url)))
        fields.append(("abstract", _latex(paper.abstract)))
        if paper.tags:
            fields.append(("keywords", _latex(", ".join(paper.tags))))
        if paper.note:
            fields.append(("annote", _latex(paper.note)))
        body = ",\n".join(
            f"  {name} = {value if name in ('year', 'month') else '{' + value + '}'}"
            for name, value in fields
        )
        yield ("\n" if index else "") + f"@misc{{{_unique_key(paper, used)},\n{body}\n}}\n"


# -- RIS -------------------------------------------------------------------------------


def _ris_writer() -> Any:
    from rispy.writer import RisWriter  # loads only when exporting

    class PlainRisWriter(RisWriter):  # type: ignore[misc]
        """RIS records without the numbered line rispy puts before each ``TY``."""

        def set_header(self, count: int) -> str:
            return ""

    return PlainRisWriter


def _one_line(text: str) -> str:
    """RIS is one tag a line: a line break inside a value would start a record."""
    return " ".join(text.split())


def _ris(papers: Iterable[Paper]) -> Iterator[str]:
    import rispy

    writer = _ris_writer()
    for paper in papers:
        record: dict[str, Any] = {
            "type_of_reference": "GEN",
            "title": _one_line(paper.title),
            "abstract": _one_line(paper.abstract),
            "urls": [u for u in dict.fromkeys([paper.url, *paper.links, paper.arxiv_url]) if u],
        }
        if paper.authors:
            record["authors"] = [_one_line(name) for name in paper.authors]

        if paper.published:
            record["year"] = str(paper.published.year)
            record["date"] = paper.published.strftime("%Y/%m/%d")
        if paper.organization:
            record["publisher"] = _one_line(paper.organization)
        if paper.tags:
            record["keywords"] = [_one_line(t) for t in paper.tags]
        if paper.note:
            record["notes"] = [_one_line(line) for line in paper.note.splitlines() if line.strip()]
        yield str(rispy.dumps([record], implementation=writer))


# -- Markdown --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~])")
_MD_LINE_START = re.compile(r"^(\s*)([-=>]|\d+[.)])", re.MULTILINE)


def _md(text: str) -> str:
    """Inline Markdown text: special characters escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_block(text: str) -> list[str]:
    """A multi-line text (a note) as a block quote: no line can start a heading, a
    list or a rule."""
    lines = [
        _MD_LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", line.strip()))
        for line in text.splitlines()
    ]
    return ["> " + line if line else ">" for line in lines]


def _markdown(papers: Iterable[Paper]) -> Iterator[str]:
    yield "# paperdeck export\n\n"
    for paper in papers:
        lines = [f"## [{_md(paper.title)}](<{paper.url}>)", ""]
        meta = [
            paper.published.isoformat() if paper.published else None,
            f"{paper.upvotes} upvotes" if paper.upvotes else None,
            paper.organization
            or (f"{paper.authors_count} authors" if paper.authors_count else None),
            "tags: " + ", ".join(paper.tags) if paper.tags else None,
        ]
        if any(meta):
            lines += ["*" + _md(" · ".join(m for m in meta if m)) + "*", ""]
        if paper.note:
            lines += ["**Note:**", "", *_md_block(paper.note), ""]
        lines += ["> " + _md(paper.abstract), "", ""]
        yield "\n".join(lines)


# -- CSV -------------------------------------------------------------------------------

_CSV_COLUMNS = [
    "id",
    "title",
    "published",
    "upvotes",
    "authors_count",
    "organization",
    "url",
    "tags",
    "note",
    "read",
    "bookmarked",
    "abstract",
]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading = + - @ (or a tab or CR) makes spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(papers: Iterable[Paper]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for paper in papers:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    paper.id,
                    paper.title,
                    paper.published.isoformat() if paper.published else "",
                    paper.upvotes,
                    paper.authors_count,
                    paper.organization,
                    paper.url,
                    ";".join(paper.tags),
                    paper.note,
                    "yes" if paper.read else "no",
                    "yes" if paper.bookmarked else "no",
                    paper.abstract,
                )
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
