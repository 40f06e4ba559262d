"""The cross-process locks on a library's files, with one-line messages.

``filelock`` (and the asyncio it imports) loads on the first lock taken: reading the
library takes none, so a search never pays for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from .atomic import describe_os_error
from .errors import LibraryBusyError, UnwritableError

__all__ = ["USER_FILES_WAIT_S", "held"]

USER_FILES_WAIT_S = 10.0
"""How long a change to the user's files waits for another paperdeck's."""


@contextlib.contextmanager
def held(path: Path, timeout: float = USER_FILES_WAIT_S, busy: str | None = None) -> Iterator[None]:
    """Hold the lock file ``path`` (waiting up to ``timeout`` seconds), or raise
    :class:`LibraryBusyError` (``busy``, else who held it how long) or
    :class:`UnwritableError` (the lock file cannot be made)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LibraryBusyError(
            busy or f"another paperdeck has held {path} for {timeout:.0f} s; try again"
        ) from None
    except OSError as exc:
        raise UnwritableError(describe_os_error(exc, path)) from None
    try:
        yield
    finally:
        lock.release()
