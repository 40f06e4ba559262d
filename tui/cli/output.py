"""Where the command line writes: results on standard output, the rest on standard error."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from rich.console import Console

__all__ = ["dump_json", "err", "out", "tolerant"]


def tolerant(stream: TextIO) -> TextIO:
    """``stream``, made to replace what its encoding cannot write (a Latin-1 or ASCII
    terminal, ``PYTHONIOENCODING=latin-1``) instead of failing on the first ``ü``."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding not in ("utf8", "utf8sig") and reconfigure is not None:
        reconfigure(errors="replace")
    return stream


tolerant(sys.stdout)
tolerant(sys.stderr)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def dump_json(value: Any) -> None:
    """``value`` as JSON on standard output: coloured on a terminal, plain otherwise."""
    if out.is_terminal:
        out.print_json(json.dumps(value, ensure_ascii=False))
    else:
        print(json.dumps(value, ensure_ascii=False, indent=2))
