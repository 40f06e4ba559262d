"""``paperdeck queue`` and ``paperdeck undo``: the reading queue and undo on the command
line.

:func:`add_commands` adds the arguments (argparse only: ``--help`` loads nothing
heavy); the handlers below load the store and Rich when they run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store import Library

__all__ = ["NAMES", "add_commands", "cmd_queue", "cmd_undo"]

NAMES = ("queue", "undo")
_ID_HELP = "a paper's id, a unique start of it (6+ characters), or its arXiv id"


def add_commands(
    sub: Any,
    common: Callable[[argparse.ArgumentParser], None],
    formatter: Callable[[str], argparse.HelpFormatter] = argparse.HelpFormatter,
) -> None:
    """Add ``queue`` (with its actions) and ``undo`` to the subcommands (``sub``, the
    top-level parser's subparsers action); ``formatter`` formats their help."""
    queue = sub.add_parser(
        "queue",
        formatter_class=formatter,
        help="the reading queue: what to read next, in order",
        description=(
            "An ordered to-read list, separate from bookmarks. 'queue next' prints the "
            "first paper in it not marked read; mark it read with 'paperdeck read ID'."
        ),
    )
    common(queue)
    # prog given: argparse would format a usage line (and load Rich) to work it out
    actions = queue.add_subparsers(
        dest="action", metavar="ACTION", required=True, prog="paperdeck queue"
    )

    def add(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(
            name, help=summary, description=description, formatter_class=formatter
        )
        return parser

    p = add("add", "queue papers (at the end)", "Queue papers (at the end, or --front).")
    p.add_argument("ids", nargs="+", metavar="ID", help=_ID_HELP)
    p.add_argument("--front", action="store_true", help="put them first, in the order given")
    common(p)
    p = add("rm", "take papers out of the queue", "Take papers out of the reading queue.")
    p.add_argument("ids", nargs="+", metavar="ID", help=_ID_HELP)
    common(p)
    p = add("ls", "list the queue in order", "List the queue in reading order.")
    p.add_argument("--json", action="store_true", help="print the queue as JSON")
    common(p)
    p = add(
        "next",
        "print the first unread paper in the queue",
        "Print the first unread paper in the queue; exit status 1 if there is none.",
    )
    common(p)
    for name, where in (("up", "earlier"), ("down", "later")):
        p = add(name, f"move a paper one place {where}", f"Move a paper one place {where}.")
        p.add_argument("id", metavar="ID", help=_ID_HELP)
        common(p)
    p = sub.add_parser(
        "undo",
        formatter_class=formatter,
        help="undo the last change to bookmarks, tags, notes, read state or the queue",
        description=(
            "Put the user-data file back as it was before the last change (up to 20 "
            "changes, one at a time). Refused if the file was changed by something else."
        ),
    )
    common(p)


def cmd_queue(library: Library, args: argparse.Namespace) -> int:
    """Run one queue action."""
    from rich.text import Text

    from store.text import strip_control

    from ..render import paper_line
    from .output import err, out

    if args.action == "add":
        papers = library.queue_add(args.ids, front=args.front)
        for paper in papers:
            out.print(Text(f"queued: {strip_control(paper.title)}"))
    elif args.action == "rm":
        left = library.queue_remove(args.ids)
        out.print(Text(f"removed from the queue; {len(left)} left"))
    elif args.action in ("up", "down"):
        place = library.queue_move(args.id, -1 if args.action == "up" else 1)
        out.print(Text(f"moved {args.action}: now {place + 1} of {len(library.queue())}"))
    elif args.action == "next":
        upcoming = library.queue_next()
        if upcoming is None:
            err.print(Text("paperdeck: the queue has no unread paper", style="red"))
            return 1
        out.print(paper_line(upcoming))
    else:
        return _list(library, args.json)
    return 0


def _list(library: Library, as_json: bool) -> int:
    import json

    from rich.text import Text

    from ..render import paper_line
    from .output import err, out

    queue = library.queue()
    if as_json:
        rows = [
            {
                "position": number,
                "id": place.id,
                "missing": place.missing,
                "paper": place.paper.model_dump(mode="json") if place.paper else None,
            }
            for number, place in enumerate(queue, start=1)
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for number, place in enumerate(queue, start=1):
        line = Text(f"{number:>3}. ")
        if place.paper is None:
            line.append(f"{place.id}  (missing: its page was removed from the library)", "dim")
        else:
            line.append_text(paper_line(place.paper))
        out.print(line)
    err.print(Text(f"{len(queue)} in the queue", style="dim"))
    return 0


def cmd_undo(library: Library, args: argparse.Namespace) -> int:
    """Undo the last change to the user's data."""
    from rich.text import Text

    from store.text import strip_control

    from .output import out

    out.print(Text(f"undid: {strip_control(library.undo())}"))
    return 0
