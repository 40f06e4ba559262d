"""The arguments of each ``paperdeck`` command, every one with its help text.

:func:`add_subcommands` fills the top-level parser's subparsers; each command's options
come after its name (``paperdeck search --limit 5 QUERY``). Completion hints for shtab
are plain attributes (``action.complete``), so building the parser imports nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.formats import FORMATS

__all__ = ["COMMANDS", "DIRECTORY", "FILE", "YEAR_HELP", "add_subcommands", "at_least"]

# shtab's own completion hints (shtab.FILE, shtab.DIRECTORY), written out so that
# building the parser does not import shtab; `--print-completion` does.
FILE = {"bash": "_shtab_compgen_files", "zsh": "_files", "tcsh": "f"}
DIRECTORY = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/", "tcsh": "d"}

YEAR_HELP = (
    "Year for dates shown without one. The site leaves the year out of dates in the "
    'year the page was saved ("Sep 29"); paperdeck gives them --year if set, else the '
    "newest explicit year on the page plus one (the page was saved after every dated "
    "paper on it), else the year of the file's modification time."
)
COMMANDS = (
    "demo",
    "import",
    "fetch",
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
    "saved",
    "digest",
)
SORTS = ["relevance", "published", "seen", "rising", "upvotes", "title", "priority", "date"]
_ID_HELP = "a paper's id, a unique start of it (6+ characters), or its arXiv id"


def at_least(smallest: int) -> Callable[[str], int]:
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


def _hint(action: argparse.Action, hint: dict[str, str]) -> None:
    action.complete = hint  # type: ignore[attr-defined]  # read by shtab


def _json(p: argparse.ArgumentParser, what: str = "the result") -> None:
    p.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def add_subcommands(
    sub: Any,
    common: Callable[[argparse.ArgumentParser], None],
    formatter: Callable[[str], argparse.HelpFormatter],
) -> None:
    """Add every command to ``sub`` (the top-level parser's subparsers action)."""

    def add(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(
            name,
            help=summary,
            description=description,
            formatter_class=formatter,
            epilog="Environment variables and exit statuses: paperdeck --help",
        )
        common(parser)
        return parser

    p = add(
        "demo",
        "open the reader on a sample library (yours is never touched)",
        "Open the reader on a small sample library built from the pages shipped with "
        "paperdeck, in a throwaway folder that goes when the reader closes (or in "
        "--data-dir, kept). --pages prints the folder of the sample pages instead, for "
        "'paperdeck import' or a look at the saved-page format.",
    )
    p.add_argument(
        "--pages", action="store_true", help="print the folder of the sample pages and exit"
    )

    p = add(
        "import",
        "import saved pages (files or folders) or a paperdeck JSON backup",
        "Import saved Hugging Face Papers pages: text or HTML saved from the browser, "
        "the site's JSON, or a paperdeck JSON backup (which restores bookmarks, tags, "
        "notes and read state). The same paper on several pages is one paper; importing "
        "a page twice changes nothing. Bad files are reported one line each; the exit "
        "status is 1 if any failed.",
    )
    _hint(
        p.add_argument(
            "paths", nargs="+", type=Path, metavar="PATH", help="files or folders to import"
        ),
        FILE,
    )
    p.add_argument("--year", type=int, help=YEAR_HELP)

    p = add(
        "fetch",
        "fetch the daily papers from Hugging Face and import them",
        "Fetch papers from Hugging Face (today's daily papers unless told otherwise) "
        "and import them like saved pages: each answer is stored, so reindex rebuilds "
        "it, and fetching the same day again later records how upvotes grew. Offline "
        "or refused: one line, exit status 1, nothing in the library changes.",
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument("--date", metavar="YYYY-MM-DD", help="the daily papers of that day")
    when.add_argument("--days", type=at_least(1), metavar="N", help="the last N days")
    when.add_argument("--week", metavar="YYYY-Www", help="a week's papers, e.g. 2024-W47")
    when.add_argument("--month", metavar="YYYY-MM", help="a month's papers, e.g. 2024-11")
    when.add_argument("--trending", action="store_true", help="the trending papers now")
    when.add_argument(
        "--paper", nargs="+", metavar="ID", help="single papers by arXiv id (2411.15124)"
    )
    p.add_argument(
        "--endpoint",
        metavar="URL",
        help="the site to ask (default: $HF_ENDPOINT, else https://huggingface.co)",
    )

    p = add(
        "search",
        "search the library",
        "Search titles, abstracts, authors and organisations. Words are ANDed; also OR, "
        'NOT (or -word), "phrases", title:/abstract:/org:/author:/tag: prefixes, '
        "year:2024, upvotes:>=10, authors:<5, prefix trans*, fuzzy transfromer~. An empty "
        "query lists every paper. Example: paperdeck search transformers -vision",
    )
    p.add_argument("query", nargs="*", help="the query (several words are joined)")
    p.add_argument(
        "--sort",
        choices=SORTS,
        default="relevance",
        help="relevance; published (newest first, undated last); seen (newest arrival "
        "first); rising (upvotes gained a day); upvotes; title; priority (what to read "
        "first, with why; weighted by the config file's priority table). 'date' is published",
    )
    p.add_argument("--limit", type=at_least(1), default=20, help="how many results to print")
    p.add_argument("--offset", type=at_least(0), default=0, help="how many results to skip first")
    _json(p, "the results")

    p = add("show", "show one paper", "Show one paper: metadata, abstract, links, sightings.")
    p.add_argument("id", help=_ID_HELP)
    _json(p, "the paper")

    p = add("related", "papers like this one", "Papers like this one, found offline.")
    p.add_argument("id", help=_ID_HELP)
    p.add_argument("--limit", type=at_least(1), default=8, help="how many papers to print")
    _json(p, "the papers")

    p = add("bookmark", "add or remove a bookmark", "Add or remove a bookmark, its tags, its note.")
    p.add_argument("action", choices=["add", "remove"], help="add (or update) or remove")
    p.add_argument("id", help=_ID_HELP)
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="add a tag (repeatable); with remove, take the tag off and keep the bookmark",
    )
    p.add_argument("--note", help="set the bookmark's note (replacing the old one)")

    p = add("bookmarks", "list bookmarks", "List bookmarks, newest first.")
    p.add_argument("--tag", help="only bookmarks with this tag")
    _json(p, "the bookmarks")

    p = add("read", "mark a paper read", "Mark a paper read (or --unread).")
    p.add_argument("id", help=_ID_HELP)
    p.add_argument("--unread", action="store_true", help="mark it unread instead")

    p = add(
        "export",
        "export bookmarks (BibTeX, RIS, Markdown, CSV, JSON)",
        "Export bookmarks (or --all papers) to FILE, or to standard output. The JSON "
        "export is a full backup that 'paperdeck import' restores.",
    )
    p.add_argument("--format", choices=FORMATS, default="bibtex", help="the file format")
    _hint(
        p.add_argument(
            "-o", "--output", type=Path, metavar="FILE", help="write here (default: stdout)"
        ),
        FILE,
    )
    p.add_argument("--all", action="store_true", help="every paper, not only bookmarks")
    p.add_argument("--tag", help="only papers with this tag")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    p = add(
        "info",
        "paths, counts, config and index health",
        "Where the library, its index, its pages, the user data and the config file are; "
        "counts; whether the index is healthy (exit status 1 if it needs a reindex).",
    )
    _json(p, "it")

    p = add(
        "reindex",
        "rebuild the search index from the stored pages",
        "Rebuild the search index from the stored pages. Bookmarks are not touched. "
        "--year PAGE=YEAR gives a stored page (its file name, or the start of its hash "
        "as 'paperdeck sources' shows it) the year of its dates without one, when the "
        "year paperdeck worked out (shown by import) is wrong.",
    )
    p.add_argument(
        "--year",
        action="append",
        default=[],
        metavar="PAGE=YEAR",
        help="the year of a stored page's dates without one (repeatable)",
    )

    p = add(
        "sources",
        "list the stored pages and backups, or remove one",
        "List every stored source (saved page or backup) with its hash, or remove one "
        "('sources remove HASH', a unique prefix of at least 6 characters): the index "
        "is rebuilt without it; papers seen only there disappear, bookmarks stay.",
    )
    p.add_argument(
        "action", nargs="?", choices=["list", "remove"], default="list", help="what to do"
    )
    p.add_argument("hash", nargs="?", help="with remove: the source's hash (or its start)")
    _json(p, "the list")
    _saved_and_digest(add)


def _saved_and_digest(add: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    """The ``saved`` and ``digest`` commands, through the parser's ``add``."""
    p = add(
        "saved",
        "saved searches: add, remove, list (with new papers), show",
        "A saved search is a query with a name. 'saved ls' lists them with how many "
        "papers each finds and how many arrived since it was last shown; 'saved show "
        "NAME' prints its papers and marks them seen. Example: paperdeck saved add "
        "nvidia-diffusion 'org:nvidia upvotes:>=20 diffusion'",
    )
    p.add_argument(
        "action", choices=["add", "rm", "ls", "show"], nargs="?", default="ls", help="what to do"
    )
    p.add_argument("name", nargs="?", help="the saved search's name (add, rm, show)")
    p.add_argument("query", nargs="*", help="with add: the query (several words are joined)")
    p.add_argument("--replace", action="store_true", help="with add: replace a search of that name")
    p.add_argument("--limit", type=int, default=20, help="with show: how many papers to print")
    p.add_argument("--json", action="store_true", help="print the list or the papers as JSON")

    p = add(
        "digest",
        "what arrived in the library, grouped by saved search",
        "Print the papers that arrived after a time, grouped by the saved searches they "
        "match, then the rest: Markdown or JSON, the same for the same library, for cron "
        "or mail. '--since last' (the default) means since the last digest made that "
        "way, and makes this one the last.",
    )
    p.add_argument(
        "--since",
        default="last",
        metavar="last|DATE",
        help="'last', 'all', a date (YYYY-MM-DD, midnight UTC) or an ISO time",
    )
    p.add_argument(
        "--format", choices=["markdown", "json"], default="markdown", help="the output format"
    )
    p.add_argument("--saved", metavar="NAME", help="only this saved search's new papers")
