"""Two processes on one library: no lost update, readers keep working, writers wait."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store import Library
from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]

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
    from tests.benchmarks.synthetic import generate_pages

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
    from tests.benchmarks.synthetic import generate_pages

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


async def test_two_apps_and_a_command_line_import_at_once(tmp_path: Path) -> None:
    """Two readers open on one library while ``paperdeck import`` runs: both keep
    listing and searching, each one's bookmarks, tags and notes survive the other's and
    the import's writes, and a paste import in one app either waits for the import or
    says plainly that the library is busy."""
    import asyncio

    from textual import events
    from textual.widgets import Input

    from tests.benchmarks.synthetic import generate_pages
    from tests.helpers import make_page
    from tests.tui.test_app import SIZE, loaded, make_app, searched, wait_for
    from tui.screens.bookmarks import BookmarksScreen
    from tui.screens.search import SearchScreen
    from tui.widgets.dialogs import TextDialog

    data_dir = tmp_path / "lib"
    with Library.open(data_dir) as library:
        library.import_pages([FIXTURES])
    pages = generate_pages(tmp_path / "pages", 900, per_page=150, seed=8)
    first, second = make_app(data_dir), make_app(data_dir)
    async with first.run_test(size=SIZE) as one, second.run_test(size=SIZE) as two:
        await wait_for(one, loaded(first, 6))
        await wait_for(two, loaded(second, 6))
        importer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui.cli",
                "--data-dir",
                str(data_dir),
                "import",
                *map(str, pages),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stored = data_dir / "pages"
        await wait_for(one, lambda: len(list(stored.glob("*.json"))) > 2, timeout=30)
        # Each app bookmarks a different paper while the import stores and indexes.
        plist_one = first.screen.query_one("#library-list")
        plist_two = second.screen.query_one("#library-list")
        await two.press("j")
        await wait_for(two, lambda: plist_two.current is not None and plist_two.cursor == 1)
        mine, theirs = plist_one.current, plist_two.current  # type: ignore[attr-defined]
        assert mine.id != theirs.id
        await one.press("b")
        await two.press("b")
        await wait_for(one, lambda: plist_one.current.bookmarked)  # type: ignore[attr-defined]
        await wait_for(two, lambda: plist_two.current.bookmarked)  # type: ignore[attr-defined]
        # The second app tags its bookmark from the bookmarks screen.
        await two.press("3")
        await wait_for(two, lambda: isinstance(second.screen, BookmarksScreen))
        await wait_for(two, lambda: second.screen.paper_list.current is not None)  # type: ignore[attr-defined]
        await two.press("t")
        await wait_for(two, lambda: isinstance(second.screen, TextDialog))
        await two.press(*"shared", "enter")
        await wait_for(two, lambda: "shared" in second.screen.paper_list.current.tags)  # type: ignore[attr-defined]
        # Readers keep working: both search while the import runs.
        for app, pilot in ((first, one), (second, two)):
            await pilot.press("slash", *"tulu")
            await wait_for(pilot, lambda app=app: searched(app, "tulu")())
            assert isinstance(app.screen, SearchScreen) and app.screen.results is not None
            assert app.screen.results.hits[0].paper.title.startswith("TÜLU 3")
        # A paste import in the first app: waits for the writer, or says it is busy.
        first.screen.query_one(Input).blur()
        text = make_page([("A pasted paper about waiting writers", "It waits for the lock.")])
        first.post_message(events.Paste(text))
        await wait_for(
            one,
            lambda: any(
                "Imported" in str(n.message) or "another paperdeck is writing" in str(n.message)
                for n in first._notifications
            ),
            timeout=60,
        )
        while importer.poll() is None:
            await asyncio.sleep(0.2)
        _, err = importer.communicate()
        assert importer.returncode == 0, err
        assert "Traceback" not in err
        assert first.is_running and second.is_running
    with Library.open(data_dir) as library:
        bookmarked = {p.id: p for p in library.bookmarks()}
        assert {mine.id, theirs.id} <= set(bookmarked)
        assert bookmarked[theirs.id].tags == ["shared"]
        assert library.count() >= 6 + 900
        assert library.info().index_ok
