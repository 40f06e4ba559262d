"""Export papers as BibTeX, RIS, Markdown, CSV or JSON (the JSON is a restorable backup)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from .atomic import atomic_write_text
from .errors import UnwritableError
from .models import Paper, UserEntry
from .text import fold

__all__ = [
    "BACKUP_FORMAT",
    "FORMATS",
    "ExportFormat",
    "backup_document",
    "default_filename",
    "export_papers",
    "write_export",
]

ExportFormat = Literal["bibtex", "ris", "markdown", "csv", "json"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
BACKUP_FORMAT = "paperdeck-backup"
_EXTENSIONS = {"bibtex": "bib", "ris": "ris", "markdown": "md", "csv": "csv", "json": "json"}
_STOP = {"a", "an", "the", "on", "of", "for", "and", "to", "in", "with", "is", "are", "towards"}


def default_filename(fmt: ExportFormat) -> str:
    """``paperdeck-bookmarks-YYYY-MM-DD.<ext>``."""
    return f"paperdeck-bookmarks-{datetime.now().date().isoformat()}.{_EXTENSIONS[fmt]}"


def backup_document(papers: Sequence[Paper], entries: Mapping[str, UserEntry]) -> dict[str, Any]:
    """The JSON backup of ``papers``: full records and the user's data, restorable by import."""
    return {
        "format": BACKUP_FORMAT,
        "version": 1,
        "exported_at": datetime.now(UTC).isoformat(),
        "papers": [p.model_dump(mode="json") for p in papers],
        "entries": {p.id: entries[p.id].model_dump(mode="json") for p in papers if p.id in entries},
    }


def export_papers(
    papers: Sequence[Paper], fmt: ExportFormat, entries: Mapping[str, UserEntry] | None = None
) -> str:
    """Render ``papers`` in ``fmt``. ``entries`` (the user's data) feeds the JSON backup."""
    if fmt == "bibtex":
        return _bibtex(papers)
    if fmt == "ris":
        return _ris(papers)
    if fmt == "markdown":
        return _markdown(papers)
    if fmt == "csv":
        return _csv(papers)
    if fmt == "json":
        document = backup_document(papers, entries or {})
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_export(path: Path, text: str, *, force: bool = False) -> Path:
    """Write an export atomically. Refuses to overwrite an existing file unless ``force``."""
    if path.exists() and not force:
        raise UnwritableError(f"{path} already exists; use --force to overwrite it")
    if path.is_dir():
        raise UnwritableError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise UnwritableError(f"{path}: the folder {path.parent} does not exist")
    atomic_write_text(path, text)
    return path


# -- BibTeX ----------------------------------------------------------------------------


def _cite_keys(papers: Sequence[Paper]) -> list[str]:
    keys: list[str] = []
    used: dict[str, int] = {}
    for paper in papers:
        words = [w for w in re.findall(r"[a-z0-9]+", fold(paper.title)) if w not in _STOP]
        base = (words[0] if words else "paper")[:20] + str(paper.year or "")
        count = used.get(base, 0)
        used[base] = count + 1
        keys.append(
            base if count == 0 else f"{base}{chr(ord('a') + min(count, 25))}{count // 26 or ''}"
        )
    return keys


def _latex(text: str) -> str:
    from pylatexenc.latexencode import unicode_to_latex  # loads only when exporting

    return str(unicode_to_latex(text, non_ascii_only=False, unknown_char_warning=False))


def _bibtex(papers: Sequence[Paper]) -> str:
    entries: list[str] = []
    for key, paper in zip(_cite_keys(papers), papers, strict=True):
        fields: list[tuple[str, str]] = [("title", "{" + _latex(paper.title) + "}")]
        if paper.published:
            fields.append(("year", str(paper.published.year)))
            fields.append(("month", paper.published.strftime("%b").lower()))
        if paper.organization:
            fields.append(("institution", _latex(paper.organization)))
        fields.append(("url", paper.url))
        fields.append(("abstract", _latex(paper.abstract)))
        if paper.tags:
            fields.append(("keywords", _latex(", ".join(paper.tags))))
        if paper.note:
            fields.append(("annote", _latex(paper.note)))
        body = ",\n".join(
            f"  {name} = {value if name in ('year', 'month') else '{' + value + '}'}"
            for name, value in fields
        )
        entries.append(f"@misc{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


# -- RIS -------------------------------------------------------------------------------


def _ris(papers: Sequence[Paper]) -> str:
    import rispy  # loads only when exporting

    records: list[dict[str, Any]] = []
    for paper in papers:
        record: dict[str, Any] = {
            "type_of_reference": "GEN",
            "title": paper.title,
            "abstract": paper.abstract,
            "urls": [paper.url, *paper.links[1:]],
        }
        if paper.published:
            record["year"] = str(paper.published.year)
            record["date"] = paper.published.strftime("%Y/%m/%d")
        if paper.organization:
            record["publisher"] = paper.organization
        if paper.tags:
            record["keywords"] = list(paper.tags)
        if paper.note:
            record["notes"] = [paper.note]
        records.append(record)
    return str(rispy.dumps(records))


# -- Markdown --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown(papers: Sequence[Paper]) -> str:
    lines = [f"# paperdeck: {len(papers)} papers", ""]
    for paper in papers:
        lines.append(f"## [{_md(paper.title)}](<{paper.url}>)")
        lines.append("")
        meta = [
            paper.published.isoformat() if paper.published else None,
            f"{paper.upvotes} upvotes" if paper.upvotes else None,
            paper.organization
            or (f"{paper.authors_count} authors" if paper.authors_count else None),
            "tags: " + ", ".join(paper.tags) if paper.tags else None,
        ]
        if any(meta):
            lines.append("*" + _md(" · ".join(m for m in meta if m)) + "*")
            lines.append("")
        if paper.note:
            lines.append("**Note:** " + _md(paper.note))
            lines.append("")
        lines.append("> " + _md(paper.abstract))
        lines.append("")
    return "\n".join(lines)


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
    # A leading = + @ makes spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "@", "\t", "\r") else text


def _csv(papers: Sequence[Paper]) -> str:
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
    return buffer.getvalue()
