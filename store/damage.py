"""The one damage policy: which errors mean the index on disk is damaged.

Only those trigger a rebuild from the stored sources. Everything else (a caller's
mistake, a bug, a permission problem) is raised as it is, never taken for damage and
never swallowed.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from pathlib import Path
from types import TracebackType

import whoosh
from whoosh.index import EmptyIndexError, IndexVersionError, LockError
from whoosh.reading import TermNotFound
from whoosh.searching import TimeLimit

from .errors import StoreError

__all__ = ["describe_damage", "is_damage"]

_WHOOSH_DIR = str(Path(whoosh.__file__).parent)
_PRIVATE_MODULES = {
    str(Path(__file__).with_name(f"{name}.py")) for name in ("whoosh_private", "whoosh_writing")
}

# Raised by decoding bytes that are not what they should be, wherever they are raised.
_DECODING = (
    struct.error,
    EOFError,
    zlib.error,
    pickle.UnpicklingError,
    UnicodeDecodeError,
    EmptyIndexError,
    IndexVersionError,
)
# Raised by garbled data only when Whoosh's own code raises them while reading files.
_GARBLED = (
    ValueError,
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    OverflowError,
    FileNotFoundError,
    IsADirectoryError,
    NotADirectoryError,
)


_NOT_DAMAGE = (LockError, TermNotFound, TimeLimit)


def is_damage(exc: BaseException) -> bool:
    """True when ``exc`` means the index files are damaged (truncated, garbled, missing)."""
    if isinstance(exc, StoreError) or not isinstance(exc, Exception):
        return False
    if isinstance(exc, PermissionError):
        return False  # unreadable, not damaged: a rebuild would not help
    if isinstance(exc, _DECODING):
        return True
    # Whoosh raises its own errors (FileFormatError...) or a bare Exception ("Block tag
    # error") for bytes it cannot make sense of; lock, time and missing-term errors are
    # not about the files.
    own = type(exc).__module__.startswith("whoosh.") and not isinstance(exc, _NOT_DAMAGE)
    garbled = isinstance(exc, _GARBLED) or type(exc) is Exception or own
    return garbled and _raised_in_whoosh(exc.__traceback__)


def describe_damage(exc: BaseException) -> str:
    """A short phrase for the notice: 'the index is damaged (struct.error)'."""
    name = type(exc).__name__
    module = type(exc).__module__
    return f"{module}.{name}" if module not in ("builtins", "__main__") else name


def _raised_in_whoosh(tb: TracebackType | None) -> bool:
    """True when the innermost frame of ``tb`` is Whoosh's code (or our private use of it)."""
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if last is None:
        return False
    filename = last.tb_frame.f_code.co_filename
    return filename.startswith(_WHOOSH_DIR) or filename in _PRIVATE_MODULES
