"""The config file's ``[priority]`` weights and ``[follow]`` lists: read when right, each
wrong table said in one line and replaced by the defaults, never a traceback."""

from __future__ import annotations

from pathlib import Path

from store.priority import Follows, PrioritySettings, PriorityWeights
from tests.helpers import write
from tui.config import load_config


def test_weights_and_follows_are_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path / "config.toml",
            '[priority]\ncode = 0\nsaved_search = 4.5\n\n[follow]\norganisations = ["NVIDIA"]\n'
            'authors = ["Tri Dao"]\n',
        )
    )
    assert config.problems == []
    assert config.priority == PrioritySettings(
        weights=PriorityWeights(code=0, saved_search=4.5),
        follows=Follows(organisations=("NVIDIA",), authors=("Tri Dao",)),
    )


def test_a_wrong_table_is_said_once_and_the_defaults_used(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        '[priority]\nupvotes = -1\nhalf_life_days = "week"\n\n[follow]\nteams = ["x"]\n',
    )
    config = load_config(path)
    assert config.priority == PrioritySettings()
    assert len(config.problems) == 2, config.problems
    assert config.problems[0].startswith(f"{path}: [priority] ignored: upvotes:")
    assert config.problems[1].startswith(f"{path}: [follow] ignored: teams:")
    assert all("\n" not in problem for problem in config.problems)


def test_a_table_that_is_not_a_table(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "config.toml", 'priority = 3\nfollow = "NVIDIA"\n'))
    assert config.priority == PrioritySettings()
    assert [p.split(": ", 1)[1] for p in config.problems] == [
        "[priority] ignored: it must be a table",
        "[follow] ignored: it must be a table",
    ]
