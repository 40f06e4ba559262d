"""What a wider attack broke: damaged index and user-data files, special files, odd
names, huge files, mixed encodings, hostile exports. Each case says what it broke."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import store.sources as sources_module
from store import Library, UnwritableError
from store.records import paper_id
from tests.helpers import FIXTURES, make_page, write

ROOT = Path(__file__).resolve().parents[2]
TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")


def _cli(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


# -- the index's table of contents ------------------------------------------------------


@pytest.mark.parametrize("damage", [b"", b"garbage" * 10, "truncate"])
def test_a_damaged_table_of_contents_is_rebuilt(loaded: Library, damage: bytes | str) -> None:
    """It made every command exit 70, reindex and info included."""
    loaded.close()
    (toc,) = loaded.paths.index_dir.glob("_MAIN_*.toc")
    data = toc.read_bytes()
    toc.write_bytes(data[: len(data) // 2] if damage == "truncate" else damage)  # type: ignore[arg-type]
    reopened = Library.open(loaded.paths.root)
    assert reopened.count() == 6
    assert any("rebuilt" in n for n in reopened.notices)
    assert reopened.info().index_ok
    reopened.close()


def test_info_and_reindex_work_on_a_garbage_table_of_contents(loaded: Library) -> None:
    loaded.close()
    for toc in loaded.paths.index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"\x00garbage")
    result = _cli(loaded.paths.root, "info")
    assert result.returncode == 0, result.stderr
    assert "rebuilt" in result.stderr
    assert _cli(loaded.paths.root, "reindex").returncode == 0


# -- the user's data file ---------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        '{"format":"paperdeck-userdata","version":1,"revision": Infinity,"entries":{}}',
        '{"format":"paperdeck-userdata","entries":' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"format":"paperdeck-userdata","revision":-3,"entries":{}}',
    ],
)
def test_a_strange_user_data_file_is_moved_aside_and_told(loaded: Library, content: str) -> None:
    """Infinity and deep nesting broke every command and the app."""
    loaded.bookmark(TULU, note="first")
    loaded.set_note(TULU, "second")  # the .bak holds "first"
    loaded.paths.userdata_file.write_text(content)
    loaded.close()
    reopened = Library.open(loaded.paths.root)
    assert reopened.get(TULU).note == "first"
    assert any("damaged" in n for n in reopened.userdata.notices)
    assert list(loaded.paths.root.glob("userdata.json.corrupt-*"))


def test_both_user_data_files_damaged_says_so(loaded: Library) -> None:
    loaded.bookmark(TULU)
    loaded.paths.userdata_file.write_text('{"revision": Infinity}')
    loaded.paths.userdata_backup.write_text("[" * 50_000)
    loaded.close()
    result = _cli(loaded.paths.root, "bookmarks")
    assert result.returncode == 0, result.stderr
    assert "no good copy" in result.stderr


# -- files that are not files -----------------------------------------------------------


def test_a_pipe_is_refused_without_blocking(library: Library, tmp_path: Path) -> None:
    """``import FIFO`` blocked forever."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    report = library.import_pages([fifo, FIXTURES / "daily.txt"])
    assert time.monotonic() - started < 30
    assert [f.path for f in report.failures] == [str(fifo)]
    assert "not a regular file" in report.failures[0].message
    assert library.count() == 4


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused(library: Library, device: str) -> None:
    """They were read until memory ran out."""
    if not Path(device).exists():
        pytest.skip(f"{device} is absent")
    report = library.import_pages([device])
    assert "not a regular file" in report.failures[0].message


