"""The reading queue: every verb, and its order surviving rebuilds, backups and restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import Library, NotFoundError
from store.models import UserEntry
from store.records import paper_id
from store.userdata import USERDATA_FORMAT
from tests.helpers import FIXTURES, HF_FIXTURES

TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")


def _ids(library: Library, count: int = 4) -> list[str]:
    return [p.id for p in library.all_papers()][:count]


def _queued(library: Library) -> list[str]:
    return [q.id for q in library.queue()]


def test_add_puts_papers_at_the_end_once(loaded: Library) -> None:
    a, b, c, _ = _ids(loaded)
    loaded.queue_add([a, b])
    loaded.queue_add([c, a])
    assert _queued(loaded) == [a, b, c]


def test_add_to_the_front_keeps_the_order_given(loaded: Library) -> None:
    a, b, c, d = _ids(loaded)
    loaded.queue_add([a, b])
    loaded.queue_add([d, c], front=True)
    assert _queued(loaded) == [d, c, a, b]
    loaded.queue_add([b], front=True)  # already queued: moved, still once
    assert _queued(loaded) == [b, d, c, a]


def test_remove_takes_papers_out_and_keeps_the_rest_in_order(loaded: Library) -> None:
    a, b, c, d = _ids(loaded)
    loaded.queue_add([a, b, c])
    assert loaded.queue_remove([b, d]) == [a, c]
    assert _queued(loaded) == [a, c]


def test_move_up_down_and_to_a_position(loaded: Library) -> None:
    a, b, c, d = _ids(loaded)
    loaded.queue_add([a, b, c, d])
    loaded.queue_move(c, -1)
    assert _queued(loaded) == [a, c, b, d]
    loaded.queue_move(a, 1)
    assert _queued(loaded) == [c, a, b, d]
    loaded.queue_move(c, -5)  # clamped at the top
    assert _queued(loaded) == [c, a, b, d]
    loaded.queue_move_to(d, 0)
    assert _queued(loaded) == [d, c, a, b]
    with pytest.raises(NotFoundError, match="not in the reading queue"):
        loaded.queue_move(_ids(loaded, 6)[5], 1)


def test_ids_may_be_prefixes_and_arxiv_ids(library: Library) -> None:
    library.import_pages([HF_FIXTURES / "daily_2024-11-25.json"])
    library.queue_add(["arXiv:2411.15124v2"])
    assert _queued(library) == [TULU]
    library.queue_remove([TULU[:6]])
    assert _queued(library) == []


def test_next_is_the_first_unread_paper(loaded: Library) -> None:
    a, b, c, _ = _ids(loaded)
    assert loaded.queue_next() is None
    loaded.queue_add([a, b, c])
    loaded.set_read(a)
    found = loaded.queue_next()
    assert found is not None and found.id == b
    loaded.set_read(b)
    loaded.set_read(c)
    assert loaded.queue_next() is None


def test_the_queue_is_not_the_bookmarks(loaded: Library) -> None:
    a, b, *_ = _ids(loaded)
    loaded.queue_add([a])
    loaded.bookmark(b)
    assert [p.id for p in loaded.bookmarks()] == [b]
    assert _queued(loaded) == [a]


def test_order_survives_a_rebuild(loaded: Library) -> None:
    a, b, c, _ = _ids(loaded)
    loaded.queue_add([c, a, b])
    loaded.reindex()
    assert _queued(loaded) == [c, a, b]


def test_a_paper_whose_source_is_gone_stays_queued_as_missing(loaded: Library) -> None:
    weekly = next(s for s in loaded.stored_sources() if s.name == "weekly.txt")
    before = {p.id for p in loaded.all_papers()}
    loaded.queue_add(sorted(before))
    loaded.remove_source(weekly.hash)
    after = {p.id for p in loaded.all_papers()}
    assert before - after, "the weekly page has papers of its own"
    queue = loaded.queue()
    assert [q.id for q in queue] == sorted(before)
    assert {q.id for q in queue if q.missing} == before - after


def test_a_missing_paper_is_shown_missing_and_skipped_by_next(loaded: Library) -> None:
    a, b, *_ = _ids(loaded)
    ghost = "0123456789ab"
    loaded.userdata.update(lambda e: e.setdefault(ghost, UserEntry(queued=0)))
    loaded.queue_add([a, b])
    assert [(q.id, q.missing) for q in loaded.queue()] == [
        (ghost, True),
        (a, False),
        (b, False),
    ]
    found = loaded.queue_next()
    assert found is not None and found.id == a
    loaded.queue_remove([ghost[:5]])  # a prefix of a missing paper's id still names it
    assert _queued(loaded) == [a, b]


def test_an_older_userdata_file_without_a_queue_loads(library: Library) -> None:
    document = {
        "format": USERDATA_FORMAT,
        "version": 1,
        "entries": {"0123456789ab": {"read": True}},
    }
    library.paths.userdata_file.write_text(json.dumps(document))
    assert library.queue() == []
    assert library.userdata.get("0123456789ab") == UserEntry(read=True)


def _backup(library: Library, path: Path) -> Path:
    library.export_to(path, "json", everything=True)
    return path


def test_order_survives_a_backup_and_its_restore(loaded: Library, tmp_path: Path) -> None:
    a, b, c, _ = _ids(loaded)
    loaded.queue_add([c, a, b])
    backup = _backup(loaded, tmp_path / "backup.json")
    fresh = Library.open(tmp_path / "fresh")
    try:
        fresh.import_pages([backup])
        assert _queued(fresh) == [c, a, b]
    finally:
        fresh.close()


def test_a_restore_appends_the_backups_queue_without_duplicates(
    loaded: Library, tmp_path: Path
) -> None:
    a, b, c, d = _ids(loaded)
    loaded.queue_add([a, b, c])
    backup = _backup(loaded, tmp_path / "backup.json")
    loaded.queue_remove([a, b, c])
    loaded.queue_add([d, b])
    other = Library.open(tmp_path / "other")
    try:
        other.import_pages([FIXTURES / "daily.txt", FIXTURES / "weekly.txt"])
        other.queue_add([d, c])
        other.bookmark(a)  # an entry of its own, not queued: the backup's queue adds it
        other.import_pages([backup])
        assert _queued(other) == [d, c, a, b]
        other.import_pages([backup])  # the same backup again changes nothing
        assert _queued(other) == [d, c, a, b]
    finally:
        other.close()
    loaded.import_pages([backup])  # removed here after the backup: they stay removed
    assert _queued(loaded) == [d, b]


def test_an_older_paperdeck_can_still_read_the_file(loaded: Library) -> None:
    """Older versions check the keys of ``changed``; the queue keeps out of it (and
    older versions ignore the fields they do not know)."""
    a, b, *_ = _ids(loaded)
    loaded.queue_add([a, b])
    loaded.queue_remove([a])
    document = json.loads(loaded.paths.userdata_file.read_text())
    for entry in document["entries"].values():
        assert set(entry.get("changed", {})) <= {"bookmarked", "tags", "note", "read"}
    assert document["entries"][a]["queued_at"]  # a removal is remembered, like unbookmark
