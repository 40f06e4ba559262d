"""Errors the store raises on purpose; each carries a message fit for the user."""

from __future__ import annotations

__all__ = [
    "BackupError",
    "ConflictError",
    "IndexDamagedError",
    "LibraryBusyError",
    "NotFoundError",
    "PageError",
    "StoreError",
    "UndoError",
    "UnwritableError",
]


class StoreError(Exception):
    """Base class: something the user can act on, said in one line."""


class PageError(StoreError):
    """A file is not a usable saved papers page."""


class BackupError(PageError):
    """A paperdeck backup was refused before it touched anything."""


class NotFoundError(StoreError):
    """No paper has that id (or a prefix matches several)."""


class LibraryBusyError(StoreError):
    """Another process holds the library's write lock."""


class UnwritableError(StoreError):
    """A file or folder could not be written (permissions, full disk, missing folder)."""


class IndexDamagedError(StoreError):
    """The index is damaged and could not be rebuilt from the stored sources."""


class ConflictError(StoreError):
    """The value changed since it was read (another paperdeck wrote it meanwhile)."""

    def __init__(self, message: str, current: str) -> None:
        super().__init__(message)
        self.current = current


class UndoError(StoreError):
    """Nothing to undo, or the user-data file changed in a way the undo journal does not
    know (undoing then could lose data, so it is refused)."""
