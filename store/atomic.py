"""Atomic file writes: a temporary file beside the target, fsync, then ``os.replace``."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import UnwritableError

__all__ = ["atomic_write_bytes", "atomic_write_text", "atomic_writer", "describe_os_error"]


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
        os.chmod(tmp_name, _mode_for(path))
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


def _mode_for(path: Path) -> int:
    """An overwritten file keeps its mode; a new one gets what the umask allows (mkstemp
    alone would make every file 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it
    (``/proc/self/status``); elsewhere by setting it and straight back."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Meanwhile a file another thread creates gets 0o077: private, never too open.
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


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


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces ``path`` atomically when the block
    ends without an error (streamed: for exports of any size). On failure nothing is
    left behind and :class:`UnwritableError` says why in one line."""
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.chmod(tmp_name, _mode_for(path))
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
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
