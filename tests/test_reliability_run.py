"""Issue 16's combined case: poison dates, slowloris hosts and a 50,000-URL news sitemap in one nightly run.

The real nightly flow, against the simulated web of publishers and the hostile hosts of `simweb.hostile`, must
complete within the fetch budget its settings give it, load every other article, and record each bad item
with its reason: nothing is lost, the 50,000 sitemap URLs included (fetched, or left pending and counted).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from flows.demo import DEMO_NOW, sources_toml
from simweb import SimWeb
from simweb.hostile import POISON_DATE_EVERY, POISON_PAGE_DATE, POISON_PUBDATE, HostileWeb
from tasks import clock

from .conftest import rows

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.timeout(240)]

# The run's limits ([fetch] in the settings below): a request is cut at REQUEST_DEADLINE, a host at
# HOST_BUDGET and a fetch batch at BATCH_BUDGET seconds; the run fetches at most MAX_PAGES pages within
# RUN_BUDGET seconds. The demo's slow page (1.5 s) fits under the deadline; a trickling host does not.
REQUEST_DEADLINE = 2.5
HOST_BUDGET = 5.0
BATCH_BUDGET = 10.0
RUN_BUDGET = 20.0
MAX_PAGES = 400
FETCH_BATCH = 200


def settings_toml(db_path: Path) -> str:
    return f"""
[database]
path = "{db_path}"
lock_timeout = 30

[fetch]
user_agent = "newsmon-test/0.1"
timeout = 4.0
max_bytes = 2_000_000
delay = 0.05
max_retries = 2
backoff = 0.1
max_retry_after = 5.0
max_workers = 16
allow_networks = ["127.0.0.0/8"]
max_attempts = 3
request_deadline = {REQUEST_DEADLINE}
host_budget = {HOST_BUDGET}
batch_budget = {BATCH_BUDGET}
run_budget = {RUN_BUDGET}
max_pages_per_run = {MAX_PAGES}

