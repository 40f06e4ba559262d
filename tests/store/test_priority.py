"""Reading priority: a score from the library's signals, reasons a person can read, the
weights from the settings, and the order every list and search sorts by."""

from __future__ import annotations

from datetime import date

from store import Library
from store.priority import (
    Follows,
    PrioritySettings,
    PriorityWeights,
    Signals,
    priority_of,
    priority_score,
)

W = PriorityWeights()


def test_reasons_say_what_raised_the_paper() -> None:
    signals = Signals(
        upvotes=12,
        per_day=5.2,
        age_days=2,
        saved=("quantization",),
        followed=("NVIDIA",),
        has_code=True,
    )
    assert priority_of(signals, W).why == (
        "from NVIDIA (followed) · matches saved search 'quantization' · 12 upvotes in 2 days"
        " · +5 a day · has code"
    )
    assert priority_of(Signals(age_days=0), W).why == "published today"
    assert priority_of(Signals(upvotes=1, age_days=400), W).why == "1 upvote"
    assert priority_of(Signals(), W).why == "nothing stands out"


def test_each_signal_raises_the_score_by_its_weight() -> None:
    base = Signals(upvotes=10, age_days=3)
    score = priority_score(base, W)
    assert priority_score(Signals(upvotes=20, age_days=3), W) > score
    assert priority_score(Signals(upvotes=10, age_days=10), W) < score
    assert (
        priority_score(Signals(upvotes=10, age_days=3, saved=("a", "b")), W)
        == score + 2 * W.saved_search
    )
    assert priority_score(Signals(upvotes=10, age_days=3, has_code=True), W) == score + W.code
    off = PriorityWeights(upvotes=0, recency=0)
    assert priority_score(base, off) == 0
    assert priority_of(base, off).reasons == []  # a signal weighed 0 is not a reason


def _scores(library: Library) -> list[tuple[float, str]]:
    return [(library.priority_of(p.id).score, p.id) for p in library.papers("priority")]


def test_the_library_sorts_by_priority_and_says_why(loaded: Library) -> None:
    ranked = _scores(loaded)
    assert len(ranked) == loaded.count()
    assert [s for s, _ in ranked] == sorted((s for s, _ in ranked), reverse=True)
    first = loaded.search("", sort="priority", limit=10)
    assert [h.paper.id for h in first.hits] == [pid for _, pid in ranked[:10]]


def test_a_saved_search_and_a_follow_lift_their_papers(loaded: Library) -> None:
    ranked = _scores(loaded)
    last_id = ranked[-1][1]
    last = loaded.get(last_id)
    word = max(last.title.split(), key=len)
    loaded.priority_settings = PrioritySettings(weights=PriorityWeights(saved_search=100))
    loaded.save_search("lift", f'title:"{word}"')
    why = loaded.priority_of(last_id)
    assert "matches saved search 'lift'" in why.why
    assert _scores(loaded)[0][0] >= why.score  # the order is computed afresh
    assert loaded.search("", sort="priority", limit=1).hits[0].paper.id in {
        pid for _, pid in _scores(loaded)[:5]
    }
    org = next((p.organization for p in loaded.all_papers() if p.organization), None)
    if org:
        loaded.priority_settings = PrioritySettings(
            weights=PriorityWeights(followed=100), follows=Follows(organisations=(org,))
        )
        top = loaded.papers("priority")
        assert f"from {org} (followed)" in loaded.priority_of(next(top).id).why


def test_recency_counts_from_today(loaded: Library) -> None:
    paper = next(p for p in loaded.all_papers() if p.published)
    assert paper.published is not None
    loaded._priority.today = lambda: paper.published  # type: ignore[assignment,return-value]
    assert "today" in loaded.priority_of(paper.id).why
    loaded._priority.today = lambda: date(paper.published.year + 3, 1, 1)  # type: ignore[union-attr]
    assert "today" not in loaded.priority_of(paper.id).why


def test_a_follow_matches_exactly_or_not_at_all(loaded: Library) -> None:
    loaded.priority_settings = PrioritySettings(
        follows=Follows(organisations=("Meta AI", "The"), authors=("Nobody Here",))
    )
    assert not any("followed" in loaded.priority_of(p.id).why for p in loaded.all_papers())


def test_why_one_paper_never_sorts_the_library(loaded: Library) -> None:
    paper = loaded.all_papers()[0]
    loaded.priority_of(paper.id)
    assert len(loaded._priority._orders) == 0  # the reasons read match sets and columns
    loaded.set_read(paper.id)  # a new revision: no saved search reads user data
    loaded.priority_of(paper.id)
    assert len(loaded._priority._sets) == 1
