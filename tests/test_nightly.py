"""The nightly flow end to end against the simulated web, under a real (temporary) Prefect server."""

from __future__ import annotations

import pytest

from flows.demo import DEMO_NOW
from tasks import clock
from tasks.store import Store

from .conftest import rows
from .conftest import run_nightly as run

pytestmark = pytest.mark.usefixtures("prefect_harness")

FINAL_TABLES = ("articles", "sightings", "boilerplate_removed", "stories", "story_articles", "dedupe_keys")


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

    def crash(self, outcomes, run_id, loaded_at, replace=False):
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


def final_state(path):
    """What analysts see; template version numbers are left out (they count learning steps, which differ by history)."""
    return (
        sorted(rows(path, "SELECT canonical_url, text FROM articles")),
        sorted(rows(path, "SELECT url, kind FROM sightings")),
        sorted(
            rows(
                path,
                "SELECT a.canonical_url, regexp_replace(b.rule, ':v[0-9]+$', ''), b.snippet "
                "FROM boilerplate_removed b JOIN articles a USING (article_id)",
            )
        ),
    )


def test_site_templates_are_learned_and_background_paragraphs_stay(web, demo_db):
    path, _ = demo_db
    learned = {example for (example,) in rows(path, "SELECT example FROM site_templates")}
    taglines = {
        b
        for t in web.truth()
        for b in t.boilerplate
        if "independent" in b or "unabhängiges" in b or "독립 언론" in b
    }
    assert taglines and taglines <= learned
    background = "The treaty, signed in Pyongyang in June, obliges each side"
    kept = [text for (text,) in rows(path, "SELECT text FROM articles") if background in text]
    assert len(kept) >= 2
    assert not any(background in example for example in learned)
    rules = {rule for (rule,) in rows(path, "SELECT DISTINCT rule FROM boilerplate_removed")}
    assert "site-template:v1" in rules


def test_result_does_not_depend_on_the_order_pages_arrived_in(web, demo_db, tmp_path):
    """Half the pages one night, the rest the next, gives what one run over all of them gives."""
    path, _ = demo_db
    split = tmp_path / "news.duckdb"
    now = web.now
    try:
        web.now = now.replace(year=2024, month=10, day=20)
        clock.set_now(web.now)
        run(web, tmp_path, split)
        web.now = now
        clock.set_now(now)
        run(web, tmp_path, split)
    finally:
        web.now = now
        clock.set_now(None)
    split_state, one_run = final_state(split), final_state(path)
    for got, expected in zip(split_state, one_run, strict=True):
        assert set(got) - set(expected) == set() and set(expected) - set(got) == set()


def test_the_run_reports_its_progress_stage_by_stage(demo_db):
    from .conftest import DEMO_PROGRESS

    path, summary = demo_db
    last = {}
    for stage, done, total in DEMO_PROGRESS:
        assert total is None or done <= total, (stage, done, total)
        assert done >= last.get(stage, (0, 0))[0], stage  # never goes back
        last[stage] = (done, total)
    assert last["discover"] == (len(summary["sources"]), len(summary["sources"]))
    assert last["fetch"][0] == last["fetch"][1] == summary["counts"]["to_fetch"] > 0
    processed = summary["counts"]["processed"]
    assert last["process"][0] >= processed > 0 and last["process"][0] == last["process"][1]
