"""What one run may fetch: the page cap, the run's fetch budget, and pages a budget left unrequested."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tasks.fetch_limits import RunBudget, cap
from tasks.models import Attempt, Candidate, FetchResult
from tasks.store import Store

NOW = datetime(2024, 11, 30, 6, 0, tzinfo=UTC)

pytestmark = pytest.mark.timeout(60)


def test_the_cap_keeps_the_first_pages_and_counts_the_rest():
    kept, deferred = cap(list(range(10)), 4)
    assert kept == [0, 1, 2, 3] and deferred.counts() == {"fetch_deferred:max_pages": 6}
    kept, deferred = cap(list(range(3)), 4)
    assert kept == [0, 1, 2] and deferred.counts() == {} and deferred.total == 0
    assert cap([1, 2], None)[0] == [1, 2]


def test_the_run_budget_runs_out():
    assert not RunBudget(None).spent() and RunBudget(None).deadline is None
    budget = RunBudget(0.05)
    assert not budget.spent()
    time.sleep(0.06)
    assert budget.spent() and budget.elapsed() >= 0.05


def test_a_page_a_budget_left_unrequested_keeps_its_attempts(tmp_path):
    """Before: every run that reached a slow host's page after its budget ran out used one of the page's
    attempts, so after max_attempts runs a page never requested failed for good."""
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    waiting, tried = "https://slow.example/a.html", "https://slow.example/b.html"
    down = "https://gone.example/c.html"
    store.add_candidates([Candidate(u, "feed") for u in (waiting, tried, down)], "run-0", NOW)
    for run in range(1, 5):
        store.save_fetches(
            [
                FetchResult(url=waiting, error="budget"),  # not requested
                FetchResult(url=down, error="host_down"),  # not requested: its host refused connections
                FetchResult(url=tried, error="timeout", attempts=[Attempt(tried, None, "timeout", 2500)]),
            ],
            f"run-{run}",
            NOW,
            max_attempts=3,
        )
    with store.connect() as con:
        got = dict(
            (u, (s, r, a))
            for u, s, r, a in con.execute("SELECT url, status, reason, attempts FROM urls").fetchall()
        )
    assert got[waiting] == ("new", "budget", 0)  # still pending, its reason recorded
    assert got[down] == ("new", "host_down", 0)
    assert got[tried] == ("failed_permanent", "timeout", 4)  # requested and failed: attempts used up
    assert sorted(p.url for p in store.pending(max_attempts=3)) == sorted([waiting, down])
