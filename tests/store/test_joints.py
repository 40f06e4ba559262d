"""The joints between opening, importing, searching and rebuilding, each held at its
racy step on purpose (locks held, threads paused on events), never by sleeping."""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import store.importer as importer_module
import store.index as index_module
import store.rebuild as rebuild_module
from store import Library, LibraryBusyError
from store.index import folder_identity
from tests.helpers import FIXTURES, make_page, write

WAIT = 20.0  # seconds a step may take before the test calls it stuck


@pytest.fixture(autouse=True)
def _short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "WRITE_LOCK_TIMEOUT_S", 0.3)


def _page(tmp_path: Path, name: str, title: str, abstract: str = "An abstract.") -> Path:
    return write(tmp_path / name, make_page([(title, abstract)]))


class Paused:
    """Wraps a function so that its first call stops until :meth:`go`."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.reached = threading.Event()
        self.release = threading.Event()
        self._once = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._once:
            self._once = False
            self.reached.set()
            assert self.release.wait(WAIT), "the paused step was never released"
        return self.function(*args, **kwargs)

    def go(self) -> None:
        self.release.set()


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _finishes(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread; fail (instead of hanging) if it waits on a lock."""
    thread, outcome = _in_thread(work)
    thread.join(WAIT)
    assert not thread.is_alive(), "it waited for the other thread"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


# -- 1. a refused import leaves nothing behind -----------------------------------------


def test_an_import_refused_by_a_busy_writer_stores_nothing(loaded: Library, tmp_path: Path) -> None:
    page = _page(tmp_path, "new.txt", "A paper that waits for the writer")
    stored = loaded.sources.hashes()
    state = loaded._index.state()
    other = Library.open(loaded.paths.root)
    with other._index.locked(), pytest.raises(LibraryBusyError):  # another writer
        loaded.import_pages([page])
    assert loaded.sources.hashes() == stored  # no stranded page
    assert loaded._index.state() == state
    info = loaded.info()
    assert info.index_ok and info.pages_not_indexed == 0
    report = loaded.import_pages([page])  # and nothing stops the next try
    assert report.new_papers == 1 and loaded.info().index_ok
    other.close()


