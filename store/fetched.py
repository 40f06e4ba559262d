"""What a fetch hands the importer: one answer of the site, and the error of a fetch.
Apart from :mod:`store.fetch` so that importing and searching never load the HTTP
client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .errors import StoreError

__all__ = ["FetchError", "Fetched"]


class FetchError(StoreError):
    """The site could not be reached or refused; one line, nothing was stored."""


@dataclass
class Fetched:
    """One answer of the site, to be stored and imported like a file."""

    name: str
    data: bytes
    day: date | None
    observed_at: datetime
    papers: int
