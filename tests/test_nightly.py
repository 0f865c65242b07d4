"""The nightly flow end to end against the simulated web, under a real (temporary) Prefect server."""

from __future__ import annotations

import pytest

from flows.demo import DEMO_NOW
from tasks import clock
from tasks.store import Store

from .conftest import rows
from .conftest import run_nightly as run

pytestmark = pytest.mark.usefixtures("prefect_harness")

FINAL_TABLES = ("articles", "sightings", "boilerplate_removed")


@pytest.fixture
def pipeline_clock():
    clock.set_now(DEMO_NOW)
    yield
    clock.set_now(None)


def counts(db_path):
    return {t: rows(db_path, f"SELECT count(*) FROM {t}")[0][0] for t in FINAL_TABLES + ("runs", "fetches")}


def test_loads_exactly_the_expected_articles(web, demo_db):
    path, summary = demo_db
    expected = {t.canonical_url for t in web.truth() if t.expect_loaded}
    loaded = {url for (url,) in rows(path, "SELECT canonical_url FROM articles")}
    assert loaded == expected
    assert rows(
        path, "SELECT count(*), count(DISTINCT canonical_url), count(DISTINCT text_hash) FROM articles"
    )[0] == (len(expected), len(expected), len(expected))
    assert summary["unreachable"] == {}


def test_no_off_topic_article_and_no_boilerplate_left(web, demo_db):
    path, _ = demo_db
    texts = dict(rows(path, "SELECT canonical_url, text FROM articles"))
    off_topic = {t.canonical_url for t in web.truth() if not t.on_topic}
    assert not off_topic & texts.keys()
    for truth in web.truth():
        if truth.canonical_url in texts and truth.kind != "amp":
            for snippet in truth.boilerplate:
                assert snippet not in texts[truth.canonical_url], (truth.url, snippet)
            for line in truth.content_lines:
                assert line in texts[truth.canonical_url], (truth.url, line)


def test_duplicates_are_sightings_not_articles(web, demo_db):
    path, _ = demo_db
    sightings = dict(rows(path, "SELECT url, kind FROM sightings"))
    for truth in web.truth():
        if truth.kind in ("syndicated", "amp") and truth.fault is None:
            assert truth.url.split("?")[0] in sightings, truth.url


def test_every_fault_is_in_the_fetch_records(web, demo_db):
    path, summary = demo_db
    faulted = [t for t in web.truth() if t.fault]
    assert {t.fault for t in faulted} >= {
        "429",
        "500",
        "slow",
        "truncated",
        "wrong_charset",
        "redirect_loop",
        "binary",
        "huge",
    }
    for truth in faulted:
        attempts = rows(
            path, "SELECT status, error FROM fetches WHERE url = ? ORDER BY attempt", [truth.canonical_url]
        )
        assert attempts, truth.url
        if truth.fault in ("429", "500", "truncated") and truth.expect_loaded:
            assert len(attempts) >= 2, (truth.fault, attempts)  # failed once, retried
    status = dict(rows(path, "SELECT url, status FROM urls"))
    robots = [t for t in web.truth() if t.reason == "robots"]
    assert robots and all(status[t.canonical_url] == "failed_permanent" for t in robots)
    assert rows(path, "SELECT status FROM runs")[0][0] == "completed"


def test_second_run_adds_nothing(web, tmp_path, pipeline_clock):
    path = tmp_path / "news.duckdb"
    run(web, tmp_path, path)
    first = counts(path)
    run(web, tmp_path, path)
    second = counts(path)
    assert {t: second[t] for t in FINAL_TABLES} == {t: first[t] for t in FINAL_TABLES}
    assert second["runs"] == first["runs"] + 1


def test_crash_before_load_leaves_no_partial_batch_and_resumes_from_raw(
    web, tmp_path, pipeline_clock, monkeypatch
):
    path = tmp_path / "news.duckdb"

    def crash(self, outcomes, run_id, loaded_at):
        raise RuntimeError("injected crash in load")

    monkeypatch.setattr(Store, "load", crash)
    with pytest.raises(RuntimeError, match="injected crash"):
        run(web, tmp_path, path)
    monkeypatch.undo()
    assert rows(path, "SELECT count(*) FROM articles")[0][0] == 0
    fetched = {u for (u,) in rows(path, "SELECT url FROM urls WHERE status = 'fetched'")}
    assert fetched
    assert rows(path, "SELECT status FROM runs")[0][0] == "failed"

    requests_before = len(web.requests)
    run(web, tmp_path, path)
    article_paths = {r.path for r in web.requests[requests_before:]}
    refetched = [u for u in fetched if any(u.endswith(p) for p in article_paths)]
    assert refetched == []
    expected = {t.canonical_url for t in web.truth() if t.expect_loaded}
    assert {u for (u,) in rows(path, "SELECT canonical_url FROM articles")} == expected
