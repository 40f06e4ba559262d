"""paperdeck's store: parse saved Hugging Face Papers pages, index and search them with
Whoosh, keep the user's bookmarks, tags, notes and read state, and export them.

A plain library: it never imports Textual or Rich. Start with :meth:`Library.open`.

The names below load on first use, so ``import store.formats`` (say) does not pull in
Whoosh and pydantic: the command line answers ``--help`` without them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .lean_imports import install as _lean_imports

_lean_imports()  # before anything imports Whoosh

if TYPE_CHECKING:
    from .errors import (
        BackupError,
        ConflictError,
        IndexDamagedError,
        LibraryBusyError,
        NotFoundError,
        PageError,
        StoreError,
        UndoError,
        UnwritableError,
    )
    from .export import export_papers, write_export
    from .formats import FORMATS, ExportFormat
    from .library import Library
    from .listing import Listing
    from .models import (
        FileProblem,
        ImportReport,
        LibraryInfo,
        Paper,
        Results,
        SearchHit,
        Sighting,
        SortKey,
        UserEntry,
    )
    from .paths import DATA_DIR_ENV, default_data_dir
    from .progress import Progress

_WHERE = {
    "BackupError": "errors",
    "ConflictError": "errors",
    "IndexDamagedError": "errors",
    "LibraryBusyError": "errors",
    "NotFoundError": "errors",
    "PageError": "errors",
    "StoreError": "errors",
    "UndoError": "errors",
    "UnwritableError": "errors",
    "export_papers": "export",
    "write_export": "export",
    "FORMATS": "formats",
    "ExportFormat": "formats",
    "Library": "library",
    "Listing": "listing",
    "FileProblem": "models",
    "ImportReport": "models",
    "LibraryInfo": "models",
    "Paper": "models",
    "Results": "models",
    "SearchHit": "models",
    "Sighting": "models",
    "SortKey": "models",
    "UserEntry": "models",
    "DATA_DIR_ENV": "paths",
    "default_data_dir": "paths",
    "Progress": "progress",
}

__all__ = [
    "DATA_DIR_ENV",
    "FORMATS",
    "BackupError",
    "ConflictError",
    "ExportFormat",
    "FileProblem",
    "ImportReport",
    "IndexDamagedError",
    "Library",
    "LibraryBusyError",
    "LibraryInfo",
    "Listing",
    "NotFoundError",
    "PageError",
    "Paper",
    "Progress",
    "Results",
    "SearchHit",
    "Sighting",
    "SortKey",
    "StoreError",
    "UndoError",
    "UnwritableError",
    "UserEntry",
    "default_data_dir",
    "export_papers",
    "write_export",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
