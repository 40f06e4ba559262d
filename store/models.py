"""The library's data: papers, where they were seen, what the user did with them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, computed_field, field_validator

from .text import clean_line, clean_raw, collapse_space, strip_control

__all__ = [
    "FileProblem",
    "ImportReport",
    "LibraryInfo",
    "Paper",
    "Results",
    "SearchHit",
    "Sighting",
    "SortKey",
    "UserEntry",
    "UserField",
    "normal_sort",
]

SortKey = Literal[
    "relevance", "published", "seen", "rising", "upvotes", "title", "priority", "date"
]
"""``published``: newest publication date first, undated papers last; ``seen``: newest
arrival in the library first; ``rising``: most upvotes gained a day over its
sightings; ``priority``: what to read first (see :mod:`store.priority`); ``date`` is an
older name of ``published``."""


def normal_sort(sort: str) -> str:
    """The sort's current name (``date`` is ``published``)."""
    return "published" if sort == "date" else sort


UserField = Literal["bookmarked", "tags", "note", "read"]
NEVER = datetime.min.replace(tzinfo=UTC)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=False, extra="ignore")


class Sighting(_Model):
    """One appearance of a paper on one saved page, with what the page said of it then."""

    page: str = Field(description="file name of the page when it was imported")
    page_hash: str = Field(description="sha256 of the page's bytes")
    page_date: date | None = Field(default=None, description="the date the page shows")
    position: int = Field(description="1-based position of the paper on the page")
    published: date | None = None
    upvotes: int | None = None
    authors_count: int | None = None
    organization: str | None = None
    organization_handle: str | None = None
    seen_at: datetime | None = Field(
        default=None, description="when the page was imported (the paper arrived)"
    )
    # What Hugging Face's own data (JSON, saved HTML, fetch) adds; None on text pages.
    arxiv_id: str | None = None
    authors: list[str] | None = None
    ai_summary: str | None = None
    ai_keywords: list[str] | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    comments: int | None = None
    daily_date: date | None = Field(default=None, description="the day it was a daily paper")
    observed_at: datetime | None = Field(
        default=None, description="when its counts were read from the site (a fetch)"
    )
    year_note: str | None = Field(
        default=None, description="the year given to the page's dates without one, and why"
    )

    @field_validator(
        "page", "organization", "organization_handle", "ai_summary", "github_repo", "project_page"
    )
    @classmethod
    def _clean_text(cls, value: str | None) -> str | None:
        return clean_line(value) if value is not None else None

    @field_validator("authors", "ai_keywords")
    @classmethod
    def _clean_names(cls, values: list[str] | None) -> list[str] | None:
        if values is None:
            return None
        return [clean for value in values if (clean := clean_line(value))]

    @property
    def when(self) -> datetime | None:
        """When this sighting's counts were true: when they were fetched, else the day of
        its page, else when it was imported."""
        if self.observed_at is not None:
            return self.observed_at
        day = self.daily_date or self.page_date
        if day is not None:
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return self.seen_at


class UserEntry(_Model):
    """What the user did with one paper: the data paperdeck must never lose.

    Tags and notes are the user's own text, but they come from pastes, backups and
    hand-edited files too: control characters (escape sequences) are dropped whenever
    they are set, so they never reach a terminal. Tags are lower case, without commas,
    each once.
    """

    model_config = ConfigDict(frozen=False, extra="ignore", validate_assignment=True)

    bookmarked: bool = False
    bookmarked_at: datetime | None = None
    tags: list[str] = Field(default_factory=list)
    note: str = ""
    read: bool = False
    read_at: datetime | None = None
    queued: int | None = Field(default=None, description="place in the reading queue")
    # Not in ``changed``, whose keys an older paperdeck checks: it ignores this field.
    queued_at: datetime | None = Field(default=None, description="when the place last changed")
    updated_at: datetime | None = None
    changed: dict[UserField, datetime] = Field(
        default_factory=dict, description="when each field was last changed"
    )

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, tags: list[str]) -> list[str]:
        cleaned = (collapse_space(strip_control(t).replace(",", " ")).lower() for t in tags)
        return list(dict.fromkeys(t for t in cleaned if t))

    @field_validator("note")
    @classmethod
    def _clean_note(cls, note: str) -> str:
        return strip_control(note).strip()

    def is_empty(self) -> bool:
        """True when the entry records nothing worth keeping."""
        return not (self.bookmarked or self.tags or self.note or self.read) and (
            self.queued is None
        )

    def is_blank(self) -> bool:
        """True when there is nothing to keep, not even when a field was last changed
        (an un-bookmark is remembered, so an older backup cannot undo it)."""
        return self.is_empty() and not self.changed and self.queued_at is None

    def changed_at(self, name: UserField) -> datetime:
        """When ``name`` was last changed. Entries written before paperdeck recorded
        each field's time only know the whole entry's."""
        if self.changed:
            return self.changed.get(name) or NEVER
        fallback = {"bookmarked": self.bookmarked_at, "read": self.read_at}.get(name)
        return fallback or self.updated_at or NEVER

    def copy_for_change(self) -> UserEntry:
        """A copy to change: its own tag list and change times (the other fields are
        immutable values); as good as a deep copy, a tenth of its cost."""
        return self.model_copy(update={"tags": list(self.tags), "changed": dict(self.changed)})

    def touch(self, name: UserField, when: datetime) -> None:
        """Record that ``name`` changed at ``when``."""
        self.changed = {**self.changed, name: when}
        self.updated_at = when


