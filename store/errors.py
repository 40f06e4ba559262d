"""Errors the store raises on purpose; each carries a message fit for the user."""

from __future__ import annotations

__all__ = ["LibraryBusyError", "NotFoundError", "PageError", "StoreError", "UnwritableError"]


class StoreError(Exception):
    """Base class: something the user can act on, said in one line."""


class PageError(StoreError):
    """A file is not a usable saved papers page."""


class NotFoundError(StoreError):
    """No paper has that id."""


class LibraryBusyError(StoreError):
    """Another process holds the library's write lock."""


class UnwritableError(StoreError):
    """A file or folder could not be written (permissions, full disk, missing folder)."""
