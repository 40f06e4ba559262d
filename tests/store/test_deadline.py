"""The search time budget: same TimeLimit as Whoosh's collector, no thread per search."""

from __future__ import annotations

import threading

import pytest
from whoosh import fields
from whoosh.collectors import TopCollector
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Every
from whoosh.searching import TimeLimit

from store.deadline import DeadlineCollector


@pytest.fixture
def searcher():  # type: ignore[no-untyped-def]
    index = RamStorage().create_index(fields.Schema(body=fields.TEXT(stored=True)))
    with index.writer() as writer:
        for number in range(500):
            writer.add_document(body=f"paper {number}")
    with index.searcher() as searcher:
        yield searcher


def test_within_the_budget_everything_is_collected(searcher) -> None:  # type: ignore[no-untyped-def]
    top = TopCollector(limit=1000)
    before = threading.active_count()
    started = []

    def count_threads(*args: object) -> None:
        started.append(args)

    original = threading.Thread.start
    threading.Thread.start = count_threads  # type: ignore[method-assign, assignment]
    try:
        searcher.search_with_collector(Every(), DeadlineCollector(top, timelimit=10.0))
    finally:
        threading.Thread.start = original  # type: ignore[method-assign]
    assert len(top.results()) == 500
    assert started == [] and threading.active_count() == before


def test_past_the_budget_it_raises_time_limit(searcher) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TimeLimit):
        searcher.search_with_collector(
            Every(), DeadlineCollector(TopCollector(limit=1000), timelimit=-1.0)
        )
