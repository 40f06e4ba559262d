"""Importing Hugging Face JSON against importing the same papers as saved text pages.

    uv run python tests/benchmarks/bench_hf_import.py [--papers 10000] [--runs 3]

The same synthetic papers (titles, abstracts, dates, upvotes, authors) are written once
as one API-shaped JSON file of ``--papers`` items and once as text pages of 100 papers,
then imported into fresh libraries, alternately (JSON, text, JSON, text ...), each in a
fresh process; reported: process CPU seconds per 1,000 papers, medians and ranges.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.synthetic import generate_pages  # noqa: E402

IMPORT = """
import resource, sys, time
from store import Library
library = Library.open(sys.argv[1])
started = resource.getrusage(resource.RUSAGE_SELF)
report = library.import_pages([sys.argv[2]])
done = resource.getrusage(resource.RUSAGE_SELF)
cpu = (done.ru_utime - started.ru_utime) + (done.ru_stime - started.ru_stime)
print(cpu, report.new_papers)
"""


def _as_json(pages: list[Path], target: Path) -> int:
    """The papers of the text pages, as one daily-papers API answer."""
    from store.pages import decode_page, parse_page

    items = []
    for page_file in pages:
        page = parse_page(decode_page(page_file.read_bytes()), fallback_year=2025)
        for paper in page.papers:
            authors = [{"name": f"Author {n}"} for n in range(paper.authors_count or 3)]
            items.append(
                {
                    "paper": {
                        "id": f"2501.{len(items):05d}",
                        "title": paper.title,
                        "summary": paper.abstract,
                        "authors": authors,
                        "publishedAt": f"{paper.published.isoformat()}T00:00:00.000Z"
                        if paper.published
                        else None,
                        "upvotes": paper.upvotes or 0,
                    },
                    "numComments": 1,
                }
            )
    target.write_text(json.dumps(items))
    return len(items)


def _run(library: Path, source: Path) -> tuple[float, int]:
    shutil.rmtree(library, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-c", IMPORT, str(library), str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    cpu, papers = result.stdout.split()
    return float(cpu), int(papers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperdeck-bench-hf"))
    args = parser.parse_args()
    pages_dir = args.work / "pages"
    if not pages_dir.exists():
        generate_pages(pages_dir, args.papers, per_page=100, seed=31)
    pages = sorted(pages_dir.glob("*.txt"))
    json_file = args.work / "daily.json"
    items = _as_json(pages, json_file)
    per_thousand: dict[str, list[float]] = {"json": [], "text": []}
    for _ in range(args.runs):
        for kind, source in (("json", json_file), ("text", pages_dir)):
            cpu, papers = _run(args.work / f"lib-{kind}", source)
            per_thousand[kind].append(cpu / papers * 1000)
    print(f"{items} JSON items; text pages hold the same papers ({len(pages)} pages)")
    for kind, values in per_thousand.items():
        print(
            f"{kind:>5}: {statistics.median(values):.2f} s CPU per 1,000 papers "
            f"(range {min(values):.2f}-{max(values):.2f}, {len(values)} runs)"
        )
    ratio = statistics.median(per_thousand["json"]) / statistics.median(per_thousand["text"])
    print(f"JSON / text per paper: {ratio:.2f}x (target <= 1.0x)")


if __name__ == "__main__":
    main()
