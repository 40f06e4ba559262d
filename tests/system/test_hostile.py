"""Hostile input: pages built to break the importer, and the library must stay whole."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Library
from tests.helpers import FIXTURES, make_page, write
from tui.cli import main

ESCAPES = ["\x1b[31m", "\x1b]0;title\x07", "\x1b[2J", "\x9b1m", "\x00", "\u202e"]
MARKUP = ["[bold]", "[/]", "[link=x]", "[MASK]", "[[", "]]", "\\[x]", "[/bold]"]
META = [
    "  • 7 authors\n·\nOct 8, 2024 1",
    "  • 1,204 authors\n·\nMar 10, 2022 12,345",
    "nvidia NVIDIA\n·\nSep 29 2",
    "  • 3 authors\n·\nFeb 30, 2024 5",
    "  • 3 authors\n·\nJan 1, 0000",
    "x\x1b[31m Evil [/] Org\n·\nDec 31 99999",
]


def hostile_cases(tmp: Path) -> dict[str, bytes]:
    """Hand-made adversarial files: name -> bytes."""
    good = make_page([("A good paper", "With a good abstract.", META[0])])
    text = make_page(
        [
            (
                f"Title {ESCAPES[0]}red{ESCAPES[2]} {MARKUP[0]}b{MARKUP[1]}",
                f"Abstract {ESCAPES[1]}",
                META[5],
            ),
            ("[MASK] Tokens Are [/] Weird", "Markup [bold]here[/bold] \\[x]", META[1]),
            ("Impossible dates", "Feb 30 and year zero.", META[3]),
            ("Year zero", "Jan 1, 0000.", META[4]),
        ]
    )
    return {
        "empty.txt": b"",
        "spaces.txt": b"   \n\n\t\n",
        "binary.bin": bytes(range(256)) * 64,
        "nul-bytes.txt": good.encode().replace(b"good", b"go\x00od") * 1 + b"\x00" * 4000,
        "page.html": b"<!DOCTYPE html><html><head><title>Daily Papers</title></head></html>",
        "utf16.txt": good.encode("utf-16"),
        "latin1.txt": make_page([("Caf\xe9 r\xe9sum\xe9", "Na\xefve \xfcber.")]).encode("latin-1"),
        "bom-crlf.txt": codecs.BOM_UTF8 + good.replace("\n", "\r\n").encode(),
        "hostile.txt": text.encode(),
        "huge-title.txt": make_page([("T" * 1_000_000, "x."), ("Fine", "ok.")]).encode(),
        "huge-abstract.txt": make_page(
            [("Big", "word " * 2_000_000), ("Fine too", "ok.")]
        ).encode(),
        "many-papers.txt": make_page(
            [(f"Paper {i} about things", f"Abstract {i}.") for i in range(3000)]
        ).encode(),
        "not-a-page.txt": b"Meeting notes\n\nBuy milk\n\nCall Bob\n",
        "truncated.txt": good.encode()[: len(good) // 2],
    }


def test_hostile_files_import_safely(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, data in hostile_cases(tmp_path).items():
        write(folder / name, data)
    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([FIXTURES])
        library.bookmark(library.search("tulu").hits[0].paper.id, tags=["keep"], note="n")
        before = library.paths.userdata_file.read_bytes()
    code = main(["--data-dir", str(data_dir), "import", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1  # some files failed, and the exit status says so
    assert "Traceback" not in out + err
    failed = [line for line in err.splitlines() if line.startswith("failed:")]
    failed_files = {line.split(":")[1].strip().rsplit("/", 1)[-1] for line in failed}
    assert failed_files == {
        "empty.txt",
        "spaces.txt",
        "binary.bin",
        "nul-bytes.txt",
        "page.html",
        "not-a-page.txt",
        "truncated.txt",  # cut inside its only paper: nothing complete to import
    }
    assert all(len(line) < 300 for line in err.splitlines())  # one short line each
    assert "\x1b" not in out + err
    with Library.open(data_dir) as library:
        info = library.info()
        assert info.index_ok and info.pages_not_indexed == 0
        assert library.paths.userdata_file.read_bytes() == before
        titles = {p.title for p in library.all_papers()}
        assert "A good paper" in titles and "Café résumé" in titles
        assert "Fine" in titles and "Fine too" in titles  # beside the skipped huge ones
        assert not any(t.startswith("TTTT") for t in titles)
        assert sum(t.startswith("Paper ") for t in titles) == 3000
        mask = library.search('"MASK Tokens Are"').hits[0].paper
        assert mask.title == "[MASK] Tokens Are [/] Weird"
        assert (mask.authors_count, mask.upvotes) == (1204, 12345)
        for paper in library.all_papers():
            for text in (paper.title, paper.abstract, paper.organization or ""):
                assert "\x1b" not in text and "\x00" not in text and "\x9b" not in text
        dates = {p.title: p.published for p in library.all_papers()}
        assert dates["Impossible dates"] is None and dates["Year zero"] is None


def test_a_page_cut_at_every_line(tmp_path: Path) -> None:
    text = (FIXTURES / "daily.txt").read_text()
    lines = text.split("\n")
    library = Library.open(tmp_path / "lib")
    for cut in range(len(lines) + 1):
        page = write(tmp_path / f"cut-{cut}.txt", "\n".join(lines[:cut]))
        report = library.import_pages([page])
        assert len(report.failures) + report.pages + report.pages_unchanged == 1
    full = Library.open(tmp_path / "full")
    full.import_pages([FIXTURES / "daily.txt"])
    assert {p.id for p in library.all_papers()} == {p.id for p in full.all_papers()}
    assert library.info().index_ok


field_text = (
    st.lists(
        st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(ESCAPES + MARKUP)),
        min_size=1,
        max_size=6,
    )
    .map("".join)
    .filter(
        lambda s: (
            bool(s.strip()) and not any(c in s for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        )
    )
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(field_text, field_text, st.one_of(st.none(), st.sampled_from(META))),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    st.booleans(),
)
def test_generated_pages_import_or_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory,
    papers: list[tuple[str, str, str | None]],
    encoding: str,
    crlf: bool,
) -> None:
    tmp = tmp_path_factory.mktemp("gen")
    text = make_page([(t, a) if m is None else (t, a, m) for t, a, m in papers])
    if crlf:
        text = text.replace("\n", "\r\n")
    path = write(tmp / "page.txt", text.encode(encoding, errors="surrogatepass"))
    library = Library.open(tmp / "lib")
    report = library.import_pages([path])
    assert len(report.failures) <= 1
    if report.ok:
        assert library.count() >= 1
        for paper in library.all_papers():
            assert "\x1b" not in paper.title and "\x1b" not in paper.abstract
    assert library.info().index_ok
    json.loads(json.dumps([p.model_dump(mode="json") for p in library.all_papers()]))
