"""Rebuilding the index from the stored sources, beside the old one, then swapping.

The caller holds the index lock (no import can commit meanwhile, so none is lost by
the swap). The old index serves searches until the new one is complete; a rebuild
that is killed leaves an ``index.rebuild-*`` folder that the next writer deletes.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace

from . import storage
from .atomic import describe_os_error
from .cachedir import write_tag
from .errors import StoreError, UnwritableError
from .index import IndexStore, save_posting_files_of
from .index_state import IndexState, write_state
from .models import Paper
from .progress import Progress
from .records import merge, resolve_id, to_document
from .schema import SCHEMA_VERSION
from .sources import parse_stored
from .sourcestore import SourceStore

__all__ = ["rebuild_index", "remove_sources"]


def rebuild_index(
    index: IndexStore,
    sources: SourceStore,
    *,
    progress: Progress | None = None,
    notices: list[str] | None = None,
) -> int:
    """Build a fresh index from every stored source and swap it in; returns the number
    of papers. Hold the index lock."""
    index.remove_leftovers()
    sources.remove_strays()
    root = index.paths.root
    fresh = root / f"index.rebuild-{os.getpid()}-{int(time.time() * 1000)}"
    try:
        fresh.mkdir(parents=True)
        ix = storage.create_index(fresh, index.schema)
        write_tag(fresh)  # the swapped-in folder is skipped by backups too
        papers: dict[str, Paper] = {}
        arxiv_owners: dict[str, str] = {}
        indexed: set[str] = set()
        stored = list(sources.sources())
        for done, source in enumerate(stored):
            if progress:
                progress(done, len(stored), source.name)
            indexed.add(source.hash)
            try:
                parsed = parse_stored(sources.read(source.hash), source)
            except (OSError, StoreError) as exc:
                if notices is not None:
                    notices.append(f"Stored page {source.name} could not be read again: {exc}")
                continue
            for observation in parsed.observations:
                pid = resolve_id(observation, papers.__contains__, arxiv_owners.get)
                for sighting in observation.sightings:
                    if sighting.arxiv_id:
                        arxiv_owners.setdefault(sighting.arxiv_id, pid)
                papers[pid] = merge(papers.get(pid), replace(observation, paper_id=pid))
        with index.writer(ix, limitmb=256) as writer:
            for done, paper in enumerate(papers.values()):
                if progress and done % 500 == 0:
                    progress(done, len(papers), "indexing papers")
                writer.add_document(**to_document(paper))
        save_posting_files_of(ix)
        ix.close()
        write_state(fresh, IndexState(SCHEMA_VERSION, frozenset(indexed)))
        index.swap_in(fresh)
    except OSError as exc:
        raise UnwritableError(describe_os_error(exc, fresh)) from None
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
    if progress:
        progress(len(papers), len(papers), "")
    return len(papers)


def remove_sources(
    index: IndexStore,
    sources: SourceStore,
    digests: set[str],
    *,
    progress: Progress | None = None,
    notices: list[str] | None = None,
) -> int:
    """Forget stored sources and rebuild the index without them (papers seen only there
    disappear; the user's data is kept). Hold the index lock. Returns the papers left."""
    for digest in digests:
        sources.remove(digest)
    return rebuild_index(index, sources, progress=progress, notices=notices)
