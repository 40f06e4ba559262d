"""The export formats, by name: cheap to import (the command line's choices)."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["EXTENSIONS", "FORMATS", "ExportFormat"]

ExportFormat = Literal["bibtex", "ris", "markdown", "csv", "json"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
EXTENSIONS: dict[str, str] = {
    "bibtex": "bib",
    "ris": "ris",
    "markdown": "md",
    "csv": "csv",
    "json": "json",
}
