"""The export formats, by name: cheap to import (the command line's choices)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

__all__ = ["EXTENSIONS", "FORMATS", "ExportFormat", "default_filename"]

ExportFormat = Literal["bibtex", "ris", "markdown", "csv", "json"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
EXTENSIONS: dict[str, str] = {
    "bibtex": "bib",
    "ris": "ris",
    "markdown": "md",
    "csv": "csv",
    "json": "json",
}


def default_filename(fmt: ExportFormat, what: str = "bookmarks") -> str:
    """``paperdeck-bookmarks-YYYY-MM-DD.<ext>`` (``what`` in place of bookmarks)."""
    return f"paperdeck-{what}-{datetime.now().date().isoformat()}.{EXTENSIONS[fmt]}"
