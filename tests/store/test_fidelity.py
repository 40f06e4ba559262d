"""What a reader sees is what the author wrote: cleaning rules, page years, merge rule,
hostile pages (each defect of the audit as a fixture written here)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from store import Library
from store.cleaning import clean_text, searchable
from store.pages import decode_page, parse_page
from store.text import extract_links
from tests.helpers import make_page, write

PAIRS = [
    ("It costs $4.30 an hour, roughly $20 a day.", "It costs $4.30 an hour, roughly $20 a day."),
    ("Models (~billion parameters) train.", "Models (~billion parameters) train."),
    ("Attacks with epsilon=8{255} succeed.", "Attacks with epsilon=8{255} succeed."),
    ("We call it \\model: \\model models.", "We call it \\model: \\model models."),
    (
        "See https://github.com/x/PyBench{https://github.com/y/Other}.",
        "See https://github.com/x/PyBench https://github.com/y/Other .",
    ),
    ("The textit{O}bstacles benchmark.", "The Obstacles benchmark."),
    ("textbf{Bold} and emph{this}.", "Bold and this."),
    ("A sim3x speedup and sim50% less.", "A ~3x speedup and ~50% less."),
    ("Within leq 2% and geq 90%.", "Within ≤ 2% and ≥ 90%."),
    ("2times and 180times faster.", "2× and 180× faster."),
    ("Three times faster.", "Three times faster."),
    ("On Intel^circledR Xeon.", "On Intel® Xeon."),
    ("The ell norm of weights.", "The ℓ norm of weights."),
    ("Loss proptoleft(d/mright) grows.", "Loss ∝(d/m) grows."),
    ("A -- dash, a---b and ``quoted'' text.", "A – dash, a—b and “quoted” text."),
    ('We introduce T\\"ULU 3, $\\epsilon$-accurate.', "We introduce TÜLU 3, ϵ-accurate."),
    ("Figure~3 shows it.", "Figure 3 shows it."),
    ("Between $4 and $5 billion.", "Between $4 and $5 billion."),
    ("Plain -- text ~5 units.", "Plain – text ~5 units."),
    ("Real $\\sim$5 math.", "Real ∼5 math."),
    ("Only \\$5 a month.", "Only $5 a month."),
    ("Costs \\$2 for $x$.", "Costs $2 for x."),
    ("Read \\b https://a.org/x_1 now.", "Read https://a.org/x_1 now."),
]


@pytest.mark.parametrize(("raw", "clean"), PAIRS)
def test_every_cleaning_rule(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_one_rule_for_every_abstract() -> None:
    """The converter ran only on abstracts with LaTeX in them, so '--' came out two ways."""
    assert clean_text("a -- b") == clean_text("a -- b $x$").removesuffix(" x")
    assert "–" in clean_text("plain -- text") and "–" in clean_text("\\textbf{x} -- y")


def test_symbols_stay_findable_by_what_people_type(library: Library, tmp_path: Path) -> None:
    page = make_page([("Bounded Loss", "The error stays leq 2% and runs 3times faster.")])
    library.import_pages([write(tmp_path / "p.txt", page)])
    paper = library.search("bounded").hits[0].paper
    assert "≤ 2%" in paper.abstract and "3×" in paper.abstract
    assert library.search("leq").total == 1 and library.search("≤").total <= 1
    assert "leq" in searchable("≤ 2%")


_RAW = st.lists(
    st.sampled_from([*"ab x$%~{}\\^_-.,()0123456789", "sim", "leq", "times", "textit"]),
    max_size=40,
).map("".join)


@given(_RAW, st.lists(st.sampled_from(["https://a.org/x_1", "http://b.io/y?q=2"]), max_size=2))
@example("\\b", ["https://a.org/x_1"])  # an accent once broke the kept link
@settings(max_examples=300, deadline=None)
def test_cleaning_never_drops_a_digit_a_price_a_percent_or_a_link(
    text: str, links: list[str]
) -> None:
    raw = " ".join([text, *links])
    clean = clean_text(raw)
    digits = lambda s: sorted(re.findall(r"\d", s))  # noqa: E731
    outside_links = re.sub(r"https?://\S+", " ", raw)
    assert len(digits(clean)) >= len(digits(outside_links)) - 0  # every digit survives
    assert clean.count("%") >= raw.count("%")
    # real LaTeX math ($x$, $10^{-3}$, $\alpha$): its $ go
    math = re.search(r"\$[^$\d\s][^$]*\$|\$[^$]*[\\^_][^$]*\$", outside_links)
    for price in [] if math else re.findall(r"\$\d+", outside_links):
        assert price in clean.replace(" ", "") or price in clean
    for link in links:
        assert link in clean


# -- hostile pages ---------------------------------------------------------------------


def test_a_mangled_bullet_still_reads_as_an_author_count() -> None:
    """A Latin-1 page turned '•' into '?': it was stored as an organisation."""
    text = make_page([("A Paper", "An abstract.", "? 4 authors\n·\nMar 3, 2025 7")])
    paper = parse_page(decode_page(text.encode("cp1252")), fallback_year=2030).papers[0]
    assert (paper.authors_count, paper.organization) == (4, None)
    mojibake = make_page([("A Paper", "An abstract.", "â€¢ 4 authors\nÂ·\nMar 3, 2025 7")])
    assert parse_page(mojibake, fallback_year=2030).papers[0].authors_count == 4


def test_a_page_cut_inside_its_last_abstract_leaves_that_paper_out() -> None:
    text = make_page(
        [
            ("A Complete Paper", "It is complete.", "• 2 authors\n·\nMar 3, 2025 7"),
            ("Another Complete One", "Also complete.", "• 3 authors\n·\nMar 4, 2025 1"),
            ("The Cut Paper", "Its abstract stops in the middle of a"),
        ]
    )
    page = parse_page(text, fallback_year=2030)
    assert [p.title for p in page.papers] == ["A Complete Paper", "Another Complete One"]
    assert any("cut off" in w and "The Cut Paper" in w for w in page.warnings)


def test_a_link_without_a_scheme_is_a_link() -> None:
    assert extract_links("Code: github.com/IST-DASLab/qmoe.") == [
        "https://github.com/IST-DASLab/qmoe"
    ]


# -- the merge rule --------------------------------------------------------------------


def test_each_field_comes_from_the_newest_page_that_has_it(
    library: Library, tmp_path: Path
) -> None:
    """An older page's organisation and upvotes hid newer pages' author counts."""
    title = "Model soups: averaging weights"
    old = make_page([(title, "Soups.", "google Google\n·\nMar 10, 2022 3")], date="Mar 11, 2022")
    new = make_page([(title, "Soups.", "• 12 authors\n·\nMar 10, 2022")], date="Apr 2, 2024")
    library.import_pages([write(tmp_path / "old.txt", old), write(tmp_path / "new.txt", new)])
    paper = library.search("soups").hits[0].paper
    assert paper.authors_count == 12  # from the newer page
    assert paper.organization == "Google" and paper.upvotes == 3  # only the older one has them


# -- years -----------------------------------------------------------------------------


def test_the_import_says_which_year_each_page_got_and_why(library: Library, tmp_path: Path) -> None:
    dated = make_page([("A", "x.", "• 2 authors\n·\nJan 2, 2024 1")], date="Mar 3")
    undated = make_page([("B", "y.", "• 2 authors\n·\nFeb 5 1")], date="Mar 3")
    report = library.import_pages(
        [write(tmp_path / "d.txt", dated), write(tmp_path / "u.txt", undated)]
    )
    years = {Path(n.path).name: n.message for n in report.years}
    assert "2025 (the newest year on the page + 1)" in years["d.txt"]
    assert "modification time" in years["u.txt"]
    paper = library.search("B").hits[0].paper
    assert (
        "dates without a year read as" in (paper.sightings[0].year_note or "")
        or paper.sightings[0].year_note
    )


def test_what_the_library_knows_beats_the_file_time(library: Library, tmp_path: Path) -> None:
    full = make_page([("Known Paper", "x.", "• 2 authors\n·\nMay 20, 2025 4")], date="May 21, 2025")
    library.import_pages([write(tmp_path / "full.txt", full)])
    copied = write(
        tmp_path / "copied.txt",
        make_page([("Known Paper", "x.", "• 2 authors\n·\nMay 20 9")], date="Jun 2"),
    )
    report = library.import_pages([copied])  # its file time says this year (2026 here)
    assert "2025" in report.years[0].message and "full dates" in report.years[0].message
    sighting = next(
        s for s in library.search("known").hits[0].paper.sightings if s.page == "copied.txt"
    )
    assert sighting.page_date == date(2025, 6, 2)
    library.reindex()  # the year stays through a rebuild
    again = next(
        s for s in library.search("known").hits[0].paper.sightings if s.page == "copied.txt"
    )
    assert again.page_date == date(2025, 6, 2)


def test_a_page_year_can_be_set_afterwards(library: Library, tmp_path: Path) -> None:
    page = write(
        tmp_path / "late.txt",
        make_page([("Late Paper", "z.", "• 1 authors\n·\nJul 4 2")], date="Jul 5"),
    )
    library.import_pages([page])
    library.bookmark(library.search("late").hits[0].paper.id, note="keep")
    library.set_page_years({"late.txt": 2023})
    paper = library.search("late").hits[0].paper
    assert paper.published == date(2023, 7, 4) and paper.note == "keep"
    assert "set by you" in (paper.sightings[0].year_note or "")