def test_a_huge_file_is_refused_in_one_line(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 170 MB page made every later command re-import it until memory ran out."""
    monkeypatch.setitem(sources_module.MAX_SOURCE_BYTES, "page", 10_000)
    page = write(tmp_path / "huge.txt", make_page([("A Big Page", "word " * 5_000)]))
    report = library.import_pages([page, FIXTURES / "daily.txt"])
    assert len(report.failures) == 1 and "MB" in report.failures[0].message
    assert library.count() == 4 and library.sources.count() == 1


def test_a_file_name_with_invalid_utf8_is_imported(library: Library, tmp_path: Path) -> None:
    """It aborted the whole import (exit 70) and left an orphan page."""
    folder = tmp_path / "pages"
    folder.mkdir()
    odd = os.fsencode(folder) + b"/caf\xe9-\xff.txt"
    with open(odd, "wb") as handle:
        handle.write(
            make_page([("A Paper With An Odd File Name", "Saved by an old tool.")]).encode()
        )
    write(folder / "daily.txt", (FIXTURES / "daily.txt").read_text())
    report = library.import_pages([folder])
    assert report.ok, report.failures
    assert library.count() == 5
    names = {s.page for p in library.papers() for s in p.sightings}
    assert any(name.startswith("caf") and "\ufffd" in name for name in names)
    json.dumps(library.info().model_dump(mode="json"))  # everything stays printable


# -- text that is not what it claims ----------------------------------------------------


def test_one_windows_1252_byte_does_not_garble_a_utf8_page(
    library: Library, tmp_path: Path
) -> None:
    """One cp1252 byte turned the whole page into mojibake and duplicate papers."""
    text = make_page(
        [
            ("TÜLU 3: Pushing Frontiers", "Ünïcode all the way — fine.", "• 3 authors\n·\nMar 3"),
            ("A Paper With A Quote", "It says QUOTE here."),
        ]
    )
    data = text.encode("utf-8").replace(b"QUOTE", "“quoted”".encode("cp1252"))
    report = library.import_pages([write(tmp_path / "mixed.txt", data)])
    assert report.ok, report.failures
    titles = {p.title for p in library.papers()}
    assert titles == {"TÜLU 3: Pushing Frontiers", "A Paper With A Quote"}
    quoted = library.search("quote").hits[0].paper
    assert "“quoted”" in quoted.abstract


def test_control_characters_in_an_organisation_never_reach_an_export(
    library: Library, tmp_path: Path
) -> None:
    """A CSV ``cat`` retitled the terminal."""
    page = make_page([("A Paper", "Abstract.", "evil \x1b]0;pwned\x07Evil Org\n·\nMar 3 4")])
    library.import_pages([write(tmp_path / "org.txt", page)])
    pid = library.search("paper").hits[0].paper.id
    library.bookmark(pid)
    for fmt in ("bibtex", "ris", "markdown", "csv", "json"):
        text, _ = library.export(fmt)  # type: ignore[arg-type]
        assert "\x1b" not in text and "\x07" not in text, fmt
    assert "\x1b" not in (library.get(pid).organization or "")


def test_exports_cannot_be_restructured_by_a_note(loaded: Library) -> None:
    """A multi-line note doubled the RIS records and made a Markdown heading; a leading
    minus ran as a spreadsheet formula."""
    note = "first line\nER  - \nTY  - JOUR\n---\n# heading\n-2+3"
    loaded.bookmark(TULU, note=note, tags=["-1+1"])
    ris, _ = loaded.export("ris")
    assert ris.count("TY  - ") == 1 and ris.count("ER  - ") == 1
    assert not ris.startswith("1.")
    markdown, _ = loaded.export("markdown")
    assert "\n# heading" not in markdown and "\n---" not in markdown
    assert markdown.count("\n## ") == 1
    table, _ = loaded.export("csv")
    row = next(csv.DictReader(io.StringIO(table)))
    assert row["tags"].startswith("'") and row["note"].startswith("first line")


# -- where an export is written ---------------------------------------------------------


def test_an_export_writes_through_a_symlink(loaded: Library, tmp_path: Path) -> None:
    """It replaced the symlink with a regular file."""
    loaded.bookmark(TULU)
    real = write(tmp_path / "real.bib", "old")
    link = tmp_path / "link.bib"
    link.symlink_to(real)
    loaded.export_to(link, "bibtex", force=True)
    assert link.is_symlink() and real.read_text().startswith("@misc{")


def test_an_export_refuses_a_device(loaded: Library) -> None:
    """It replaced /dev/null with a regular file."""
    loaded.bookmark(TULU)
    with pytest.raises(UnwritableError, match="not a regular file"):
        loaded.export_to(Path("/dev/null"), "bibtex", force=True)
    assert Path("/dev/null").is_char_device()


def test_an_export_keeps_an_overwritten_files_mode(loaded: Library, tmp_path: Path) -> None:
    loaded.bookmark(TULU)
    target = write(tmp_path / "out.bib", "old")
    target.chmod(0o640)
    loaded.export_to(target, "bibtex", force=True)
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.bib"
    old_mask = os.umask(0o022)
    try:
        loaded.export_to(fresh, "bibtex")
    finally:
        os.umask(old_mask)
    assert fresh.stat().st_mode & 0o777 == 0o644


# -- commands while an import holds the index -------------------------------------------


def test_commands_do_not_wait_for_a_running_import(
    loaded: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Commands blocked 8.5-11.6 s while an import ran (each redid its pending work)."""
    import threading

    import store.index as index_module
    from tui.cli import main

    monkeypatch.setattr(index_module, "WRITE_LOCK_TIMEOUT_S", 120.0)  # a wait would show
    page = make_page([("Stored by an import still running", "Not committed yet.")])
    loaded.sources.save(
        page.encode(), name="running.txt", kind="page", year=None, fallback_year=2025
    )
    root = str(loaded.paths.root)
    with loaded._index.locked():  # the running import holds the index
        for args in (["search", "tulu"], ["bookmark", "add", TULU], ["info"], ["show", TULU]):
            codes: list[int] = []
            thread = threading.Thread(
                target=lambda a=args, c=codes: c.append(main(["--data-dir", root, *a]))
            )
            thread.start()
            thread.join(60)
            assert not thread.is_alive(), f"{args} waited for the import"
            assert codes[0] in (0, 1), capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err
    assert loaded.search("still running").total == 0  # no reader indexed it
