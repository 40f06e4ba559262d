"""Keeping the store's imports cheap: a cold ``paperdeck search`` is mostly imports.

Whoosh imports the ``cached_property`` package for one decorator, and that package
imports asyncio (12 ms of a 0.3 s search) for a variant Whoosh never uses. Until some
other code asks the package for anything else, the standard library's
``functools.cached_property`` (the same caching in the instance's ``__dict__``) stands in
for it; the first other name asked for loads the real package.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from typing import Any

__all__ = ["install"]

_PACKAGE = "cached_property"


class _StandIn(types.ModuleType):
    """``cached_property`` with only its decorator, the rest loaded on demand."""

    cached_property = functools.cached_property

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asking (``__path__``, say)
            raise AttributeError(name)
        if sys.modules.get(_PACKAGE) is self:
            del sys.modules[_PACKAGE]
        return getattr(importlib.import_module(_PACKAGE), name)


def install() -> None:
    """Put the stand-in in place unless the real package is loaded already."""
    if _PACKAGE not in sys.modules:
        sys.modules[_PACKAGE] = _StandIn(_PACKAGE, __doc__)
