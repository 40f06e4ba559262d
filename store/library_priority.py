"""The library's priority verbs: the settings (weights, follows) and why a paper is
where it is in the priority order.

A part of :class:`~store.Library` (a mixin it inherits); the order itself is
:mod:`store.priority_order`, the score :mod:`store.priority`.
"""

from __future__ import annotations

from typing import Any

from .errors import NotFoundError
from .ordering import Ordering
from .paper_reads import check_id
from .priority import Priority, PrioritySettings, priority_of
from .priority_order import PriorityOrder
from .repair import IndexGuard
from .userdata import UserData

__all__ = ["PriorityVerbs"]


class PriorityVerbs:
    """Reading priority: settings from the user's config, and each paper's reasons."""

    userdata: UserData
    _guard: IndexGuard
    _priority: PriorityOrder

    @property
    def priority_settings(self) -> PrioritySettings:
        """The weights and follows the priority order uses."""
        return self._priority.settings

    @priority_settings.setter
    def priority_settings(self, settings: PrioritySettings) -> None:
        self._priority.settings = settings

    def _priority_order(self, searcher: Any) -> Ordering:
        entries, version = self.userdata.snapshot()
        return self._priority.ordering(searcher, entries, version)

    def priority_of(self, paper_id: str) -> Priority:
        """A paper's priority and the reasons for it, in plain words."""
        paper_id = check_id(paper_id)
        entries, version = self.userdata.snapshot()

        def read(searcher: Any) -> Priority:
            docnum = searcher.document_number(id=paper_id)
            if docnum is None:
                raise NotFoundError(f"no paper has the id {paper_id!r}")
            signals = self._priority.signals(searcher, docnum, entries, version)
            return priority_of(signals, self._priority.settings.weights)

        return self._guard.read(read)
