"""From parsed pages to paper records: identity, merging sightings, index documents."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .models import Paper, Sighting
from .pages import ParsedPage
from .text import clean_latex, collapse_space, extract_links, fold, normalise_title, strip_control

__all__ = [
    "Observation",
    "merge",
    "observations_from_page",
    "paper_id",
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


def _sighting_key(s: Sighting) -> tuple[int, date, str, int]:
    """Richest first, then newest page, then a stable tie-break."""
    return (s.richness(), s.page_date or date.min, s.page_hash, -s.position)


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
        )
        result.append(
            Observation(paper_id(parsed.title), parsed.title, parsed.abstract, [sighting])
        )
    return result


def _clean_abstract(raw: str) -> str:
    text = clean_latex(raw)
    lowered = text[:10].lower()
    for label in _ABSTRACT_LABEL:
        if lowered.startswith(label) and text[len(label) : len(label) + 1].isupper():
            return text[len(label) :]
    return text


def merge(existing: Paper | None, observation: Observation) -> Paper:
    """Merge an observation into a paper (or make a new one).

    Sightings are unioned (a page seen twice counts once); the paper's fields come from
    its richest, newest sighting, whichever order the pages arrive in.
    """
    sightings = {(s.page_hash, s.position): s for s in existing.sightings} if existing else {}
    incoming = {(s.page_hash, s.position): s for s in observation.sightings}
    sightings.update(incoming)
    ordered = sorted(sightings.values(), key=lambda s: (s.page_date or date.min, s.page_hash))
    best = max(ordered, key=_sighting_key, default=None)
    take_incoming = existing is None or best is None or (best.page_hash, best.position) in incoming
    title_raw = observation.title_raw if take_incoming else existing.title_raw  # type: ignore[union-attr]
    abstract_raw = (
        observation.abstract_raw if take_incoming else existing.abstract_raw  # type: ignore[union-attr]
    )
    published = (best.published if best else None) or next(
        (s.published for s in ordered if s.published), None
    )
    return Paper(
        id=observation.paper_id,
        title=clean_latex(title_raw),
        abstract=_clean_abstract(abstract_raw),
        published=published,
        upvotes=best.upvotes if best else None,
        authors_count=best.authors_count if best else None,
        organization=best.organization if best else None,
        links=extract_links(strip_control(abstract_raw)),
        sightings=ordered,
        title_raw=title_raw,
        abstract_raw=abstract_raw,
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
        "title": paper.title,
        "title_prefix": paper.title,
        "abstract": paper.abstract,
        "abstract_terms": paper.abstract,
        "abstract_prefix": paper.abstract,
        "organization": " ".join([org, *sorted(handles)]).strip(),
        "published": _ymd(paper.published),
        "sort_published": _ymd(paper.published),
        "sort_seen": int(first_seen.timestamp()) if (first_seen := paper.first_seen) else 0,
        "year": paper.published.year if paper.published else 0,
        "upvotes": paper.upvotes or 0,
        "authors": paper.authors_count or 0,
        "sort_title": fold(paper.title),
        "pages": " ".join(sorted({s.page_hash for s in paper.sightings})),
        "data": json.dumps({"paper": stored}, ensure_ascii=False),
    }
    return doc


def paper_from_stored(data: str) -> Paper:
    """Rebuild a paper (without user fields) from its stored data."""
    return Paper.model_validate(json.loads(data)["paper"])
