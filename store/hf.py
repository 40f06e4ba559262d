"""Hugging Face Papers' own data: the API's JSON and saved HTML pages that carry it.

Shapes read (all of them may come with fields missing, null or of the wrong type):

- ``/api/daily_papers``: an array of wrappers ``{"paper": {...}, "numComments": ...,
  "title": ..., "summary": ..., "organization": {...}}``;
- ``/api/papers/{arxiv_id}``: one flat paper object;
- ``/api/papers/search``: an array of flat or wrapped papers;
- a saved papers page (``.html``): an element with ``data-target="DailyPapers"`` whose
  ``data-props`` attribute is JSON ``{"dailyPapers": [wrappers]}``.

An item is imported as far as it is valid (a count that is not a number is left out) or
skipped with a warning naming it (no title); a file that is not papers data at all is a
:class:`~store.errors.PageError`, one line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

from .errors import PageError
from .models import Sighting
from .records import Observation, paper_id

__all__ = ["HfItems", "looks_like_hf_html", "looks_like_hf_json", "parse_hf_html", "parse_hf_json"]

MAX_ITEMS = 100_000
_ARXIV = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?$")
_COUNT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([kKmM]?)\s*$")


@dataclass
class HfItems:
    """What a Hugging Face file says: one observation per valid paper, warnings."""

    observations: list[Observation]
    warnings: list[str] = field(default_factory=list)


def looks_like_hf_json(data: bytes) -> bool:
    """True when ``data`` starts like JSON (an object or an array)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"[", b"{")


def looks_like_hf_html(data: bytes) -> bool:
    """True when ``data`` is an HTML document (a saved web page)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:300]


def parse_hf_json(
    data: bytes,
    name: str,
    digest: str,
    *,
    seen_at: datetime | None,
    day: date | None = None,
    fetched: bool = False,
) -> HfItems:
    """The papers of an API response; ``day`` is the daily date it was fetched for, and
    a ``fetched`` answer's counts were true at ``seen_at``."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PageError(f"this JSON file cannot be read ({_first_line(exc)})") from None
    if isinstance(document, dict) and isinstance(document.get("dailyPapers"), list):
        document = document["dailyPapers"]
    if isinstance(document, dict) and ("title" in document or "paper" in document):
        items: list[Any] = [document]
    elif isinstance(document, list):
        items = document
    else:
        raise PageError("this JSON file is not Hugging Face papers data (no papers in it)")
    return _items(items, name, digest, seen_at, day, seen_at if fetched else None)


def parse_hf_html(
    data: bytes,
    name: str,
    digest: str,
    *,
    seen_at: datetime | None,
    day: date | None = None,
    fetched: bool = False,
) -> HfItems:
    """The papers of a saved Hugging Face Papers page (the JSON its markup carries)."""
    text = data.decode("utf-8", errors="replace")
    finder = _PropsFinder()
    finder.feed(text)
    finder.close()
    if finder.props is None:
        raise PageError(
            "this HTML page is not a saved Hugging Face Papers page (no papers data in it); "
            "save the papers page itself, or its text"
        )
    try:
        props = json.loads(finder.props)
    except (ValueError, RecursionError) as exc:
        raise PageError(
            f"the papers data in this page cannot be read ({_first_line(exc)})"
        ) from None
    papers = props.get("dailyPapers") if isinstance(props, dict) else None
    if not isinstance(papers, list):
        raise PageError("this HTML page's papers data has no list of papers")
    return _items(papers, name, digest, seen_at, day, seen_at if fetched else None)


