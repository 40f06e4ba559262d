"""The ``CACHEDIR.TAG`` in the derived index folder, so backup tools skip it.

The index can always be rebuilt from the stored pages (``paperdeck reindex``); the
tag follows the Cache Directory Tagging Specification (https://bford.info/cachedir/),
which tar (``--exclude-caches``), borg, restic and others honour. Whoosh and the
damage checks look only at their own files (``_MAIN_*``, ``*.seg``...,
``paperdeck-*``), so the tag is invisible to them.
"""

from __future__ import annotations

from pathlib import Path

from .atomic import atomic_write_text
from .errors import UnwritableError

__all__ = ["SIGNATURE", "TAG_NAME", "TAG_TEXT", "ensure_tag", "has_tag", "write_tag"]

TAG_NAME = "CACHEDIR.TAG"
SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
TAG_TEXT = (
    f"{SIGNATURE}\n"
    "# This file is a cache directory tag created by paperdeck.\n"
    "# This folder is paperdeck's derived search index: it is rebuilt from the stored\n"
    "# pages with `paperdeck reindex`, so backups can leave it out.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


def has_tag(folder: Path) -> bool:
    """True when ``folder`` holds a valid tag (it starts with the signature)."""
    try:
        with open(folder / TAG_NAME, "rb") as handle:
            return handle.read(len(SIGNATURE)) == SIGNATURE.encode("ascii")
    except OSError:
        return False


def write_tag(folder: Path) -> None:
    """Write the tag into ``folder`` (raises :class:`~store.errors.UnwritableError`)."""
    atomic_write_text(folder / TAG_NAME, TAG_TEXT)


def ensure_tag(folder: Path) -> bool:
    """Give an existing index folder its tag if it lacks one, when that can be written
    (a read-only library is left as it is). True if the folder has the tag now."""
    if has_tag(folder):
        return True
    if not folder.is_dir():
        return False
    try:
        write_tag(folder)
    except UnwritableError:
        return False
    return True
