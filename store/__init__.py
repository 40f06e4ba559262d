"""paperdeck's store: parse saved Hugging Face Papers pages, index and search them with
Whoosh, keep the user's bookmarks, tags, notes and read state, and export them.

A plain library: it never imports Textual or Rich. Start with :meth:`Library.open`.
"""

from .errors import LibraryBusyError, NotFoundError, PageError, StoreError, UnwritableError
from .export import FORMATS, ExportFormat, export_papers, write_export
from .library import ImportProgress, Library
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

__all__ = [
    "DATA_DIR_ENV",
    "FORMATS",
    "ExportFormat",
    "FileProblem",
    "ImportProgress",
    "ImportReport",
    "Library",
    "LibraryBusyError",
    "LibraryInfo",
    "Listing",
    "NotFoundError",
    "PageError",
    "Paper",
    "Results",
    "SearchHit",
    "Sighting",
    "SortKey",
    "StoreError",
    "UnwritableError",
    "UserEntry",
    "default_data_dir",
    "export_papers",
    "write_export",
]
