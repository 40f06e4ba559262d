"""The commands of ``paperdeck``: each opens the library and prints what it found.

Importing this module loads the store (Whoosh, pydantic) and Rich; :func:`tui.cli.main`
imports it only once the arguments name a command.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from rich.text import Text

from store import ExportFormat, ImportReport, Library, Paper, StoreError, first_screen
from store.text import strip_control

from ..render import (
    ai_details,
    hf_details,
    paper_line,
    paper_links,
    plural,
    sighting_lines,
    spans_text,
)
from .output import dump_json, err, out
from .queue_cli import cmd_queue, cmd_undo
from .saved_cli import cmd_digest, cmd_saved

__all__ = ["HANDLERS", "run_command"]

# Commands that may change what the library list shows (its papers, their bookmark and
# read marks): its first rows are saved after them, for the reader's next first frame.
CHANGING = ("import", "fetch", "reindex", "sources", "bookmark", "read", "queue", "undo")


def run_command(args: argparse.Namespace) -> int:
    """Open the library (``--data-dir`` or the default), tell what opening it repaired,
    run the command; its exit status."""
    with Library.open(getattr(args, "data_dir", None)) as library:
        for notice in library.notices + library.userdata.notices:
            err.print(Text(f"paperdeck: {notice}", style="yellow"))
        if getattr(args, "sort", None) == "priority":  # its weights are in the config
            from ..config import load_config

            config = load_config()
            for problem in config.problems:
                err.print(Text(f"paperdeck: {problem}", style="yellow"))
            library.priority_settings = config.priority
        status = HANDLERS[args.command](library, args)
        if args.command in CHANGING:  # unless saved and still right: a stamp compared
            with contextlib.suppress(StoreError, OSError):
                first_screen.save_from(library)
        return status


def _import_with_progress(
    library: Library, paths: Sequence[Path], year: int | None
) -> ImportReport:
    # Loaded here: a progress bar costs a search 0.05 s of imports it never uses.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
    for note in report.years:
        err.print(Text(f"year: {strip_control(note.line())}", style="dim"))
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


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    results = library.search(
        " ".join(args.query), sort=args.sort, limit=args.limit, offset=args.offset
    )
    why = (
        {h.paper.id: library.priority_of(h.paper.id) for h in results.hits}
        if args.sort == "priority"
        else {}
    )
    if args.json:
        document = results.model_dump(mode="json")
        for hit in document["hits"]:
            if (priority := why.get(hit["paper"]["id"])) is not None:
                hit["priority"] = {"score": round(priority.score, 3), "why": priority.reasons}
        dump_json(document)
        return 0
    if results.notice:
        err.print(Text(results.notice, style="yellow"))
    if results.suggestion:
        err.print(Text(f"did you mean: {results.suggestion}", style="yellow"))
    for hit in results.hits:
        out.print(paper_line(hit.paper, title=spans_text(hit.paper.title, hit.title_spans)))
        if (priority := why.get(hit.paper.id)) is not None:
            out.print(Text(f"    why: {priority.why}", style="dim"))
    shown = len(results.hits)
    matching = (
        f"{'' if results.total_exact else 'about '}{results.total} "
        f"{plural(results.total, 'paper')} {plural(results.total, 'matches', 'match')}"
    )
    if shown:
        window = f"showing {results.offset + 1}-{results.offset + shown}"
    elif results.total:
        window = f"none from {results.offset + 1} on"
    else:
        window = "nothing to show"
    err.print(
        Text(
            f"{matching}; {window}, sorted by {results.sort} ({results.elapsed_ms:.0f} ms)",
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
        f"{paper.authors_count} {plural(paper.authors_count, 'author')}"
        if paper.authors_count
        else None,
        paper.organization,
        "bookmarked" if paper.bookmarked else None,
        "read" if paper.read else "unread",
    ]
    out.print(Text(" · ".join(strip_control(m) for m in meta if m)))
    if paper.tags:
        out.print(Text("tags: " + ", ".join(strip_control(t) for t in paper.tags)))
    if paper.note:
        out.print(Text("note: " + strip_control(paper.note)))
    if details := hf_details(paper):
        out.print(details)
    out.print()
    out.print(Text(strip_control(paper.abstract)))
    out.print()
    if summary := ai_details(paper):
        out.print(summary)
        out.print()
    history = paper.upvote_history()
    if len(history) >= 2:
        counts = " → ".join(f"{count} ({when.date().isoformat()})" for when, count in history)
        out.print(Text(f"upvotes: {counts}"))
    for label, url in paper_links(paper):
        out.print(Text(f"{label.lower()}: {strip_control(url)}"))
    for line in sighting_lines(paper):
        out.print(Text(line, style="dim"))


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    paper = library.get(args.id)
    if args.json:
        dump_json(paper.model_dump(mode="json"))
    else:
        _show_paper(paper)
    return 0


def cmd_related(library: Library, args: argparse.Namespace) -> int:
    papers = library.related(args.id, limit=args.limit)
    if args.json:
        dump_json([p.model_dump(mode="json") for p in papers])
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
    elif args.tag:
        paper = library.remove_tags(args.id, args.tag)
        out.print(Text(f"removed tags {', '.join(args.tag)}: {strip_control(paper.title)}"))
    else:
        paper = library.unbookmark(args.id)
        out.print(Text(f"removed bookmark: {strip_control(paper.title)}"))
    return 0


def cmd_bookmarks(library: Library, args: argparse.Namespace) -> int:
    papers = library.bookmarks(tag=args.tag)
    if args.json:
        dump_json([p.model_dump(mode="json") for p in papers])
        return 0
    for paper in papers:
        out.print(paper_line(paper))
    err.print(Text(f"{len(papers)} {plural(len(papers), 'bookmark')}", style="dim"))
    return 0


def cmd_read(library: Library, args: argparse.Namespace) -> int:
    paper = library.set_read(args.id, not args.unread)
    state = "unread" if args.unread else "read"
    out.print(Text(f"marked {state}: {strip_control(paper.title)}"))
    return 0


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    fmt = cast(ExportFormat, args.format)
    if args.output is None:  # streamed: an export of any size holds one paper at a time
        count = library.export_stream(sys.stdout, fmt, everything=args.all, tag=args.tag)
        sys.stdout.flush()
        err.print(Text(f"exported {count} {plural(count, 'paper')} as {fmt}", style="dim"))
        return 0
    count = library.export_to(args.output, fmt, everything=args.all, tag=args.tag, force=args.force)
    out.print(Text(f"exported {count} {plural(count, 'paper')} as {fmt} to {args.output}"))
    return 0


def _config_state() -> tuple[str, str, list[str]]:
    """The config file, whether it loaded, and what was wrong with it."""
    from ..config import config_path, load_config

    path = config_path()
    config = load_config(path)
    if config.problems:
        state = "loaded with problems" if path.is_file() else "not loaded"
    else:
        state = "loaded" if path.is_file() else "not found: defaults"
    return str(path), state, config.problems


def cmd_info(library: Library, args: argparse.Namespace) -> int:
    info = library.info()
    config_file, config_state, problems = _config_state()
    if args.json:
        dump_json(
            {
                **info.model_dump(mode="json"),
                "config_file": config_file,
                "config": config_state,
                "config_problems": problems,
            }
        )
        return 0 if info.index_ok else 1
    rows = [
        ("library", info.data_dir),
        ("index", info.index_dir),
        ("pages", info.pages_dir),
        ("user data", info.userdata_file),
        ("config", f"{config_file} ({config_state})"),
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
    for problem in problems:
        err.print(Text(f"paperdeck: config: {strip_control(problem)}", style="yellow"))
    return 0 if info.index_ok else 1


def cmd_reindex(library: Library, args: argparse.Namespace) -> int:
    if args.year:
        years: dict[str, int] = {}
        for given in args.year:
            page, _, year = given.rpartition("=")
            if not page or not year.isdigit() or not 1900 <= int(year) <= 2200:
                err.print(Text(f"paperdeck: --year {given!r} is not PAGE=YEAR", style="red"))
                return 2
            years[page] = int(year)
        for source in library.set_page_years(years):
            line = f"{strip_control(source.name)}: dates without a year read as {source.year}"
            out.print(Text(line))
        out.print(f"reindexed {library.count()} papers from {library.sources.count()} stored pages")
        return 0
    # Opening may already have rebuilt a damaged or outdated index: once is enough.
    count = library.count() if library.rebuilt_on_open else library.reindex()
    out.print(f"reindexed {count} papers from {library.sources.count()} stored pages")
    return 0


def cmd_sources(library: Library, args: argparse.Namespace) -> int:
    if args.action == "remove":
        if not args.hash:
            err.print(Text("paperdeck: sources remove needs the source's hash", style="red"))
            return 2
        removed = library.remove_source(args.hash)
        out.print(
            Text(f"removed {strip_control(removed.name)} ({removed.hash[:12]}); index rebuilt")
        )
        return 0
    stored = library.stored_sources()
    if args.json:
        dump_json([s.model_dump(mode="json") for s in stored])
        return 0
    for source in stored:
        when = source.imported_at.strftime("%Y-%m-%d %H:%M")
        out.print(
            Text(f"{source.hash[:12]}  {when}  {source.kind:<6}  {strip_control(source.name)}")
        )
    err.print(Text(f"{len(stored)} stored sources", style="dim"))
    return 0


def cmd_fetch(library: Library, args: argparse.Namespace) -> int:
    from .fetching import run_fetch  # httpx loads only for a fetch

    return run_fetch(library, args, _print_report)


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
    "sources": cmd_sources,
    "fetch": cmd_fetch,
    "saved": cmd_saved,
    "digest": cmd_digest,
    "queue": cmd_queue,
    "undo": cmd_undo,
}
