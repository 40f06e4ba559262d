"""Store benchmark: libraries of synthetic pages, their size and the time to open them.

    uv run python tests/benchmarks/bench_store.py                 # 1k, 10k and 100k papers
    uv run python tests/benchmarks/bench_store.py --sizes 10000   # one size

Pages are generated once per size under --work (default /tmp/paperdeck-bench) and kept
(``synthetic.py``: words drawn with the frequencies of real abstracts, a fifth of the
papers repeated across pages). Each size is imported once (CPU and wall time; distinct
papers, and the sightings they came from), then: the index's size on disk, that of the
common terms' postings saved beside it and the CPU time to write them, and the time to
open the library in a fresh process. Its ``QUERIES`` are the search mix of the other
scripts. Import against a bare Whoosh loop is ``bench_import.py`` (interleaved pairs);
search latency is ``bench_search.py`` (first-time and repeated, apart).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store import Library  # noqa: E402
from store.index import save_posting_files_of  # noqa: E402
from tests.benchmarks.synthetic import generate_pages  # noqa: E402

# What people type: plain words, phrases, fields, ranges, syntax, and the as-you-type
# prefixes (the last word unfinished) that a one-segment index makes slow.
QUERIES: list[tuple[str, str, bool]] = [
    ("plain", "language model", False),
    ("plain", "diffusion", False),
    ("plain", "reinforcement learning policy", False),
    ("plain", "sparse attention memory", False),
    ("plain", "fine tuning", False),
    ("phrase", '"mixture experts"', False),
    ("field", "title:quantization", False),
    ("field", "org:nvidia", False),
    ("range", "year:2023 upvotes:>=100", False),
    ("boolean", "diffusion OR robotics NOT video", False),
    ("prefix", "trans*", False),
    ("prefix", "distil*", False),
    ("fuzzy", "transfromer~", False),
    ("typing", "t", True),
    ("typing", "tr", True),
    ("typing", "tra", True),
    ("typing", "trans", True),
    ("typing", "language mo", True),
    ("typing", "reinforcement lea", True),
    ("typing", "diffusion transf", True),
    ("sorted", "model", False),
    ("empty", "", False),
]


def _pages(work: Path, size: int) -> list[Path]:
    folder = work / f"pages-{size}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_pages(folder, size)
        marker.write_text("ok")
    return sorted(folder.glob("*.txt"))


def _open_time(root: Path) -> dict[str, float]:
    code = (
        "import time, json; t0 = time.perf_counter(); from store import Library; "
        f"t1 = time.perf_counter(); lib = Library.open({str(root)!r}); n = lib.count(); "
        "r = lib.search('', limit=50); t2 = time.perf_counter(); "
        "print(json.dumps({'import_s': t1 - t0, 'open_s': t2 - t1, 'papers': n}))"
    )
    runs = [
        json.loads(subprocess.check_output([sys.executable, "-c", code], cwd=ROOT, text=True))
        for _ in range(5)
    ]
    return {
        "open_s": statistics.median(r["open_s"] for r in runs),
        "module_import_s": statistics.median(r["import_s"] for r in runs),
    }


def bench(size: int, work: Path, *, reuse: bool = False) -> dict[str, object]:
    pages = _pages(work, size)
    lib_dir = work / f"lib-{size}"
    measured: dict[str, object] = {}
    if not (reuse and (lib_dir / "index").is_dir()):
        shutil.rmtree(lib_dir, ignore_errors=True)
        library = Library.open(lib_dir)
        cpu, wall = time.process_time(), time.perf_counter()
        report = library.import_pages(pages)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert report.ok, report.failures[:3]
        library.close()
        measured = {
            "import_cpu_s": round(cpu, 2),
            "import_wall_s": round(wall, 2),
            "sightings": report.papers_seen,  # a paper seen on two pages counts twice
        }
    library = Library.open(lib_dir)
    papers = library.count()  # distinct papers
    # The common terms' postings saved beside the index: their size, and the time to
    # write them again (what each commit of a new large segment pays).
    saved = sorted((lib_dir / "index").glob("paperdeck-postings-*"))
    for path in saved:
        path.unlink()
    cpu = time.process_time()
    save_posting_files_of(library._index.ix)
    postings_cpu = time.process_time() - cpu
    library.close()
    saved = sorted((lib_dir / "index").glob("paperdeck-postings-*"))
    postings_bytes = sum(f.stat().st_size for f in saved)
    index_bytes = sum(f.stat().st_size for f in (lib_dir / "index").glob("*") if f.is_file())
    index_bytes -= postings_bytes
    opened = _open_time(lib_dir)
    return {
        "papers": papers,
        "pages": len(pages),
        **measured,
        "papers_per_cpu_s": round(papers / measured["import_cpu_s"]) if measured else None,  # type: ignore[operator]
        "index_mib": round(index_bytes / 1_048_576, 1),
        "posting_files_mib": round(postings_bytes / 1_048_576, 1),
        "posting_files_cpu_s": round(postings_cpu, 2),
        "open_s": round(opened["open_s"], 3),
        "module_import_s": round(opened["module_import_s"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperdeck-bench"))
    parser.add_argument(
        "--reuse", action="store_true", help="reuse an existing library: skip the import timing"
    )
    args = parser.parse_args()
    for size in args.sizes:
        result = bench(size, args.work, reuse=args.reuse)
        print(json.dumps({"size": size, **result}), flush=True)


if __name__ == "__main__":
    main()
