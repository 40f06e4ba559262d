"""How long work tells its caller how far it got."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress"]

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, what)``: files read, papers written, pages reindexed."""
