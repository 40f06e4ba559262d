"""What the index holds, read and written in one place.

``index/paperdeck-state.json`` says which schema the index was built with and which
stored sources (by content hash) are indexed. It is written by the index writer only,
right after each commit, so:

- sources stored but not in :attr:`IndexState.sources` were stored by an import that
  never committed (it was killed): the next writer indexes them;
- an index whose state is missing or of another schema is rebuilt.

The user's own data is not part of the index at all (queries on tags, bookmarks and
read state are answered from the user-data file), so it has no revision here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import atomic_write_text

__all__ = ["SCHEMA_VERSION", "STATE_FILE", "IndexState", "read_state", "write_state"]

# The layout store.schema builds (an index of another version is rebuilt). Kept here,
# free of Whoosh, for what reads it before Whoosh loads (store.first_screen).
SCHEMA_VERSION = 8
STATE_FILE = "paperdeck-state.json"
_FORMAT = "paperdeck-index-state"


@dataclass
class IndexState:
    """The schema an index was built with and the sources it holds."""

    schema: int
    sources: frozenset[str] = field(default_factory=frozenset)

    def with_sources(self, added: set[str] | frozenset[str]) -> IndexState:
        """This state with more sources indexed."""
        return IndexState(self.schema, self.sources | frozenset(added))


def read_state(index_dir: Path) -> IndexState | None:
    """The state of the index in ``index_dir``, or None if it is missing or unreadable."""
    try:
        raw = json.loads((index_dir / STATE_FILE).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
        return None
    schema, sources = raw.get("schema"), raw.get("sources")
    if not isinstance(schema, int) or not isinstance(sources, list):
        return None
    if not all(isinstance(s, str) for s in sources):
        return None
    return IndexState(schema, frozenset(sources))


def write_state(index_dir: Path, state: IndexState) -> None:
    """Write the state atomically (raises :class:`~store.errors.UnwritableError`)."""
    document = {"format": _FORMAT, "schema": state.schema, "sources": sorted(state.sources)}
    atomic_write_text(index_dir / STATE_FILE, json.dumps(document, indent=0) + "\n")
