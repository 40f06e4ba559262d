"""A library past every window size: exports and the backup hold every paper, and a
backup restores into an empty library with every bookmark, tag, note and read mark."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Library
from store.search import MAX_RESULTS
from tests.helpers import make_page, write

PAPERS = 12_500
PER_PAGE = 500
WORDS = [
    "model",
    "language",
    "diffusion",
    "vision",
    "token",
    "sparse",
    "attention",
    "reward",
    "policy",
    "graph",
    "robot",
    "speech",
    "video",
    "dataset",
    "benchmark",
    "agent",
    "memory",
    "retrieval",
    "quantization",
    "alignment",
]


def _pages(folder: Path) -> list[Path]:
    rng = random.Random(12)
    folder.mkdir()
    pages = []
    for start in range(0, PAPERS, PER_PAGE):
        papers = [
            (
                f"Paper {n:05d} on {rng.choice(WORDS)} and {rng.choice(WORDS)}",
                " ".join(rng.choices(WORDS, k=8)) + ".",
                f"• {rng.randint(1, 30)} authors\n·\nMar {1 + n % 28}, 2024 {n % 50}",
            )
            for n in range(start, start + PER_PAGE)
        ]
        pages.append(write(folder / f"page-{start:05d}.txt", make_page(papers)))
    return pages


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("large")
    library = Library.open(root / "lib")
    report = library.import_pages(_pages(root / "pages"))
    assert report.ok and report.new_papers == PAPERS
    ids = [p.id for p in library.papers()]
    rng = random.Random(3)
    for pid in rng.sample(ids, 40):
        library.bookmark(pid, tags=["kept", f"t{rng.randint(0, 3)}"], note=f"note for {pid}")
    for pid in rng.sample(ids, 60):
        library.set_read(pid)
    yield library
    library.close()


def test_the_library_is_larger_than_one_window(large: Library) -> None:
    assert large.count() == PAPERS > MAX_RESULTS


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "markdown", "csv", "json"])
def test_export_all_holds_every_paper(large: Library, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"all.{fmt}"
    assert large.export_to(target, fmt, everything=True) == PAPERS  # type: ignore[arg-type]
    text = target.read_text(encoding="utf-8")
    if fmt == "bibtex":
        assert text.count("@misc{") == PAPERS
    elif fmt == "ris":
        assert text.count("TY  - ") == PAPERS and text.count("ER  - ") == PAPERS
    elif fmt == "markdown":
        assert text.count("\n## [") == PAPERS
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(text)))) == PAPERS
    else:
        document = json.loads(text)
        assert len({p["id"] for p in document["papers"]}) == PAPERS


def test_a_backup_restores_every_paper_and_every_mark(large: Library, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    large.export_to(backup, "json", everything=True)
    restored = Library.open(tmp_path / "restored")
    report = restored.import_pages([backup])
    assert report.ok, report.failures
    assert restored.count() == PAPERS and report.new_papers == PAPERS
    want = {pid: e for pid, e in large.userdata.entries().items() if not e.is_empty()}
    got = restored.userdata.entries()
    assert set(got) == set(want)
    for pid, entry in want.items():
        mine = got[pid]
        assert (mine.bookmarked, mine.tags, mine.note, mine.read) == (
            entry.bookmarked,
            entry.tags,
            entry.note,
            entry.read,
        )
    assert restored.search("tag:kept").total == 40
    assert {p.id for p in restored.papers()} == {p.id for p in large.papers()}
    restored.close()
