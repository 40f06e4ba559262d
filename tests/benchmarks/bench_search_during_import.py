"""Searches while an import runs in the same process (as the app does it).

    uv run python tests/benchmarks/bench_search_during_import.py [--base 3000] [--import 3000]

A library of ``--base`` papers is built once; then the same query mix is timed alone,
and again while a thread imports ``--import`` more papers (parse, then commit), each
round on a fresh copy of the library. Reported: p50/p95/max of search wall time, alone
and during the import, and their ratio (target: p95 during at most 3x p95 alone).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store import Library  # noqa: E402
from tests.benchmarks.synthetic import generate_pages  # noqa: E402

QUERIES = [
    ("language model", False),
    ("diffusion", False),
    ("reinforcement learning policy", False),
    ("title:quantization", False),
    ("year:2023 upvotes:>=100", False),
    ("trans*", False),
    ("tra", True),
    ("language mo", True),
    ("diffusion transf", True),
    ("", False),
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _search_round(library: Library, stop: threading.Event | None, rounds: int) -> list[float]:
    times: list[float] = []
    done = 0
    while (stop is None and done < rounds) or (stop is not None and not stop.is_set()):
        for text, typing in QUERIES:
            library._policy._answers.clear()  # each search answered afresh, never kept
            started = time.perf_counter()
            library.search(text, as_you_type=typing, limit=50)
            times.append((time.perf_counter() - started) * 1000)
        done += 1
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=3000, help="papers in the library first")
    parser.add_argument("--import", dest="incoming", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3, help="imports timed against searches")
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperdeck-bench-during"))
    args = parser.parse_args()
    base_pages = generate_pages(args.work / "base-pages", args.base, per_page=150, seed=21)
    new_pages = generate_pages(args.work / "new-pages", args.incoming, per_page=150, seed=22)
    template = args.work / "base-lib"
    if not template.exists():
        with Library.open(template) as library:
            library.import_pages(base_pages)
    alone: list[float] = []
    during: list[float] = []
    import_s: list[float] = []
    for run in range(args.runs):
        copy = args.work / f"lib-{run}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(template, copy)
        library = Library.open(copy)
        _search_round(library, None, 2)  # caches warm, as in a session
        alone += _search_round(library, None, 5)
        stop = threading.Event()
        timer: dict[str, float] = {}

        def run_import(
            library: Library = library, stop: threading.Event = stop, timer: dict = timer
        ) -> None:
            started = time.perf_counter()
            library.import_pages(new_pages)
            timer["s"] = time.perf_counter() - started
            stop.set()

        thread = threading.Thread(target=run_import)
        thread.start()
        during += _search_round(library, stop, 0)
        thread.join()
        import_s.append(timer["s"])
        library.close()
    p95_alone, p95_during = _percentile(alone, 0.95), _percentile(during, 0.95)
    print(f"library {args.base} papers, import {args.incoming} papers, {args.runs} runs")
    print(f"import alone-thread wall time: median {statistics.median(import_s):.1f} s")
    for name, values in (("alone", alone), ("during import", during)):
        print(
            f"search {name:>14}: n={len(values):4d}  p50 {_percentile(values, 0.5):6.1f} ms  "
            f"p95 {_percentile(values, 0.95):6.1f} ms  max {max(values):7.1f} ms"
        )
    print(f"p95 during / p95 alone: {p95_during / p95_alone:.2f}x (target <= 3x)")


if __name__ == "__main__":
    main()
