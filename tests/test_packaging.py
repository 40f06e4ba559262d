"""What the wheel and the sdist carry, checked from the build configuration (no build).

``uv build`` in ``.ci/smoke`` builds and installs the real wheel; these tests catch a
configuration change that would drop the typing marker or the non-Python files under
``store/`` (the sample pages), or ship the LICENSE no more.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _excluded(path: str, patterns: list[str]) -> bool:
    """Whether a gitignore-style pattern list (as hatch reads it) leaves ``path`` out."""
    parts = path.split("/")
    for pattern in patterns:
        bare = pattern.strip("/")
        if fnmatch(path, bare) or any(fnmatch(part, bare) for part in parts):
            return True
    return False


def test_the_wheel_carries_the_store_s_data_files() -> None:
    wheel = _config()["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert "store" in wheel["packages"] and "tui" in wheel["packages"]
    excludes = wheel.get("exclude", [])
    for kept in ("store/py.typed", "store/sample_pages/daily-2024-11-25.txt", "tui/app.tcss"):
        assert not _excluded(kept, excludes), kept
    assert "only-include" not in wheel and "include" not in wheel
    assert _excluded("store/__pycache__/paths.cpython-311.pyc", excludes)


def test_the_sdist_leaves_out_caches_and_keeps_what_builds_and_tests() -> None:
    sdist = _config()["tool"]["hatch"]["build"]["targets"]["sdist"]
    includes = {p.strip("/") for p in sdist["include"]}
    assert {"store", "tui", "tests", "LICENSE", "pyproject.toml", "uv.lock"} <= includes
    for junk in (
        "tests/.hypothesis/examples/x",
        ".mypy_cache/3.11/x.json",
        ".pytest_cache/v/x",
        ".ruff_cache/x",
        "store/__pycache__/a.pyc",
        "snapshot_report.html",
    ):
        assert _excluded(junk, sdist["exclude"]), junk


def test_license_and_typing_marker() -> None:
    project = _config()["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "Copyright (c) 2026 the paperdeck authors" in (ROOT / "LICENSE").read_text()
    assert (ROOT / "store" / "py.typed").is_file()
    assert "Typing :: Typed" in project["classifiers"]
