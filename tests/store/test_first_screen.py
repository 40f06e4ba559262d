"""The saved first screen: the newest rows as the list shows them, used only while the
library is exactly as it was when they were saved."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Library, first_screen
from store.first_screen import FirstScreen, ScreenRow
from store.records import paper_id
from tests.helpers import FIXTURES, make_page, write

ROOT = Path(__file__).resolve().parents[2]
TULU = "TÜLU 3: Pushing Frontiers in Open Language Model Post-Training"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib") as opened:
        opened.import_pages([FIXTURES])
        yield opened


def test_the_saved_rows_are_the_listing_s_first_rows(library: Library) -> None:
    library.bookmark(paper_id(TULU))
    assert first_screen.save_from(library)
    saved = first_screen.load(library.paths)
    assert saved is not None
    listing = library.listing("published")
    papers = listing.papers(0, 100)
    listing.close()
    assert saved.total == library.count() == len(papers)
    assert list(saved.rows) == [ScreenRow.of(p) for p in papers]
    tulu = next(row for row in saved.rows if row.title == TULU)
    assert tulu.bookmarked and not tulu.read
    assert not first_screen.save_from(library)  # saved already: not written again


def test_only_as_many_rows_as_asked(library: Library) -> None:
    first_screen.save_from(library, count=2)
    saved = first_screen.load(library.paths)
    assert saved is not None and len(saved.rows) == 2 and saved.total == library.count()


def test_a_change_to_the_user_s_data_makes_them_stale(library: Library) -> None:
    first_screen.save_from(library)
    library.set_read(paper_id(TULU))
    assert first_screen.load(library.paths) is None
    first_screen.save_from(library)
    saved = first_screen.load(library.paths)
    assert saved is not None
    assert next(row for row in saved.rows if row.title == TULU).read


def test_an_import_makes_them_stale(library: Library, tmp_path: Path) -> None:
    first_screen.save_from(library)
    page = write(tmp_path / "new.txt", make_page([("A Brand New Paper", "Its abstract.")]))
    library.import_pages([page])
    assert first_screen.load(library.paths) is None


def test_a_rebuilt_index_makes_them_stale(library: Library) -> None:
    first_screen.save_from(library)
    saved = library.paths.first_screen_file.read_bytes()
    library.reindex()
    assert first_screen.load(library.paths) is None
    library.paths.first_screen_file.write_bytes(saved)  # the old file, in the new index
    assert first_screen.load(library.paths) is None


def test_code_that_builds_another_schema_does_not_use_them(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paperdeck that will rebuild the index on open shows no old rows meanwhile."""
    first_screen.save_from(library)
    assert first_screen.load(library.paths) is not None
    monkeypatch.setattr(first_screen, "SCHEMA_VERSION", first_screen.SCHEMA_VERSION + 1)
    assert first_screen.load(library.paths) is None


def test_an_empty_library_saves_no_first_screen(tmp_path: Path) -> None:
    with Library.open(tmp_path / "empty") as empty:
        assert not first_screen.save_from(empty)
        assert first_screen.load(empty.paths) is None


def test_rows_read_while_the_library_changed_are_not_saved(library: Library) -> None:
    stamp = first_screen.library_stamp(library.paths)
    assert stamp is not None
    library.bookmark(paper_id(TULU))  # between reading the rows and saving them
    screen = FirstScreen((), library.count())
    assert not first_screen.save(library.paths, stamp, screen)
    assert not library.paths.first_screen_file.exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: "{not json",
        lambda raw: json.dumps({**raw, "format": "paperdeck-first-screen/0"}),
        lambda raw: json.dumps({**raw, "rows": [{**raw["rows"][0], "upvotes": "many"}]}),
        lambda raw: json.dumps({**raw, "rows": [{**raw["rows"][0], "published": "someday"}]}),
        lambda raw: json.dumps({**raw, "rows": [{**raw["rows"][0], "extra": 1}]}),
        lambda raw: json.dumps({**raw, "total": 1}),
        lambda raw: json.dumps([raw]),
    ],
)
def test_a_damaged_file_is_not_used(library: Library, damage: object) -> None:
    first_screen.save_from(library)
    path = library.paths.first_screen_file
    raw = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(damage(raw), encoding="utf-8")  # type: ignore[operator]
    assert first_screen.load(library.paths) is None
    assert first_screen.save_from(library)  # and the next save replaces it
    assert first_screen.load(library.paths) is not None


def test_a_missing_library_has_no_first_screen(tmp_path: Path) -> None:
    from store.paths import LibraryPaths

    assert first_screen.load(LibraryPaths(tmp_path / "nowhere")) is None
    assert first_screen.library_stamp(LibraryPaths(tmp_path / "nowhere")) is None


def test_reading_it_loads_neither_whoosh_nor_pydantic(library: Library) -> None:
    """What the reader's first frame needs: the stamp and the rows, nothing heavy."""
    first_screen.save_from(library)
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from store import first_screen\nfrom store.paths import LibraryPaths\n"
        f"assert first_screen.load(LibraryPaths(Path({str(library.paths.root)!r}))) is not None\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'whoosh', 'pydantic'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
