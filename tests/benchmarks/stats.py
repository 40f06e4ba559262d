"""The benchmarks' shared arithmetic."""

from __future__ import annotations

__all__ = ["percentile"]


def percentile(values: list[float], pct: float) -> float:
    """The ``pct``-th percentile of ``values`` (nearest rank, no interpolation)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
