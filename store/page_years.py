"""The year of a saved page that shows none: what the library already knows beats the
file's time (a copied or downloaded file's time is the copy's, not the page's)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .records import Observation, paper_from_stored

__all__ = ["year_from_library"]


def year_from_library(
    searcher: Any, observations: Sequence[Observation], batch: Mapping[str, date]
) -> tuple[int, str] | None:
    """The page's year from the papers on it that the library (or ``batch``: paper id ->
    publication date on other pages being imported) knows with a full date: its date
    cannot come before theirs. None when none of them is known."""
    dated = [batch[o.paper_id] for o in observations if o.paper_id in batch]
    for observation in observations:
        fields = searcher.document(id=observation.paper_id)
        if fields is not None and (day := paper_from_stored(fields["data"]).published):
            dated.append(day)
    if not dated:
        return None
    bound = max(dated)
    page_day = next((s.page_date for o in observations for s in o.sightings if s.page_date), None)
    year = bound.year
    if page_day is not None and _on(page_day, year) < bound:
        year += 1
    return year, f"from papers known with full dates, the newest published {bound}"


def _on(day: date, year: int) -> date:
    """``day`` in ``year`` (29 February becomes the 28th in other years)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
