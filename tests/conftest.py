"""Shared fixtures: small hand-written pages, a fresh library per test, the seed pages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Library

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "byAK and the research community\n\n{date}\n\n"
)


def make_page(papers: list[tuple[str, str] | tuple[str, str, str]], date: str = "Mar 11") -> str:
    """A page in the saved format: (title, abstract[, metadata block]) per paper."""
    body = []
    for paper in papers:
        body.append(paper[0])
        body.append(paper[1])
        if len(paper) == 3:
            body.append(paper[2])
    return HEADER.format(date=date) + "\n\n".join(body) + "\n"


@pytest.fixture(autouse=True)
def _no_real_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never touch the real user data folder."""
    monkeypatch.setenv("PAPERDECK_DATA_DIR", str(tmp_path_factory.mktemp("default-data")))


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()


@pytest.fixture
def loaded(library: Library) -> Library:
    """A library with both fixture pages imported."""
    report = library.import_pages([FIXTURES / "daily.txt", FIXTURES / "weekly.txt"])
    assert report.ok, report.failures
    return library


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip("../shared/seeds is not present")
    return SEEDS


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


os.environ.setdefault("HYPOTHESIS_PROFILE", "default")
