"""A cold ``paperdeck search``: from spawning the process to its exit.

    uv run python tests/benchmarks/bench_startup.py [--library DIR] [--runs 15]

Runs, each a fresh process and interleaved (A B C A B C ...): the bare interpreter
(``python -c pass``), ``paperdeck --help`` and ``paperdeck search WORD`` on a library
(``--library``, else one built from the sample pages shipped in the package). Modules are
compiled to bytecode first, as a user's first run leaves them (this machine sets
PYTHONDONTWRITEBYTECODE, which would compile every module in every process). Reported:
CPU (user + system) and wall seconds, medians and ranges; and the modules that take the
longest to import (``python -X importtime``), for the search.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def _compile(roots: list[Path]) -> None:
    folders = [sysconfig.get_paths()["purelib"]]
    folders += [str(root / part) for root in roots for part in ("store", "tui")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *folders],
        check=False,
        stdout=subprocess.DEVNULL,
    )


def _slowest_imports(command: list[str], env: dict[str, str], count: int = 12) -> list[str]:
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (.*)", line)
        if found and found.group(3).strip().count(".") == 0:  # top-level packages
            rows.append((int(found.group(2)), found.group(3).strip()))
    return [f"{name} {micros / 1000:.1f} ms" for micros, name in sorted(rows, reverse=True)[:count]]


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, help="the library to search")
    parser.add_argument("--word", default="transformer", help="what to search for")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--code", type=Path, nargs="+", default=[ROOT], help="checkouts to compare (default: this)"
    )
    args = parser.parse_args()
    _compile(args.code)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="paperdeck-bench-startup-") as scratch:
        library = args.library
        if library is None:
            library = Path(scratch) / "library"
            pages = ROOT / "store" / "sample_pages"
            cli = [sys.executable, "-m", "tui.cli", "--data-dir", str(library)]
            subprocess.run([*cli, "import", str(pages)], env=env, check=True, capture_output=True)
        python = [sys.executable]
        search = [*python, "-m", "tui.cli", "--data-dir", str(library), "search", args.word]
        commands: dict[str, tuple[list[str], Path]] = {
            "python -c pass": ([*python, "-c", "pass"], ROOT),
            "paperdeck --help": ([*python, "-m", "tui.cli", "--help"], ROOT),
        }
        for root in args.code:  # python -m runs the code of its working folder
            where = "" if args.code == [ROOT] else f" ({root})"
            commands[f"paperdeck search {args.word}{where}"] = (search, root)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, cwd) in commands.items():
                results[name].append(_timed(command, env, cwd))
        print(f"{args.runs} interleaved runs each, CPU and wall, median (range):")
        for name, got in results.items():
            cpu = [c for c, _ in got]
            wall = [w for _, w in got]
            print(f"  {name}: cpu {_spread(cpu)}, wall {_spread(wall)}")
        print("slowest imports of the search:", ", ".join(_slowest_imports(search, env)))


if __name__ == "__main__":
    main()
