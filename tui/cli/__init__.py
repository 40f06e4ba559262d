"""The ``paperdeck`` command: the reader app, and a scriptable CLI over the store.

:func:`main` parses the arguments (:mod:`.parser`, argparse only) and only then loads
what the answer needs: the commands and the store behind them (:mod:`.commands`), or
the app (:mod:`tui.app`). ``paperdeck --help`` and ``--version`` load neither.

Exit statuses (listed in ``paperdeck --help``, :data:`.parser.EXIT_STATUSES`): 0 on
success, 1 when something failed (a :class:`~store.StoreError`, a missing path, no
terminal for the reader; the reader's own status when it failed), 2 for a usage error
(argparse, a mistyped command), 70 for an unexpected error, 130 when interrupted.
Errors are one line on standard error, never a traceback (unless ``--debug`` is given
or ``PAPERDECK_DEBUG`` is set).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from store.errors import StoreError

from .parser import (
    build_open_parser,
    build_parser,
    exclusions_as_words,
    unknown_command,
    wants_app,
)

__all__ = ["main"]

EXIT_FAILED = 1
EXIT_UNEXPECTED = 70  # EX_SOFTWARE
EXIT_INTERRUPTED = 130
DEBUG_ENV = "PAPERDECK_DEBUG"
NO_TERMINAL = (
    "paperdeck: the reader needs a terminal (standard input or output is not one); "
    "use a command instead, e.g. 'paperdeck search QUERY' or 'paperdeck import PATH' "
    "(see 'paperdeck --help')"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``paperdeck`` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list or bool(os.environ.get(DEBUG_ENV))
    try:
        mistyped = unknown_command(args_list)
        if mistyped:
            build_parser().error(mistyped)  # exit status 2, with the usage line
        if wants_app(args_list):
            return _open_app(build_open_parser().parse_args(args_list))
        args = build_parser().parse_args(exclusions_as_words(args_list))
        if args.command is None:
            return _open_app(args)
        if args.command == "demo":
            from .demo import run_demo  # never opens the user's library

            return run_demo(args, has_terminal=has_terminal())
        from .commands import run_command  # the store loads here, once a command is named

        return run_command(args)
    except StoreError as exc:
        _error(f"paperdeck: {exc}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        _error("paperdeck: interrupted", style=None)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if debug:
            raise
        _error(
            f"paperdeck: unexpected error: {type(exc).__name__}: {exc} "
            "(run again with --debug for details)"
        )
        return EXIT_UNEXPECTED


def _error(line: str, style: str | None = "red") -> None:
    """One line on standard error (in red on a terminal), never markup."""
    from rich.text import Text

    from .output import err

    err.print(Text(line, style=style or ""))


def has_terminal() -> bool:
    """Whether the reader can run here: standard input and output are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _open_app(args: argparse.Namespace) -> int:
    data_dir = getattr(args, "data_dir", None)
    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        _error(f"paperdeck: {path}: no such file or folder")
    if missing:
        return EXIT_FAILED
    if not has_terminal():
        _error(NO_TERMINAL)
        return EXIT_FAILED
    from ..app import run_app  # Textual loads only when the app runs

    return run_app(data_dir, paths, getattr(args, "year", None))
