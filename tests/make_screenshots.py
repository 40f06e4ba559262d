"""Make screenshots/ from the real app on the seed pages: an SVG and a PNG per screen.

    uv run python tests/make_screenshots.py [--seeds ../shared/seeds]

The app runs headless at 120x36 on a temporary library built from the seed pages and a
day of Hugging Face data fetched three times (tests/hf_fixtures), with a few bookmarks,
tags and a note so that every screen has something to show.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402

from store import Library  # noqa: E402
from tests.pictures import hold_still, until_library_loaded  # noqa: E402
from tui.app import PaperdeckApp  # noqa: E402
from tui.config import Config  # noqa: E402

OUT = ROOT / "screenshots"
SIZE = (120, 36)


async def _library(pilot: Pilot[None]) -> None:
    await pilot.press("j", "j", "j")


async def _detail(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"tulu 3")
    await pilot.pause(0.6)
    await pilot.press("down", "enter")
    await pilot.pause(0.8)


async def _search(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"fine tuning lora")
    await pilot.pause(0.6)
    await pilot.press("down", "j")


async def _bookmarks(pilot: Pilot[None]) -> None:
    await pilot.press("3")
    await pilot.pause(0.5)


async def _queue(pilot: Pilot[None]) -> None:
    await pilot.press("4")
    await pilot.pause(0.6)


async def _triage(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"distillation")
    await pilot.pause(0.6)
    await pilot.press("down", "T")
    await pilot.pause(0.6)
    await pilot.press("l")  # one left for later: the progress line counts it
    await pilot.pause(0.4)


async def _selection(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"mixture of experts")
    await pilot.pause(0.6)
    await pilot.press("down", "space", "j", "space", "j", "j", "V")  # two, then a range
    await pilot.pause(0.4)


async def _priority(pilot: Pilot[None]) -> None:
    await pilot.press(*"s" * 5, "j")  # published, seen, rising, upvotes, title, priority
    await pilot.pause(0.8)


async def _saved(pilot: Pilot[None]) -> None:
    await pilot.press("5")
    await pilot.pause(0.6)


async def _help(pilot: Pilot[None]) -> None:
    await pilot.press("question_mark")


async def _palette(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+p", *"distill")
    await pilot.pause(0.8)


SHOTS: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "library": _library,
    "detail": _detail,
    "search": _search,
    "bookmarks": _bookmarks,
    "queue": _queue,
    "triage": _triage,
    "selection": _selection,
    "priority": _priority,
    "saved": _saved,
    "help": _help,
    "palette": _palette,
}


async def shoot(data_dir: Path, name: str, steps: Callable[[Pilot[None]], Awaitable[None]]) -> Path:
    app = PaperdeckApp(data_dir, config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await until_library_loaded(pilot)
        await steps(pilot)
        await hold_still(pilot, settle=0.4)
        svg = OUT / f"{name}.svg"
        app.save_screenshot(filename=svg.name, path=str(OUT))
    return svg


def to_png(svg: Path) -> Path:
    """Render the SVG to PNG. Textual's SVG asks for Fira Code, which cairosvg cannot
    fetch; left to itself, fontconfig then picks a proportional font and every styled
    run drifts away from its column. A monospace font installed here is named instead
    (the SVG file itself is left as Textual wrote it)."""
    import cairosvg

    png = svg.with_suffix(".png")
    text = svg.read_text(encoding="utf-8").replace(
        "font-family: Fira Code, monospace", "font-family: DejaVu Sans Mono, monospace"
    )
    cairosvg.svg2png(bytestring=text.encode("utf-8"), write_to=str(png), output_width=1600)
    return png


def _fetched_twice(library: Library) -> None:
    """Hugging Face's answer for a day, fetched twice a week apart (upvotes grew), so
    the paper screen has authors, an AI summary and an upvote history to show."""
    import json
    from datetime import UTC, datetime

    from store.fetch import Fetched

    answer = (ROOT / "tests" / "hf_fixtures" / "daily_2024-11-25.json").read_text()
    items = json.loads(answer)[:3]
    counts = [
        (datetime(2024, 11, 25, 9, tzinfo=UTC), 64),
        (datetime(2024, 11, 27, 9, tzinfo=UTC), 97),
    ]
    counts.append((datetime(2024, 12, 2, 9, tzinfo=UTC), 131))
    answers = []
    for when, upvotes in counts:
        items[0]["paper"]["upvotes"] = upvotes
        data = json.dumps(items).encode()
        answers.append(Fetched("daily-2024-11-25.json", data, when.date(), when, len(items)))
    for fetched in answers:
        library.import_fetched([fetched])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "lib"
        with Library.open(data_dir) as library:
            pages = sorted(args.seeds.glob("*.txt"))
            half = len(pages) // 2
            first = library.import_pages(pages[:half])  # the rest arrives after the
            library.save_search("quantization", "quantization OR quantized")  # searches
            library.save_search("moe", '"mixture of experts" OR moe')  # are saved: some
            library.save_search("nvidia", "org:nvidia")  # of their papers are new
            second = library.import_pages(pages[half:])
            if not (first.ok and second.ok) or not library.count():
                raise SystemExit(f"could not import the seed pages from {args.seeds}")
            _fetched_twice(library)
            for hit in library.search("distillation", limit=3).hits:
                library.bookmark(hit.paper.id, tags=["distillation"])
            for hit in library.search("tulu 3", limit=1).hits:
                library.bookmark(
                    hit.paper.id, tags=["post-training", "open"], note="Compare with OLMo 2"
                )
            for hit in library.search("", limit=5).hits:
                library.set_read(hit.paper.id)
            queued = library.search("quantization", limit=4).hits
            library.queue_add([hit.paper.id for hit in queued])
        for name, steps in SHOTS.items():
            svg = asyncio.run(shoot(data_dir, name, steps))
            print(f"wrote {svg.relative_to(ROOT)} and {to_png(svg).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
