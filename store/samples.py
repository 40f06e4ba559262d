"""The sample pages shipped with paperdeck: a few dozen papers saved as text pages.

They are written for paperdeck (no real papers), in the format of pages saved from
Hugging Face Papers, with every kind of metadata block the parser reads; ``paperdeck
demo`` opens the reader on a library built from them.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["sample_pages"]


def sample_pages() -> Path:
    """The folder of the sample pages (inside the installed package)."""
    return Path(__file__).resolve().parent / "sample_pages"
