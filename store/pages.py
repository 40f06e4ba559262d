"""Parse saved Hugging Face Papers pages (the text a browser saves) into papers.

A page is a few header lines (``new``, ``Subscribe``, ``Daily Papers``...), the page's
date (``Mar 11``), then per paper: a title line, an abstract paragraph, and optionally a
three-line metadata block (``• 7 authors`` or ``handle Display Name``, a lone ``·``, and
``Oct 8, 2024 12``: a date with an optional upvote count). Blank lines separate them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date

from .errors import PageError

__all__ = [
    "ABSTRACT_MAX_CHARS",
    "FILE_TIME",
    "TITLE_MAX_CHARS",
    "ParsedPage",
    "ParsedPaper",
    "decode_page",
    "parse_page",
]

FILE_TIME = "the year of the file's modification time"
TITLE_MAX_CHARS = 2_000
ABSTRACT_MAX_CHARS = 200_000

_HEADER_LINES = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "daily papers",
    "weekly papers",
    "monthly papers",
    "trending papers",
    "papers",
    "byak and the research community",
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_MONTH_PATTERN = r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATE_LINE = re.compile(
    rf"^{_MONTH_PATTERN}\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{1,4}}))?"
    r"(?:\s+(?P<upvotes>\d[\d,]*|\d+(?:\.\d+)?[kK]))?$",
    re.IGNORECASE,
)
# The bullet may have become anything on the way: "?" in Latin-1, "â€¢" read as cp1252.
_AUTHORS_LINE = re.compile(
    r"^(?:(?:[^\w\s]{1,3}|â€¢|Â·)\s*)?(?P<count>\d[\d,]*)\s+authors?$", re.IGNORECASE
)
_SEPARATOR = {"·", "•", "∙", "?", "Â·", "â€¢", "Â", "\ufffd"}


@dataclass(slots=True)
class ParsedPaper:
    """One paper as one page shows it."""

    position: int
    title: str
    abstract: str
    published: date | None = None
    upvotes: int | None = None
    authors_count: int | None = None
    organization: str | None = None
    organization_handle: str | None = None


@dataclass(slots=True)
class ParsedPage:
    """A parsed page: its date, the year used for year-less dates, its papers, warnings."""

    page_date: date | None
    capture_year: int
    year_source: str
    papers: list[ParsedPaper]
    warnings: list[str] = field(default_factory=list)


def decode_page(data: bytes) -> str:
    """Decode a saved page's bytes: UTF-8 (with or without BOM), UTF-16, else Windows-1252.

    Raises :class:`PageError` for empty, binary or HTML files.
    """
    if not data.strip():
        raise PageError("the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
    elif _looks_like_bomless_utf16(data):
        text = _strict(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    elif b"\x00" in data:
        raise PageError("this is a binary file, not a saved page's text")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_lines(data)
    _reject_non_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_lines(data: bytes) -> str:
    """A file that is not all UTF-8, line by line: a UTF-8 page with one Windows-1252
    byte (pasted from elsewhere) keeps every other line intact, and a page that is
    Windows-1252 throughout decodes as that."""
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(
                line.decode("cp1252", errors="strict")
                if _is_cp1252(line)
                else line.decode("latin-1")
            )
    return "\n".join(lines)


def _is_cp1252(line: bytes) -> bool:
    try:
        line.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise PageError(f"the file is not valid {encoding.upper()} text ({exc.reason})") from None


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 8:
        return False
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_zeros, odd_zeros) > 0.4 * half and min(even_zeros, odd_zeros) < 0.05 * half


def _reject_non_text(text: str) -> None:
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "<head", "<body")) or (
        head.startswith("<") and "<html" in head
    ):
        raise PageError(
            "this is an HTML file; save the page as text (select all, copy, paste into a .txt)"
        )
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r")
    if controls > max(8, len(sample) // 50):
        raise PageError("this is a binary file, not a saved page's text")


def _paragraphs(text: str) -> list[tuple[int, list[str]]]:
    """Split text into paragraphs: (first line number, lines), blank lines separating them."""
    result: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            result.append((start, current))
            current = []
    if current:
        result.append((start, current))
    return result


@dataclass(slots=True)
class _DateParts:
    month: int
    day: int
    year: int | None
    upvotes: int | None


def _date_parts(line: str) -> _DateParts | None:
    match = _DATE_LINE.match(line.strip())
    if not match:
        return None
    year = match.group("year")
    return _DateParts(
        month=_MONTHS[match.group("month")[:3].lower()],
        day=int(match.group("day")),
        year=int(year) if year else None,
        upvotes=_parse_count(match.group("upvotes")),
    )


def _parse_count(text: str | None) -> int | None:
    if not text:
        return None
    text = text.replace(",", "")
    if text[-1] in "kK":
        return int(float(text[:-1]) * 1000)
    return int(text)


def _is_meta(lines: list[str]) -> bool:
    stripped = [line.strip() for line in lines]
    if any(line in _SEPARATOR for line in stripped):
        return True
    return bool(_AUTHORS_LINE.match(stripped[0])) and len(stripped) <= 3


def _is_header(line: str) -> bool:
    return line.strip().casefold() in _HEADER_LINES


def parse_page(
    text: str, *, year: int | None = None, fallback_year: int, year_source: str | None = None
) -> ParsedPage:
    """Parse a decoded page.

    Year-less dates (the site omits the year of the page's own year) take the capture
    year: ``year`` if given, else the newest explicit year on the page plus one, else
    ``fallback_year`` (the file's modification year).
    """
    paragraphs = _paragraphs(text)
    header_seen = False
    page_date_parts: _DateParts | None = None
    index = 0
    while index < len(paragraphs):
        _, lines = paragraphs[index]
        if len(lines) != 1:
            break
        if _is_header(lines[0]):
            header_seen = True
        elif page_date_parts is None and (parts := _date_parts(lines[0])) and parts.upvotes is None:
            page_date_parts = parts
        else:
            break
        index += 1
    if not header_seen and page_date_parts is None:
        raise PageError(
            "this does not look like a saved Hugging Face Papers page (no page header found)"
        )

    warnings: list[str] = []
    raw: list[tuple[int, str, str, list[str] | None, int]] = []
    body = paragraphs[index:]
    position = 0
    cursor = 0
    while cursor < len(body):
        line_no, lines = body[cursor]
        if _is_meta(lines):
            warnings.append(f"line {line_no}: metadata without a paper before it, skipped")
            cursor += 1
            continue
        position += 1
        title = " ".join(line.strip() for line in lines)
        if cursor + 1 >= len(body) or _is_meta(body[cursor + 1][1]):
            warnings.append(
                f"line {line_no}: the page ends or breaks after the title of paper {position} "
                f"(no abstract); that paper was skipped"
            )
            cursor += 1
            continue
        abstract = " ".join(line.strip() for line in body[cursor + 1][1])
        cursor += 2
        meta: list[str] | None = None
        if cursor < len(body) and _is_meta(body[cursor][1]):
            meta = [line.strip() for line in body[cursor][1]]
            cursor += 1
        raw.append((position, title, abstract, meta, line_no))

    _leave_out_a_cut_end(raw, warnings)

    explicit_years = [
        parts.year
        for *_, meta, _ in raw
        for line in meta or ()
        if (parts := _date_parts(line)) and parts.year and _plausible_year(parts.year)
    ]
    if page_date_parts and page_date_parts.year and _plausible_year(page_date_parts.year):
        explicit_years.append(page_date_parts.year)
    if year is not None:
        capture_year, year_source = year, year_source or "given with --year"
    elif explicit_years:
        capture_year, year_source = max(explicit_years) + 1, "the newest year on the page + 1"
    else:
        capture_year, year_source = fallback_year, FILE_TIME

    papers: list[ParsedPaper] = []
    for position, title, abstract, meta, line_no in raw:
        if len(title) > TITLE_MAX_CHARS:
            warnings.append(
                f"line {line_no}: paper {position} has a {len(title):,}-character title; skipped"
            )
            continue
        if len(abstract) > ABSTRACT_MAX_CHARS:
            warnings.append(
                f"line {line_no}: paper {position} has a {len(abstract):,}-character abstract; "
                "skipped"
            )
            continue
        paper = ParsedPaper(position=position, title=title, abstract=abstract)
        if meta:
            _apply_meta(paper, meta, capture_year, line_no, warnings)
        papers.append(paper)

    page_date = None
    if page_date_parts:
        page_date = _make_date(page_date_parts, capture_year)
    if not papers:
        raise PageError("no complete paper found on the page")
    return ParsedPage(
        page_date=page_date,
        capture_year=capture_year,
        year_source=year_source,
        papers=papers,
        warnings=warnings,
    )


def _leave_out_a_cut_end(
    raw: list[tuple[int, str, str, list[str] | None, int]], warnings: list[str]
) -> None:
    """A page cut off inside its last paper (a save or a copy that stopped short):
    that paper lacks the metadata block the others have, or its abstract stops in the
    middle of a sentence. It is left out, and a warning names it."""
    if len(raw) < 2:
        return
    position, title, abstract, meta, line_no = raw[-1]
    with_meta = sum(1 for *_, m, _ in raw[:-1] if m)
    ends = abstract.rstrip()
    mid_sentence = not ends.endswith(
        (".", "!", "?", ")", '"', "'", "”", "]")
    ) and not _ENDS_WITH_LINK.search(ends)
    if meta is None and mid_sentence:
        raw.pop()
        warnings.append(
            f"line {line_no}: the page seems cut off inside paper {position} "
            f"({title[:60]!r}: its abstract stops mid-sentence); it was left out"
        )
    elif meta is None and with_meta * 2 > len(raw) - 1:
        warnings.append(
            f"line {line_no}: paper {position} ({title[:60]!r}) has no date or counts while "
            "the others have; if the page was cut off, they are missing"
        )


_ENDS_WITH_LINK = re.compile(r"https?://\S+$")


def _plausible_year(year: int) -> bool:
    return 1900 <= year <= 2200


def _make_date(parts: _DateParts, capture_year: int) -> date | None:
    if parts.year is not None and not _plausible_year(parts.year):
        return None
    try:
        return date(parts.year or capture_year, parts.month, parts.day)
    except ValueError:
        return None


def _apply_meta(
    paper: ParsedPaper, meta: list[str], capture_year: int, line_no: int, warnings: list[str]
) -> None:
    lines = [line for line in meta if line not in _SEPARATOR]
    for line in lines:
        if authors := _AUTHORS_LINE.match(line):
            paper.authors_count = int(authors.group("count").replace(",", ""))
        elif parts := _date_parts(line):
            paper.upvotes = parts.upvotes
            paper.published = _make_date(parts, capture_year)
            if paper.published is None:
                warnings.append(
                    f"line {line_no}: paper {paper.position} has an impossible date "
                    f"{line!r}; kept without a date"
                )
        elif paper.organization is None:
            handle, _, name = line.partition(" ")
            paper.organization_handle = handle
            paper.organization = name.strip() or handle
