"""The command line behaves like the CLIs people know: help for everything, exit
statuses that mean something, completion, no reader without a terminal, a demo."""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Library
from tests.helpers import ROOT
from tui.cli import main
from tui.cli.parser import EXIT_STATUSES, build_parser

CRASHING_READER = """
import sys
import tui.app
def crash(self): raise RuntimeError("forced")
tui.app.PaperdeckApp.on_mount = crash
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def in_terminal(
    code: str, *args: str, keys: bytes = b"", until: bytes = b"", timeout: float = 60
) -> tuple[int, bytes]:
    """Run ``python -c code args`` on a pseudo-terminal; once ``until`` has been printed,
    type ``keys``. The exit status and everything printed."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "36"}
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    printed, typed = b"", not keys
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the process closed the terminal
                    break
                printed += chunk
            if not typed and until in printed:
                time.sleep(0.5)
                os.write(master, keys)
                typed = True
            if process.poll() is not None and not ready:
                break
        return process.wait(timeout=10), printed
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)


def _every_parser() -> list[argparse.ArgumentParser]:
    parsers, todo = [], [build_parser()]
    while todo:  # every parser, subcommands of subcommands (queue add) too
        parser = todo.pop()
        parsers.append(parser)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo.extend(action.choices.values())
    return parsers


def test_every_option_and_argument_has_help() -> None:
    parsers = _every_parser()
    assert len(parsers) > 20
    missing = [
        f"{p.prog} {action.dest}"
        for p in parsers
        for action in p._actions
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction)
        and not action.help
    ]
    assert missing == []


def test_help_shows_every_word_of_every_option_help() -> None:
    # rich-argparse reads help as markup: "[priority]" would vanish from the page.
    for parser in _every_parser():
        shown = " ".join(parser.format_help().split())
        for action in parser._actions:
            if action.help and action.help != argparse.SUPPRESS and "%" not in action.help:
                assert " ".join(action.help.split()) in shown, (parser.prog, action.help)


def test_help_lists_the_environment_and_every_exit_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for name in ("PAPERDECK_DATA_DIR", "PAPERDECK_CONFIG", "PAPERDECK_DEBUG", "NO_COLOR"):
        assert name in text
    for code, _ in EXIT_STATUSES:
        assert f"\n  {code} " in text
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    assert "(default: 20)" in capsys.readouterr().out  # defaults are shown


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("serch", "unknown command 'serch' (did you mean 'search'?)"),
        ("bookmakrs", "did you mean 'bookmarks'?"),
        ("zzz", "'zzz' is neither a command"),
    ],
)
def test_a_mistyped_command_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], typed: str, says: str
) -> None:
    with pytest.raises(SystemExit) as done:
        main([typed, "foo"])
    assert done.value.code == 2
    assert says in capsys.readouterr().err


def test_a_missing_file_is_still_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-page.txt"]) == 1
    assert "no-such-page.txt: no such file or folder" in capsys.readouterr().err


def test_without_a_terminal_the_reader_does_not_start(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--data-dir", str(tmp_path / "lib")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "needs a terminal" in result.stderr
    assert not (tmp_path / "lib").exists()  # nothing was opened or created


def test_a_crashed_reader_exits_non_zero(tmp_path: Path) -> None:
    code, printed = in_terminal(CRASHING_READER, "--data-dir", str(tmp_path / "lib"))
    assert code == 1, printed[-2000:]
    assert b"forced" in printed


def test_a_reader_closed_with_q_exits_zero(tmp_path: Path) -> None:
    code, printed = in_terminal(
        "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))",
        "--data-dir",
        str(tmp_path / "lib"),
        keys=b"q",
        until=b"paperdeck",
    )
    assert code == 0, printed[-2000:]


def test_the_demo_opens_a_sample_library_and_leaves_the_users_alone(tmp_path: Path) -> None:
    home = tmp_path / "mine"
    with Library.open(home) as library:
        library.import_pages([ROOT / "tests" / "fixtures" / "daily.txt"])
    before = sorted(p.relative_to(home) for p in home.rglob("*"))
    code = (
        "import os, sys, tempfile; os.environ['PAPERDECK_DATA_DIR'] = sys.argv[1];"
        "tempfile.tempdir = sys.argv[2]; from tui.cli import main; sys.exit(main(['demo']))"
    )
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    status, printed = in_terminal(code, str(home), str(scratch), keys=b"q", until=b"34 papers")
    assert status == 0, printed[-2000:]
    assert b"34 papers" in printed
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == before
    assert list(scratch.iterdir()) == []  # the throwaway library is gone


def test_the_sample_pages_import_cleanly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["demo", "--pages"]) == 0
    pages = Path(capsys.readouterr().out.strip())
    assert sorted(p.suffix for p in pages.iterdir() if p.is_file()) == [".txt"] * 3
    with Library.open(tmp_path / "lib") as library:
        report = library.import_pages([pages])
        assert report.ok and report.warnings == []
        assert library.search("").total == 34
        assert library.search("mixture of experts").total >= 2
        assert library.search("org:nvidia").total >= 1


def test_completion_scripts_come_from_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    for shell, mark in (("bash", "_shtab_paperdeck"), ("zsh", "#compdef paperdeck"), ("tcsh", "")):
        with pytest.raises(SystemExit) as done:
            main(["--print-completion", shell])
        assert done.value.code == 0
        script = capsys.readouterr().out
        assert mark in script and "bookmarks" in script and "--sort" in script
    with pytest.raises(SystemExit) as done:
        main(["--print-completion", "fish"])
    assert done.value.code == 2


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_and_choices(tmp_path: Path) -> None:
    script = tmp_path / "paperdeck.bash"
    script.write_text(
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "--print-completion", "bash"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )

    def complete(*words: str) -> list[str]:
        shell = (
            f"source {script}; COMP_WORDS=(paperdeck {' '.join(words)}); "
            f"COMP_CWORD={len(words)}; _shtab_paperdeck; echo ${{COMPREPLY[@]}}"
        )
        done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert complete("se") == ["search"]
    assert complete("search", "--so") == ["--sort"]
    assert complete("export", "--format", "''") == ["bibtex", "ris", "markdown", "csv", "json"]


def test_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tui.cli.commands

    def broken(args: object) -> int:
        raise ValueError("bad thing")

    monkeypatch.setattr(tui.cli.commands, "run_command", broken)
    monkeypatch.delenv("PAPERDECK_DEBUG", raising=False)
    assert main(["info", "--data-dir", str(tmp_path)]) == 70
    assert "run again with --debug" in capsys.readouterr().err
    with pytest.raises(ValueError, match="bad thing"):
        main(["info", "--debug", "--data-dir", str(tmp_path)])


def test_info_says_which_config_file_and_whether_it_loaded(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("PAPERDECK_CONFIG", str(config))
    lib = ["--data-dir", str(tmp_path / "lib")]
    assert main(["info", *lib]) == 0
    assert f"config  {config} (not found: defaults)" in capsys.readouterr().out
    config.write_text('theme = "nord"\n')
    assert main(["info", *lib]) == 0
    assert f"{config} (loaded)" in capsys.readouterr().out
    config.write_text("reading_width = 3\n")
    assert main(["info", *lib]) == 0
    out, err = capsys.readouterr()
    assert "(loaded with problems)" in out and "reading_width must be" in err
