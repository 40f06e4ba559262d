"""``paperdeck queue`` and ``paperdeck undo``: every action, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, HF_FIXTURES
from tests.tui.test_cli import run


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "lib"
    code, _, _ = run(capsys, folder, "import", str(FIXTURES))
    assert code == 0
    return folder


def _ids(capsys: pytest.CaptureFixture[str], data_dir: Path) -> list[str]:
    _, out, _ = run(capsys, data_dir, "search", "--limit", "3")
    return [line.split()[0] for line in out.splitlines()]


def _queue(capsys: pytest.CaptureFixture[str], data_dir: Path) -> list[str]:
    code, out, _ = run(capsys, data_dir, "queue", "ls", "--json")
    assert code == 0
    return [row["id"] for row in json.loads(out)]


def test_add_ls_move_rm(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    a, b, c = _ids(capsys, data_dir)
    code, out, _ = run(capsys, data_dir, "queue", "add", a[:6], b)
    assert code == 0 and out.count("queued: ") == 2
    run(capsys, data_dir, "queue", "add", c, "--front")
    assert _queue(capsys, data_dir) == [c, a, b]
    code, out, _ = run(capsys, data_dir, "queue", "down", c[:5])
    assert code == 0 and "now 2 of 3" in out
    run(capsys, data_dir, "queue", "up", b)
    assert _queue(capsys, data_dir) == [a, b, c]
    code, out, err = run(capsys, data_dir, "queue", "ls")
    assert code == 0 and out.splitlines()[0].split()[:2] == ["1.", a] and "3 in the queue" in err
    code, out, _ = run(capsys, data_dir, "queue", "rm", a)
    assert code == 0 and "2 left" in out
    assert _queue(capsys, data_dir) == [b, c]


def test_next_skips_read_papers_and_fails_on_none(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(capsys, data_dir, "queue", "next")
    assert code == 1 and out == "" and err.strip() == "paperdeck: the queue has no unread paper"
    a, b, _ = _ids(capsys, data_dir)
    run(capsys, data_dir, "queue", "add", a, b)
    run(capsys, data_dir, "read", a)
    code, out, _ = run(capsys, data_dir, "queue", "next")
    assert code == 0 and out.startswith(b)


def test_an_arxiv_id_is_taken(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    run(capsys, data_dir, "import", str(HF_FIXTURES / "daily_2024-11-25.json"))
    code, out, _ = run(capsys, data_dir, "queue", "add", "2411.15124")
    assert code == 0 and "TÜLU 3" in out


def test_errors_are_one_line(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, _, err = run(capsys, data_dir, "queue", "add", "zzzzzz")
    assert code == 1 and err.strip() == "paperdeck: no paper has the id 'zzzzzz'"
    a, *_ = _ids(capsys, data_dir)
    code, _, err = run(capsys, data_dir, "queue", "up", a)
    assert code == 1 and "not in the reading queue" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, data_dir, "undo")
    assert code == 1 and err.strip() == "paperdeck: nothing to undo"


def test_undo_says_what_and_restores_the_bytes(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    a, b, _ = _ids(capsys, data_dir)
    run(capsys, data_dir, "bookmark", "add", a, "--tag", "x")
    before = (data_dir / "userdata.json").read_bytes()
    run(capsys, data_dir, "queue", "add", b)
    code, out, _ = run(capsys, data_dir, "undo")
    assert code == 0 and out.startswith("undid: queueing of '")
    assert (data_dir / "userdata.json").read_bytes() == before
    code, out, _ = run(capsys, data_dir, "undo")
    assert code == 0 and out.startswith("undid: bookmark of '")


def test_every_argument_has_help(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    for action in ("add", "rm", "ls", "next", "up", "down"):
        with pytest.raises(SystemExit):
            run(capsys, data_dir, "queue", action, "--help")
        out = capsys.readouterr().out
        assert "usage: paperdeck queue" in out.lower()
        if action in ("add", "rm", "up", "down"):
            assert "arXiv id" in out
