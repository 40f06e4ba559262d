"""``paperdeck saved`` and ``paperdeck digest`` from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import FIXTURES
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(lib), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_saved_searches_from_the_shell(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    assert run(capsys, lib, "import", str(FIXTURES / "daily.txt"))[0] == 0
    code, out, _ = run(capsys, lib, "saved", "add", "quant", "quantized", "OR", "quantization")
    assert code == 0 and "saved 'quant': quantized OR quantization (1 paper)" in out
    code, _, err = run(capsys, lib, "saved", "add", "quant", "other")
    assert code == 1 and "already called 'quant'" in err and err.count("\n") == 1
    code, out, _ = run(capsys, lib, "saved", "ls")
    assert code == 0 and "quant  0 new of 1" in out
    code, out, _ = run(capsys, lib, "saved", "ls", "--json")
    [row] = json.loads(out)
    assert (row["name"], row["papers"], row["new"]) == ("quant", 1, 0)
    code, out, _ = run(capsys, lib, "saved", "show", "quant")
    assert code == 0 and "Efficient Finetuning of Quantized LLMs" in out
    code, _, err = run(capsys, lib, "saved", "show")
    assert code == 1 and "needs a NAME" in err
    code, out, _ = run(capsys, lib, "saved", "rm", "quant")
    assert code == 0 and "removed the saved search 'quant'" in out
    code, _, err = run(capsys, lib, "saved", "rm", "quant")
    assert code == 1 and "no saved search is called 'quant'" in err


def test_digest_from_the_shell(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    run(capsys, lib, "import", str(FIXTURES))
    code, out, _ = run(capsys, lib, "digest", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["since"] is None and data["papers"] == 6
    code, out, _ = run(capsys, lib, "digest")  # since the last one: nothing new
    assert code == 0 and out.startswith("# paperdeck digest: 0 new papers since ")
    code, out, _ = run(capsys, lib, "digest", "--since", "all")
    assert "6 new papers since the beginning" in out
    code, out, _ = run(capsys, lib, "digest", "--since", "2000-01-01", "--format", "json")
    assert json.loads(out)["papers"] == 6
    code, _, err = run(capsys, lib, "digest", "--since", "yesterday")
    assert code == 1 and "--since 'yesterday'" in err
    code, _, err = run(capsys, lib, "digest", "--saved", "nope")
    assert code == 1 and "no saved search is called 'nope'" in err
