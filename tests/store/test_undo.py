"""Undo: the user-data file back byte for byte, one user action at a time, refused when
the file changed in a way the journal does not know."""

from __future__ import annotations

import pytest

from store import Library, UndoError
from store.change_summary import Change
from store.undo_journal import UndoJournal


def _bytes(library: Library) -> bytes | None:
    path = library.paths.userdata_file
    return path.read_bytes() if path.exists() else None


def _ids(library: Library) -> list[str]:
    return [p.id for p in library.all_papers()][:3]


def test_undo_puts_back_the_exact_bytes_change_by_change(loaded: Library) -> None:
    a, b, c = _ids(loaded)
    states = [_bytes(loaded)]
    loaded.bookmark(a, tags=["survey"])
    states.append(_bytes(loaded))
    loaded.set_note(a, "read the appendix")
    states.append(_bytes(loaded))
    loaded.queue_add([b, c])
    states.append(_bytes(loaded))
    loaded.queue_move(c, -1)
    for expected in reversed(states):
        loaded.undo()
        assert _bytes(loaded) == expected
    assert states[0] is None  # the first undo removed the file it created
    with pytest.raises(UndoError, match="nothing to undo"):
        loaded.undo()


def test_undo_says_what_it_undid(loaded: Library) -> None:
    a, b, c = _ids(loaded)
    title = loaded.get(a).title
    loaded.bookmark(a)
    assert loaded.undo() == f"bookmark of {title!r}"
    loaded.queue_add([a, b, c])
    assert loaded.undo() == "queueing of 3 papers"
    loaded.set_read(a)
    loaded.set_tags(a, ["x"])
    assert loaded.undo() == f"tag edit of {title!r}"


def test_undo_refreshes_what_the_library_answers(loaded: Library) -> None:
    a, b, c = _ids(loaded)
    loaded.queue_add([a, b, c])
    loaded.queue_remove([b])
    loaded.undo()
    assert [q.id for q in loaded.queue()] == [a, b, c]
    loaded.bookmark(a)
    assert loaded.search("bookmarked:yes").total == 1
    loaded.undo()
    assert loaded.search("bookmarked:yes").total == 0
    loaded.bookmark(b)  # a new change after an undo: searches see it, not the undone one
    assert [h.paper.id for h in loaded.search("bookmarked:yes").hits] == [b]


def test_undo_refuses_when_the_file_changed_underneath(loaded: Library) -> None:
    a, *_ = _ids(loaded)
    loaded.bookmark(a)
    path = loaded.paths.userdata_file
    edited = path.read_bytes().replace(b'"bookmarked": true', b'"bookmarked": false')
    path.write_bytes(edited)
    with pytest.raises(UndoError, match="does not know"):
        loaded.undo()
    assert path.read_bytes() == edited


def test_undo_in_another_process_is_seen(loaded: Library) -> None:
    a, *_ = _ids(loaded)
    loaded.bookmark(a)
    other = Library.open(loaded.paths.root)
    try:
        assert "bookmark of" in other.undo()
    finally:
        other.close()
    assert not loaded.get(a).bookmarked


def test_the_journal_is_bounded(loaded: Library) -> None:
    a, *_ = _ids(loaded)
    for number in range(30):
        loaded.set_note(a, f"note {number}")
    files = list(loaded.paths.userdata_undo.glob("*.undo"))
    assert len(files) == 20
    for _ in range(20):
        loaded.undo()
    assert loaded.get(a).note == "note 9"
    with pytest.raises(UndoError):
        loaded.undo()


def test_the_journal_keeps_within_its_bytes(loaded: Library) -> None:
    journal = UndoJournal(loaded.paths.root / "small", keep=20, max_bytes=3000)
    for number in range(10):
        journal.record(b"x" * 1000, b"y", number + 1, Change("change"))
    sizes = [p.stat().st_size for p in journal.folder.glob("*.undo")]
    assert sum(sizes) <= 3000 and len(sizes) >= 1
    newest = journal.newest()
    assert newest is not None and newest.revision == 10