class Paper(_Model):
    """A paper: its current fields come from its richest, newest sighting."""

    id: str
    title: str = Field(description="clean Unicode title")
    abstract: str = Field(description="clean Unicode abstract (LaTeX residue converted)")
    published: date | None = None
    upvotes: int | None = None
    authors_count: int | None = None
    organization: str | None = None
    links: list[str] = Field(default_factory=list)
    arxiv_id: str | None = None
    authors: list[str] = Field(default_factory=list, description="author names, in order")
    ai_summary: str | None = Field(default=None, description="generated by Hugging Face")
    ai_keywords: list[str] = Field(default_factory=list, description="generated by Hugging Face")
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    comments: int | None = None
    daily_date: date | None = None
    sightings: list[Sighting] = Field(default_factory=list)
    bookmarked: bool = False
    tags: list[str] = Field(default_factory=list)
    note: str = ""
    read: bool = False
    title_raw: str = Field(default="", description="the title exactly as the page had it")
    abstract_raw: str = Field(default="", description="the abstract exactly as the page had it")

    @field_validator("title", "abstract", "organization")
    @classmethod
    def _clean_line(cls, value: str | None) -> str | None:
        return clean_line(value) if value is not None else None

    @field_validator("title_raw", "abstract_raw")
    @classmethod
    def _clean_raw(cls, value: str) -> str:
        return clean_raw(value)  # raw LaTeX stays; terminal control characters never

    @field_validator("links")
    @classmethod
    def _clean_links(cls, links: list[str]) -> list[str]:
        return [clean for link in links if (clean := clean_line(link))]

    @property
    def url(self) -> str:
        """The paper's Hugging Face page when its arXiv id is known, else its first link,
        else its Hugging Face Papers search URL."""
        if self.arxiv_id:
            return self.hf_page_url
        return self.links[0] if self.links else self.hf_url

    @property
    def hf_page_url(self) -> str:
        """The paper's page on Hugging Face Papers (needs the arXiv id)."""
        return f"https://huggingface.co/papers/{self.arxiv_id}" if self.arxiv_id else self.hf_url

    @property
    def arxiv_url(self) -> str | None:
        """The arXiv abstract page, if the id is known."""
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def pdf_url(self) -> str | None:
        """The arXiv PDF, if the id is known."""
        return f"https://arxiv.org/pdf/{self.arxiv_id}" if self.arxiv_id else None

    def upvote_history(self) -> list[tuple[datetime, int]]:
        """(when, upvotes) of every sighting that counted them, oldest first, one per
        moment (the most recent count of a day's several pages)."""
        counts: dict[datetime, int] = {}
        for sighting in self.sightings:
            when = sighting.when
            if when is not None and sighting.upvotes is not None:
                counts[when] = max(counts.get(when, 0), sighting.upvotes)
        return sorted(counts.items())

    def rising(self) -> float:
        """Upvotes gained per day between the first and the last count (0 with fewer
        than two counts a day or more apart)."""
        history = self.upvote_history()
        if len(history) < 2:
            return 0.0
        (first_at, first), (last_at, last) = history[0], history[-1]
        days = (last_at - first_at).total_seconds() / 86_400
        return (last - first) / days if days >= 1 else 0.0

    @property
    def hf_url(self) -> str:
        """The Hugging Face Papers search URL for this paper's title."""
        return f"https://huggingface.co/papers?q={quote(self.title)}"

    @property
    def first_seen(self) -> datetime | None:
        """When the paper first arrived in the library (its earliest sighting's import)."""
        return min((s.seen_at for s in self.sightings if s.seen_at), default=None)

    @property
    def year(self) -> int | None:
        """The publication year, if known."""
        return self.published.year if self.published else None

    def with_user(self, entry: UserEntry | None) -> Paper:
        """A copy of this paper carrying the user's bookmark, tags, note and read state."""
        entry = entry or UserEntry()
        return self.model_copy(
            update={
                "bookmarked": entry.bookmarked,
                "tags": list(entry.tags),
                "note": entry.note,
                "read": entry.read,
            }
        )


