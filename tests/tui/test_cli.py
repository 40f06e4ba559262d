import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, make_page, set_index_schema, write
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
LIGHT = """
import sys
from tui.cli import main
try:
    main([{flag!r}])
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
heavy = {{m.split(".")[0] for m in sys.modules}} & {{"whoosh", "pydantic", "textual", {rich}}}
print("heavy:", sorted(heavy), file=sys.stderr)
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "lib"


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_search_show_roundtrip(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, data_dir, "import", str(FIXTURES))
    assert code == 0
    assert "2 pages imported" in out and "6 new papers" in out and "0 failed" in out
    code, out, err = run(capsys, data_dir, "search", "tulu")
    assert code == 0 and "TÜLU 3" in out and "1 paper matches" in err
    paper_id = out.split()[0]
    code, out, _ = run(capsys, data_dir, "show", paper_id[:6])
    assert code == 0 and "TÜLU 3" in out and "seen 2025-11-12 on daily.txt" in out


def test_json_output_has_the_documented_fields(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    run(capsys, data_dir, "import", str(FIXTURES))
    _, out, _ = run(capsys, data_dir, "search", "nvfp4", "--json")
    results = json.loads(out)
    paper = results["hits"][0]["paper"]
    for key in (
        "id",
        "title",
        "abstract",
        "published",
        "upvotes",
        "authors_count",
        "organization",
        "links",
        "sightings",
        "bookmarked",
        "tags",
        "note",
        "read",
    ):
        assert key in paper
    assert paper["published"] == "2025-09-29" and paper["organization"] == "NVIDIA"
    _code, out, _ = run(capsys, data_dir, "show", paper["id"], "--json")
    assert json.loads(out)["id"] == paper["id"]


def test_bad_file_reports_one_line_and_exit_status(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    bad = write(tmp_path / "bad.html", "<html><body>nope</body></html>")
    code, out, err = run(capsys, data_dir, "import", str(bad), str(FIXTURES / "daily.txt"))
    assert code == 1
    assert "1 pages imported" in out and "1 failed" in out
    failure_lines = [line for line in err.splitlines() if "bad.html" in line]
    assert len(failure_lines) == 1 and "HTML" in failure_lines[0]
    assert "Traceback" not in err


def test_bookmarks_and_export(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    run(capsys, data_dir, "import", str(FIXTURES))
    _, out, _ = run(capsys, data_dir, "search", "mask", "--json")
    paper_id = json.loads(out)["hits"][0]["paper"]["id"]
    code, out, _ = run(
        capsys, data_dir, "bookmark", "add", paper_id, "--tag", "nlp", "--note", "[b]x[/b]"
    )
    assert code == 0 and "[MASK] Is Not All You Need" in out
    _, out, _ = run(capsys, data_dir, "bookmarks", "--tag", "nlp", "--json")
    assert [p["note"] for p in json.loads(out)] == ["[b]x[/b]"]
    target = tmp_path / "out.bib"
    code, out, _ = run(capsys, data_dir, "export", "--format", "bibtex", "-o", str(target))
    assert code == 0 and target.read_text().startswith("@misc{mask2022")
    code, _, err = run(capsys, data_dir, "export", "--format", "bibtex", "-o", str(target))
    assert code == 1 and "already exists" in err
    code, _, _ = run(capsys, data_dir, "export", "--format", "csv", "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith("id,title,")
    code, _, err = run(capsys, data_dir, "export", "-o", str(tmp_path / "no" / "such" / "x.bib"))
    assert code == 1 and "does not exist" in err
    code, out, _ = run(capsys, data_dir, "bookmark", "remove", paper_id)
    assert code == 0
    _, out, _ = run(capsys, data_dir, "bookmarks", "--json")
    assert json.loads(out) == []


def test_read_info_reindex_related(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    run(capsys, data_dir, "import", str(FIXTURES))
    _, out, _ = run(capsys, data_dir, "search", "diffusion", "--json")
    paper_id = json.loads(out)["hits"][0]["paper"]["id"]
    assert run(capsys, data_dir, "read", paper_id)[0] == 0
    code, out, _ = run(capsys, data_dir, "info", "--json")
    info = json.loads(out)
    assert code == 0 and info["papers"] == 6 and info["read"] == 1 and info["index_ok"]
    code, out, _ = run(capsys, data_dir, "reindex")
    assert code == 0 and "reindexed 6 papers" in out
    code, out, _ = run(capsys, data_dir, "related", paper_id, "--json")
    assert code == 0 and all(p["id"] != paper_id for p in json.loads(out))


def test_unknown_id_is_one_clear_line(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, _, err = run(capsys, data_dir, "show", "nope")
    assert code == 1 and err.strip() == "paperdeck: no paper has the id 'nope'"


def test_bare_paths_open_the_app_with_them(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, tmp_path: Path
) -> None:
    import tui.app
    import tui.cli

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(tui.app, "run_app", lambda *args: calls.append(args) or 0)
    monkeypatch.setattr(tui.cli, "has_terminal", lambda: True)
    page = write(tmp_path / "p.txt", make_page([("A fresh paper", "About things.")]))
    assert main(["--data-dir", str(data_dir), str(page), "--year", "2024"]) == 0
    assert calls == [(data_dir, [page], 2024)]
    assert main(["--data-dir", str(data_dir), str(tmp_path / "missing.txt")]) == 1
    assert len(calls) == 1


def test_env_var_selects_the_library(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERDECK_DATA_DIR", str(tmp_path / "env-lib"))
    assert main(["import", str(FIXTURES / "weekly.txt")]) == 0
    assert (tmp_path / "env-lib" / "userdata.json").exists() or (
        tmp_path / "env-lib" / "index"
    ).is_dir()


@pytest.mark.parametrize(
    ("flag", "says", "rich"),
    [("--version", "paperdeck 0", '"rich"'), ("--help", "Usage:", '"shtab"')],
)
def test_version_and_help_load_neither_store_nor_ui(flag: str, says: str, rich: str) -> None:
    """``--version`` answers without Whoosh, pydantic, Rich or Textual; ``--help`` loads
    Rich for its formatting, and nothing else."""
    result = subprocess.run(
        [sys.executable, "-c", LIGHT.format(flag=flag, rich=rich)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(says)
    assert "heavy: []" in result.stderr, result.stderr


def test_usage_errors_and_interrupts_keep_their_exit_status(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["search", "--sort", "nonsense"])
    assert usage.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    import tui.cli.commands

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    def broken(args: object) -> int:
        raise ValueError("bad\nthing")

    monkeypatch.setattr(tui.cli.commands, "run_command", interrupted)
    code, _, err = run(capsys, data_dir, "info")
    assert code == 130 and err.strip() == "paperdeck: interrupted"
    monkeypatch.setattr(tui.cli.commands, "run_command", broken)
    code, _, err = run(capsys, data_dir, "info")
    assert code == 70 and "unexpected error: ValueError" in err and "Traceback" not in err


def test_help_explains_year_resolution(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--year" in out and "newest explicit year on the page plus one" in out


def test_reindex_after_a_rebuild_on_open_does_not_rebuild_twice(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    run(capsys, data_dir, "import", str(FIXTURES))
    set_index_schema(data_dir / "index", 0)
    import store.repair as library_module

    rebuilds: list[int] = []
    original = library_module.rebuild_index

    def counted(*args: object, **kwargs: object) -> int:
        rebuilds.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(library_module, "rebuild_index", counted)
    code, out, err = run(capsys, data_dir, "reindex")
    assert code == 0 and "reindexed 6 papers" in out and "rebuilt" in err
    assert len(rebuilds) == 1


def test_search_minus_word_excludes_on_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    run(capsys, data_dir, "import", str(FIXTURES))
    code, out, err = run(capsys, data_dir, "search", "transformers", "-diffusion", "--json")
    assert code == 0, err
    found = [hit["paper"]["title"] for hit in json.loads(out)["hits"]]
    assert found and "Diffusion Transformers for Image Synthesis" not in found
    code, out, _ = run(capsys, data_dir, "search", "transformers", "--json")
    assert "Diffusion Transformers for Image Synthesis" in out


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_a_limit_below_one_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], data_dir: Path, value: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--data-dir", str(data_dir), "search", "tulu", "--limit", value])
    assert exit_info.value.code == 2
    assert "--limit" in capsys.readouterr().err


def test_an_offset_past_the_end_says_so(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    run(capsys, data_dir, "import", str(FIXTURES))
    code, out, err = run(capsys, data_dir, "search", "model", "--offset", "1000")
    assert code == 0 and out == ""
    assert "none from 1001 on" in err and "showing" not in err


def test_an_ambiguous_id_prefix_says_so(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    """It said "no paper has the id" for a prefix two papers share."""
    from store.records import paper_id

    seen: dict[str, str] = {}
    for number in range(100_000):  # two titles whose ids start alike (birthday odds)
        title = f"A Paper Numbered {number}"
        prefix = paper_id(title)[:4]
        if prefix in seen:
            pair = (seen[prefix], title)
            break
        seen[prefix] = title
    page = write(tmp_path / "pair.txt", make_page([(t, "An abstract.") for t in pair]))
    run(capsys, data_dir, "import", str(page))
    code, _, err = run(capsys, data_dir, "show", prefix)
    assert code == 1 and "ambiguous" in err and "2 papers" in err
    code, out, _ = run(capsys, data_dir, "show", paper_id(pair[0]))
    assert code == 0 and pair[0] in out


def test_search_by_priority_says_why(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "[priority]\nupvotes = 0\nrecency = 0\ncode = 0\ngrowth = 0\n", encoding="utf-8"
    )
    monkeypatch.setenv("PAPERDECK_CONFIG", str(config))
    run(capsys, data_dir, "import", str(FIXTURES))
    run(capsys, data_dir, "saved", "add", "dit", "diffusion")
    code, out, err = run(capsys, data_dir, "search", "--sort", "priority", "--limit", "2")
    assert code == 0, err
    lines = out.splitlines()
    assert "Diffusion Transformers for Image Synthesis" in lines[0]  # only the saved search counts
    assert lines[1].strip() == "why: matches saved search 'dit'"
    assert lines[3].strip() == "why: nothing stands out"
    code, out, _ = run(capsys, data_dir, "search", "--sort", "priority", "--limit", "1", "--json")
    hit = json.loads(out)["hits"][0]
    assert hit["priority"] == {"score": 2.0, "why": ["matches saved search 'dit'"]}


SEARCH_IMPORTS = """
import sys
from tui.cli import main
try:
    main(["--data-dir", {data!r}, "search", "transformer"])
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
import cached_property
print("loaded:", sorted({{"asyncio", "filelock"}} & set(sys.modules)), file=sys.stderr)
print("stand-in:", type(cached_property).__name__, file=sys.stderr)
"""


def test_a_search_loads_no_asyncio_and_no_lock(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    """A cold search is mostly imports: it takes no lock (filelock loads on the first
    write) and Whoosh's one use of ``cached_property`` does without asyncio."""
    assert run(capsys, data_dir, "import", str(FIXTURES))[0] == 0
    result = subprocess.run(
        [sys.executable, "-c", SEARCH_IMPORTS.format(data=str(data_dir))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "papers match" in result.stdout + result.stderr
    assert "loaded: []" in result.stderr, result.stderr
    assert "stand-in: _StandIn" in result.stderr, result.stderr
    # A write still takes the lock, and the real package answers any other name.
    assert run(capsys, data_dir, "import", str(FIXTURES))[0] == 0
    checked = subprocess.run(
        [
            sys.executable,
            "-c",
            "import store, cached_property as c; print(c.threaded_cached_property.__name__)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.stdout.strip() == "threaded_cached_property", checked.stderr
