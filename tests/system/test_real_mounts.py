"""Unwritable places for real: a read-only file system and a full one (tmpfs mounts).

The tests run as root, where permission bits stop nothing, so the read-only and full
places are real mounts: a tmpfs remounted read-only, and a tmpfs too small for an
import. The program runs as the user runs it, as a separate ``paperdeck`` process.
Skipped where mounting is not allowed (not root, or no CAP_SYS_ADMIN).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from store import Library
from store.records import paper_id
from tests.benchmarks.synthetic import generate_pages
from tests.helpers import FIXTURES, write

TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")
ROOT = Path(__file__).resolve().parents[2]


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``tmpfs(size)`` mounts a fresh tmpfs and returns it; all are unmounted after."""
    mounted: list[Path] = []

    def make(size: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        if os.geteuid() != 0 or not _mount(
            "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)
        ):
            pytest.skip("mounting a tmpfs is not allowed here")
        mounted.append(point)
        return point

    yield make
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def _set_read_only(point: Path, read_only: bool) -> None:
    assert _mount("-o", f"remount,{'ro' if read_only else 'rw'}", str(point))


def paperdeck(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_read_only_file_system(tmpfs: Callable[[str], Path], tmp_path: Path) -> None:
    """Reading works; every write says so in one line; nothing changes."""
    point = tmpfs("32m")
    data = point / "lib"
    with Library.open(data) as library:
        library.import_pages([FIXTURES])
        library.bookmark(TULU, tags=["rlhf"], note="mine")
    before = _snapshot(data)
    _set_read_only(point, True)

    found = paperdeck(data, "search", "tulu")
    assert found.returncode == 0 and "TÜLU 3" in found.stdout, found
    assert paperdeck(data, "info").returncode == 0
    listed = paperdeck(data, "bookmarks")
    assert listed.returncode == 0 and "TÜLU 3" in listed.stdout
    exported = paperdeck(data, "export", "--format", "bibtex", "-o", str(tmp_path / "out.bib"))
    assert exported.returncode == 0 and (tmp_path / "out.bib").read_text().startswith("@")

    _one_clear_line(paperdeck(data, "bookmark", "remove", TULU), "read-only")
    _one_clear_line(paperdeck(data, "read", TULU), "read-only")
    _one_clear_line(paperdeck(data, "reindex"), "read-only")
    new_page = write(
        tmp_path / "new.txt",
        (FIXTURES / "weekly.txt").read_text().replace("Diffusion", "Confusion"),
    )
    imported = paperdeck(data, "import", str(new_page))
    assert imported.returncode == 1 and "Traceback" not in imported.stderr
    assert "read-only" in imported.stdout + imported.stderr
    _one_clear_line(
        paperdeck(data, "export", "--format", "ris", "-o", str(point / "out.ris")), "read-only"
    )

    assert _snapshot(data) == before
    _set_read_only(point, False)
    with Library.open(data) as library:
        assert library.get(TULU).note == "mine" and library.count() == 6


def test_full_file_system(tmpfs: Callable[[str], Path], tmp_path: Path) -> None:
    """An import that fills the disk fails in one line per file and leaves the library
    as it was: same papers, same user data, no half-written files."""
    point = tmpfs("3m")
    data = point / "lib"
    with Library.open(data) as library:
        library.import_pages([FIXTURES])
        library.bookmark(TULU, note="kept")
    userdata = (data / "userdata.json").read_bytes()
    pages = generate_pages(tmp_path / "pages", 600, per_page=200, seed=9)

    imported = paperdeck(data, "import", *map(str, pages))
    assert imported.returncode == 1, imported
    assert "Traceback" not in imported.stderr + imported.stdout
    assert "full" in imported.stdout + imported.stderr

    assert (data / "userdata.json").read_bytes() == userdata
    leftovers = [
        p.name for p in data.rglob("*") if p.name.endswith(".tmp") or ".rebuild-" in p.name
    ]
    assert leftovers == []
    info = paperdeck(data, "info")
    assert info.returncode == 0 and "ok" in info.stdout, info
    with Library.open(data) as library:
        assert library.get(TULU).note == "kept"
        assert library.search("tulu").total == 1
        # Whatever got in got in whole: every indexed paper's stored page is complete.
        assert library.count() >= 6
    # With room again, the import completes (Whoosh sorts postings in temporary files:
    # an import needs several times the space its papers take in the end).
    subprocess.run(["mount", "-o", "remount,size=256m", str(point)], check=True)
    again = paperdeck(data, "import", *map(str, pages))
    assert again.returncode == 0, again
    with Library.open(data) as library:
        assert library.count() == 6 + 600
        assert library.get(TULU).note == "kept"


async def test_reader_on_a_read_only_file_system(tmpfs: Callable[[str], Path]) -> None:
    """The app opens a read-only library, lists and searches it; a bookmark is refused
    with a notification naming the reason, and the list is unchanged."""
    from tests.tui.test_app import SIZE, searched, wait_for
    from tui.app import PaperdeckApp
    from tui.config import Config
    from tui.screens.library import LibraryScreen
    from tui.widgets.paper_list import PaperList

    point = tmpfs("32m")
    data = point / "lib"
    with Library.open(data) as library:
        library.import_pages([FIXTURES])
    before = _snapshot(data)
    _set_read_only(point, True)
    app = PaperdeckApp(data, config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded)
        plist = app.screen.query_one(PaperList)
        await wait_for(pilot, lambda: plist.current is not None)
        assert len(plist.source) == 6
        await pilot.press("b")
        await wait_for(
            pilot, lambda: any("read-only" in str(n.message) for n in app._notifications)
        )
        assert plist.current is not None and not plist.current.bookmarked
        await pilot.press("slash")
        for key in "tulu":
            await pilot.press(key)
        await wait_for(pilot, searched(app, "tulu"))
    assert _snapshot(data) == before
