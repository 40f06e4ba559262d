"""Paper data as Rich ``Text``: never markup, control characters stripped.

Shared by the CLI and the app, so a title like ``[MASK] Is Not All You Need`` or one
carrying an escape sequence renders literally everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text

from store import Paper
from store.text import strip_control

__all__ = ["byline", "paper_line", "plural", "safe", "sighting_lines", "spans_text"]

MATCH_STYLE = "bold reverse"


def safe(text: str) -> Text:
    """Plain text from data: control characters dropped, no markup interpreted."""
    return Text(strip_control(text))


def spans_text(
    text: str, spans: Sequence[tuple[int, int]], style: str | Style = MATCH_STYLE
) -> Text:
    """``text`` with each (start, end) span styled; spans come from the store's search."""
    clean = strip_control(text)
    result = Text(clean)
    if clean == text:
        for start, end in spans:
            result.stylize(style, start, end)
    return result


def plural(count: int, word: str, words: str | None = None) -> str:
    """``word`` or its plural for ``count`` (``1 paper``, ``2 papers``; pass ``words``
    for an irregular plural)."""
    return word if count == 1 else (words or f"{word}s")


def byline(paper: Paper) -> str:
    """Authors count or organisation, whichever the page gave."""
    if paper.organization:
        return strip_control(paper.organization)
    if paper.authors_count:
        return f"{paper.authors_count} {plural(paper.authors_count, 'author')}"
    return ""


def paper_line(paper: Paper, title: Text | None = None) -> Text:
    """One line per paper: id, date, upvotes, markers, title, byline."""
    date = paper.published.isoformat() if paper.published else "          "
    upvotes = f"{paper.upvotes:>4}▲" if paper.upvotes else "     "
    marks = ("★" if paper.bookmarked else " ") + ("✓" if paper.read else " ")
    line = Text(f"{paper.id}  {date}  {upvotes} {marks} ", style="dim")
    line.append_text(title if title is not None else safe(paper.title))
    if by := byline(paper):
        line.append(f"  — {by}", style="dim")
    return line


def sighting_lines(paper: Paper) -> list[str]:
    """Where the paper was seen: one line per page, with what that page said."""
    lines: list[str] = []
    for s in paper.sightings:
        page_date = s.page_date.isoformat() if s.page_date else "undated page"
        details = [f"#{s.position}"]
        if s.upvotes is not None:
            details.append(f"{s.upvotes} upvotes")
        if s.published:
            details.append(f"published {s.published.isoformat()}")
        lines.append(f"seen {page_date} on {strip_control(s.page)} ({', '.join(details)})")
    return lines
