"""Shared fixtures: a fresh library per test, the fixture pages imported, the seed pages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from store import Library
from tests.helpers import FIXTURES, SEEDS

# The suite is the same every run (CI must never be a coin toss); explore new examples
# with HYPOTHESIS_PROFILE=explore, and turn what it finds into an @example.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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


os.environ.setdefault("HYPOTHESIS_PROFILE", "default")
