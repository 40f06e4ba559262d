"""The ``paperdeck`` command line's arguments: argparse only, nothing heavy.

``paperdeck --version`` is answered from here without the store's index and models
(Whoosh, pydantic), Rich or Textual; ``--help`` loads Rich (through rich-argparse) and
nothing else; ``--print-completion`` loads shtab. The commands' own arguments are in
:mod:`.subcommands`.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from store.paths import DATA_DIR_ENV

from . import queue_cli
from .subcommands import COMMANDS as CORE_COMMANDS
from .subcommands import DIRECTORY, FILE, YEAR_HELP, add_subcommands

COMMANDS = (*CORE_COMMANDS, *queue_cli.NAMES)

__all__ = [
    "COMMANDS",
    "EXIT_STATUSES",
    "build_open_parser",
    "build_parser",
    "exclusions_as_words",
    "first_word",
    "unknown_command",
    "wants_app",
]

EXIT_STATUSES = (
    (0, "success"),
    (1, "something failed (a file, the library, the network, no terminal); one line says what"),
    (2, "usage error: an unknown command or option, a bad value"),
    (70, "unexpected error (a bug): run again with --debug and report the traceback"),
    (130, "interrupted (ctrl+c)"),
)
ENVIRONMENT = (
    (DATA_DIR_ENV, "the library folder (default: {data})"),
    ("PAPERDECK_CONFIG", "the config file (default: {config})"),
    ("PAPERDECK_DEBUG", "set to 1: a traceback instead of a one-line error (as --debug)"),
    ("NO_COLOR", "set: no colours, in the output and in the reader"),
    ("HF_ENDPOINT", "the site 'fetch' asks (default: https://huggingface.co)"),
    ("HF_TOKEN", "sent by 'fetch' as a bearer token, when set"),
)
_EXCLUSION = re.compile(r"^-[^\W\d_][\w-]*$")  # -vision, not -5 or --json
_COMMAND_LIKE = re.compile(r"^[A-Za-z][A-Za-z-]*$")  # a word, not a path or a file name
_VALUED = ("--data-dir", "--year", "--print-completion")  # options that take a value


def _platform_data_dir() -> Path:
    import platformdirs  # already loaded by store.paths

    return Path(platformdirs.user_data_dir("paperdeck", appauthor=False))


def _platform_config_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("paperdeck", appauthor=False)) / "config.toml"


def _home(path: Path) -> str:
    """``path`` with the home folder as ``~``, as people write it."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _epilog() -> str:
    lines = ["environment variables:"]
    where = {"data": _home(_platform_data_dir()), "config": _home(_platform_config_file())}
    lines += [f"  {name:<20}{text.format(**where)}" for name, text in ENVIRONMENT]
    lines += ["", "exit status:"]
    lines += [f"  {code:<5}{text}" for code, text in EXIT_STATUSES]
    lines += ["", "Run 'paperdeck COMMAND --help' for a command's options."]
    return "\n".join(lines)


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
            help="show the version and exit",
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


