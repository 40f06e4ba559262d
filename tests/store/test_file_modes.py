"""New files honour the umask; an overwritten file keeps its mode (not mkstemp's 0600).

Covers exports (the library call and ``paperdeck export -o``), stored pages and their
records, the user's data and its backup copy, and the index's own record.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Library, atomic
from store.records import paper_id
from tests.helpers import FIXTURES
from tui.cli import main

TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")
MODES = {0o022: 0o644, 0o077: 0o600, 0o027: 0o640}


@pytest.fixture(params=sorted(MODES), ids=lambda mask: f"umask{mask:03o}")
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run the test under this umask; Python's own is restored afterwards."""
    mask: int = request.param
    old = os.umask(mask)
    try:
        yield mask
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def lib(tmp_path: Path, umask: int) -> Iterator[Library]:
    with Library.open(tmp_path / "lib") as library:
        assert library.import_pages([FIXTURES / "daily.txt"]).ok
        library.bookmark(TULU, note="mine")
        library.set_note(TULU, "second")  # writes the backup copy too
        yield library


def test_the_umask_is_read_without_changing_it(umask: int) -> None:
    assert atomic._umask() == umask
    assert os.umask(umask) == umask  # still what the fixture set


def test_a_new_export_honours_the_umask(lib: Library, tmp_path: Path, umask: int) -> None:
    target = tmp_path / "out.bib"
    assert lib.export_to(target, "bibtex") == 1
    assert _mode(target) == MODES[umask]
    for fmt in ("ris", "csv", "markdown", "json"):
        other = tmp_path / f"out.{fmt}"
        lib.export_to(other, fmt)
        assert _mode(other) == MODES[umask], fmt


def test_a_new_export_from_the_command_line_honours_the_umask(
    lib: Library, tmp_path: Path, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cli.bib"
    root = str(lib.paths.root)
    code = main(["--data-dir", root, "export", "--format", "bibtex", "-o", str(target)])
    capsys.readouterr()
    assert code == 0 and _mode(target) == MODES[umask]


def test_an_overwritten_export_keeps_its_mode(lib: Library, tmp_path: Path, umask: int) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    lib.export_to(target, "bibtex", force=True)
    assert target.read_text().startswith("@misc") and _mode(target) == 0o640
    os.chmod(target, 0o604)  # even a mode the umask would not give
    lib.export_to(target, "bibtex", force=True)
    assert _mode(target) == 0o604


def test_an_export_through_a_symlink_keeps_the_target_s_mode(
    lib: Library, tmp_path: Path, umask: int
) -> None:
    real = tmp_path / "real.bib"
    real.write_text("old\n")
    os.chmod(real, 0o640)
    link = tmp_path / "link.bib"
    link.symlink_to(real)
    lib.export_to(link, "bibtex", force=True)
    assert link.is_symlink() and _mode(real) == 0o640


def test_stored_pages_and_user_data_honour_the_umask(lib: Library, umask: int) -> None:
    stored = [p for p in lib.paths.pages_dir.rglob("*") if p.is_file()]
    assert len(stored) >= 2  # the page and its record
    written = [
        *stored,
        lib.paths.userdata_file,
        lib.paths.userdata_backup,
        lib.paths.index_dir / "paperdeck-state.json",
        lib.paths.index_dir / "CACHEDIR.TAG",
    ]
    assert {p.name: _mode(p) for p in written} == {p.name: MODES[umask] for p in written}


def test_every_file_the_library_writes_honours_the_umask(lib: Library, umask: int) -> None:
    """Index segments (Whoosh), saved orders: everything but the empty lock files, whose
    modes filelock and Whoosh set themselves (``*.lock``, ``MAIN_WRITELOCK``)."""
    lib.search("tulu", sort="published")
    files = [
        p
        for p in lib.paths.root.rglob("*")
        if p.is_file() and not p.name.endswith(("LOCK", ".lock"))
    ]
    assert len(files) > 5
    assert {str(p): _mode(p) for p in files} == {str(p): MODES[umask] for p in files}
    folders = [lib.paths.root, lib.paths.index_dir, lib.paths.pages_dir]
    assert {str(p): _mode(p) for p in folders} == {str(p): 0o777 & ~umask for p in folders}


def test_overwritten_user_data_keeps_its_mode(lib: Library, umask: int) -> None:
    os.chmod(lib.paths.userdata_file, 0o640)
    lib.set_note(TULU, "third")
    assert _mode(lib.paths.userdata_file) == 0o640
    assert lib.get(TULU).note == "third"


def test_a_rewritten_page_record_keeps_its_mode(lib: Library, umask: int) -> None:
    (page,) = lib.stored_sources()
    record = lib.sources._meta_path(page.hash)
    os.chmod(record, 0o640)
    before = record.read_bytes()
    lib.set_page_years({page.hash[:8]: 2023})  # rewrites the page's record
    assert record.read_bytes() != before and _mode(record) == 0o640
