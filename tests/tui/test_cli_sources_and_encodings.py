"""The command line on terminals that are not UTF-8, stored sources listed and removed,
a tag taken off without dropping the bookmark."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import Library
from store.records import paper_id
from tests.helpers import FIXTURES
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    with Library.open(root) as library:
        library.import_pages([FIXTURES])
        library.bookmark(TULU, tags=["ü-tag"], note="naïve — note")
    return root


def _cli(data_dir: Path, *args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize(
    "args",
    [("search", "tulu"), ("show", TULU), ("bookmarks",), ("export",), ("info",)],
)
def test_commands_work_on_a_terminal_that_is_not_utf8(
    data_dir: Path, encoding: str, args: tuple[str, ...]
) -> None:
    """They crashed (exit 70) when standard output was Latin-1 or ASCII."""
    result = _cli(data_dir, *args, encoding=encoding)
    assert result.returncode == 0, result.stderr.decode(encoding, "replace")
    assert b"Traceback" not in result.stderr
    result.stdout.decode(encoding)  # what was written is valid in that encoding


def test_export_to_a_file_reports_on_a_latin1_terminal(data_dir: Path, tmp_path: Path) -> None:
    """It wrote the file, then exited 70 printing the confirmation."""
    target = tmp_path / "ü-bookmarks.bib"
    result = _cli(data_dir, "export", "-o", str(target), encoding="ascii")
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("@misc{")


def test_sources_are_listed_and_one_can_be_removed(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "sources"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and any("weekly.txt" in line for line in listed)
    weekly = next(line.split()[0] for line in listed if "weekly.txt" in line)
    assert main(["--data-dir", str(data_dir), "sources", "remove", weekly]) == 0
    assert "index rebuilt" in capsys.readouterr().out
    with Library.open(data_dir) as library:
        assert library.count() == 4  # daily's four papers; Tülu was on both pages
        assert library.get(TULU).bookmarked  # the user's data stays
        assert {s.page for s in library.get(TULU).sightings} == {"daily.txt"}
    assert main(["--data-dir", str(data_dir), "sources", "remove", "zzzzzz"]) == 1


def test_removing_a_tag_keeps_the_bookmark(data_dir: Path) -> None:
    """``bookmark remove ID --tag x`` dropped the whole bookmark."""
    assert main(["--data-dir", str(data_dir), "bookmark", "remove", TULU, "--tag", "ü-tag"]) == 0
    with Library.open(data_dir) as library:
        paper = library.get(TULU)
    assert paper.bookmarked and paper.tags == [] and paper.note == "naïve — note"
