"""What one run may fetch: at most `max_pages_per_run` pages, within `run_budget` seconds ([fetch] settings).

Pages beyond either limit are not requested and use no attempt: they stay pending in the frontier for the next
run and are counted in the run's summary (`fetch_deferred:max_pages`, `fetch_deferred:run_budget`). With a
50,000-URL sitemap on a polite 2 s delay, the fetch batches of one run would otherwise take more than a day.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import TypeVar

T = TypeVar("T")


class Deferred:
    """Pages left for a later run, by the limit that left them."""

    def __init__(self) -> None:
        self._counts: Counter = Counter()

    def add(self, limit: str, pages: int) -> None:
        if pages > 0:
            self._counts[limit] += pages

    def counts(self) -> dict[str, int]:
        return {f"fetch_deferred:{k}": v for k, v in sorted(self._counts.items())}

    @property
    def total(self) -> int:
        return sum(self._counts.values())


def cap(pages: list[T], max_pages: int | None) -> tuple[list[T], Deferred]:
    """The first `max_pages` of `pages` (already interleaved across hosts) and what is deferred."""
    deferred = Deferred()
    if max_pages is None or len(pages) <= max_pages:
        return pages, deferred
    deferred.add("max_pages", len(pages) - max_pages)
    return pages[:max_pages], deferred


class RunBudget:
    """The run's fetch deadline, from the first fetch batch on (time.monotonic); None: no limit."""

    def __init__(self, seconds: float | None) -> None:
        self.started = time.monotonic()
        self.deadline = None if seconds is None else self.started + seconds

    def spent(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 2)
