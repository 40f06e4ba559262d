"""First-time and repeated search, measured honestly, for one or more versions of the code.

    uv run python tests/benchmarks/bench_search.py --library DIR [--code ROOT ...] [--rounds 3]

``--library`` is an existing library (build one with ``--build N``, synthetic pages as
in ``bench_store.py``), or one copy per ``--code`` when the versions save postings in
different layouts. Each query of ``bench_store``'s 22-query mix (the ``sorted`` one
newest first) runs in a fresh process per round: the library is opened (not timed), the
query is timed once (first-time: nothing of it is cached in memory) and then again
(repeated). With
``--warm`` the process first runs an unrelated search and the listing (what a reader
open for a while has loaded: field lengths, columns, orders) and then drops every cached
match set, posting list and answer: first-time for the query, not for the process. Process CPU
time and wall time, per call. With several ``--code`` roots (checkouts of paperdeck,
e.g. a ``git worktree`` of an older commit), their processes alternate (A B A B ...) so
that a busy machine slows both alike; reported: p50 and p95 over the mix, medians over
rounds, and each version against the first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_store import QUERIES  # noqa: E402
from tests.benchmarks.stats import percentile  # noqa: E402

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from store import Library
library = Library.open(sys.argv[2])
text, typing, sort = sys.argv[3], sys.argv[4] == "1", sys.argv[6]
if sys.argv[5] == "1":  # --warm: the library in use, only this query's work not done
    library.search("zebra crossing", limit=50)
    library.search("", limit=50)
    library._policy._answers.clear()
    library._engine.match_sets._weighted.clear()
    library._engine.match_sets._sets.clear()
out = []
for _ in range(2):
    cpu, wall = time.process_time(), time.perf_counter()
    results = library.search(text, as_you_type=typing, sort=sort, limit=50)
    hits = [(h.paper.id, h.title_spans) for h in results.hits]
    out.append((time.process_time() - cpu, time.perf_counter() - wall, results.total))
print(json.dumps(out))
"""


def _one(
    code: Path, library: Path, kind: str, text: str, typing: bool, warm: bool
) -> list[list[float]]:
    sort = "published" if kind == "sorted" else "relevance"  # "sorted": newest first
    flags = ["1" if typing else "0", "1" if warm else "0", sort]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(code), str(library), text, *flags],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _build(library: Path, size: int) -> None:
    from store import Library
    from tests.benchmarks.synthetic import generate_pages

    pages = generate_pages(library.parent / f"pages-{size}", size)
    with Library.open(library) as lib:
        lib.import_pages(pages)
        print(f"built {library}: {lib.count()} papers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--library",
        type=Path,
        nargs="+",
        required=True,
        help="the library to search, or one per --code (copies of one library, each with "
        "its version's saved postings: their layout changes between versions)",
    )
    parser.add_argument("--build", type=int, metavar="N", help="first build it with N papers")
    parser.add_argument(
        "--code", type=Path, nargs="+", default=[ROOT], help="checkouts to compare (default: this)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per query")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="first-time in a library in use: an unrelated search and the listing first, "
        "then every cached match set, posting list and answer dropped",
    )
    args = parser.parse_args()
    if len(args.library) not in (1, len(args.code)):
        parser.error("give one --library, or one per --code")
    libraries = args.library if len(args.library) > 1 else args.library * len(args.code)
    library_of = dict(zip(args.code, libraries, strict=True))
    if args.build:
        _build(args.library[0], args.build)
    if args.rounds < 1:
        return  # built only
    # per version, per round: first-time and repeated (cpu, wall) of every query
    runs: dict[Path, list[dict[str, list[float]]]] = {c: [] for c in args.code}
    totals: dict[Path, list[int]] = {c: [] for c in args.code}
    for _ in range(args.rounds):
        round_of = {
            c: {"first_cpu": [], "first_wall": [], "again_cpu": [], "again_wall": []}
            for c in args.code
        }
        for kind, text, typing in QUERIES:
            for code in args.code:  # interleaved: A B A B ...
                first, again = _one(code, library_of[code], kind, text, typing, args.warm)
                (c1, w1, total), (c2, w2, _) = first, again
                mine = round_of[code]
                mine["first_cpu"].append(c1 * 1000)
                mine["first_wall"].append(w1 * 1000)
                mine["again_cpu"].append(c2 * 1000)
                mine["again_wall"].append(w2 * 1000)
                totals[code].append(int(total))
        for code in args.code:
            runs[code].append(round_of[code])
    first = args.code[0]
    if any(totals[c] != totals[first] for c in args.code):
        print("warning: the versions found different numbers of papers")
    summary: dict[Path, dict[str, float]] = {}
    for code in args.code:
        summary[code] = {
            f"{name} p{pct}": statistics.median(percentile(r[name], pct) for r in runs[code])
            for name in ("first_cpu", "first_wall", "again_cpu", "again_wall")
            for pct in (50, 95)
        }
    print(f"{len(QUERIES)} queries x {args.rounds} rounds, ms per search (median of rounds)")
    for code in args.code:
        row = "  ".join(f"{k} {v:6.1f}" for k, v in summary[code].items())
        print(f"{code}: {row}")
        if code != first:
            ratio = summary[code]["first_cpu p95"] / max(summary[first]["first_cpu p95"], 1e-9)
            print(f"   first-time CPU p95 against {first}: {ratio:.2f}x")
    print("first-time CPU ms per query (median of rounds):")
    for i, (kind, text, typing) in enumerate(QUERIES):
        cells = "  ".join(
            f"{statistics.median(r['first_cpu'][i] for r in runs[code]):7.1f}" for code in args.code
        )
        label = f"{text!r}" + (" (typing)" if typing else "")
        print(f"  {cells}  {kind}: {label}")


if __name__ == "__main__":
    main()
