"""Reader benchmark at scale: first screen, key repaint, search keystrokes, memory.

    uv run python tests/benchmarks/bench_app.py --size 100000

Uses (or builds) the library of ``bench_store.py`` under --work. Every number comes from
the real app driven headless by Textual's Pilot, each run in a fresh process, the empty
app's runs and paperdeck's interleaved (ratios are per pair: median and range):

- first screen: until the library list is painted with its first rows, against an empty
  Textual app (a Static and a Footer) until its first paint; both from creating the App
  and from spawning the process (what a user waits after pressing Enter). A start after
  a start paints the rows its last run saved (``store/first_screen.py``) while the
  library opens; so the library's own rows on screen (keys act on them) are timed too
  ("library ready"), and so are starts without saved rows (a new version, a reader that
  was killed: the file is removed before those runs);
- key repaint: ``j``/``k``/``G``/``g``/page keys in the list, from the key press to the
  screen repainted with the new cursor (rows loaded);
- search: every keystroke of a few queries typed one character at a time, from the key
  to its results on screen (stale answers dropped, as in use);
- memory: peak RSS of the app process after all of the above.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.stats import percentile  # noqa: E402

SEARCHES = ["language model", "diffusion transformer", "reinforcement learning", "quantization"]


async def _empty_app() -> tuple[float, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    painted = asyncio.Event()

    class Empty(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(painted.set)

    started = time.perf_counter()
    app = Empty()
    async with app.run_test(size=(120, 36)):
        await painted.wait()
        return time.perf_counter() - started, time.time()


async def _paperdeck(data_dir: Path) -> dict[str, object]:
    from textual.screen import Screen
    from textual.widgets import Input

    from tui.app import PaperdeckApp
    from tui.config import Config
    from tui.screens.library import LibraryScreen
    from tui.screens.search import SearchScreen
    from tui.widgets.paper_list import PaperList
    from tui.widgets.sources import RowSource

    frames: list[float] = []  # when each frame finished painting
    paint = Screen._compositor_refresh

    def painted(self: Screen[object]) -> None:
        paint(self)
        frames.append(time.perf_counter())

    Screen._compositor_refresh = painted  # type: ignore[method-assign]

    def first_frame_after(t0: float) -> float:
        return next((f for f in frames if f > t0), time.perf_counter())

    shown_rows: list[float] = []  # when the library list got the library's own rows
    show_rows = LibraryScreen._show

    def show(self: LibraryScreen, *args: object) -> None:
        show_rows(self, *args)  # type: ignore[arg-type]
        shown_rows.append(time.perf_counter())

    LibraryScreen._show = show  # type: ignore[method-assign]

    # When the list got rows of any kind, and whether they were the ones the last run
    # saved (drawn while the library opens) or the library's own.
    sources_set: list[tuple[float, bool]] = []
    set_source = PaperList.set_source

    def source_set(self: PaperList, source: RowSource, *args: object, **kwargs: object) -> None:
        set_source(self, source, *args, **kwargs)  # type: ignore[arg-type]
        sources_set.append((time.perf_counter(), not source.loads))

    PaperList.set_source = source_set  # type: ignore[method-assign]

    started = time.perf_counter()
    app = PaperdeckApp(data_dir, config=Config())
    async with app.run_test(size=(120, 36)) as pilot:

        def rows_drawn(loaded: bool) -> bool:
            """The visible rows can be drawn: loaded, or (``loaded`` False) saved by the
            last run."""
            screen = app.screen
            if not isinstance(screen, LibraryScreen) or (loaded and not screen.loaded):
                return False
            plist = screen.query_one(PaperList)
            if not len(plist.source):
                return False
            height = plist.scrollable_content_region.height
            return all(
                plist.source.cached(i) is not None
                or (not loaded and plist.source.preview(i) is not None)
                for i in range(min(height, len(plist.source)))
            )

        while not rows_drawn(loaded=False):
            await asyncio.sleep(0.002)
        await pilot.pause()  # the paint that shows them
        first_set, previewed = sources_set[0]  # this poll may have woken up later
        first = first_frame_after(first_set) - started
        first_wall = time.time() - (time.perf_counter() - started - first)
        while not rows_drawn(loaded=True):
            await asyncio.sleep(0.002)
        await pilot.pause()
        ready = first_frame_after(shown_rows[0]) - started
        ready_wall = time.time() - (time.perf_counter() - started - ready)
        plist = app.screen.query_one(PaperList)

        filled_at: list[float] = []  # when a load brought the cursor's missing row
        load = PaperList._loaded

        def loaded(self: PaperList, source: object) -> None:
            missing = self.current is None
            load(self, source)  # type: ignore[arg-type]
            if missing and self.current is not None:
                filled_at.append(time.perf_counter())

        PaperList._loaded = loaded  # type: ignore[method-assign]

        async def timed(key: str) -> float:
            """From the key to the first frame painted with the cursor's row loaded (read
            ahead rows loading in the background do not count; a row the key had to
            wait for does)."""
            await pilot.pause()
            t0 = time.perf_counter()
            await pilot.press(key)
            while plist.current is None:
                await asyncio.sleep(0.001)
            await pilot.pause()
            ready = max([t0, *(t for t in filled_at if t > t0)])
            return (first_frame_after(ready) - t0) * 1000

        keys = (
            ["j"] * 60 + ["k"] * 20 + ["pagedown"] * 10 + ["G", "k", "k", "g", "pagedown", "pageup"]
        )
        repaint = [await timed(key) for key in keys]

        shown_at: list[float] = []
        show = SearchScreen._show

        def shown(self: SearchScreen, generation: int, results: object) -> None:
            show(self, generation, results)  # type: ignore[arg-type]
            shown_at.append(time.perf_counter())

        SearchScreen._show = shown  # type: ignore[method-assign]
        await pilot.press("slash")
        while not isinstance(app.screen, SearchScreen):
            await asyncio.sleep(0.001)
        screen = app.screen
        box = screen.query_one(Input)
        while not box.has_focus:
            await asyncio.sleep(0.001)
        keystrokes: list[float] = []
        for query in SEARCHES:
            box.value = ""
            await pilot.pause()
            for char in query:
                await pilot.pause()
                t0 = time.perf_counter()
                await pilot.press(char if char != " " else "space")
                expected = box.value
                while screen.results is None or screen.results.query != expected:
                    await asyncio.sleep(0.001)
                await pilot.pause()
                keystrokes.append((first_frame_after(shown_at[-1]) - t0) * 1000)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "first_screen_s": first,
        "first_screen_wall": first_wall,
        "ready_s": ready,
        "ready_wall": ready_wall,
        "previewed": previewed,
        "repaint_ms": repaint,
        "repaint_keys": keys,
        "keystroke_ms": keystrokes,
        "keystroke_queries": [q[: i + 1] for q in SEARCHES for i in range(len(q))],
        "rss_mb": rss_mb,
    }


def _slowest(runs: list[dict[str, object]], times: str, labels: str) -> list[str]:
    """The three slowest measurements and what caused them (a key, a query so far)."""
    pairs = [
        (float(ms), str(label))
        for r in runs
        for ms, label in zip(r[times], r[labels], strict=True)  # type: ignore[call-overload]
    ]
    return [f"{label!r} {ms:.1f} ms" for ms, label in sorted(pairs, reverse=True)[:3]]


def _child(kind: str, data_dir: str) -> None:
    if kind == "empty":
        first, wall = asyncio.run(_empty_app())
        print(json.dumps({"first_screen_s": first, "first_screen_wall": wall}))
    else:
        print(json.dumps(asyncio.run(_paperdeck(Path(data_dir)))))


def _run_child(kind: str, data_dir: Path) -> dict[str, object]:
    """Run one measurement in a fresh process; adds ``from_start_s``, the time from
    spawning the process to the first full screen (what the user waits)."""
    spawned = time.time()
    out = subprocess.check_output(
        [sys.executable, __file__, "--child", kind, "--data", str(data_dir)], cwd=ROOT, text=True
    )
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    result["from_start_s"] = float(result["first_screen_wall"]) - spawned  # type: ignore[arg-type]
    if "ready_wall" in result:
        result["ready_from_start_s"] = float(result["ready_wall"]) - spawned  # type: ignore[arg-type]
    return result


def _paired(
    runs: list[dict[str, object]], key: str, empty: list[dict[str, object]], of: str
) -> dict[str, object]:
    """Median of ``key`` over ``runs``, and its ratio to the empty app's ``of`` run by run
    (median and range)."""
    mine = [float(r[key]) for r in runs]  # type: ignore[arg-type]
    ratios = sorted(m / float(e[of]) for m, e in zip(mine, empty, strict=True))  # type: ignore[arg-type]
    return {
        "s": round(statistics.median(mine), 3),
        "ratio": round(statistics.median(ratios), 2),
        "range": [round(ratios[0], 2), round(ratios[-1], 2)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperdeck-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.data)
        return
    # Python caches compiled modules after the first run; this machine sets
    # PYTHONDONTWRITEBYTECODE, which would make every process compile every module of
    # Textual (and ours) from source. Compile once, as a user's first run would.
    site_packages = Path(sysconfig.get_paths()["purelib"])
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            str(site_packages),
            str(ROOT / "store"),
            str(ROOT / "tui"),
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    data_dir = args.work / f"lib-{args.size}"
    if not (data_dir / "index").is_dir():
        from store import Library
        from tests.benchmarks.bench_store import _pages

        with Library.open(data_dir) as library:
            library.import_pages(_pages(args.work, args.size))
    # Interleaved (empty, paperdeck, paperdeck without its saved first screen ...): a
    # busy machine slows all three. A start with no saved first screen (a new version,
    # a reader that was killed) is timed by removing the file first.
    saved_screen = data_dir / "index" / "paperdeck-first-screen.json"
    empty_runs: list[dict[str, object]] = []
    runs: list[dict[str, object]] = []
    fresh_runs: list[dict[str, object]] = []
    _run_child("paperdeck", data_dir)  # leaves the first screen saved for the next start
    for _ in range(args.runs):
        empty_runs.append(_run_child("empty", data_dir))
        runs.append(_run_child("paperdeck", data_dir))
        saved_screen.unlink(missing_ok=True)
        fresh_runs.append(_run_child("paperdeck", data_dir))
    repaint = [v for r in runs for v in r["repaint_ms"]]  # type: ignore[attr-defined]
    keystrokes = [v for r in runs for v in r["keystroke_ms"]]  # type: ignore[attr-defined]
    result = {
        "papers": args.size,
        "empty_app_first_screen_s": round(
            statistics.median(float(r["first_screen_s"]) for r in empty_runs),
            3,  # type: ignore[arg-type]
        ),
        "empty_app_from_process_start_s": round(
            statistics.median(float(r["from_start_s"]) for r in empty_runs),
            3,  # type: ignore[arg-type]
        ),
        "saved_first_screen_used": [bool(r["previewed"]) for r in runs],
        "first_screen": _paired(runs, "first_screen_s", empty_runs, "first_screen_s"),
        "first_screen_from_process_start": _paired(
            runs, "from_start_s", empty_runs, "from_start_s"
        ),
        "library_ready_from_process_start": _paired(
            runs, "ready_from_start_s", empty_runs, "from_start_s"
        ),
        "no_saved_screen_used": [bool(r["previewed"]) for r in fresh_runs],
        "no_saved_screen_first_screen_from_process_start": _paired(
            fresh_runs, "from_start_s", empty_runs, "from_start_s"
        ),
        "repaint_p50_ms": round(percentile(repaint, 50), 1),
        "repaint_p95_ms": round(percentile(repaint, 95), 1),
        "repaint_max_ms": round(max(repaint), 1),
        "keystroke_p50_ms": round(percentile(keystrokes, 50), 1),
        "keystroke_p95_ms": round(percentile(keystrokes, 95), 1),
        "peak_rss_mb": round(max(float(r["rss_mb"]) for r in runs), 1),  # type: ignore[arg-type]
        "slowest_repaints": _slowest(runs, "repaint_ms", "repaint_keys"),
        "slowest_keystrokes": _slowest(runs, "keystroke_ms", "keystroke_queries"),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
