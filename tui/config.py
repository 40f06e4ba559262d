"""The user's settings: a TOML file in the platform's config folder.

    theme = "nord"
    reading_width = 88            # columns of text in the paper screen, at most

    [keymap]                      # binding id = keys (comma-separated)
    "list.down" = "j,down,ctrl+n"
    "app.quit" = "q,ctrl+q"

    [priority]                    # weights of the priority sort (0 turns one off)
    upvotes = 1.0                 # per doubling of the upvotes
    growth = 1.0                  # per doubling of the upvotes gained a day
    saved_search = 2.0            # per saved search a paper matches
    followed = 3.0                # from an organisation or author followed
    recency = 2.0                 # on the day it was published; half after half_life_days
    half_life_days = 7.0
    code = 1.0                    # the paper has code

    [follow]
    organisations = ["NVIDIA", "Qwen"]
    authors = ["Tri Dao"]

Every binding's id is listed by the in-app help (``?``). A theme picked in the command
palette is written back here.
"""

from __future__ import annotations

import contextlib
import os
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
import tomli_w

from store.atomic import atomic_write_text
from store.errors import UnwritableError

if TYPE_CHECKING:
    from store.priority import PrioritySettings

__all__ = ["CONFIG_ENV", "Config", "config_path", "load_config", "save_theme"]

CONFIG_ENV = "PAPERDECK_CONFIG"
READING_WIDTH = 88  # columns of an abstract in the paper screen, at most


def config_path() -> Path:
    """``$PAPERDECK_CONFIG`` if set, else ``<user config dir>/paperdeck/config.toml``."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("paperdeck", appauthor=False)) / "config.toml"


@dataclass
class Config:
    """Settings read from the config file, and what was wrong with it, if anything.

    The priority weights are checked when first read (that loads pydantic, which the
    reader's first screen does without); their problems join :attr:`problems` then.
    """

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    reading_width: int = READING_WIDTH
    problems: list[str] = field(default_factory=list)
    priority_tables: dict[str, object] = field(default_factory=dict)
    """The ``[priority]`` and ``[follow]`` tables as the file gave them."""
    path: Path | None = None
    _priority: PrioritySettings | None = field(default=None, repr=False, compare=False)
    _checking: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def priority(self) -> PrioritySettings:
        """The priority sort's settings: the defaults where the file's are wrong (checked
        once, whichever thread asks first)."""
        with self._checking:
            if self._priority is None:
                self._priority = _priority(self.priority_tables, self.path, self.problems)
            return self._priority


def load_config(path: Path | None = None, *, check_priority: bool = True) -> Config:
    """Read the config; a missing file is an empty config, a broken one is reported.
    ``check_priority=False`` leaves the priority weights to be checked when first read."""
    path = path or config_path()
    config = Config(path=path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        config.problems.append(f"{path}: ignored, it is not valid TOML ({exc})")
        return config
    theme = raw.get("theme")
    if isinstance(theme, str):
        config.theme = theme
    elif theme is not None:
        config.problems.append(f"{path}: theme must be a string")
    width = raw.get("reading_width", READING_WIDTH)
    if isinstance(width, int) and not isinstance(width, bool) and 40 <= width <= 400:
        config.reading_width = width
    else:
        config.problems.append(f"{path}: reading_width must be a whole number from 40 to 400")
    keymap = raw.get("keymap", {})
    if isinstance(keymap, dict):
        for binding_id, keys in keymap.items():
            if isinstance(keys, str) and keys.strip():
                config.keymap[str(binding_id)] = keys
            else:
                config.problems.append(f"{path}: keymap.{binding_id} must be a string of keys")
    else:
        config.problems.append(f"{path}: [keymap] must be a table")
    config.priority_tables = {t: raw[t] for t in ("priority", "follow") if t in raw}
    if check_priority:
        config.priority  # noqa: B018  (checked now: its problems are reported with the rest)
    return config


def _priority(raw: dict[str, object], path: Path | None, problems: list[str]) -> PrioritySettings:
    """The ``[priority]`` weights and ``[follow]`` lists; the defaults where they are wrong."""
    from pydantic import ValidationError

    from store.priority import Follows, PrioritySettings, PriorityWeights

    settings = PrioritySettings()
    for table, model in (("priority", PriorityWeights), ("follow", Follows)):
        given = raw.get(table, {})
        try:
            if not isinstance(given, dict):
                raise ValueError("it must be a table")
            value = model.model_validate(given)
        except (ValidationError, ValueError) as exc:
            problems.append(f"{path}: [{table}] ignored: {_first_problem(exc)}")
            continue
        key = "weights" if table == "priority" else "follows"
        settings = settings.model_copy(update={key: value})
    return settings


def _first_problem(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}" if where else str(error["msg"])
    return str(exc)


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember the theme, keeping everything else in the file as it was."""
    path = path or config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raw = {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # never overwrite a file the user must fix by hand
    raw["theme"] = theme
    with contextlib.suppress(UnwritableError):  # an unwritable config only loses the theme
        atomic_write_text(path, tomli_w.dumps(raw), create_parents=True)
