"""Hugging Face's JSON and saved HTML pages: one paper whatever the source, new fields
searchable, upvote history, hostile values never worse than a skipped item."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Library, PageError, StoreError
from store.hf import parse_hf_json
from store.records import paper_id
from tests.helpers import FIXTURES, HF_FIXTURES, write

TULU_TITLE = "TÜLU 3: Pushing Frontiers in Open Language Model Post-Training"
TULU = paper_id(TULU_TITLE)
DAILY = HF_FIXTURES / "daily_2024-11-25.json"


def test_json_and_a_text_page_are_one_paper(library: Library) -> None:
    report = library.import_pages([FIXTURES / "daily.txt", DAILY])
    assert report.ok, report.failures
    # the text page ends on a paper without counts (maybe cut off); in the JSON, an
    # item without a title and an item that is no object
    assert len(report.warnings) == 3
    paper = library.get(TULU)
    assert paper.id == TULU  # the id stays: bookmarks survive
    assert paper.arxiv_id == "2411.15124"
    assert paper.authors[:2] == ["Nathan Lambert", "Jacob Morrison"]
    assert {s.page for s in paper.sightings} == {"daily.txt", DAILY.name}
    assert paper.github_repo == "https://github.com/allenai/open-instruct"
    assert paper.github_stars == 3100 and paper.comments == 5
    assert paper.ai_keywords[0] == "post-training" and paper.ai_summary
    assert library.get("2411.15124").id == TULU  # an arXiv id is an id
    assert library.get("arXiv:2411.15124v2").id == TULU
    assert paper.url == "https://huggingface.co/papers/2411.15124"
    assert paper.pdf_url == "https://arxiv.org/pdf/2411.15124"


def test_values_of_the_wrong_type_are_left_out(library: Library) -> None:
    library.import_pages([DAILY])
    soups = library.search("model soups").hits[0].paper
    assert soups.upvotes == 1200  # "1.2k"
    assert soups.github_stars is None  # "many"
    assert soups.project_page is None  # "not a url"
    assert soups.comments == 3  # "3"
    only = library.get(paper_id("A Paper Only Hugging Face Knows About"))
    assert only.authors == [] and only.published is None  # null authors, "not a date"
    assert "https://example.org/project" in only.links


def test_new_fields_are_searchable(library: Library) -> None:
    library.import_pages([FIXTURES, DAILY])
    assert library.search("author:lukasz").total == 1  # Łukasz, folded
    assert library.search('author:"nathan lambert"').total == 1
    assert library.search("kw:preference").total == 1
    assert library.search("arxiv:2411.15124").total == 1
    assert library.search("has:code").total == 2
    assert library.search("stars:>=1000").total == 1
    assert library.search("comments:>=3").total == 2
    assert library.search("has:code stars:>=10 -tulu").total == 1


def test_a_saved_html_page_is_read_and_other_html_refused(library: Library) -> None:
    report = library.import_pages([HF_FIXTURES / "daily_page.html"])
    assert report.ok and report.new_papers == 3
    assert library.get("2411.15124").authors[0] == "Nathan Lambert"
    for name in ("not_papers.html", "not_papers.json"):
        report = library.import_pages([HF_FIXTURES / name])
        assert len(report.failures) == 1 and name in report.failures[0].line()
        assert "\n" not in report.failures[0].line()


def test_fetched_counts_make_a_history(library: Library) -> None:
    from store.fetch import Fetched

    data = DAILY.read_bytes()
    first = datetime(2024, 11, 25, 8, tzinfo=UTC)
    week_later = datetime(2024, 12, 2, 8, tzinfo=UTC)
    later = json.loads(data)
    later[0]["paper"]["upvotes"] = 134
    answers = [
        Fetched("daily-2024-11-25.json", data, first.date(), first, 3),
        Fetched("daily-2024-11-25.json", json.dumps(later).encode(), first.date(), week_later, 3),
    ]
    report = library.import_fetched(answers[:1])
    assert report.new_papers == 3
    again = library.import_fetched(answers[:1])  # the same answer again changes nothing
    assert again.pages_unchanged == 1 and again.updated_papers == 0
    library.import_fetched(answers[1:])
    paper = library.get(TULU)
    assert [count for _, count in paper.upvote_history()] == [64, 134]
    assert paper.upvotes == 134
    assert paper.rising() == pytest.approx(10.0)  # 70 upvotes in 7 days
    assert library.search("", sort="rising").hits[0].paper.id == TULU  # type: ignore[arg-type]
    library.reindex()
    assert [c for _, c in library.get(TULU).upvote_history()] == [64, 134]


def test_the_arxiv_id_keeps_a_retitled_paper_one_paper(library: Library, tmp_path: Path) -> None:
    library.import_pages([HF_FIXTURES / "paper_2411.15124.json"])
    retitled = json.loads((HF_FIXTURES / "paper_2411.15124.json").read_text())
    retitled["title"] = "Tülu 3: pushing frontiers in open post-training (v2)"
    library.import_pages([write(tmp_path / "v2.json", json.dumps(retitled))])
    assert library.count() == 1
    assert library.get("2411.15124").id == TULU


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_FIELDS = [
    "id",
    "title",
    "summary",
    "authors",
    "publishedAt",
    "submittedOnDailyAt",
    "upvotes",
    "githubRepo",
    "githubStars",
    "projectPage",
    "ai_summary",
    "ai_keywords",
    "organization",
]


@given(st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(_FIELDS, _values)), max_size=4))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_json_values_raise_only_store_errors(papers: list[dict[str, Any]]) -> None:
    items = [{"paper": p, "numComments": p.get("upvotes")} for p in papers]
    data = json.dumps(items, default=str).encode()
    try:
        found = parse_hf_json(data, "fuzz.json", "0" * 64, seen_at=None)
    except StoreError:
        return
    for observation in found.observations:
        sighting = observation.sightings[0]
        assert observation.title_raw.strip()
        assert sighting.upvotes is None or sighting.upvotes >= 0


def test_not_json_at_all_is_one_line(library: Library, tmp_path: Path) -> None:
    bad = write(tmp_path / "broken.json", '[{"paper": {"title": "x"}, ')
    report = library.import_pages([bad])
    assert (
        "not be read" in report.failures[0].message
        or "cannot be read" in report.failures[0].message
    )
    with pytest.raises(PageError):
        parse_hf_json(b"[1, 2, 3]", "n.json", "0" * 64, seen_at=None)