class FileProblem(_Model):
    """A file that could not be imported, or was imported with a warning."""

    path: str
    message: str

    def line(self) -> str:
        """The one line the user sees."""
        return f"{self.path}: {self.message}"


class ImportReport(_Model):
    """What an import did."""

    pages: int = 0
    pages_unchanged: int = 0
    papers_seen: int = 0
    new_papers: int = 0
    updated_papers: int = 0
    restored_entries: int = 0
    years: list[FileProblem] = Field(
        default_factory=list, description="per text page: the year its dates without one got"
    )
    finished_sources: int = Field(
        default=0, description="sources of an earlier, interrupted import indexed on the way"
    )
    failures: list[FileProblem] = Field(default_factory=list)
    warnings: list[FileProblem] = Field(default_factory=list)
    rebuilt_index: bool = False

    @property
    def ok(self) -> bool:
        """True when every file was imported."""
        return not self.failures


Fragment = tuple[str, list[tuple[int, int]]]


class SearchHit(_Model):
    """One search result: the paper, and where the query matched its title and abstract.

    The abstract's fragment is highlighted when it is first read (the app shows the one
    under the cursor, the CLI prints none unless asked for JSON): a page of hits costs
    no highlighting it does not show.
    """

    paper: Paper
    score: float | None = None
    title_spans: list[tuple[int, int]] = Field(
        default_factory=list, description="(start, end) character spans of matches in the title"
    )
    _make_fragment: Callable[[], Fragment] | None = PrivateAttr(default=None)
    _fragment: Fragment | None = PrivateAttr(default=None)

    def with_fragment(self, make: Callable[[], Fragment]) -> SearchHit:
        """This hit, its fragment made by ``make`` when first read."""
        self._make_fragment = make
        self._fragment = None
        return self

    def _made(self) -> Fragment:
        if self._fragment is None:
            self._fragment = self._make_fragment() if self._make_fragment else ("", [])
        return self._fragment

    @computed_field(description="the part of the abstract that matched best")  # type: ignore[prop-decorator]
    @property
    def fragment(self) -> str:
        """The part of the abstract that matched best."""
        return self._made()[0]

    @computed_field(description="(start, end) spans of matches in the fragment")  # type: ignore[prop-decorator]
    @property
    def fragment_spans(self) -> list[tuple[int, int]]:
        """(start, end) spans of the matches in :attr:`fragment`."""
        return self._made()[1]


class Results(_Model):
    """A page of search results."""

    query: str
    total: int = Field(description="how many papers match (an estimate if total_exact is false)")
    total_exact: bool = True
    offset: int
    hits: list[SearchHit]
    sort: SortKey
    notice: str | None = Field(
        default=None, description="what the search did on the user's behalf, in plain words"
    )
    suggestion: str | None = Field(default=None, description="a 'did you mean' query")
    elapsed_ms: float = 0.0


class LibraryInfo(_Model):
    """Paths, counts and index health."""

    data_dir: str
    index_dir: str
    pages_dir: str
    userdata_file: str
    papers: int
    pages: int
    bookmarks: int
    read: int
    tagged: int
    index_ok: bool
    index_segments: int
    index_bytes: int
    pages_not_indexed: int
    schema_version: int
    notices: list[str] = Field(default_factory=list)
