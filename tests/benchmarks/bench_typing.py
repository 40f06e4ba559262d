"""Search as you type, measured per keystroke, for one or more versions of the code.

    uv run python tests/benchmarks/bench_typing.py --library DIR [--code ROOT ...] [--rounds 3]

Each of the reader's benchmark queries (``bench_app.SEARCHES``) is typed one character
at a time in a fresh process per round: the library is opened (not timed), then every
prefix is searched as typed (``as_you_type=True``, 50 hits, their title spans), each
keystroke timed in process CPU and wall time. What was alive once the library opened is
frozen for the garbage collector, as the reader freezes what its first screen left
(``tui/idle_gc.py``; without it, a full collection of the library's caches, 15 ms,
falls on whichever keystroke crosses the collector's threshold). What one keystroke
leaves cached (match sets of the words already typed, postings, field lengths) serves
the next, as in the reader; the first keystroke of each query pays for a process that
has searched nothing. With several ``--code`` roots their processes alternate (A B A B
...); ``--library`` takes one copy per ``--code`` when the versions' index layouts
differ. Reported: p50, p95 and the slowest keystrokes over all queries, medians over
rounds.
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

from tests.benchmarks.bench_app import SEARCHES  # noqa: E402
from tests.benchmarks.stats import percentile  # noqa: E402

CHILD = """
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
from store import Library
library = Library.open(sys.argv[2])
gc.freeze()  # as the reader does once its first screen is up (tui/idle_gc.py)
out = []
for query in sys.argv[3:]:
    for end in range(1, len(query) + 1):
        text = query[:end]
        cpu, wall = time.process_time(), time.perf_counter()
        results = library.search(text, as_you_type=True, limit=50)
        spans = [h.title_spans for h in results.hits]
        out.append((text, time.process_time() - cpu, time.perf_counter() - wall))
print(json.dumps(out))
"""


def _typed(code: Path, library: Path) -> list[tuple[str, float, float]]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(code), str(library), *SEARCHES],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    return [(str(text), float(cpu) * 1000, float(wall) * 1000) for text, cpu, wall in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, nargs="+", required=True)
    parser.add_argument("--code", type=Path, nargs="+", default=[ROOT])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if len(args.library) not in (1, len(args.code)):
        parser.error("give one --library, or one per --code")
    libraries = args.library if len(args.library) > 1 else args.library * len(args.code)
    runs: dict[Path, list[list[tuple[str, float, float]]]] = {c: [] for c in args.code}
    for _ in range(args.rounds):
        for code, library in zip(args.code, libraries, strict=True):  # A B A B ...
            runs[code].append(_typed(code, library))
    keystrokes = len(runs[args.code[0]][0])
    print(f"{keystrokes} keystrokes of {len(SEARCHES)} queries x {args.rounds} rounds, ms")
    for code in args.code:
        rounds = runs[code]
        cells = []
        for index, name in ((1, "cpu"), (2, "wall")):
            for pct in (50, 95):
                of_rounds = (percentile([r[index] for r in rnd], pct) for rnd in rounds)
                value = statistics.median(of_rounds)
                cells.append(f"{name} p{pct} {value:6.1f}")
        per_key = {
            text: statistics.median(rnd[i][1] for rnd in rounds)
            for i, (text, _, _) in enumerate(rounds[0])
        }
        slowest = sorted(per_key.items(), key=lambda item: -item[1])[:5]
        print(f"{code}: " + "  ".join(cells))
        print("   slowest (CPU): " + ", ".join(f"{t!r} {ms:.1f}" for t, ms in slowest))


if __name__ == "__main__":
    main()
