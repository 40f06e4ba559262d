"""Backups: refused before they touch anything when they are not sound, and restored
field by field by the time of each change, never deleting a tag or a note."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from store import Library
from store.backup import merge_entry
from store.models import UserEntry
from store.records import paper_id
from tests.helpers import write

TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")


def _backup(library: Library, tmp_path: Path, name: str = "backup.json") -> Path:
    target = tmp_path / name
    library.export_to(target, "json", everything=True)
    return target


def _edited(path: Path, change: Any) -> Path:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    return path


def _fingerprint(library: Library) -> tuple[bytes, set[str], int]:
    userdata = library.paths.userdata_file
    return (
        userdata.read_bytes() if userdata.exists() else b"",
        library.sources.hashes(),
        library.count(),
    )


# -- refused before anything changes ---------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=99), "version 99"),
        (lambda d: d["entries"].update({"": {"note": "x"}}), "not a paper id"),
        (lambda d: d["entries"].update({"../../etc/passwd": {"note": "x"}}), "not a paper id"),
        (
            lambda d: d["entries"].update(
                {TULU: {"bookmarked": False, "updated_at": "9999-01-01T00:00:00+00:00"}}
            ),
            "in the future",
        ),
        (
            lambda d: d["papers"][0].update(title="Another Title", title_raw="Another Title"),
            "not its title",
        ),
        (
            lambda d: d["papers"][0]["sightings"][0].update(page_date="9999-12-31"),
            "in the future",
        ),
        (lambda d: d.update(papers={"not": "a list"}), "damaged"),
        (lambda d: d["papers"].append({"id": 5}), "malformed"),
    ],
)
def test_an_unsound_backup_is_refused_whole(
    loaded: Library, tmp_path: Path, change: Any, message: str
) -> None:
    loaded.bookmark(TULU, tags=["mine"], note="keep me")
    backup = _edited(_backup(loaded, tmp_path), change)
    before = _fingerprint(loaded)
    report = loaded.import_pages([backup])
    assert len(report.failures) == 1 and message in report.failures[0].message
    assert _fingerprint(loaded) == before  # nothing stored, nothing changed


def test_entries_for_papers_nobody_knows_are_skipped(loaded: Library, tmp_path: Path) -> None:
    ghosts = {f"{n:012x}": {"bookmarked": True, "note": "ghost"} for n in range(2000)}
    backup = _edited(_backup(loaded, tmp_path), lambda d: d["entries"].update(ghosts))
    report = loaded.import_pages([backup])
    assert report.restored_entries == 0
    assert any("2000 entries" in w.message for w in report.warnings)
    assert len(loaded.userdata.entries()) == 0


# -- restored field by field -----------------------------------------------------------


def test_another_librarys_tag_does_not_wipe_this_ones_note(tmp_path: Path) -> None:
    from tests.helpers import FIXTURES

    a, b = Library.open(tmp_path / "a"), Library.open(tmp_path / "b")
    for library in (a, b):
        library.import_pages([FIXTURES])
    a.bookmark(TULU, tags=["from-a"], note="A's careful note")
    b.bookmark(TULU, tags=["from-b"])  # later, elsewhere
    a.import_pages([_backup(b, tmp_path, "b.json")])
    paper = a.get(TULU)
    assert paper.note == "A's careful note"
    assert set(paper.tags) == {"from-a", "from-b"}


def test_an_older_backup_does_not_undo_a_later_unbookmark(loaded: Library, tmp_path: Path) -> None:
    loaded.bookmark(TULU)
    old = _backup(loaded, tmp_path)
    loaded.unbookmark(TULU)
    report = loaded.import_pages([old])
    assert not loaded.get(TULU).bookmarked
    assert report.restored_entries == 0


def test_reimporting_the_same_backup_changes_nothing(loaded: Library, tmp_path: Path) -> None:
    loaded.bookmark(TULU, tags=["x"], note="n")
    backup = _backup(loaded, tmp_path)
    before = loaded.paths.userdata_file.read_bytes()
    report = loaded.import_pages([backup])
    assert (report.restored_entries, report.new_papers, report.updated_papers) == (0, 0, 0)
    assert loaded.paths.userdata_file.read_bytes() == before  # not even rewritten


def _entry(minutes: int, **fields: Any) -> UserEntry:
    when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    entry = UserEntry(**fields)
    for name in ("bookmarked", "tags", "note", "read"):
        if name in fields:
            entry.touch(name, when)  # type: ignore[arg-type]
    return entry


def test_merge_takes_each_field_from_its_later_change() -> None:
    current = _entry(10, bookmarked=True, note="mine", read=False)
    incoming = _entry(20, bookmarked=False, read=True)
    merged = merge_entry(current, incoming)
    assert merged is not None
    assert (merged.bookmarked, merged.read, merged.note) == (False, True, "mine")
    assert merge_entry(incoming, current) is not None
    assert merge_entry(merged, incoming) is None  # already there: no change


def test_two_different_notes_are_both_kept() -> None:
    merged = merge_entry(_entry(10, note="first thoughts"), _entry(20, note="second thoughts"))
    assert merged is not None and merged.note == "second thoughts\n\nfirst thoughts"
    again = merge_entry(merged, _entry(20, note="second thoughts"))
    assert again is None  # the restored note is already kept


def test_an_empty_note_never_deletes_one() -> None:
    assert merge_entry(_entry(10, note="keep"), _entry(20, note="", bookmarked=True)) is not None
    merged = merge_entry(_entry(10, note="keep"), _entry(20, note=""))
    assert merged is None or merged.note == "keep"


def test_a_hand_written_backup_is_refused_in_one_line(library: Library, tmp_path: Path) -> None:
    crafted = write(
        tmp_path / "crafted.json",
        json.dumps(
            {
                "format": "paperdeck-backup",
                "version": 1,
                "entries": {"0123456789ab": {"updated_at": "9999-01-01T00:00:00"}},
            }
        ),
    )
    report = library.import_pages([crafted])
    assert len(report.failures) == 1 and "\n" not in report.failures[0].line()


def test_a_json_export_backs_up_everything_the_user_did_not_only_bookmarks(
    loaded: Library, tmp_path: Path
) -> None:
    """Queued and read papers that are not bookmarked were left out of the backup."""
    papers = loaded.all_papers()
    queued, read, marked = papers[0].id, papers[1].id, papers[2].id
    loaded.queue_add([queued])
    loaded.set_read(read)
    loaded.bookmark(marked, tags=["x"])
    backup = tmp_path / "backup.json"
    assert loaded.export_to(backup, "json") == 3
    assert loaded.export("bibtex")[1] == 1  # the other formats stay bookmarks only
    with Library.open(tmp_path / "restored") as restored:
        assert restored.import_pages([backup]).ok
        assert [q.paper.id for q in restored.queue()] == [queued]
        assert restored.get(read).read and restored.get(marked).tags == ["x"]
