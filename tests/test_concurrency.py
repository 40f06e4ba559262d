"""Two processes on one library: no lost update, readers keep working, writers wait."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store import Library

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]

BOOKMARKER = """
import sys
from store import Library
lib = Library.open(sys.argv[1])
ids = sys.argv[2].split(",")
for i, pid in enumerate(ids):
    lib.bookmark(pid, tags=[sys.argv[3]], note=f"{sys.argv[3]} {i}")
    lib.search("tulu")  # reads in between writes
print("done")
"""


def test_parallel_bookmarks_from_two_processes_are_all_kept(tmp_path: Path) -> None:
    data_dir = tmp_path / "lib"
    pages = tmp_path / "pages"
    from .benchmarks.synthetic import generate_pages

    generate_pages(pages, 120, per_page=60, seed=3)
    with Library.open(data_dir) as library:
        library.import_pages([pages, FIXTURES])
        ids = [p.id for p in library.all_papers()][:80]
    left, right = ids[:40], ids[40:]
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", BOOKMARKER, str(data_dir), ",".join(part), tag],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part, tag in ((left, "left"), (right, "right"))
    ]
    for run in runs:
        out, err = run.communicate(timeout=240)
        assert run.returncode == 0, err
        assert "done" in out
    with Library.open(data_dir) as library:
        marked = {p.id: p for p in library.bookmarks()}
        assert set(marked) == set(ids)  # no lost update
        assert all(marked[pid].tags == ["left"] for pid in left)
        assert all(marked[pid].tags == ["right"] for pid in right)
        assert library.search("tag:left").total == 40  # the index caught up too
        assert library.search("tag:right").total == 40


def test_reader_works_while_another_process_imports(tmp_path: Path) -> None:
    data_dir = tmp_path / "lib"
    pages = tmp_path / "pages"
    from .benchmarks.synthetic import generate_pages

    generate_pages(pages, 600, per_page=60, seed=4)
    with Library.open(data_dir) as library:
        library.import_pages([FIXTURES])
    importer = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--data-dir", str(data_dir), "import", str(pages)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader = Library.open(data_dir)
    searches = 0
    tulu = reader.search("tulu").hits[0].paper.id
    while importer.poll() is None:
        assert reader.get(tulu).title.startswith("TÜLU 3")
        assert reader.search("tulu").total >= 1
        searches += 1
    assert importer.returncode == 0, importer.stderr.read() if importer.stderr else ""
    assert searches > 0
    assert reader.count() > 6  # it sees the new papers once they are committed
