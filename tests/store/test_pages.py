import codecs
import contextlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import PageError
from store.pages import decode_page, parse_page
from tests.helpers import FIXTURES, make_page


def parse(text: str, **kwargs: int) -> object:
    return parse_page(
        decode_page(text.encode()), fallback_year=kwargs.pop("fallback", 2030), **kwargs
    )


def test_fixture_page_fields() -> None:
    page = parse_page(decode_page((FIXTURES / "daily.txt").read_bytes()), fallback_year=2030)
    assert page.capture_year == 2025  # newest explicit year (2024) + 1
    assert page.page_date == date(2025, 11, 12)
    titles = [p.title for p in page.papers]
    assert titles[0].startswith("TÜLU 3")
    tulu, nvfp4, mask, qlora = page.papers
    assert (tulu.authors_count, tulu.published, tulu.upvotes) == (13, date(2024, 10, 8), 1)
    assert (nvfp4.organization, nvfp4.organization_handle) == ("NVIDIA", "nvidia")
    assert (nvfp4.published, nvfp4.upvotes) == (date(2025, 9, 29), 2)
    assert (mask.authors_count, mask.upvotes) == (1204, 1532)
    assert qlora.published is None and qlora.upvotes is None and qlora.authors_count is None
    assert [p.position for p in page.papers] == [1, 2, 3, 4]


def test_year_comes_from_flag_then_page_then_file() -> None:
    text = make_page([("A paper", "Abstract.", "  • 2 authors\n·\nSep 29 3")], date="Oct 1")
    assert parse_page(text, year=2021, fallback_year=2030).papers[0].published == date(2021, 9, 29)
    assert parse_page(text, fallback_year=2030).papers[0].published == date(2030, 9, 29)
    dated = make_page(
        [("A", "x.", "  • 2 authors\n·\nSep 29 3"), ("B", "y.", "  • 1 authors\n·\nJan 2, 2023")]
    )
    page = parse_page(dated, fallback_year=2030)
    assert page.capture_year == 2024
    assert page.papers[0].published == date(2024, 9, 29)


def test_bom_crlf_utf16_and_cp1252_decode() -> None:
    text = make_page([("Café models", "Résumé of the abstract.")])
    expected = parse_page(text, fallback_year=2030).papers[0].title
    for data in (
        codecs.BOM_UTF8 + text.encode(),
        text.replace("\n", "\r\n").encode(),
        text.encode("utf-16"),
        text.encode("utf-16-le"),
        text.encode("cp1252"),
    ):
        assert parse_page(decode_page(data), fallback_year=2030).papers[0].title == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"<!DOCTYPE html><html><body>papers</body></html>", "HTML"),
        (bytes(range(256)) * 10, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_non_pages_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(PageError, match=message):
        parse_page(decode_page(data), fallback_year=2030)


def test_text_without_a_page_header_is_refused() -> None:
    with pytest.raises(PageError, match="header"):
        parse_page("My notes\n\nSome paragraph\n", fallback_year=2030)


def test_cut_off_page_keeps_complete_papers() -> None:
    text = make_page([("First", "Abstract one."), ("Second", "Abstract two.")])
    cut = text.rsplit("Abstract two.", 1)[0]
    page = parse_page(cut, fallback_year=2030)
    assert [p.title for p in page.papers] == ["First"]
    assert any("no abstract" in w for w in page.warnings)


def test_cut_inside_metadata_keeps_paper() -> None:
    text = make_page([("First", "Abstract one.", "  • 3 authors\n·")])
    page = parse_page(text, fallback_year=2030)
    assert page.papers[0].authors_count == 3
    assert page.papers[0].published is None


def test_impossible_dates_are_dropped_not_fatal() -> None:
    text = make_page(
        [
            ("Feb paper", "x.", "  • 1 authors\n·\nFeb 30, 2024 3"),
            ("Zero", "y.", "  • 1 authors\n·\nJan 1, 0000"),
        ]
    )
    page = parse_page(text, fallback_year=2030)
    assert [p.published for p in page.papers] == [None, None]
    assert page.papers[0].upvotes == 3
    assert sum("impossible date" in w for w in page.warnings) == 2


def test_page_with_only_header_has_no_papers() -> None:
    with pytest.raises(PageError, match="no complete paper"):
        parse_page(make_page([]), fallback_year=2030)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_decoding_arbitrary_bytes_raises_only_page_errors(data: bytes) -> None:
    with contextlib.suppress(PageError):
        parse_page(decode_page(data), fallback_year=2030)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(
                ["·", "  • 3 authors", "Sep 29 2", "Feb 30, 2024 1", "nvidia NVIDIA", ""]
            ),
        ),
        max_size=40,
    )
)
def test_parsing_arbitrary_lines_raises_only_page_errors(lines: list[str]) -> None:
    text = make_page([]) + "\n".join(lines)
    try:
        page = parse_page(text, fallback_year=2030)
    except PageError:
        return
    assert all(p.title.strip() and p.abstract.strip() for p in page.papers)
