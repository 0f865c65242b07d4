"""Crash-consistent learning: killed at each step after pages are loaded, the next run completes what was left
and ends with the tables an uninterrupted run gives, without refetching a page."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest

from tasks import db
from tasks.store import Store

from .conftest import rows
from .conftest import run_nightly as run
from .test_nightly import final_state

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.timeout(420)]  # bounded in time


class Killed(BaseException):
    """Stands for the process dying at that point (not an Exception: nothing may catch it as a page error)."""


def _after(monkeypatch, owner, name, *, calls=1, replace_only=False):
    """Let `owner.name` run `calls` times, then die right after the next call returns."""
    real = getattr(owner, name)
    seen = {"n": 0}

    def wrapper(*args, **kwargs):
        result = real(*args, **kwargs)
        if replace_only and not kwargs.get("replace"):
            return result
        seen["n"] += 1
        if seen["n"] >= calls:
            raise Killed(f"killed after {name}")
        return result

    monkeypatch.setattr(owner, name, wrapper)


STEPS = {
    # the learned templates are committed, none of the pages they change redone yet
    "templates-saved": lambda mp: _after(mp, Store, "learn_templates"),
    # one batch of the pages to redo replaced, the others not
    "first-redo-batch": lambda mp: _after(mp, Store, "load", replace_only=True),
    # every page redone, the version not yet recorded as applied
    "pages-redone": lambda mp: mp.setattr(
        Store, "templates_applied", lambda *a, **k: (_ for _ in ()).throw(Killed("killed before mark"))
    ),
    # the run's rows are in, the analysts' snapshot not published
    "before-snapshot": lambda mp: mp.setattr(
        db, "publish_snapshot", lambda *a, **k: (_ for _ in ()).throw(Killed("killed before snapshot"))
    ),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_kill_at_each_learning_step_then_rerun_gives_the_clean_rows(
    web, demo_db, tmp_path, monkeypatch, step
):
    clean, _ = demo_db
    path = tmp_path / "news.duckdb"
    STEPS[step](monkeypatch)
    with pytest.raises(Killed):
        run(web, tmp_path, path)
    monkeypatch.undo()
    fetched = {u for (u,) in rows(path, "SELECT url FROM raw_pages")}
    assert fetched
    requests_before = len(web.requests)
    run(web, tmp_path, path)
    paths = {r.path for r in web.requests[requests_before:]}
    assert [
        u for u in fetched if any(u.endswith(p) for p in paths if p.endswith(".html"))
    ] == []  # no refetch
    for got, expected in zip(final_state(path), final_state(clean), strict=True):
        assert set(got) ^ set(expected) == set(), step
    statuses = rows(path, "SELECT status, count(*) FROM runs GROUP BY 1 ORDER BY 1")
    if step == "before-snapshot":  # the run had finished its rows; only the snapshot was missing
        assert statuses == [("completed", 2)]
    else:
        assert statuses == [("completed", 1), ("failed", 1)]
    if step == "before-snapshot":
        assert db.snapshot_path(path).exists()


@pytest.mark.parametrize("point", ["mid-batch", "batch-fetched"])
def test_killed_during_a_fetch_batch_the_rerun_refetches_nothing_it_had(
    web, demo_db, tmp_path, monkeypatch, point
):
    """Killed after 20 pages of a fetch batch were done, or after the whole batch was fetched but before it was
    merged into the database: the rerun merges the batch's journal (those pages and their requests), fetches
    only the rest, and ends with the clean run's rows."""
    from tasks import staging
    from tasks.fetch import Fetcher

    clean, _ = demo_db
    path = tmp_path / "news.duckdb"
    journaled: list[str] = []
    settled: set[str] = set()  # fetched, or failed for good: what a rerun must not ask again
    dead = {"now": False}
    real_append, real_fetch = staging.Journal.append, Fetcher.fetch
    one_at_a_time = threading.Lock()

    def append(self, result):
        with one_at_a_time:
            if dead["now"]:
                raise Killed("killed mid-batch")
            real_append(self, result)
            journaled.append(result.url)
            settled.update([result.url] if result.ok or result.permanent else [])
            if len(journaled) >= 20:
                dead["now"] = True
                raise Killed("killed mid-batch")

    def fetch(self, *args, **kwargs):
        if dead["now"]:  # a dead process makes no more requests
            raise Killed("killed mid-batch")
        return real_fetch(self, *args, **kwargs)

    def record(self, result):
        real_append(self, result)
        journaled.append(result.url)
        settled.update([result.url] if result.ok or result.permanent else [])

    def merge(*args, **kwargs):
        raise Killed("killed before the batch was merged")

    if point == "mid-batch":
        monkeypatch.setattr(staging.Journal, "append", append)
        monkeypatch.setattr(Fetcher, "fetch", fetch)
    else:
        monkeypatch.setattr(staging.Journal, "append", record)
        monkeypatch.setattr(Store, "save_fetches", merge)
    with pytest.raises(Killed):
        run(web, tmp_path, path)
    monkeypatch.undo()
    assert len(journaled) == (20 if point == "mid-batch" else len(set(journaled))) and len(journaled) >= 20
    assert rows(path, "SELECT count(*) FROM raw_pages") == [(0,)]
    assert list((tmp_path / "news.duckdb.staging").glob("*.journal.gz"))  # what the killed run left
    requests_before = len(web.requests)
    run(web, tmp_path, path)
    asked = {urlsplit(r.path).path for r in web.requests[requests_before:]}
    refetched = [u for u in settled if urlsplit(u).path in asked]
    assert settled and refetched == []  # no page the killed run had fetched is fetched again
    killed_run = rows(path, "SELECT run_id FROM runs WHERE status = 'failed'")[0][0]
    assert rows(path, "SELECT count(DISTINCT url) FROM fetches WHERE run_id = ?", [killed_run]) == [
        (len(set(journaled)),)
    ]
    assert not list((tmp_path / "news.duckdb.staging").glob("*"))  # merged and removed
    for got, expected in zip(final_state(path), final_state(clean), strict=True):
        assert set(got) ^ set(expected) == set()
