"""The code's own rules: ruff clean, mypy --strict on store/ and tui/, store/ never imports
the UI, and tui/ is layered (command line > app > screens > widgets > shared modules)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        pytest.skip(f"{name} is not installed in this environment")
    return path


def test_ruff_is_clean() -> None:
    result = _run(_tool("ruff"), "check", "store", "tui", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_store_and_tui() -> None:
    result = _run(_tool("mypy"), "--strict", "store", "tui")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold() -> None:
    """store/ imports no Textual, Rich or tui; tui/'s layers import only downwards."""
    result = _run(_tool("lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr
