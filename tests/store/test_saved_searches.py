"""Saved searches, the new papers of each, and the digest of what arrived."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store import Library
from store.errors import NotFoundError, StoreError
from tests.helpers import make_page, write

GOLDEN = Path(__file__).parent / "golden" / "digest_second_page.md"

FIRST = [
    ("Quantized Adapters for Small Models", "We quantize adapters to four bits."),
    ("A Survey of Diffusion Samplers", "Samplers for diffusion models, compared."),
]
SECOND = [
    ("Weight Quantization at Scale", "Quantization of weights for serving large models."),
    ("Diffusion Policies for Robots", "A diffusion model as a robot policy."),
    ("Speech Tokenizers Revisited", "Discrete speech units for language models."),
]


def _import(
    library: Library,
    tmp_path: Path,
    name: str,
    papers: list[tuple[str, str]],
) -> None:
    """Import ``papers`` as one page."""
    rows = [
        (t, a, f"  • 3 authors\n·\nMar {i + 1}, 2025 {10 * (i + 1)}")
        for i, (t, a) in enumerate(papers)
    ]
    report = library.import_pages([write(tmp_path / name, make_page(rows))])
    assert report.ok, report.failures


def test_new_papers_are_counted_until_the_search_is_opened(
    library: Library, tmp_path: Path
) -> None:
    _import(library, tmp_path, "one.txt", FIRST)
    library.save_search("quant", "quantization OR quantize")
    [status] = library.saved_searches()
    assert (status.total, status.new) == (1, 0)  # what was there when saved is not new
    _import(library, tmp_path, "two.txt", SECOND)
    [status] = library.saved_searches()
    assert (status.total, status.new) == (2, 1)
    results = library.open_saved_search("QUANT")  # names are not case-sensitive
    assert {h.paper.title for h in results.hits} == {FIRST[0][0], SECOND[0][0]}
    [status] = library.saved_searches()
    assert (status.total, status.new) == (2, 0)


def test_only_papers_arrived_later_pass_arrived_after(library: Library, tmp_path: Path) -> None:
    _import(library, tmp_path, "one.txt", FIRST)
    between = datetime.now(UTC)
    _import(library, tmp_path, "two.txt", SECOND)
    later = library.search("", arrived_after=between, limit=50)
    assert sorted(h.paper.title for h in later.hits) == sorted(t for t, _ in SECOND)
    assert library.search("diffusion", arrived_after=between).total == 1
    assert library.search("", arrived_after=datetime.now(UTC)).total == 0


def test_the_digest_lists_only_what_arrived_after_the_last_one(
    library: Library, tmp_path: Path
) -> None:
    _import(library, tmp_path, "one.txt", FIRST)
    library.save_search("quant", "quantization OR quantize")
    library.save_search("diffusion", "diffusion")
    first = library.digest(last=True)
    assert first.since is None and first.count == len(FIRST)
    _import(library, tmp_path, "two.txt", SECOND)
    second = library.digest(last=True)
    assert second.since == first.until
    since = second.since.strftime("%Y-%m-%d %H:%M UTC")
    if os.environ.get("PAPERDECK_UPDATE_GOLDEN"):  # after an intended change; read the diff
        GOLDEN.write_text(second.as_markdown().replace(since, "{since}"), encoding="utf-8")
    assert second.as_markdown() == GOLDEN.read_text(encoding="utf-8").replace("{since}", since)
    assert library.digest(last=True).count == 0  # and that one was the last
    assert library.digest(only="diffusion").count == 2  # since ever, one search
    # The same library gives the same digest, byte for byte.
    assert library.digest(second.since).as_json() == second.as_json()


def test_names_are_checked_and_never_taken_twice(library: Library) -> None:
    library.save_search("nvidia diffusion", "org:nvidia diffusion")
    with pytest.raises(StoreError, match="already called"):
        library.save_search("NVIDIA diffusion", "other")
    library.save_search("nvidia diffusion", "org:nvidia", replace=True)
    assert [s.search.query for s in library.saved_searches()] == ["org:nvidia"]
    for bad in ("", "  ", "a/b", "x" * 61, "-flag"):
        with pytest.raises(StoreError):
            library.save_search(bad, "q")
    with pytest.raises(NotFoundError, match="saved: nvidia diffusion"):
        library.remove_saved_search("nope")
    assert library.remove_saved_search("nvidia diffusion").query == "org:nvidia"
    assert library.saved_searches() == []


def test_saved_searches_survive_a_rebuild_and_a_broken_file_is_never_overwritten(
    library: Library, tmp_path: Path
) -> None:
    library.save_search("q", "quantization")
    library.reindex()
    assert [s.search.name for s in library.saved_searches()] == ["q"]
    library.paths.searches_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="not a saved-searches file"):
        library.save_search("other", "x")
    assert library.paths.searches_file.read_text(encoding="utf-8") == "{not json"


def test_a_backup_carries_the_saved_searches_and_restores_them_without_replacing(
    library: Library, tmp_path: Path
) -> None:
    _import(library, tmp_path, "one.txt", FIRST)
    library.save_search("quant", "quantization")
    library.save_search("diffusion", "diffusion")
    backup = tmp_path / "backup.json"
    library.export_to(backup, "json", everything=True)
    with Library.open(tmp_path / "other") as other:
        other.save_search("quant", "my own quant query")
        report = other.import_pages([backup])
        assert report.ok, report.failures
        restored = {s.search.name: s.search.query for s in other.saved_searches()}
        assert restored == {"quant": "my own quant query", "diffusion": "diffusion"}
        assert other.saved_searches()[1].total == 1  # it finds the restored paper


def test_a_backup_with_a_malformed_saved_search_is_refused_in_one_line(
    library: Library, tmp_path: Path
) -> None:
    _import(library, tmp_path, "one.txt", FIRST)
    good = tmp_path / "good.json"
    library.export_to(good, "json", everything=True)
    document = json.loads(good.read_text(encoding="utf-8"))
    document["saved_searches"] = [{"name": "x"}]  # no query, no time
    bad = write(tmp_path / "bad.json", json.dumps(document))
    with Library.open(tmp_path / "other") as other:
        report = other.import_pages([bad])
        assert not report.ok and "saved search of the backup is malformed" in str(report.failures)
        assert other.count() == 0 and other.saved_searches() == []