def test_an_import_interrupted_inside_its_commit_stores_nothing(
    loaded: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(tmp_path, "new.txt", "A paper whose import is interrupted")
    stored = loaded.sources.hashes()

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(importer_module, "to_document", interrupted)
    with pytest.raises(KeyboardInterrupt):
        loaded.import_pages([page])
    assert loaded.sources.hashes() == stored
    assert not list((loaded.paths.index_dir).glob("*.tmp")) and loaded.info().index_ok
    monkeypatch.undo()
    assert loaded.import_pages([page]).new_papers == 1


# -- 2. searches never wait for an import ----------------------------------------------


def test_a_search_does_not_wait_for_an_import_that_is_parsing(
    loaded: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paused = Paused(importer_module.parse_source)
    monkeypatch.setattr(importer_module, "parse_source", paused)
    page = _page(tmp_path, "new.txt", "A paper parsed slowly")
    thread, outcome = _in_thread(lambda: loaded.import_pages([page]))
    assert paused.reached.wait(WAIT)
    assert _finishes(lambda: loaded.search("tulu").total) == 1
    assert _finishes(lambda: loaded.get(loaded.search("tulu").hits[0].paper.id).title)
    paused.go()
    thread.join(WAIT)
    assert outcome[0].new_papers == 1


def test_a_search_does_not_wait_for_an_import_that_is_committing(
    loaded: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paused = Paused(importer_module.to_document)
    monkeypatch.setattr(importer_module, "to_document", paused)
    page = _page(tmp_path, "new.txt", "A paper committed slowly")
    thread, outcome = _in_thread(lambda: loaded.import_pages([page]))
    assert paused.reached.wait(WAIT)  # the import holds the index lock and a writer now
    assert _finishes(lambda: loaded.search("tulu").total) == 1
    assert _finishes(lambda: loaded.bookmark(loaded.search("tulu").hits[0].paper.id)).bookmarked
    assert _finishes(lambda: len(loaded.listing("date"))) == 6
    paused.go()
    thread.join(WAIT)
    assert outcome[0].new_papers == 1
    assert loaded.search("committed slowly").total == 1


# -- 3. two imports never write back a stale paper -------------------------------------


def test_an_import_merges_with_what_another_import_committed_meanwhile(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    title = "One Paper on Two Pages"
    first = write(tmp_path / "a.txt", make_page([(title, "Seen on a.")], date="Mar 11"))
    second = write(tmp_path / "b.txt", make_page([(title, "Seen on b.")], date="Mar 12"))
    other = Library.open(library.paths.root)
    real_commit = importer_module.Importer._commit
    reached, release = threading.Event(), threading.Event()

    def commit_later(self: Any, *args: Any, **kwargs: Any) -> Any:
        reached.set()
        assert release.wait(WAIT)
        return real_commit(self, *args, **kwargs)

    monkeypatch.setattr(library._importer, "_commit", commit_later.__get__(library._importer))
    thread, outcome = _in_thread(lambda: library.import_pages([first]))
    assert reached.wait(WAIT)  # parsed, not yet committed
    other.import_pages([second])  # commits the same paper from another page
    release.set()
    thread.join(WAIT)
    assert not isinstance(outcome[0], BaseException)
    paper = library.search("two pages").hits[0].paper
    assert {s.page for s in paper.sightings} == {"a.txt", "b.txt"}  # nothing written back
    other.close()


# -- 4. one damage policy --------------------------------------------------------------


def test_a_callers_mistake_is_not_taken_for_damage(loaded: Library) -> None:
    before = folder_identity(loaded.paths.index_dir)
    with pytest.raises(TypeError):
        loaded.get(None)  # type: ignore[arg-type]
    assert folder_identity(loaded.paths.index_dir) == before  # no rebuild
    assert not loaded.notices


def test_a_bug_inside_a_read_is_raised_not_repaired(
    loaded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = folder_identity(loaded.paths.index_dir)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug, not damage")

    monkeypatch.setattr(loaded._engine, "run", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        loaded.search("tulu")
    assert folder_identity(loaded.paths.index_dir) == before and not loaded.notices


def test_damage_found_while_reading_postings_rebuilds_once(
    loaded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.matching as matching_module

    real = matching_module.leaf_postings
    calls = {"n": 0}

    def damaged_once(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise struct.error("unpack requires a buffer of 4 bytes")  # a truncated block
        return real(*args, **kwargs)

    monkeypatch.setattr(matching_module, "leaf_postings", damaged_once)
    before = folder_identity(loaded.paths.index_dir)
    results = loaded.search("diffusion OR quantized")  # not swallowed as "no matches"
    assert results.total == 2
    assert folder_identity(loaded.paths.index_dir) != before  # rebuilt from the sources
    assert sum("rebuilt" in n for n in loaded.notices) == 1


# -- 5. rebuilds take the index lock ---------------------------------------------------


def test_a_rebuild_waits_for_the_index_lock(loaded: Library) -> None:
    other = Library.open(loaded.paths.root)
    with other._index.locked(), pytest.raises(LibraryBusyError):
        loaded.reindex()
    assert loaded.reindex() == 6
    other.close()


def test_an_import_during_a_rebuild_is_refused_not_lost(
    loaded: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paused = Paused(rebuild_module.parse_stored)
    monkeypatch.setattr(rebuild_module, "parse_stored", paused)
    thread, outcome = _in_thread(loaded.reindex)
    assert paused.reached.wait(WAIT)  # the rebuild reads the stored sources
    other = Library.open(loaded.paths.root)
    page = _page(tmp_path, "new.txt", "A paper imported while the index is rebuilt")
    with pytest.raises(LibraryBusyError):
        other.import_pages([page])
    paused.go()
    thread.join(WAIT)
    assert outcome[0] == 6
    assert other.import_pages([page]).new_papers == 1
    assert loaded.search("while the index is rebuilt").total == 1
    assert loaded.info().index_ok
    other.close()


def test_what_a_killed_rebuild_left_is_removed_by_the_next_writer(
    loaded: Library, tmp_path: Path
) -> None:
    leftover = loaded.paths.root / "index.rebuild-999-1"
    (leftover / "sub").mkdir(parents=True)
    (loaded.paths.root / "index.old-999-1").mkdir()
    loaded.import_pages([_page(tmp_path, "new.txt", "A paper after a killed rebuild")])
    assert not list(loaded.paths.root.glob("index.rebuild-*"))
    assert not list(loaded.paths.root.glob("index.old-*"))


def test_a_reader_sees_a_rebuild_made_by_another_process(loaded: Library) -> None:
    other = Library.open(loaded.paths.root)
    assert other.search("tulu").total == 1
    loaded.reindex()  # swaps in a new index folder
    loaded.import_pages([FIXTURES / "daily.txt"])
    assert other.search("tulu").total == 1 and other.count() == 6
    other.close()
