"""Selections and saved searches at scale: select every match, tag 5,000 selected
papers, the new counts of ten saved searches, the priority order.

    uv run python tests/benchmarks/bench_selections.py --library DIR [--rounds 3]

``--library`` is an existing library (``bench_search.py --library DIR --build 100000``
builds one). Each round runs in a fresh process on a copy of the library's user data
and saved searches (the library's own are left as they were): first-time figures, the
library just opened, nothing of the measured work in memory. Process CPU and wall time;
medians and ranges over the rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SAVED = [
    ("diffusion", "diffusion"),
    ("llm", '"language model"'),
    ("rl", "reinforcement learning"),
    ("quant", "quantization OR quantized"),
    ("vision", "title:vision"),
    ("popular", "upvotes:>=50"),
    ("recent", "year:2024"),
    ("agents", "agent*"),
    ("graphs", "graph neural"),
    ("speech", "speech OR audio"),
]
SELECT = ["", "model", "diffusion", "year:2024 upvotes:>=10", "language mo"]

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from store import Library
library = Library.open(sys.argv[2])
saved = json.loads(sys.argv[3]); select = json.loads(sys.argv[4])
out = {}

def timed(name, call):
    cpu, wall = time.process_time(), time.perf_counter()
    value = call()
    out[name] = (time.process_time() - cpu, time.perf_counter() - wall)
    return value

found = {}
for text in select:
    label = f"select all: {text or '(every paper)'}"
    found[text] = timed(label, lambda: library.matching_ids(text))
chosen = found[""][:5000]
timed("tag 5,000 selected", lambda: library.tag_all(chosen, add=["bench"]))
timed("mark 5,000 read", lambda: library.set_read_all(chosen))
timed("undo the last batch", library.undo)
for name, query in saved:
    library.save_search(name, query)
library._policy._answers.clear()
statuses = timed("new counts of 10 saved searches", library.saved_searches)
timed("the same counts again", library.saved_searches)
timed("priority order (all papers)", lambda: library.listing("priority").close())
out["_sizes"] = {"papers": library.count(), "every": len(found[""]), "model": len(found["model"]),
                 "saved totals": [s.total for s in statuses]}
print(json.dumps(out))
"""


def _round(library: Path) -> dict[str, object]:
    """One fresh process on a copy of the library whose user files start empty."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "lib"
        copy.mkdir()
        for part in ("index", "pages"):
            (copy / part).symlink_to((library / part).resolve())
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(ROOT),
                str(copy),
                json.dumps(SAVED),
                json.dumps(SELECT),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, required=True, help="the library to measure")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes (default 3)")
    args = parser.parse_args()
    rounds = [_round(args.library) for _ in range(args.rounds)]
    sizes = rounds[0].pop("_sizes")
    for r in rounds[1:]:
        r.pop("_sizes")
    print(f"library: {sizes}")
    print(f"{'step':<42} {'CPU ms median (range)':>24} {'wall ms median':>16}")
    for step in rounds[0]:
        cpu = [1000 * r[step][0] for r in rounds]  # type: ignore[index]
        wall = [1000 * r[step][1] for r in rounds]  # type: ignore[index]
        span = f"{statistics.median(cpu):.0f} ({min(cpu):.0f}-{max(cpu):.0f})"
        print(f"{step:<42} {span:>24} {statistics.median(wall):>16.0f}")


if __name__ == "__main__":
    main()
