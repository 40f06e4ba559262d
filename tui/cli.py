"""The ``paperdeck`` command: the reader app, and a scriptable CLI over the store."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, cast

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from store import (
    FORMATS,
    ExportFormat,
    ImportReport,
    Library,
    Paper,
    StoreError,
)
from store.paths import DATA_DIR_ENV
from store.text import strip_control

from .render import paper_line, sighting_lines, spans_text

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
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_EXCLUSION = re.compile(r"^-[^\W\d_][\w-]*$")  # -vision, not -5 or --json


def _version() -> str:
    try:
        return version("paperdeck")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


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
    parser.add_argument("--version", action="version", version=f"paperdeck {_version()}")
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
    p.add_argument("--sort", choices=["relevance", "date", "upvotes", "title"], default="relevance")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--offset", type=int, default=0)
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
    p.add_argument("--limit", type=int, default=8)
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser(
        "bookmark", help="add or remove a bookmark", description="Add or remove a bookmark."
    )
    p.add_argument("action", choices=["add", "remove"])
    p.add_argument("id")
    p.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="add a tag (repeatable)"
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
        description="Rebuild the search index from the stored pages. Bookmarks are not touched.",
    )
    _common(p)
    return parser


def build_open_parser() -> argparse.ArgumentParser:
    """The parser for ``paperdeck [PATH...]`` (open the app)."""
    parser = argparse.ArgumentParser(prog="paperdeck", add_help=False)
    _common(parser)
    parser.add_argument("--year", type=int)
    parser.add_argument("paths", nargs="*", type=Path)
    return parser


def _wants_app(argv: Sequence[str]) -> bool:
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


def _exclusions_as_words(args: list[str]) -> list[str]:
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``paperdeck`` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if _wants_app(args_list):
            args = build_open_parser().parse_args(args_list)
            return _open_app(args)
        args = build_parser().parse_args(_exclusions_as_words(args_list))
        if args.command is None:
            return _open_app(args)
        handler = HANDLERS[args.command]
        with _open_library(args) as library:
            _print_notices(library)
            return handler(library, args)
    except StoreError as exc:
        err.print(Text(f"paperdeck: {exc}", style="red"))
        return 1
    except KeyboardInterrupt:
        err.print("paperdeck: interrupted")
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("PAPERDECK_DEBUG"):
            raise
        err.print(
            Text(
                f"paperdeck: unexpected error: {type(exc).__name__}: {exc} "
                "(set PAPERDECK_DEBUG=1 for details)",
                style="red",
            )
        )
        return 70


def _open_library(args: argparse.Namespace) -> Library:
    return Library.open(getattr(args, "data_dir", None))


def _print_notices(library: Library) -> None:
    for notice in library.notices + library.userdata.notices:
        err.print(Text(f"paperdeck: {notice}", style="yellow"))


def _open_app(args: argparse.Namespace) -> int:
    from .app import run_app  # Textual loads only when the app runs

    data_dir = getattr(args, "data_dir", None)
    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        err.print(Text(f"paperdeck: {path}: no such file or folder", style="red"))
    if missing:
        return 1
    run_app(data_dir, paths, getattr(args, "year", None))
    return 0


# -- commands --------------------------------------------------------------------------


def _import_with_progress(
    library: Library, paths: Sequence[Path], year: int | None
) -> ImportReport:
    progress = Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=None)

        def update(done: int, total: int, name: str) -> None:
            progress.update(task, completed=done, total=total, description=strip_control(name))

        return library.import_pages(paths, year=year, progress=update)


def _print_report(report: ImportReport) -> None:
    for warning in report.warnings:
        err.print(Text(f"warning: {strip_control(warning.line())}", style="yellow"))
    for failure in report.failures:
        err.print(Text(f"failed: {strip_control(failure.line())}", style="red"))
    parts = [
        f"{report.pages} pages imported",
        f"{report.pages_unchanged} unchanged",
        f"{report.new_papers} new papers",
        f"{report.updated_papers} updated",
        f"{len(report.failures)} failed",
    ]
    if report.restored_entries:
        parts.insert(4, f"{report.restored_entries} bookmarks restored")
    out.print(", ".join(parts))


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    report = _import_with_progress(library, args.paths, args.year)
    _print_report(report)
    return 0 if report.ok else 1


def _dump(value: Any) -> None:
    out.print_json(json.dumps(value, ensure_ascii=False)) if out.is_terminal else print(
        json.dumps(value, ensure_ascii=False, indent=2)
    )


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    results = library.search(
        " ".join(args.query), sort=args.sort, limit=args.limit, offset=args.offset
    )
    if args.json:
        _dump(results.model_dump(mode="json"))
        return 0
    if results.notice:
        err.print(Text(results.notice, style="yellow"))
    if results.suggestion:
        err.print(Text(f"did you mean: {results.suggestion}", style="yellow"))
    for hit in results.hits:
        out.print(paper_line(hit.paper, title=spans_text(hit.paper.title, hit.title_spans)))
    shown = len(results.hits)
    first = results.offset + 1 if shown else 0
    err.print(
        Text(
            f"{'' if results.total_exact else 'about '}{results.total} papers match; "
            f"showing {first}-{results.offset + shown}, "
            f"sorted by {results.sort} ({results.elapsed_ms:.0f} ms)",
            style="dim",
        )
    )
    return 0


def _show_paper(paper: Paper) -> None:
    out.print(Text(strip_control(paper.title), style="bold"))
    out.print(Text(f"id {paper.id}", style="dim"))
    meta = [
        paper.published.isoformat() if paper.published else "no date",
        f"{paper.upvotes} upvotes" if paper.upvotes is not None else None,
        f"{paper.authors_count} authors" if paper.authors_count else None,
        paper.organization,
        "bookmarked" if paper.bookmarked else None,
        "read" if paper.read else "unread",
    ]
    out.print(Text(" · ".join(strip_control(m) for m in meta if m)))
    if paper.tags:
        out.print(Text("tags: " + ", ".join(strip_control(t) for t in paper.tags)))
    if paper.note:
        out.print(Text("note: " + strip_control(paper.note)))
    out.print()
    out.print(Text(strip_control(paper.abstract)))
    out.print()
    for link in paper.links:
        out.print(Text(f"link: {strip_control(link)}"))
    for line in sighting_lines(paper):
        out.print(Text(line, style="dim"))


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    paper = library.get(args.id)
    if args.json:
        _dump(paper.model_dump(mode="json"))
    else:
        _show_paper(paper)
    return 0


def cmd_related(library: Library, args: argparse.Namespace) -> int:
    papers = library.related(args.id, limit=args.limit)
    if args.json:
        _dump([p.model_dump(mode="json") for p in papers])
        return 0
    for paper in papers:
        out.print(paper_line(paper))
    if not papers:
        err.print("no related papers found")
    return 0


def cmd_bookmark(library: Library, args: argparse.Namespace) -> int:
    if args.action == "add":
        paper = library.bookmark(args.id, tags=args.tag, note=args.note)
        out.print(Text(f"bookmarked: {strip_control(paper.title)}"))
    else:
        paper = library.unbookmark(args.id)
        out.print(Text(f"removed bookmark: {strip_control(paper.title)}"))
    return 0


def cmd_bookmarks(library: Library, args: argparse.Namespace) -> int:
    papers = library.bookmarks(tag=args.tag)
    if args.json:
        _dump([p.model_dump(mode="json") for p in papers])
        return 0
    for paper in papers:
        out.print(paper_line(paper))
    err.print(Text(f"{len(papers)} bookmarks", style="dim"))
    return 0


def cmd_read(library: Library, args: argparse.Namespace) -> int:
    paper = library.set_read(args.id, not args.unread)
    state = "unread" if args.unread else "read"
    out.print(Text(f"marked {state}: {strip_control(paper.title)}"))
    return 0


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    fmt = cast(ExportFormat, args.format)
    if args.output is None:
        text, count = library.export(fmt, everything=args.all, tag=args.tag)
        sys.stdout.write(text)
        err.print(Text(f"exported {count} papers as {fmt}", style="dim"))
        return 0
    count = library.export_to(args.output, fmt, everything=args.all, tag=args.tag, force=args.force)
    out.print(Text(f"exported {count} papers as {fmt} to {args.output}"))
    return 0


def cmd_info(library: Library, args: argparse.Namespace) -> int:
    info = library.info()
    if args.json:
        _dump(info.model_dump(mode="json"))
        return 0 if info.index_ok else 1
    rows = [
        ("library", info.data_dir),
        ("index", info.index_dir),
        ("pages", info.pages_dir),
        ("user data", info.userdata_file),
        ("papers", str(info.papers)),
        ("stored pages", str(info.pages)),
        ("bookmarks", str(info.bookmarks)),
        ("read", str(info.read)),
        ("tagged", str(info.tagged)),
        ("index size", f"{info.index_bytes / 1_048_576:.1f} MiB in {info.index_segments} segments"),
        (
            "index health",
            "ok"
            if info.index_ok
            else f"needs 'paperdeck reindex' ({info.pages_not_indexed} pages not indexed)",
        ),
    ]
    for name, value in rows:
        out.print(Text(f"{name:>13}  {strip_control(value)}"))
    return 0 if info.index_ok else 1


def cmd_reindex(library: Library, args: argparse.Namespace) -> int:
    # Opening may already have rebuilt a damaged or outdated index: once is enough.
    count = library.count() if library.rebuilt_on_open else library.reindex()
    out.print(f"reindexed {count} papers from {library.sources.count()} stored pages")
    return 0


HANDLERS: dict[str, Callable[[Library, argparse.Namespace], int]] = {
    "import": cmd_import,
    "search": cmd_search,
    "show": cmd_show,
    "related": cmd_related,
    "bookmark": cmd_bookmark,
    "bookmarks": cmd_bookmarks,
    "read": cmd_read,
    "export": cmd_export,
    "info": cmd_info,
    "reindex": cmd_reindex,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
