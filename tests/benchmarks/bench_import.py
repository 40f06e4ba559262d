"""Import against a bare Whoosh writer loop, measured in interleaved pairs.

    uv run python tests/benchmarks/bench_import.py --size 3000 [--rounds 3]
    uv run python tests/benchmarks/bench_import.py --pages ../shared/seeds [--code ROOT ...]

Each round runs, each in a fresh process and one right after the other (A B A B ...):
paperdeck's import of the pages into a new library (``Library.import_pages``), for every
``--code`` checkout (default: this one), and the bare loop: the same papers, parsed and
merged before its clock starts, written with ``update_document`` and one commit by one
Whoosh writer with the schema of version 7 (:func:`bare_schema`) and the same segment
settings, as paperdeck wrote them before it quickened Whoosh (its analyzers Whoosh's own
composed chains, no writer shortcuts of ``store/whoosh_writing.py``). Reported per
variant: process CPU (children included) and wall time of the import, medians and
ranges over rounds, distinct papers written; and each variant's throughput against the
bare loop of the same round (bare CPU / its CPU), median and range. ``total`` is the
whole process's CPU, interpreter start and imports included.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CLOCKS = """
import resource, time
def clocks():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, time.perf_counter()
"""

PAPERDECK = (
    CLOCKS
    + """
import json, sys
sys.path.insert(0, sys.argv[1])
from store import Library
from pathlib import Path
pages = sorted(p for p in Path(sys.argv[3]).iterdir() if not p.name.startswith("."))
library = Library.open(sys.argv[2])
cpu, wall = clocks()
report = library.import_pages(pages)
cpu2, wall2 = clocks()
papers = library.count()
library.close()
print(json.dumps({"cpu": cpu2 - cpu, "wall": wall2 - wall, "papers": papers,
                  "failed": len(report.failures), "total": clocks()[0]}))
"""
)

BARE = (
    CLOCKS
    + """
import json, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from tests.benchmarks.bench_import import bare_documents, bare_schema
from store.storage import create_index
docs = bare_documents(sorted(p for p in Path(sys.argv[3]).iterdir() if not p.name.startswith(".")))
cpu, wall = clocks()
ix = create_index(Path(sys.argv[2]), bare_schema())
writer = ix.writer(compound=False)  # plain segments, as the store writes
for doc in docs:
    writer.update_document(**doc)
writer.commit()
cpu2, wall2 = clocks()
print(json.dumps({"cpu": cpu2 - cpu, "wall": wall2 - wall, "papers": ix.doc_count(),
                  "failed": 0, "total": clocks()[0]}))
"""
)


def plain_schema() -> object:
    """Today's schema with Whoosh's own composed analyzers in place of paperdeck's."""
    from whoosh.analysis import CompositeAnalyzer

    from store.analysis_memo import MemoAnalyzer
    from store.schema import build_schema

    schema = build_schema()
    for name in schema.names():
        analyzer = getattr(schema[name], "analyzer", None)
        if isinstance(analyzer, MemoAnalyzer):
            schema[name].analyzer = CompositeAnalyzer(*analyzer.items)
    return schema


def bare_schema() -> object:
    """The bare loop's: the schema of version 7 (when the import target was set), Whoosh's
    analyzers: :func:`plain_schema` with the position-free copy of the abstract
    (``abstract_terms``) and Whoosh's numeric tiers (a term every 4 bits) that version 8
    dropped, so the baseline does not move with the store."""
    from whoosh.fields import NUMERIC, TEXT

    schema = plain_schema()
    for name in schema.names():
        if isinstance(schema[name], NUMERIC):
            schema.remove(name)
            schema.add(name, NUMERIC(int, bits=32, sortable=True, signed=False))
    schema.add("abstract_terms", TEXT(analyzer=schema["abstract"].analyzer, phrase=False))
    return schema


def documents(pages: list[Path]) -> list[dict[str, object]]:
    """The documents paperdeck writes for these text pages, one per paper."""
    from store.pages import decode_page, parse_page
    from store.records import merge, observations_from_page, to_document
    from store.sourcestore import content_hash

    papers: dict[str, object] = {}
    for path in pages:
        data = path.read_bytes()
        page = parse_page(decode_page(data), fallback_year=2026)
        for obs in observations_from_page(page, path.name, content_hash(data)):
            papers[obs.paper_id] = merge(papers.get(obs.paper_id), obs)  # type: ignore[arg-type]
    return [to_document(p) for p in papers.values()]  # type: ignore[arg-type]


def bare_documents(pages: list[Path]) -> list[dict[str, object]]:
    """The documents of version 7 (:func:`bare_schema`) for these pages."""
    return [{**doc, "abstract_terms": doc["abstract"]} for doc in documents(pages)]


def _run(script: str, code: Path, pages: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="paperdeck-bench-import-") as target:
        out = Path(target) / "library"
        out.mkdir()
        done = subprocess.run(
            [sys.executable, "-c", script, str(code), str(out), str(pages)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _spread(values: list[float], digits: int = 2) -> str:
    return (
        f"{statistics.median(values):.{digits}f} "
        f"({min(values):.{digits}f}-{max(values):.{digits}f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, help="a folder of saved pages to import")
    parser.add_argument("--size", type=int, default=3000, help="else synthetic papers")
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperdeck-bench"))
    parser.add_argument("--code", type=Path, nargs="+", default=[ROOT], help="checkouts")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pages: Path = args.pages
    if pages is None:
        from tests.benchmarks.synthetic import generate_pages

        pages = args.work / f"pages-{args.size}"
        if not (pages / ".complete").exists():
            shutil.rmtree(pages, ignore_errors=True)
            generate_pages(pages, args.size)
            (pages / ".complete").write_text("ok")
    variants = [(f"paperdeck {code}", PAPERDECK, code) for code in args.code]
    variants.append(("bare Whoosh loop", BARE, ROOT))
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in variants}
    for round_no in range(args.rounds):
        for name, script, code in variants:
            runs[name].append(_run(script, code, pages))
        print(
            f"round {round_no + 1}: "
            + ", ".join(f"{name} {runs[name][-1]['cpu']:.2f} s" for name, _, _ in variants),
            flush=True,
        )
    bare = runs["bare Whoosh loop"]
    print(f"\n{pages}: {args.rounds} rounds, CPU and wall seconds, median (range)")
    for name, _, _ in variants:
        got = runs[name]
        line = (
            f"{name}: cpu {_spread([r['cpu'] for r in got])}, "
            f"wall {_spread([r['wall'] for r in got])}, "
            f"process total cpu {_spread([r['total'] for r in got])}, "
            f"{int(got[0]['papers'])} papers, {int(got[0]['failed'])} pages failed"
        )
        if got is not bare:
            ratios = [b["cpu"] / r["cpu"] for b, r in zip(bare, got, strict=True)]
            walls = [b["wall"] / r["wall"] for b, r in zip(bare, got, strict=True)]
            line += f"; vs bare: cpu {_spread(ratios)}x, wall {_spread(walls)}x"
        print(line)


if __name__ == "__main__":
    main()
