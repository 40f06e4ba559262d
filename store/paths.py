"""Where the library lives on disk."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["DATA_DIR_ENV", "LibraryPaths", "default_data_dir"]

DATA_DIR_ENV = "PAPERDECK_DATA_DIR"


def default_data_dir() -> Path:
    """``$PAPERDECK_DATA_DIR`` if set, else the platform's user data folder for paperdeck."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("paperdeck", appauthor=False))


class LibraryPaths:
    """The files of one library: derived index, stored pages, the user's own data."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.index_dir = root / "index"
        self.pages_dir = root / "pages"  # every stored source (pages, backups)
        self.userdata_file = root / "userdata.json"
        self.userdata_backup = root / "userdata.json.bak"
        self.userdata_lock = root / "userdata.json.lock"  # also taken for searches.json
        self.userdata_undo = root / "userdata.undo"  # the undo journal's folder
        self.searches_file = root / "searches.json"  # saved searches, the digest's time
        # The reader's first rows, painted before the index loads (store.first_screen).
        self.first_screen_file = self.index_dir / "paperdeck-first-screen.json"
        # Taken by every index writer (import, rebuild, repair); beside index/, so a
        # rebuild that swaps index/ for a new folder keeps holding it.
        self.index_lock = root / "index.lock"
