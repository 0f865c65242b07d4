"""Analyse batches go to the run's cluster once it is up and to the flow's own process while it starts; either
way the writer decides them in batch order, so what is loaded is what a serial pass loads."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from flows.lifecycle import Run
from flows.pipeline import _Dispatch, fresh_index, process_pages
from tasks import process
from tasks.config import RunnerSettings, Settings
from tasks.models import Attempt, Candidate, FetchResult
from tasks.relevance.topic import load_topic
from tasks.store import Store

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.timeout(360)]

NOW = datetime(2024, 11, 30, 6, 0, tzinfo=UTC)
PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>Russia and North Korea signed a comprehensive strategic partnership treaty in Pyongyang on 19 June 2024, "
    "{body}, with a mutual defence clause.</p><p>Vladimir Putin and Kim Jong Un met for talks.</p>"
    "</article></body></html>"
)


def _page(n: int) -> str:
    if n % 4 == 3:  # a copy of the page before it: which one is the article depends on the order decided
        n -= 1
    words = " ".join(f"{'abcdefghijkl'[n]}{k}{'mnopqrstuvwx'[(n * 7 + k) % 12]}" for k in range(80))
    return PAGE.format(title=f"Putin and Kim sign pact, report {'ABCDEFGHIJKL'[n]}", body=words)


def _store(path) -> Store:
    s = Store(path, lock_timeout=5)
    s.migrate()
    urls = [f"https://a.example/news/{n}.html" for n in range(12)]
    s.add_candidates([Candidate(u, "feed-a") for u in urls], "run-0", NOW)
    s.save_fetches(
        [
            FetchResult(
                url=u, final_url=u, status=200, ok=True, body=_page(i).encode(), text=_page(i),
                content_type="text/html", encoding="utf-8", attempts=[Attempt(u, 200, None, 5)],
            )  # fmt: skip
            for i, u in enumerate(urls)
        ],
        "run-0",
        NOW,
        max_attempts=3,
    )
    return s


class FakeCluster:
    """Stands for a run's Dask cluster: up after `starting` checks; batches run on a pool of two threads and
    finish in reverse order of submission (the later batch first)."""

    def __init__(self, starting: int, flow_helps: bool = True):
        self.cfg = RunnerSettings(kind="dask", workers=2, flow_helps=flow_helps)
        self.starting = starting
        self.pool = ThreadPoolExecutor(2)
        self.submitted = 0

    def ready(self) -> bool:
        self.starting -= 1
        return self.starting < 0

    def wait(self):
        return self

    def submit(self, task, parameters):
        self.submitted += 1
        delay = 0.3 if self.submitted % 2 else 0.0

        def work():
            import time

            time.sleep(delay)
            return task.fn(**parameters)

        return self.pool.submit(work)

    @contextmanager
    def use(self, batches: int, counts: Counter):
        yield _Dispatch(self, counts)


def _decided(tmp_path, name: str, cluster: FakeCluster | None) -> tuple[dict, Counter]:
    store = _store(tmp_path / f"{name}.duckdb")
    settings = Settings.model_validate({"pipeline": {"process_batch_size": 2}, "runner": {"kind": "serial"}})
    run = Run("nightly", f"run-{name}", settings, store, load_topic())
    run.analysers = cluster
    urls = [p.url for p in store.pending(max_attempts=3) if p.status == "fetched"]
    counts = process_pages(run, urls, process.Templates(), fresh_index(run))
    with store.connect() as con:
        rows = con.execute(
            "SELECT u.url, u.status, a.url FROM urls u LEFT JOIN articles a USING (article_id) ORDER BY 1"
        ).fetchall()
    return {url: (status, article) for url, status, article in rows}, counts


def test_batches_go_to_the_cluster_once_it_is_up_and_load_what_a_serial_pass_loads(tmp_path):
    serial, serial_counts = _decided(tmp_path, "serial", None)
    assert "batches_on_cluster" not in serial_counts
    assert Counter(s for s, _ in serial.values()) == {"loaded": 9, "duplicate": 3}

    helped, counts = _decided(tmp_path, "helped", FakeCluster(starting=3))
    assert 0 < counts["batches_on_cluster"] < 6  # the flow analysed the first batches while the cluster started
    assert helped == serial

    waited, counts = _decided(tmp_path, "waited", FakeCluster(starting=3, flow_helps=False))
    assert counts["batches_on_cluster"] == 6
    assert waited == serial


def test_auto_runs_on_a_cluster_with_two_cores_or_more(monkeypatch):
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert RunnerSettings(kind="auto").parallel
    assert not RunnerSettings().parallel  # serial, as shipped
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert not RunnerSettings(kind="auto").parallel
    assert RunnerSettings(kind="dask").parallel
    assert RunnerSettings(kind="auto", address="tcp://10.0.0.5:8786").parallel  # another machine's cores