[pipeline]
fetch_batch_size = {FETCH_BATCH}
"""


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    from flows.nightly import nightly

    tmp = tmp_path_factory.mktemp("reliability")
    db_path = tmp / "news.duckdb"

    def run() -> dict:
        return nightly(
            db_path=str(db_path),
            sources_file=str(tmp / "sources.toml"),
            settings_file=str(tmp / "newsmon.toml"),
        )

    clock.set_now(DEMO_NOW, ticking=True)
    try:
        with SimWeb(now=DEMO_NOW, faults="demo") as web, HostileWeb(interval=1.0) as hostile:
            (tmp / "newsmon.toml").write_text(settings_toml(db_path), encoding="utf-8")
            (tmp / "sources.toml").write_text(
                sources_toml(web.sources() + hostile.sources()), encoding="utf-8"
            )
            started = time.monotonic()
            summary = run()
            wall = time.monotonic() - started
            first = tmp / "first.duckdb"  # the tests of the first run read this copy
            shutil.copyfile(db_path, first)
            hits = list(hostile.hits)
            started = time.monotonic()
            second = run()  # the next night: the same sources, the same hostile hosts
            second["wall_seconds"] = round(time.monotonic() - started, 1)
            yield first, summary, wall, web.truth(), hostile.truth(), hits, (db_path, second)
    finally:
        clock.set_now(None)


def test_the_run_completes_within_its_fetch_budget(hostile_run):
    db_path, summary, wall, *_ = hostile_run
    assert rows(db_path, "SELECT status FROM runs") == [("completed",)]
    # the fetch stage stays within [fetch].run_budget (a request never outlives the run's deadline)
    assert summary["counts"]["fetch_seconds"] <= RUN_BUDGET + 1.0
    # MAX_PAGES pages fit in two batches, each bounded by BATCH_BUDGET: the fetch is well within RUN_BUDGET
    assert summary["counts"]["fetch_seconds"] <= 2 * BATCH_BUDGET + 1.0
    print(
        f"run: {wall:.1f} s wall, flow {summary['flow_seconds']} s, discover "
        f"{summary['counts']['discover_seconds']} s, fetch {summary['counts']['fetch_seconds']} s"
    )


def test_every_other_article_is_loaded(hostile_run):
    db_path, _, _, web_truth, hostile_truth, *_ = hostile_run
    expected = {t.canonical_url for t in web_truth if t.expect_loaded}
    expected |= {t.url for t in hostile_truth if t.expect_loaded}
    loaded = {u for (u,) in rows(db_path, "SELECT canonical_url FROM articles")}
    assert loaded == expected
    texts = dict(rows(db_path, "SELECT canonical_url, text FROM articles"))
    for truth in hostile_truth:
        if truth.expect_loaded:
            for line in truth.content_lines:
                assert line in texts[truth.url]


def test_poison_dates_are_recorded_with_their_reason(hostile_run):
    db_path, _, _, _, hostile_truth, *_ = hostile_run
    skipped = dict(rows(db_path, "SELECT name, last_skipped FROM sources WHERE name IN "
                                 "('border-wire-feed', 'bulletin-board-sitemap')"))  # fmt: skip
    assert "published_out_of_range" in str(skipped["border-wire-feed"])  # the 9999-12-31 pubDate
    assert f'"published_out_of_range": {50_000 // POISON_DATE_EVERY}' in str(
        skipped["bulletin-board-sitemap"]
    )
    feed_item = next(t for t in hostile_truth if t.poison == POISON_PUBDATE)
    page_item = next(t for t in hostile_truth if t.kind == "article" and t.poison == POISON_PAGE_DATE)
    # the feed's poison date is gone; the page's own date is chosen
    assert rows(db_path, "SELECT published_hint FROM urls WHERE url = ?", [feed_item.url]) == [(None,)]
    assert str(
        rows(db_path, "SELECT published_day FROM page_dates WHERE url = ?", [feed_item.url])[0][0]
    ) == (feed_item.published)
    # the page's poison meta is dropped with its reason; the listing's date and the URL give the day
    dropped = rows(
        db_path, "SELECT raw, reason FROM date_signals WHERE url = ? AND role = 'dropped'", [page_item.url]
    )
    assert [raw for raw, _ in dropped] == [POISON_PAGE_DATE] and all(reason for _, reason in dropped)
    assert str(
        rows(db_path, "SELECT published_day FROM page_dates WHERE url = ?", [page_item.url])[0][0]
    ) == (page_item.published)


def test_slowloris_hosts_are_cut_and_recorded(hostile_run):
    db_path, _, _, _, hostile_truth, hits, _ = hostile_run
    for truth in (t for t in hostile_truth if t.kind.startswith("trickle")):
        status, reason = rows(db_path, "SELECT status, reason FROM urls WHERE url = ?", [truth.url])[0]
        assert (status, reason) == ("failed", "timeout")  # retryable: a later run tries again
        attempts = rows(db_path, "SELECT error, elapsed_ms FROM fetches WHERE url = ?", [truth.url])
        assert attempts and {e for e, _ in attempts} == {"timeout"}
        assert all(ms <= REQUEST_DEADLINE * 1000 + 500 for _, ms in attempts)  # each cut at the deadline
        assert sum(ms for _, ms in attempts) <= HOST_BUDGET * 1000 + 500  # retries within the host budget
    assert {role for role, *_ in hits} >= {"trickle-body", "trickle-headers"}


def test_a_trickling_listing_holds_discovery_only_within_the_host_budget(hostile_run):
    db_path, summary, _, _, _, hits, _ = hostile_run
    asked = [at for role, path, at in hits if role == "trickle-headers" and path == "/feed.xml"]
    assert asked  # first run's requests for the listing: each cut at the deadline, all within the host budget
    assert max(asked) - min(asked) <= HOST_BUDGET
    # discovery (the 50,000-URL sitemap stored into the frontier included) waited on the slow feed no longer
    # than its host budget; the rest is parsing and storing, seconds on this machine
    assert HOST_BUDGET - 0.5 <= summary["counts"]["discover_seconds"] < HOST_BUDGET + 40
    assert summary["unreachable"]["slow-wire-feed"] in ("timeout", "budget")
    assert set(summary["unreachable"]) == {"slow-wire-feed"}  # every other source answered
    assert rows(db_path, "SELECT last_error, failures FROM sources WHERE name = 'slow-wire-feed'") == [
        (summary["unreachable"]["slow-wire-feed"], 1)
    ]


def test_the_50000_sitemap_urls_are_recorded_not_lost(hostile_run):
    db_path, summary, _, web_truth, hostile_truth, *_ = hostile_run
    sitemap = [t.url for t in hostile_truth if t.kind == "sitemap_404"]
    assert len(sitemap) == 50_000
    by_status = dict(
        rows(
            db_path,
            "SELECT u.status || ':' || coalesce(u.reason, ''), count(*) FROM urls u "
            "JOIN url_sources s USING (url) WHERE s.source = 'bulletin-board-sitemap' GROUP BY ALL",
        )
    )
    assert sum(by_status.values()) == 50_000  # every URL of the sitemap is in the frontier
    fetched = by_status.get("failed_permanent:http_404", 0)
    pending = by_status.get("new:", 0)
    assert fetched + pending == 50_000, by_status
    # the run fetched MAX_PAGES pages: every other page first (hosts interleaved), then sitemap URLs
    others = len({t.url for t in web_truth}) + sum(1 for t in hostile_truth if t.kind != "sitemap_404")
    assert fetched >= MAX_PAGES - others - 10 and fetched > 0
    counts = summary["counts"]
    assert counts["fetch_deferred:max_pages"] == counts["to_fetch"] - MAX_PAGES
    assert pending == counts["fetch_deferred:max_pages"]  # the deferred are exactly the pending ones
    # no attempt was used on a deferred URL: it is fetched by a later run like a new one
    assert rows(
        db_path,
        "SELECT count(*) FROM urls u JOIN url_sources s USING (url) "
        "WHERE s.source = 'bulletin-board-sitemap' AND u.status = 'new' AND u.attempts > 0",
    ) == [(0,)]


def test_the_next_run_fetches_the_next_pages_and_loses_nothing(hostile_run):
    first, summary, _, web_truth, hostile_truth, _, (db_path, second) = hostile_run
    assert rows(db_path, "SELECT status FROM runs ORDER BY started_at") == [("completed",), ("completed",)]
    assert second["counts"]["fetch_seconds"] <= RUN_BUDGET + 1.0
    print(
        f"next run: {second['wall_seconds']} s wall, flow {second['flow_seconds']} s, "
        f"fetch {second['counts']['fetch_seconds']} s"
    )
    # nothing new to load: the articles are the first run's
    assert rows(db_path, "SELECT canonical_url, text FROM articles ORDER BY 1") == rows(
        first, "SELECT canonical_url, text FROM articles ORDER BY 1"
    )
    # the trickling pages were asked again (a failure is retried by later runs) and cut again
    for truth in (t for t in hostile_truth if t.kind.startswith("trickle")):
        assert rows(db_path, "SELECT status, reason, attempts FROM urls WHERE url = ?", [truth.url]) == [
            ("failed", "timeout", 2)
        ]
    # the next MAX_PAGES pending pages were fetched: the deferred sitemap URLs, in turn
    sql = (
        "SELECT u.status, count(*) FROM urls u JOIN url_sources s USING (url) "
        "WHERE s.source = 'bulletin-board-sitemap' GROUP BY ALL"
    )
    before, after = dict(rows(first, sql)), dict(rows(db_path, sql))
    assert sum(after.values()) == 50_000
    fetched_now = after["failed_permanent"] - before["failed_permanent"]
    retried = second["counts"]["to_fetch"] - before["new"]  # failed pages with attempts left: trickles, a 500
    assert retried >= 2 and fetched_now == MAX_PAGES - retried  # hosts interleaved: the retries come first
    assert after["new"] == before["new"] - fetched_now == second["counts"]["fetch_deferred:max_pages"]
