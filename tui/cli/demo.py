"""``paperdeck demo``: the reader on a sample library, never the user's own.

The library is built from :func:`store.samples.sample_pages` in a throwaway folder
(removed when the reader closes) or in ``--data-dir`` (kept, for a second look).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.text import Text

from .output import err, out

__all__ = ["run_demo"]

# Papers the demo bookmarks, so the bookmarks screen has something on it (by title).
_BOOKMARKS = {
    "quantization": ("efficiency",),
    "mixture of experts": ("moe", "efficiency"),
}


def run_demo(args: argparse.Namespace, *, has_terminal: bool) -> int:
    """Print the sample pages' folder (``--pages``) or open the reader on them."""
    from store.samples import sample_pages

    pages = sample_pages()
    if args.pages:
        out.print(Text(str(pages)))
        return 0
    if not has_terminal:
        err.print(
            Text(
                "paperdeck: the demo opens the reader, which needs a terminal; without one, "
                f"try 'paperdeck import {pages}' and 'paperdeck search'",
                style="red",
            )
        )
        return 1
    given: Path | None = getattr(args, "data_dir", None)
    if given is not None:
        return _open(given, pages)
    with tempfile.TemporaryDirectory(prefix="paperdeck-demo-") as folder:
        return _open(Path(folder) / "library", pages)


def _open(data_dir: Path, pages: Path) -> int:
    from store import Library

    from ..app import run_app

    with Library.open(data_dir) as library:
        library.import_pages([pages])
        for query, tags in _BOOKMARKS.items():
            hits = library.search(query, limit=1).hits
            if hits and not hits[0].paper.bookmarked:
                library.bookmark(hits[0].paper.id, tags=list(tags))
    return run_app(data_dir, [], None)
