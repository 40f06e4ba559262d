"""Reading priority: a score from signals the library has, and the reasons a person can
read ("12 upvotes in 2 days · matches saved search 'quantization' · has code").

Pure functions of a paper's :class:`Signals` and the user's :class:`PriorityWeights`
(the config file's ``[priority]`` table); :mod:`store.priority_order` gathers the
signals for every paper and sorts by the score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Follows",
    "Priority",
    "PrioritySettings",
    "PriorityWeights",
    "Signals",
    "priority_of",
    "priority_score",
    "reasons",
    "score",
]


class PriorityWeights(BaseModel):
    """How much each signal counts (0 turns it off)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    upvotes: float = Field(1.0, ge=0, description="per doubling of the upvotes")
    growth: float = Field(1.0, ge=0, description="per doubling of the upvotes gained a day")
    saved_search: float = Field(2.0, ge=0, description="per saved search the paper matches")
    followed: float = Field(3.0, ge=0, description="from an organisation or author followed")
    recency: float = Field(2.0, ge=0, description="in full on the day it was published")
    half_life_days: float = Field(7.0, gt=0, description="days until recency counts half")
    code: float = Field(1.0, ge=0, description="the paper has code")


class Follows(BaseModel):
    """Organisations and authors the user follows (the config file's ``[follow]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisations: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()


class PrioritySettings(BaseModel):
    """Weights and follows together: what a priority order depends on besides papers."""

    model_config = ConfigDict(frozen=True)

    weights: PriorityWeights = PriorityWeights()
    follows: Follows = Follows()


@dataclass(frozen=True)
class Signals:
    """What the library knows of one paper that bears on reading it soon."""

    upvotes: int = 0
    per_day: float = 0.0  # upvotes gained a day over its sightings
    age_days: float | None = None  # since it was published (None: undated)
    saved: tuple[str, ...] = ()  # names of the saved searches it matches
    followed: tuple[str, ...] = ()  # organisations or authors followed it is from
    has_code: bool = False


def score(
    weights: PriorityWeights,
    upvotes: int,
    per_day: float,
    age_days: float | None,
    saved: int,
    followed: bool,
    has_code: bool,
) -> float:
    """The priority formula: higher is sooner. Upvotes and their growth count by
    doubling (10 to 20 weighs as 100 to 200); recency halves every half-life; each
    saved search matched, a follow and code add their weight."""
    value = weights.upvotes * math.log2(1 + max(0, upvotes))
    value += weights.growth * math.log2(1 + max(0.0, per_day))
    value += weights.saved_search * saved + weights.followed * followed
    if age_days is not None:
        value += weights.recency * 0.5 ** (max(0.0, age_days) / weights.half_life_days)
    return value + weights.code * has_code


def priority_score(signals: Signals, weights: PriorityWeights) -> float:
    """A paper's priority from its signals (:func:`score`)."""
    return score(
        weights,
        signals.upvotes,
        signals.per_day,
        signals.age_days,
        len(signals.saved),
        bool(signals.followed),
        signals.has_code,
    )


def _days(days: float) -> str:
    whole = max(0, round(days))
    return "today" if whole == 0 else ("1 day" if whole == 1 else f"{whole} days")


def reasons(signals: Signals, weights: PriorityWeights) -> list[str]:
    """The signals that raised the paper, in plain words, strongest kinds first."""
    said: list[str] = []
    if signals.followed and weights.followed:
        said.append("from " + ", ".join(signals.followed) + " (followed)")
    if signals.saved and weights.saved_search:
        names = ", ".join(repr(name) for name in signals.saved)
        said.append(f"matches saved search{'es' if len(signals.saved) > 1 else ''} {names}")
    if signals.upvotes and weights.upvotes:
        votes = f"{signals.upvotes} upvote{'s' if signals.upvotes != 1 else ''}"
        age = signals.age_days
        if age is not None and age <= 60:
            votes += " today" if round(age) == 0 else f" in {_days(age)}"
        said.append(votes)
    if signals.per_day >= 1 and weights.growth:
        said.append(f"+{signals.per_day:.0f} a day")
    age = signals.age_days
    recent = age is not None and weights.recency and age <= 2 * weights.half_life_days
    told = bool(signals.upvotes and weights.upvotes)  # the upvotes said the age already
    if recent and not told and age is not None:
        when = _days(age)
        said.append("published today" if when == "today" else f"published {when} ago")
    if signals.has_code and weights.code:
        said.append("has code")
    return said


class Priority(BaseModel):
    """One paper's priority and why."""

    model_config = ConfigDict(frozen=True)

    score: float
    reasons: list[str]

    @property
    def why(self) -> str:
        """The reasons on one line ("nothing stands out" when there are none)."""
        return " · ".join(self.reasons) or "nothing stands out"


def priority_of(signals: Signals, weights: PriorityWeights) -> Priority:
    """The score and the reasons of one paper."""
    return Priority(score=priority_score(signals, weights), reasons=reasons(signals, weights))
