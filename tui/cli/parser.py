"""The ``paperdeck`` command line's arguments: argparse only, nothing heavy.

``paperdeck --help`` and ``--version`` are answered from here, without the store's
index and models (Whoosh, pydantic), Rich or Textual: the export formats and the data
folder's variable come from modules of the store that import neither.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from store.formats import FORMATS
from store.paths import DATA_DIR_ENV

__all__ = [
    "COMMANDS",
    "build_open_parser",
    "build_parser",
    "exclusions_as_words",
    "wants_app",
]

YEAR_HELP = (
    "Year for dates shown without one. The site leaves the year out of dates in the "
    'year the page was saved ("Sep 29"); paperdeck gives them --year if set, else the '
    "newest explicit year on the page plus one (the page was saved after every dated "
    "paper on it), else the year of the file's modification time."
)
COMMANDS = (
    "import",
    "search",
    "show",
    "related",
    "bookmark",
    "bookmarks",
    "read",
    "export",
    "info",
    "reindex",
    "sources",
    "fetch",
)
_EXCLUSION = re.compile(r"^-[^\W\d_][\w-]*$")  # -vision, not -5 or --json


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only for --version

    try:
        return version("paperdeck")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings,
            dest=argparse.SUPPRESS,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show program's version number and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        sys.stdout.write(f"paperdeck {_version()}\n")
        parser.exit()


def _at_least(smallest: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``smallest``."""

    def number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < smallest:
            raise argparse.ArgumentTypeError(f"{value} is less than {smallest}")
        return value

    return number


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"library folder (default: ${DATA_DIR_ENV}, else the user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (subcommands and their options)."""
    parser = argparse.ArgumentParser(
        prog="paperdeck",
        description=(
            "Read, search and bookmark saved Hugging Face Papers pages from the terminal. "
            "Without a command, opens the reader app (importing PATHs first)."
        ),
        epilog="Run 'paperdeck COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action=_VersionAction)
    _common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="import saved pages (files or folders) or a paperdeck JSON backup",
        description=(
            "Import saved papers pages. The same paper on several pages is one paper; "
            "importing a page twice changes nothing. A JSON export made by "
            "'paperdeck export --format json' restores bookmarks, tags, notes and read state. "
            "Bad files are reported one line each; the exit status is 1 if any failed."
        ),
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--year", type=int, help=YEAR_HELP)
    _common(p)

    p = sub.add_parser(
        "search",
        help="search the library",
        description=(
            "Search titles, abstracts and organisations. Words are ANDed; also OR, NOT "
            '(or -word), "phrases", title:/abstract:/org:/tag: prefixes, year:2024, '
            "upvotes:>=10, prefix trans*, fuzzy transfromer~. An empty query lists every "
            "paper. Example: paperdeck search transformers -vision"
        ),
    )
    p.add_argument("query", nargs="*", help="the query (several words are joined)")
    p.add_argument(
        "--sort",
        choices=["relevance", "published", "seen", "rising", "upvotes", "title", "date"],
        default="relevance",
        help="relevance; published (newest first, undated last); seen (newest arrival "
        "first); rising (upvotes gained a day); upvotes; title. 'date' is published "
        "(default: %(default)s)",
    )
    p.add_argument("--limit", type=_at_least(1), default=20, help="how many results to print")
    p.add_argument("--offset", type=_at_least(0), default=0, help="how many results to skip first")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    _common(p)

    p = sub.add_parser(
        "show", help="show one paper", description="Show one paper by id (or a unique id prefix)."
    )
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser(
        "related", help="papers like this one", description="Papers like this one, found offline."
    )
    p.add_argument("id")
    p.add_argument("--limit", type=_at_least(1), default=8, help="how many papers to print")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser(
        "bookmark", help="add or remove a bookmark", description="Add or remove a bookmark."
    )
    p.add_argument("action", choices=["add", "remove"])
    p.add_argument("id")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="add a tag (repeatable); with remove, take the tag off and keep the bookmark",
    )
    p.add_argument("--note", help="set the bookmark's note")
    _common(p)

    p = sub.add_parser(
        "bookmarks", help="list bookmarks", description="List bookmarks, newest first."
    )
    p.add_argument("--tag", help="only bookmarks with this tag")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser(
        "read", help="mark a paper read", description="Mark a paper read (or --unread)."
    )
    p.add_argument("id")
    p.add_argument("--unread", action="store_true", help="mark it unread instead")
    _common(p)

    p = sub.add_parser(
        "export",
        help="export bookmarks (BibTeX, RIS, Markdown, CSV, JSON)",
        description=(
            "Export bookmarks (or --all papers) to FILE, or to standard output. "
            "The JSON export is a full backup that 'paperdeck import' restores."
        ),
    )
    p.add_argument("--format", choices=FORMATS, default="bibtex")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (default: stdout)")
    p.add_argument("--all", action="store_true", help="every paper, not only bookmarks")
    p.add_argument("--tag", help="only papers with this tag")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    _common(p)

    p = sub.add_parser(
        "info", help="paths, counts and index health", description="Paths, counts and index health."
    )
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser(
        "reindex",
        help="rebuild the search index from the stored pages",
        description=(
            "Rebuild the search index from the stored pages. Bookmarks are not touched. "
            "--year PAGE=YEAR gives a stored page (its file name, or the start of its hash "
            "as 'paperdeck sources' shows it) the year of its dates without one, when the "
            "year paperdeck worked out (shown by import) is wrong."
        ),
    )
    p.add_argument(
        "--year",
        action="append",
        default=[],
        metavar="PAGE=YEAR",
        help="the year of a stored page's dates without one (repeatable)",
    )
    _common(p)

    p = sub.add_parser(
        "sources",
        help="list the stored pages and backups, or remove one",
        description=(
            "List every stored source (saved page or backup) with its hash, or remove one "
            "('sources remove HASH', a unique prefix of at least 6 characters): the index "
            "is rebuilt without it; papers seen only there disappear, bookmarks stay."
        ),
    )
    p.add_argument("action", nargs="?", choices=["list", "remove"], default="list")
    p.add_argument("hash", nargs="?", help="with remove: the source's hash (or its start)")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    _common(p)

    p = sub.add_parser(
        "fetch",
        help="fetch the daily papers from Hugging Face and import them",
        description=(
            "Fetch papers from Hugging Face (today's daily papers unless told otherwise) "
            "and import them like saved pages: each answer is stored, so reindex rebuilds "
            "it, and fetching the same day again later records how upvotes grew. Offline "
            "or refused: one line, exit status 1, nothing in the library changes. The "
            "endpoint is https://huggingface.co, or $HF_ENDPOINT, or --endpoint; $HF_TOKEN, "
            "when set, is sent as a bearer token."
        ),
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument("--date", metavar="YYYY-MM-DD", help="the daily papers of that day")
    when.add_argument("--days", type=_at_least(1), metavar="N", help="the last N days")
    when.add_argument("--week", metavar="YYYY-Www", help="a week's papers, e.g. 2024-W47")
    when.add_argument("--month", metavar="YYYY-MM", help="a month's papers, e.g. 2024-11")
    when.add_argument("--trending", action="store_true", help="the trending papers now")
    when.add_argument(
        "--paper", nargs="+", metavar="ID", help="single papers by arXiv id (2411.15124)"
    )
    p.add_argument("--endpoint", metavar="URL", help="instead of $HF_ENDPOINT or the site")
    _common(p)
    return parser


def build_open_parser() -> argparse.ArgumentParser:
    """The parser for ``paperdeck [PATH...]`` (open the app)."""
    parser = argparse.ArgumentParser(prog="paperdeck", add_help=False)
    _common(parser)
    parser.add_argument("--year", type=int)
    parser.add_argument("paths", nargs="*", type=Path)
    return parser


def wants_app(argv: Sequence[str]) -> bool:
    """Whether ``argv`` opens the reader (no command, maybe paths) rather than a command."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--data-dir", "--year"):
            skip = True
            continue
        if arg.startswith("-"):
            return arg not in ("-h", "--help", "--version")
        return arg not in COMMANDS
    return True


def exclusions_as_words(args: list[str]) -> list[str]:
    """``search transformers -vision``: a ``-word`` after ``search`` is part of the query
    (excluding the word), not an unknown option; the search's own options still work."""
    if "search" not in args:
        return args
    at = args.index("search")
    options = {"-h", "--help"}
    return [
        *args[: at + 1],
        *(
            f"NOT {arg[1:]}" if _EXCLUSION.match(arg) and arg not in options else arg
            for arg in args[at + 1 :]
        ),
    ]
