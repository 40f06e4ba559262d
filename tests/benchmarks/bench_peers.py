"""paperdeck's search beside its peers on the same corpus: a bare Whoosh searcher over
paperdeck's own index, and SQLite FTS5 over the same titles and abstracts.

    uv run python tests/benchmarks/bench_peers.py --library DIR [--rounds 3]

The queries are those of ``bench_store``'s mix that each engine can express the same way
(plain words, phrases, prefixes, OR/NOT; no fields, ranges, fuzzy or the empty query).
Each query runs in a fresh process per round, engines interleaved (paperdeck, Whoosh,
FTS5, paperdeck, ...): the index opened untimed, the query timed once (first-time) and
again; process CPU time; reported as medians over rounds of the per-round p50/p95.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_store import QUERIES  # noqa: E402
from tests.benchmarks.stats import percentile  # noqa: E402

# (paperdeck's query, typed as you type?, the same query for Whoosh and FTS5)
COMMON = [
    ("language model", False, "language model"),
    ("diffusion", False, "diffusion"),
    ("reinforcement learning policy", False, "reinforcement learning policy"),
    ("sparse attention memory", False, "sparse attention memory"),
    ("fine tuning", False, "fine tuning"),
    ('"mixture experts"', False, '"mixture experts"'),
    ("diffusion OR robotics NOT video", False, "(diffusion OR robotics) NOT video"),
    ("trans*", False, "trans*"),
    ("distil*", False, "distil*"),
    ("tra", True, "tra*"),
    ("language mo", True, "language mo*"),
    ("model", False, "model"),
]
assert all(any(q == text for _, text, _ in QUERIES) for q, _, _ in COMMON)

TIMED = """
import json, sys, time
def timed(run):
    out = []
    for _ in range(2):
        cpu = time.process_time()
        found = run()
        out.append((time.process_time() - cpu, found))
    print(json.dumps(out))
"""
CHILDREN = {
    "paperdeck": TIMED
    + """
sys.path.insert(0, sys.argv[1])
from store import Library
library = Library.open(sys.argv[2])
text, typing = sys.argv[3], sys.argv[4] == "1"
timed(lambda: len([h.paper.id for h in library.search(text, as_you_type=typing, limit=50).hits]))
""",
    "whoosh": TIMED
    + """
from whoosh import index
from whoosh.qparser import MultifieldParser
ix = index.open_dir(sys.argv[2] + "/index")
searcher = ix.searcher()
parser = MultifieldParser(["title", "abstract"], ix.schema)
query = parser.parse(sys.argv[3])
timed(lambda: len([hit["id"] for hit in searcher.search(query, limit=50)]))
""",
    "fts5": TIMED
    + """
import sqlite3
db = sqlite3.connect(sys.argv[2])
text = sys.argv[3]
sql = "SELECT rowid FROM papers WHERE papers MATCH ? ORDER BY rank LIMIT 50"
timed(lambda: len(db.execute(sql, (text,)).fetchall()))
""",
}


def _fts5(library: Path, target: Path) -> None:
    """The library's titles and abstracts in an FTS5 table (porter stemming)."""
    if target.exists():
        return
    from store import Library

    db = sqlite3.connect(target)
    db.execute("CREATE VIRTUAL TABLE papers USING fts5(title, abstract, tokenize='porter')")
    with Library.open(library) as lib:
        db.executemany(
            "INSERT INTO papers (title, abstract) VALUES (?, ?)",
            ((p.title, p.abstract) for p in lib.papers()),
        )
    db.commit()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, required=True, help="a paperdeck library")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per query")
    args = parser.parse_args()
    fts = args.library.parent / f"{args.library.name}.fts5.sqlite"
    _fts5(args.library, fts)
    where = {"paperdeck": str(args.library), "whoosh": str(args.library), "fts5": str(fts)}
    rounds: dict[str, list[dict[str, list[float]]]] = {name: [] for name in CHILDREN}
    for _ in range(args.rounds):
        times = {name: {"first": [], "again": []} for name in CHILDREN}
        for ours, typing, theirs in COMMON:
            for name, code in CHILDREN.items():  # interleaved
                text = ours if name == "paperdeck" else theirs
                done = subprocess.run(
                    [sys.executable, "-c", code, str(ROOT), where[name], text, str(int(typing))],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                (first, _), (again, _) = json.loads(done.stdout.strip().splitlines()[-1])
                times[name]["first"].append(first * 1000)
                times[name]["again"].append(again * 1000)
        for name in CHILDREN:
            rounds[name].append(times[name])
    print(f"{len(COMMON)} queries x {args.rounds} rounds, CPU ms per search (median of rounds)")
    for name in CHILDREN:
        cells = []
        for kind in ("first", "again"):
            for pct in (50, 95):
                value = statistics.median(percentile(r[kind], pct) for r in rounds[name])
                cells.append(f"{kind} p{pct} {value:7.1f}")
        print(f"{name:>9}: " + "  ".join(cells))


if __name__ == "__main__":
    main()
