"""Store benchmark: import throughput, index size, open time, search latency.

    uv run python tests/benchmarks/bench_store.py                 # 1k, 10k and 100k papers
    uv run python tests/benchmarks/bench_store.py --sizes 10000   # one size

Pages are generated once per size under --work (default /tmp/paperdeck-bench) and kept.
Import throughput is compared with a bare Whoosh writer loop over the same documents and
the same schema (the documents are prepared before that clock starts).
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
from store.pages import decode_page, parse_page  # noqa: E402
from store.records import merge, observations_from_page, to_document  # noqa: E402
from store.schema import build_schema  # noqa: E402
from store.sourcestore import content_hash  # noqa: E402
from store.storage import create_index, open_writer  # noqa: E402
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


def _bare_whoosh(pages: list[Path], target: Path) -> tuple[float, int]:
    papers: dict = {}
    for path in pages:
        data = path.read_bytes()
        page = parse_page(decode_page(data), fallback_year=2026)
        for obs in observations_from_page(page, path.name, content_hash(data)):
            papers[obs.paper_id] = merge(papers.get(obs.paper_id), obs)
    docs = [to_document(p) for p in papers.values()]
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    started = time.perf_counter()
    ix = create_index(target, build_schema())
    writer = open_writer(ix)  # the same writer settings as the store's
    for doc in docs:
        writer.update_document(**doc)
    writer.commit()
    return time.perf_counter() - started, len(docs)


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


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def bench(size: int, work: Path, repeats: int, *, reuse: bool = False) -> dict[str, object]:
    pages = _pages(work, size)
    lib_dir = work / f"lib-{size}"
    measured: dict[str, object] = {}
    if not (reuse and (lib_dir / "index").is_dir()):
        shutil.rmtree(lib_dir, ignore_errors=True)
        started = time.perf_counter()
        library = Library.open(lib_dir)
        report = library.import_pages(pages)
        import_s = time.perf_counter() - started
        assert report.ok, report.failures[:3]
        library.close()
        bare_s, bare_docs = _bare_whoosh(pages, work / f"bare-{size}")
        measured = {
            "import_s": round(import_s, 2),
            "import_papers_per_s": round(report.papers_seen / import_s),
            "bare_whoosh_s": round(bare_s, 2),
            "bare_docs": bare_docs,
            "throughput_vs_bare": round(bare_s / import_s, 2),
        }
    library = Library.open(lib_dir)
    papers = library.count()
    library.close()
    index_bytes = sum(f.stat().st_size for f in (lib_dir / "index").glob("*") if f.is_file())
    opened = _open_time(lib_dir)

    library = Library.open(lib_dir)
    latencies: dict[str, list[float]] = {}
    for _ in range(repeats):
        for kind, text, typing in QUERIES:
            sort = "date" if kind in ("sorted", "empty") else "relevance"
            t0 = time.perf_counter()
            library.search(text, as_you_type=typing, sort=sort, limit=50)
            latencies.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
    everything = [v for values in latencies.values() for v in values]
    return {
        "papers": papers,
        "pages": len(pages),
        **measured,
        "index_mib": round(index_bytes / 1_048_576, 1),
        "open_s": round(opened["open_s"], 3),
        "module_import_s": round(opened["module_import_s"], 3),
        "search_p50_ms": round(_percentile(everything, 50), 1),
        "search_p95_ms": round(_percentile(everything, 95), 1),
        "by_kind_p95_ms": {k: round(_percentile(v, 95), 1) for k, v in latencies.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperdeck-bench"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="reuse an existing library: skip the import timing"
    )
    args = parser.parse_args()
    for size in args.sizes:
        result = bench(size, args.work, args.repeats, reuse=args.reuse)
        print(json.dumps({"size": size, **result}), flush=True)


if __name__ == "__main__":
    main()