class _PropsFinder(HTMLParser):
    """Finds the ``data-props`` of the element whose ``data-target`` is DailyPapers
    (attribute values come back with their HTML entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.props: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.props is not None:
            return
        values = dict(attrs)
        if values.get("data-target") == "DailyPapers" and values.get("data-props"):
            self.props = values["data-props"]


def _items(
    items: list[Any],
    name: str,
    digest: str,
    seen_at: datetime | None,
    day: date | None,
    observed_at: datetime | None,
) -> HfItems:
    if len(items) > MAX_ITEMS:
        raise PageError(f"this file holds more than {MAX_ITEMS:,} papers")
    result = HfItems([])
    for position, item in enumerate(items, start=1):
        observation = _observation(item, position, name, digest, seen_at, day)
        if observed_at is not None and not isinstance(observation, str):
            observation.sightings[0].observed_at = observed_at
        if isinstance(observation, str):
            result.warnings.append(f"item {position}: {observation}; skipped")
        else:
            result.observations.append(observation)
    if not result.observations:
        raise PageError("no paper in this file has a title" if items else "this file has no papers")
    return result


def _observation(
    item: Any,
    position: int,
    name: str,
    digest: str,
    seen_at: datetime | None,
    day: date | None,
) -> Observation | str:
    """One paper, or why it is skipped."""
    if not isinstance(item, dict):
        return "not an object"
    inner = item.get("paper")
    paper: dict[str, Any] = inner if isinstance(inner, dict) else item
    title = _text(paper.get("title")) or _text(item.get("title"))
    if not title:
        return "no title"
    abstract = _text(paper.get("summary")) or _text(item.get("summary")) or ""
    authors = _names(paper.get("authors"))
    organization = paper.get("organization") or item.get("organization")
    org_name = org_handle = None
    if isinstance(organization, dict):
        org_handle = _text(organization.get("name"))
        org_name = _text(organization.get("fullname")) or org_handle
    daily = _day(paper.get("submittedOnDailyAt")) or _day(item.get("publishedAt")) or day
    sighting = Sighting(
        page=name,
        page_hash=digest,
        page_date=day or daily,
        position=position,
        published=_day(paper.get("publishedAt")) or _day(item.get("publishedAt")),
        upvotes=_count(paper.get("upvotes")),
        authors_count=len(authors) if authors else None,
        organization=org_name,
        organization_handle=org_handle,
        seen_at=seen_at,
        arxiv_id=_arxiv(paper.get("id")),
        authors=authors or None,
        ai_summary=_text(paper.get("ai_summary")),
        ai_keywords=_names(paper.get("ai_keywords")) or None,
        github_repo=_url(paper.get("githubRepo")),
        github_stars=_count(paper.get("githubStars")),
        project_page=_url(paper.get("projectPage")),
        comments=_count(item.get("numComments", paper.get("numComments"))),
        daily_date=daily,
    )
    return Observation(paper_id(title), title, abstract, [sighting])


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _names(value: Any) -> list[str]:
    """Author names (``[{"name": ...}]`` or plain strings) or keywords, in order."""
    if not isinstance(value, list):
        return []
    names = []
    for entry in value[:2_000]:
        candidate = entry.get("name") if isinstance(entry, dict) else entry
        if (text := _text(candidate)) is not None:
            names.append(text[:300])
    return names


def _count(value: Any) -> int | None:
    """A non-negative count: ``12``, ``12.0``, ``"1,204"``, ``"1.2k"``; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**12 else None
    if isinstance(value, float):
        return int(value) if 0 <= value < 1e12 else None
    if isinstance(value, str) and (match := _COUNT.match(value)):
        number = float(match.group(1).replace(",", "" if match.group(2) == "" else "."))
        scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
        return int(number * scale) if number * scale < 1e12 else None
    return None


def _day(value: Any) -> date | None:
    """The date of an ISO timestamp (``2024-10-08T13:00:00.000Z``), or None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date() if 1900 <= moment.year <= 2200 else None


def _arxiv(value: Any) -> str | None:
    """An arXiv id without its version (``2410.12345``), or None."""
    if not isinstance(value, str):
        return None
    match = _ARXIV.match(value.strip())
    return match.group(1) if match else None


def _url(value: Any) -> str | None:
    text = _text(value)
    if text is None or not text.startswith(("https://", "http://")) or " " in text:
        return None
    return text[:2_000]


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
