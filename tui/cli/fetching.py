"""``paperdeck fetch``: the daily papers from Hugging Face, imported like saved pages.

Everything is fetched first, then imported at once: offline, refused or interrupted,
nothing in the library changes and one line says why (exit status 1).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from store import ImportReport, Library
from store.fetch import Fetched, Fetcher, endpoint_from_env, last_days

from .output import err

__all__ = ["run_fetch"]

_WEEK = re.compile(r"^\d{4}-W\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def run_fetch(
    library: Library, args: argparse.Namespace, print_report: Callable[[ImportReport], None]
) -> int:
    """Fetch what ``args`` asks for and import it; the exit status."""
    endpoint, token = endpoint_from_env(args.endpoint)
    fetcher = Fetcher(endpoint, token, notice=lambda line: err.print(Text(line, style="yellow")))
    try:
        answers = _fetch(fetcher, args)
    finally:
        fetcher.close()
    if not answers:
        err.print(Text("The site had no papers for that; nothing imported.", style="yellow"))
        return 0
    report = library.import_fetched(answers)
    print_report(report)
    return 0 if report.ok else 1


def _fetch(fetcher: Fetcher, args: argparse.Namespace) -> list[Fetched]:
    if args.paper:
        return fetcher.papers(args.paper)
    if args.trending:
        return fetcher.trending()
    if args.week:
        return fetcher.week(_checked(args.week, _WEEK, "--week", "2024-W47"))
    if args.month:
        return fetcher.month(_checked(args.month, _MONTH, "--month", "2024-11"))
    if args.days:
        days = last_days(args.days)
    else:
        days = [_day(args.date) if args.date else datetime.now(UTC).date()]
    answers: list[Fetched] = []
    progress = Progress(
        TextColumn("fetching"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=len(days) < 2 or not err.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=len(days))
        for day in days:
            progress.update(task, description=day.isoformat())
            answers += fetcher.daily(day)
            progress.advance(task)
    return answers


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(_usage(f"--date {text!r} is not a date like 2024-11-25")) from None


def _checked(text: str, pattern: re.Pattern[str], option: str, example: str) -> str:
    if not pattern.match(text):
        raise SystemExit(_usage(f"{option} {text!r} is not like {example}"))
    return text


def _usage(line: str) -> int:
    err.print(Text(f"paperdeck fetch: {line}", style="red"))
    return 2
