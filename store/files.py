"""Reading the files an import is given: regular files only, each within its kind's size
limit, folders walked (hidden files skipped); every refusal is a few plain words."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from .models import FileProblem, ImportReport
from .sources import MAX_SOURCE_BYTES, recognise
from .sourcestore import display_name

__all__ = ["Refused", "expand", "os_message", "read_regular_file"]

_HEAD_BYTES = 4096


class Refused(Exception):
    """A file that is not imported, said in a few words."""


def read_regular_file(path: Path) -> tuple[bytes, float]:
    """The bytes of a regular file within its kind's size limit, and its mtime. A pipe
    or device is refused before it is opened (opening a pipe waits for a writer)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise Refused("not a regular file (a pipe, device or socket); skipped")
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not a regular file (a pipe, device or socket); skipped")
        head = handle.read(_HEAD_BYTES)
        limit = MAX_SOURCE_BYTES[recognise(head)]
        if info.st_size > limit:
            raise Refused(
                f"is {info.st_size / 1_048_576:,.0f} MB; paperdeck reads files of this kind "
                f"up to {limit / 1_048_576:,.0f} MB"
            )
        data = head + handle.read(limit + 1 - len(head))
        if len(data) > limit:
            raise Refused(f"grew beyond {limit / 1_048_576:,.0f} MB while it was read")
    return data, info.st_mtime


def os_message(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def expand(paths: Iterable[Path | str], report: ImportReport) -> Iterator[Path]:
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if not p.name.startswith(".") and p.is_file())
            if not found:
                report.failures.append(
                    FileProblem(path=display_name(str(path)), message="the folder is empty")
                )
            yield from found
        elif path.exists() or path.is_symlink():
            yield path
        else:
            report.failures.append(
                FileProblem(path=display_name(str(path)), message="no such file")
            )