class _CompletionAction(argparse.Action):
    """``--print-completion SHELL``: the shell script shtab generates from this parser."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        import shtab  # only when asked

        sys.stdout.write(shtab.complete(parser, shell=str(values)))
        parser.exit()


def rich_formatter(prog: str, *, raw: bool = False) -> argparse.HelpFormatter:
    """Rich help (rich-argparse); a default is shown for every option that has one
    worth showing (not for flags or empty lists)."""
    from rich_argparse import RawDescriptionRichHelpFormatter, RichHelpFormatter

    base: type[RichHelpFormatter] = RawDescriptionRichHelpFormatter if raw else RichHelpFormatter

    class Formatter(base):  # type: ignore[valid-type, misc]
        def _get_help_string(self, action: argparse.Action) -> str | None:
            text = action.help or ""
            default = action.default
            nothing = default is None or default is False or default == []
            shown = not nothing and default is not argparse.SUPPRESS and action.option_strings
            if shown and "%(default)" not in text:
                text += " (default: %(default)s)"
            return text

    formatter: argparse.HelpFormatter = Formatter(prog)
    return formatter


class HelpFormatter(argparse.HelpFormatter):
    """argparse makes a formatter for every argument it adds (to check metavars); this
    one writes down what help would say and hands it to :func:`rich_formatter` only
    when help or usage is printed, so building the parser never loads Rich."""

    raw = False

    def __init__(self, prog: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(prog, *args, **kwargs)
        self._steps: list[tuple[str, tuple[Any, ...]]] = []

    def format_help(self) -> str:
        real = rich_formatter(self._prog, raw=self.raw)
        for name, args in self._steps:
            getattr(real, name)(*args)
        return real.format_help()


def _recorder(step: str) -> Any:
    def record(self: HelpFormatter, *args: Any) -> None:
        self._steps.append((step, args))

    return record


# What argparse asks of a formatter on the way to help: written down, replayed later.
for _step in (
    "start_section",
    "end_section",
    "add_text",
    "add_usage",
    "add_argument",
    "add_arguments",
):
    setattr(HelpFormatter, _step, _recorder(_step))


class _RawHelpFormatter(HelpFormatter):
    raw = True  # the top-level epilog is a table of lines


def _common(parser: argparse.ArgumentParser) -> None:
    """Options every command takes (before or after its name)."""
    action = parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"the library folder (default: ${DATA_DIR_ENV}, else {_home(_platform_data_dir())})",
    )
    action.complete = DIRECTORY  # type: ignore[attr-defined]
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show a traceback on an unexpected error (as PAPERDECK_DEBUG=1)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (commands and their options)."""
    parser = argparse.ArgumentParser(
        prog="paperdeck",
        description=(
            "Read, search and bookmark Hugging Face Papers offline, from the terminal.\n"
            "Without a command, opens the reader (importing PATHs first): paperdeck [PATH ...]"
        ),
        epilog=_epilog(),
        formatter_class=_RawHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--print-completion",
        action=_CompletionAction,
        choices=["bash", "zsh", "tcsh"],
        metavar="SHELL",
        help="print a completion script for bash, zsh or tcsh and exit, e.g. "
        "'paperdeck --print-completion bash > ~/.local/share/bash-completion/completions/"
        "paperdeck'",
    )
    _common(parser)
    # prog given: argparse would format a usage line (and load Rich) to work it out
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", prog="paperdeck")
    add_subcommands(sub, _common, HelpFormatter)
    queue_cli.add_commands(sub, _common, HelpFormatter)
    return parser


def build_open_parser() -> argparse.ArgumentParser:
    """The parser for ``paperdeck [PATH...]`` (open the app)."""
    parser = argparse.ArgumentParser(prog="paperdeck", add_help=False)
    _common(parser)
    parser.add_argument("--year", type=int, help=YEAR_HELP)
    parser.add_argument("paths", nargs="*", type=Path).complete = FILE  # type: ignore[attr-defined]
    return parser


def first_word(argv: Sequence[str]) -> str | None:
    """The first argument that is not an option or an option's value, if any."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def wants_app(argv: Sequence[str]) -> bool:
    """Whether ``argv`` opens the reader (no command, maybe paths) rather than a command."""
    if any(arg in ("-h", "--help", "--version", "--print-completion") for arg in argv):
        return False
    word = first_word(argv)
    return word is None or word not in COMMANDS


def unknown_command(argv: Sequence[str]) -> str | None:
    """Why ``argv`` is a usage error, when its first word looks like a mistyped command
    (``paperdeck serch``): a word, neither a command nor an existing file or folder."""
    word = first_word(argv)
    if word is None or word in COMMANDS or not _COMMAND_LIKE.match(word) or Path(word).exists():
        return None
    nearest = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.6)
    if nearest:
        return f"unknown command {word!r} (did you mean {nearest[0]!r}?)"
    return f"{word!r} is neither a command ({', '.join(COMMANDS)}) nor a file or folder"


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
