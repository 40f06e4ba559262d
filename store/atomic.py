"""Atomic file writes: a temporary file beside the target, fsync, then ``os.replace``."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from .errors import UnwritableError

__all__ = ["atomic_write_bytes", "atomic_write_text", "describe_os_error"]


def describe_os_error(exc: OSError, path: Path) -> str:
    """One plain line for an OS error on ``path``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{path}: the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path}: permission denied (the folder is read-only or not yours)"
    if exc.errno == errno.ENOENT:
        return f"{path}: the folder {path.parent} does not exist"
    if exc.errno == errno.EISDIR:
        return f"{path}: is a folder, not a file"
    return f"{path}: {exc.strerror or exc}"


def atomic_write_bytes(path: Path, data: bytes, *, create_parents: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    On failure nothing is left behind and :class:`UnwritableError` says why in one line.
    """
    tmp_name: str | None = None
    try:
        if create_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise UnwritableError(describe_os_error(exc, path)) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def atomic_write_text(path: Path, text: str, *, create_parents: bool = False) -> None:
    """Write UTF-8 ``text`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"), create_parents=create_parents)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
