"""``paperdeck saved`` (searches with a name, and what is new in each) and
``paperdeck digest`` (what arrived, for cron or mail); their arguments are in
:mod:`.subcommands`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time

from rich.text import Text

from store import Library
from store.errors import StoreError

from ..render import paper_line, plural, spans_text
from .output import dump_json, err, out

__all__ = ["cmd_digest", "cmd_saved"]


def _since(text: str) -> tuple[datetime | None, bool]:
    """(since, last) from the --since value."""
    if text == "last":
        return None, True
    if text == "all":
        return None, False
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), UTC), False
        when = datetime.fromisoformat(text)
    except ValueError:
        raise StoreError(f"--since {text!r}: not 'last', 'all', a date or an ISO time") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)), False


def cmd_digest(library: Library, args: argparse.Namespace) -> int:
    since, last = _since(args.since)
    digest = library.digest(since, last=last, only=args.saved)
    text = digest.as_json() if args.format == "json" else digest.as_markdown()
    sys.stdout.write(text)
    return 0


def cmd_saved(library: Library, args: argparse.Namespace) -> int:
    if args.action in ("add", "rm", "show") and not args.name:
        raise StoreError(f"saved {args.action} needs a NAME")
    if args.action == "add":
        query = " ".join(args.query)
        if not query.strip():
            raise StoreError("saved add needs a QUERY after the NAME")
        saved = library.save_search(args.name, query, replace=args.replace)
        found = library.search(saved.query, limit=1).total
        out.print(Text(f"saved {saved.name!r}: {saved.query} ({found} {plural(found, 'paper')})"))
        return 0
    if args.action == "rm":
        gone = library.remove_saved_search(args.name)
        out.print(Text(f"removed the saved search {gone.name!r} ({gone.query})"))
        return 0
    if args.action == "show":
        results = library.open_saved_search(args.name, limit=max(1, args.limit))
        if args.json:
            dump_json(results.model_dump(mode="json"))
            return 0
        for hit in results.hits:
            out.print(paper_line(hit.paper, title=spans_text(hit.paper.title, hit.title_spans)))
        err.print(Text(f"{results.total} {plural(results.total, 'paper')}", style="dim"))
        return 0
    statuses = library.saved_searches()
    if args.json:
        rows = [
            {**s.search.model_dump(mode="json"), "papers": s.total, "new": s.new} for s in statuses
        ]
        dump_json(rows)
        return 0
    if not statuses:
        err.print(Text("no saved searches yet: paperdeck saved add NAME QUERY", style="dim"))
    for status in statuses:
        line = Text(f"{status.search.name}  ", style="bold")
        line.append(f"{status.new} new", style="green" if status.new else "dim")
        line.append(f" of {status.total}  ")
        line.append(status.search.query, style="dim")
        out.print(line)
    return 0
