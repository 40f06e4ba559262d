"""Unwritable places: a full disk, a read-only folder. One clear line, nothing partial.

The tests run as root here, where permission bits do not stop a write, so the failures
are injected at the system call that would fail (``os.fsync``/``mkstemp``/``mkdir``).
``test_real_mounts.py`` does the same on real read-only and full file systems.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from store import Library, UnwritableError
from store.records import paper_id
from tests.helpers import FIXTURES, make_page, write
from tui.cli import main

TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")


def _fail(code: int):  # type: ignore[no-untyped-def]
    def raiser(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return raiser


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp")]


def test_full_disk_during_a_bookmark_changes_nothing(
    loaded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded.bookmark(TULU, note="before")
    before = loaded.paths.userdata_file.read_bytes()
    monkeypatch.setattr(os, "fsync", _fail(errno.ENOSPC))
    with pytest.raises(UnwritableError, match="the disk is full"):
        loaded.set_note(TULU, "after")
    monkeypatch.undo()
    assert loaded.paths.userdata_file.read_bytes() == before
    assert loaded.get(TULU).note == "before"
    assert _leftovers(loaded.paths.root) == []


def test_read_only_library_still_reads(
    loaded: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = loaded.paths.root
    loaded.close()
    monkeypatch.setattr(tempfile, "mkstemp", _fail(errno.EROFS))
    code = main(["--data-dir", str(root), "search", "tulu"])
    out, err = capsys.readouterr()
    assert code == 0 and "TÜLU 3" in out
    code = main(["--data-dir", str(root), "bookmark", "add", TULU])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip().startswith("paperdeck: ") and "read-only" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_import_into_a_full_disk_reports_each_file_and_keeps_the_library(
    loaded: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = write(tmp_path / "new.txt", make_page([("A paper that will not fit", "No room.")]))
    count = loaded.count()
    monkeypatch.setattr(os, "fsync", _fail(errno.ENOSPC))
    report = loaded.import_pages([page])
    monkeypatch.undo()
    assert [f.path for f in report.failures] == [str(page)]
    assert "disk is full" in report.failures[0].message
    assert loaded.count() == count and loaded.info().index_ok
    assert _leftovers(loaded.paths.root) == []
    assert loaded.import_pages([page]).ok  # with room again, it goes in


def test_export_to_unwritable_places(
    loaded: Library,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    loaded.bookmark(TULU)
    root = str(loaded.paths.root)
    target = tmp_path / "out" / "bookmarks.bib"
    assert main(["--data-dir", root, "export", "-o", str(target)]) == 1
    assert "does not exist" in capsys.readouterr().err
    target.parent.mkdir()
    monkeypatch.setattr(tempfile, "mkstemp", _fail(errno.EACCES))
    assert main(["--data-dir", root, "export", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert "permission denied" in err and len(err.strip().splitlines()) == 1
    monkeypatch.undo()
    assert not target.exists() and list(target.parent.iterdir()) == []
    existing = write(tmp_path / "existing.bib", "keep")
    assert main(["--data-dir", root, "export", "-o", str(existing)]) == 1
    assert existing.read_text() == "keep"


def test_library_in_an_unwritable_place_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(Path, "mkdir", _fail(errno.EACCES))
    code = main(["--data-dir", str(tmp_path / "nowhere"), "import", str(FIXTURES)])
    err = capsys.readouterr().err
    assert code == 1 and "permission denied" in err and "Traceback" not in err
