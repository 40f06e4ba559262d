"""From parsed pages to paper records: identity, merging sightings, index documents."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .cleaning import clean_text, searchable
from .models import Paper, Sighting
from .pages import ParsedPage
from .text import collapse_space, extract_links, fold, normalise_title, strip_control

__all__ = [
    "Observation",
    "merge",
    "observations_from_page",
    "paper_id",
    "resolve_id",
    "to_document",
]

_ABSTRACT_LABEL = ("abstract ", "abstract: ", "abstract. ")


def paper_id(title: str) -> str:
    """A stable 12-hex-digit id from the normalised title."""
    key = normalise_title(title) or collapse_space(title).casefold()
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class Observation:
    """What one source says about one paper: its text and where it was seen."""

    paper_id: str
    title_raw: str
    abstract_raw: str
    sightings: list[Sighting]


def _newest_first(s: Sighting) -> tuple[datetime, datetime, str, int]:
    """Newest first (when its counts were true, then its import), then a stable tie-break."""
    return (s.when or _LONG_AGO, s.seen_at or _LONG_AGO, s.page_hash, -s.position)


_LONG_AGO = datetime.min.replace(tzinfo=UTC)
_FROM_SIGHTINGS = (
    "published",
    "upvotes",
    "authors_count",
    "organization",
    "arxiv_id",
    "authors",
    "ai_summary",
    "ai_keywords",
    "github_repo",
    "github_stars",
    "project_page",
    "comments",
    "daily_date",
)


def observations_from_page(
    page: ParsedPage, name: str, page_hash: str, seen_at: datetime | None = None
) -> list[Observation]:
    """One observation per paper on a parsed page (imported at ``seen_at``)."""
    result: list[Observation] = []
    for parsed in page.papers:
        sighting = Sighting(
            page=name,
            page_hash=page_hash,
            page_date=page.page_date,
            position=parsed.position,
            published=parsed.published,
            upvotes=parsed.upvotes,
            authors_count=parsed.authors_count,
            organization=parsed.organization,
            organization_handle=parsed.organization_handle,
            seen_at=seen_at,
            year_note=f"{page.capture_year}: {page.year_source}",
        )
        result.append(
            Observation(paper_id(parsed.title), parsed.title, parsed.abstract, [sighting])
        )
    return result


def resolve_id(
    observation: Observation,
    has_paper: Callable[[str], bool],
    owner_of_arxiv: Callable[[str], str | None],
) -> str:
    """Which paper an observation is about. By its title, as always (text pages know
    nothing else), unless the title is new and its arXiv id belongs to a paper already:
    then that paper (its title changed on Hugging Face; it keeps its id and bookmarks)."""
    if has_paper(observation.paper_id):
        return observation.paper_id
    arxiv = next((s.arxiv_id for s in observation.sightings if s.arxiv_id), None)
    owner = owner_of_arxiv(arxiv) if arxiv else None
    return owner or observation.paper_id


def _clean_abstract(raw: str) -> str:
    text = clean_text(raw)
    lowered = text[:10].lower()
    for label in _ABSTRACT_LABEL:
        if lowered.startswith(label) and text[len(label) : len(label) + 1].isupper():
            return text[len(label) :]
    return text


def merge(existing: Paper | None, observation: Observation) -> Paper:
    """Merge an observation into a paper (or make a new one).

    Sightings are unioned (a page seen twice counts once). Each field comes from the
    newest sighting that has it (an older page's organisation does not hide a newer
    page's author count); the title and abstract from the newest sighting. The result
    does not depend on the order pages arrive in.
    """
    sightings = {(s.page_hash, s.position): s for s in existing.sightings} if existing else {}
    incoming = {(s.page_hash, s.position): s for s in observation.sightings}
    sightings.update(incoming)
    newest = sorted(sightings.values(), key=_newest_first, reverse=True)
    take_incoming = (
        existing is None or not newest or ((newest[0].page_hash, newest[0].position) in incoming)
    )
    title_raw = observation.title_raw if take_incoming else existing.title_raw  # type: ignore[union-attr]
    abstract_raw = (
        observation.abstract_raw if take_incoming else existing.abstract_raw  # type: ignore[union-attr]
    )
    fields: dict[str, Any] = {}
    for name in _FROM_SIGHTINGS:
        value = next((v for s in newest if (v := getattr(s, name)) not in (None, [])), None)
        if value is not None:
            fields[name] = value
    if "authors" in fields and "authors_count" not in fields:
        fields["authors_count"] = len(fields["authors"])
    links = extract_links(strip_control(abstract_raw))
    for extra in (fields.get("github_repo"), fields.get("project_page")):
        if extra and extra not in links:
            links.append(extra)
    return Paper(
        id=observation.paper_id,
        title=clean_text(title_raw),
        abstract=_clean_abstract(abstract_raw),
        links=links,
        sightings=sorted(sightings.values(), key=lambda s: (s.page_date or date.min, s.page_hash)),
        title_raw=title_raw,
        abstract_raw=abstract_raw,
        **fields,
    )


def _ymd(value: date | None) -> int:
    return value.year * 10_000 + value.month * 100 + value.day if value else 0


def to_document(paper: Paper) -> dict[str, Any]:
    """The Whoosh document for a paper (the user's data is never part of it)."""
    org = paper.organization or ""
    handles = {s.organization_handle for s in paper.sightings if s.organization_handle}
    stored = paper.model_dump(
        mode="json", exclude={"bookmarked", "tags", "note", "read"}, exclude_defaults=True
    )
    doc: dict[str, Any] = {
        "id": paper.id,
        "title": searchable(paper.title),
        "title_prefix": paper.title,
        "abstract": searchable(paper.abstract),
        "abstract_prefix": paper.abstract,
        "organization": " ".join([org, *sorted(handles)]).strip(),
        "published": _ymd(paper.published),
        "sort_published": _ymd(paper.published),
        "sort_seen": int(first_seen.timestamp()) if (first_seen := paper.first_seen) else 0,
        "year": paper.published.year if paper.published else 0,
        "upvotes": paper.upvotes or 0,
        "authors": paper.authors_count or 0,
        "author_names": " · ".join(paper.authors),
        "keywords": " · ".join(paper.ai_keywords),
        "arxiv": paper.arxiv_id or "",
        "has": " ".join(_has(paper)),
        "stars": paper.github_stars or 0,
        "comments": paper.comments or 0,
        "rising": max(0, round(paper.rising() * 100)),
        "sort_title": fold(paper.title),
        "pages": " ".join(sorted({s.page_hash for s in paper.sightings})),
        "data": json.dumps({"paper": stored}, ensure_ascii=False),
    }
    return doc


def _has(paper: Paper) -> list[str]:
    """What ``has:`` finds a paper by: code, a project page, an AI summary, an arXiv id."""
    return [
        name
        for name, present in (
            ("code", paper.github_repo),
            ("project", paper.project_page),
            ("summary", paper.ai_summary),
            ("arxiv", paper.arxiv_id),
        )
        if present
    ]


def paper_from_stored(data: str) -> Paper:
    """Rebuild a paper (without user fields) from its stored data."""
    return Paper.model_validate(json.loads(data)["paper"])
