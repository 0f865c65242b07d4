"""A page whose processing raises fails alone; on its second failing run it is set aside (quarantined)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.lifecycle import Run
from flows.pipeline import fresh_index, process_pages
from tasks import process, stages
from tasks.config import Settings
from tasks.models import Attempt, Candidate, FetchResult
from tasks.relevance.topic import load_topic
from tasks.repos import quarantine as repo
from tasks.store import Store

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.timeout(360)]  # bounded in time

NOW = datetime(2024, 11, 30, 6, 0, tzinfo=UTC)
PAGE = (
    "<html><head><title>Putin and Kim sign pact {n}</title></head><body><article><h1>Putin and Kim sign pact {n}</h1>"
    "<p>Russia and North Korea signed a comprehensive strategic partnership treaty in Pyongyang on 19 June 2024, "
    "story number {n}, with a mutual defence clause.</p><p>Vladimir Putin and Kim Jong Un met for talks.</p>"
    "</article></body></html>"
)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "news.duckdb", lock_timeout=5)
    s.migrate()
    urls = [f"https://a.example/news/{n}.html" for n in range(5)] + ["https://a.example/news/poison.html"]
    s.add_candidates([Candidate(u, "feed-a") for u in urls], "run-0", NOW)
    results = [
        FetchResult(
            url=u,
            final_url=u,
            status=200,
            ok=True,
            body=PAGE.format(n=i).encode(),
            text=PAGE.format(n=i),
            content_type="text/html",
            encoding="utf-8",
            attempts=[Attempt(u, 200, None, 5)],
        )
        for i, u in enumerate(urls)
    ]
    s.save_fetches(results, "run-0", NOW, max_attempts=3)
    return s


def _statuses(store):
    with store.connect() as con:
        return dict(con.execute("SELECT url, status FROM urls").fetchall())


def _process(store, run_id, urls):
    """The pipeline's own decide-and-load pass over `urls`; returns the outcomes' (url, status)."""
    from collections import Counter

    run = Run("nightly", run_id, Settings(), store, load_topic())
    counts: Counter = process_pages(run, urls, process.Templates(), fresh_index(run))
    return counts


def _run(store, run_id):
    urls = [p.url for p in store.pending(max_attempts=3) if p.status == "fetched"]
    return _process(store, run_id, urls)


@pytest.mark.parametrize("stage", ["analyse", "decide", "load"])
def test_a_failing_page_fails_alone_then_is_quarantined(store, monkeypatch, stage):
    poison = "https://a.example/news/poison.html"
    if stage == "analyse":
        real = stages.analyse

        def analyse(raw, *a, **k):
            if raw.url == poison:
                raise OverflowError("date value out of range")
            return real(raw, *a, **k)

        monkeypatch.setattr(stages, "analyse", analyse)
    elif stage == "decide":
        real_key = process._published_key

        def published_key(item):
            if item.raw.url == poison:
                raise ValueError("year 0 is out of range")
            return real_key(item)

        monkeypatch.setattr(process, "_published_key", published_key)
    else:
        real_load = Store.load

        def load(self, outcomes, *a, **k):
            if any(o.url == poison for o in outcomes):
                raise RuntimeError("Conversion Error: timestamp out of range")
            return real_load(self, outcomes, *a, **k)

        monkeypatch.setattr(Store, "load", load)

    first = _run(store, "run-1")
    assert first["status:process_failed"] == 1 and first["processed"] == 6
    statuses = _statuses(store)
    assert statuses.pop(poison) == "fetched"  # tried again next run
    assert set(statuses.values()) <= {
        "loaded",
        "duplicate",
        "irrelevant",
        "no_text",
    }  # the rest of the batch loaded
    with store.connect() as con:
        found = repo.explain(con, poison)
        assert (
            con.execute("SELECT reason FROM urls WHERE url = ?", [poison])
            .fetchone()[0]
            .startswith("process:")
        )
    assert found["failures"] == 1 and found["stage"] == stage and "\n" not in found["error"]

    second = _run(store, "run-2")
    assert second["processed"] == 1 and second["status:quarantined"] == 1  # only the poison page was left
    assert _statuses(store)[poison] == "quarantined"
    assert poison not in {p.url for p in store.pending(max_attempts=3)}  # no longer blocks later runs
    with store.connect() as con:
        found = repo.explain(con, poison)
    assert found["failures"] == 2 and found["status"] == "quarantined" and found["last_run_id"] == "run-2"


def test_same_run_counts_once_and_a_clean_retry_clears(store, monkeypatch):
    poison = "https://a.example/news/poison.html"
    real = stages.analyse
    broken = {"on": True}

    def analyse(raw, *a, **k):
        if raw.url == poison and broken["on"]:
            raise ValueError("bad")
        return real(raw, *a, **k)

    monkeypatch.setattr(stages, "analyse", analyse)
    _run(store, "run-1")
    _process(store, "run-1", [poison])
    with store.connect() as con:
        assert repo.explain(con, poison)["failures"] == 1  # the same run twice is one failing run
    broken["on"] = False
    _run(store, "run-2")
    assert _statuses(store)[poison] != "fetched"
    with store.connect() as con:
        assert repo.explain(con, poison) is None


def test_explain_shows_a_quarantined_page(store, monkeypatch):
    from typer.testing import CliRunner

    from flows.cli import app

    poison = "https://a.example/news/poison.html"
    real = stages.analyse
    monkeypatch.setattr(
        stages,
        "analyse",
        lambda raw, *a, **k: (
            (_ for _ in ()).throw(ValueError("poison date")) if raw.url == poison else real(raw, *a, **k)
        ),
    )
    _run(store, "run-1")
    _run(store, "run-2")
    result = CliRunner().invoke(app, ["explain", poison + "?utm_source=x", "--db", str(store.path)])
    assert result.exit_code == 1
    assert (
        "quarantined after failing on 2 run(s)" in result.output
        and "ValueError: poison date" in result.output
    )


def test_a_real_poison_date_does_not_stop_its_batch(store):
    """A page whose article:published_time is 0001-01-01T00:00:00+14:00 (OverflowError in date handling)."""
    poison = "https://a.example/news/poison.html"
    html = PAGE.format(n=99).replace(
        "<head>", '<head><meta property="article:published_time" content="0001-01-01T00:00:00+14:00">'
    )
    store.save_fetches(
        [
            FetchResult(
                url=poison,
                final_url=poison,
                status=200,
                ok=True,
                body=html.encode(),
                text=html,
                content_type="text/html",
                encoding="utf-8",
                attempts=[Attempt(poison, 200, None, 5)],
            )
        ],
        "run-0",
        NOW,
        max_attempts=3,
    )
    counts = _run(store, "run-1")
    statuses = _statuses(store)
    assert counts["processed"] == 6
    others = {u: s for u, s in statuses.items() if u != poison}
    assert set(others.values()) <= {"loaded", "duplicate", "irrelevant", "no_text"}
    # either the date is read as out of range (loaded without it) or the page fails alone with a reason
    if statuses[poison] == "fetched":
        with store.connect() as con:
            assert "out of range" in repo.explain(con, poison)["error"]
