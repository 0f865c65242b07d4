"""The backfill flow against the simulated web and its four emulated search and history services."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime

import pytest

import flows.backfill as backfill_module
from flows.backfill import BackfillRequestError, backfill, day_windows
from flows.demo import BACKFILL_NOW, run_demo_backfill
from simweb import SimWeb
from tasks import clock

from .conftest import rows

pytestmark = pytest.mark.usefixtures("prefect_harness")

START, END = date(2024, 6, 18), date(2024, 6, 25)
SEARCH_SOURCES = {"google-news", "gdelt-doc", "gdelt-gkg", "wayback"}


def in_range(truth, start=START, end=END):
    lo = datetime(start.year, start.month, start.day, tzinfo=UTC)
    hi = datetime(end.year, end.month, end.day, tzinfo=UTC).replace(hour=23, minute=59, second=59)
    return lo <= truth.published <= hi


@pytest.fixture(scope="module")
def expected():
    """On-topic articles of the range that the pipeline should load (ground truth of the same web)."""
    with SimWeb(now=BACKFILL_NOW, faults="demo") as web:
        truth = [t for t in web.truth() if in_range(t)]
        paths = {t.canonical_url.split("/", 3)[3] for t in truth if t.expect_loaded}
        off_topic = {t.canonical_url.split("/", 3)[3] for t in truth if not t.on_topic}
    assert paths
    return paths, off_topic


def loaded_paths(path):
    # ports differ between simulated webs: compare publisher-relative paths plus the host's last octet
    return {u.split("/", 3)[3] for (u,) in rows(path, "SELECT canonical_url FROM articles")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = _free_port()  # one port for every run of this module: the same pages keep the same URLs


def run(path, **kwargs):
    return run_demo_backfill(path, kwargs.pop("start", START), kwargs.pop("end", END), port=PORT, **kwargs)


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory):
    path = tmp_path_factory.mktemp("backfill") / "news.duckdb"
    summary = run(path)
    return path, summary


def test_loads_exactly_the_on_topic_articles_of_the_range(backfilled, expected):
    path, summary = backfilled
    paths, off_topic = expected
    assert loaded_paths(path) == paths
    assert not loaded_paths(path) & off_topic
    assert summary["counts"]["windows"] == 8
    days = {d for (d,) in rows(path, "SELECT DISTINCT CAST(published_at AS DATE) FROM articles")}
    assert min(days) >= START and max(days) <= END


def test_every_search_source_contributes(backfilled):
    path, _ = backfilled
    found = {
        s
        for (s,) in rows(path, "SELECT DISTINCT s.source FROM url_sources s JOIN articles a ON a.url = s.url")
    }
    assert SEARCH_SOURCES <= found
    archived = rows(
        path, "SELECT count(*) FROM urls WHERE fetch_url IS NOT NULL AND archived_at IS NOT NULL"
    )[0][0]
    assert archived > 0
    assert rows(path, "SELECT count(*) FROM gkg_files")[0][0] > 0
    assert rows(path, "SELECT count(*) FROM unresolved_links WHERE source = 'google-news'")[0][0] >= 1


def test_windows_are_recorded_with_a_summary(backfilled):
    path, summary = backfilled
    starts = [s for (s,) in rows(path, "SELECT window_start FROM backfill_windows ORDER BY 1")]
    assert [s.date() for s in starts] == [w.start.date() for w in day_windows(START, END, 1)]
    assert rows(path, "SELECT status FROM runs WHERE flow = 'backfill'") == [("completed",)]


def test_run_twice_adds_nothing(tmp_path):
    path = tmp_path / "news.duckdb"
    run(path)
    tables = ("articles", "sightings", "boilerplate_removed")
    before = {t: rows(path, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    again = run(path)
    assert {t: rows(path, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == before
    assert again["counts"]["resumed"] == 8  # every window was finished already
    refetch = run(path, refetch=True, sources=None)
    assert {t: rows(path, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == before
    assert refetch["counts"]["resumed"] == 0


def test_stopped_half_way_resumes_after_the_last_finished_window(tmp_path, monkeypatch, expected):
    path = tmp_path / "news.duckdb"
    real = backfill_module.fetch_and_process
    calls = {"n": 0}

    def stop_at_the_fifth_window(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt("stopped")
        return real(*args, **kwargs)

    monkeypatch.setattr(backfill_module, "fetch_and_process", stop_at_the_fifth_window)
    with pytest.raises(BaseException, match="stopped"):
        run(path)
    monkeypatch.setattr(backfill_module, "fetch_and_process", real)
    assert rows(path, "SELECT count(*) FROM backfill_windows")[0][0] == 4
    summary = run(path)
    assert summary["counts"]["resumed"] == 4
    assert loaded_paths(path) == expected[0]


def test_overlapping_a_nightly_run_loads_nothing_twice(tmp_path, expected):
    from flows.demo import write_demo_config
    from flows.nightly import nightly

    path = tmp_path / "news.duckdb"
    clock.set_now(BACKFILL_NOW)
    try:
        with SimWeb(now=BACKFILL_NOW, faults=None) as web:
            settings_file, sources_file = write_demo_config(web, path, tmp_path)
            nightly(db_path=str(path), sources_file=str(sources_file), settings_file=str(settings_file))
    finally:
        clock.set_now(None)
    nightly_articles = rows(path, "SELECT count(*) FROM articles")[0][0]
    summary = run(path)
    # the feeds' ports differ from the backfill's web: only the backfill's copies of pages can be new, and none
    # of them may duplicate an article: every page the backfill found is a duplicate or irrelevant or new
    texts = rows(path, "SELECT text_hash, count(*) FROM articles GROUP BY 1 HAVING count(*) > 1")
    assert texts == []
    assert summary["counts"]["loaded"] <= len(expected[0])
    assert rows(path, "SELECT count(*) FROM articles")[0][0] == nightly_articles


def test_languages_restrict_what_is_loaded(tmp_path):
    path = tmp_path / "news.duckdb"
    run(path, languages=["de", "ko"])
    assert {lang for (lang,) in rows(path, "SELECT DISTINCT language FROM articles")} <= {"de", "ko"}
    assert rows(path, "SELECT count(*) FROM articles")[0][0] >= 2


def test_dry_run_writes_no_urls(tmp_path):
    path = tmp_path / "news.duckdb"
    summary = run(path, dry_run=True)
    assert summary["counts"]["candidates"] > 0
    assert rows(path, "SELECT count(*) FROM urls")[0][0] == 0
    assert rows(path, "SELECT count(*) FROM backfill_windows")[0][0] == 0


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2024, 6, 25), date(2024, 6, 18), "before start date"),
        (date(2024, 7, 1), date(2024, 8, 1), "after today"),
    ],
)
def test_impossible_requests_fail_before_any_work(tmp_path, start, end, message):
    path = tmp_path / "news.duckdb"
    clock.set_now(BACKFILL_NOW)
    try:
        with pytest.raises(BackfillRequestError, match=message):
            backfill(start=start, end=end, db_path=str(path))
    finally:
        clock.set_now(None)
    assert not path.exists()


def test_day_windows_include_both_ends():
    windows = day_windows(date(2024, 6, 18), date(2024, 6, 20), 2)
    assert [(w.start.day, w.end.day) for w in windows] == [(18, 20), (20, 21)]


def test_a_page_left_out_of_range_is_found_by_any_day_its_signals_name(tmp_path):
    """A page an earlier backfill fetched but left out of its range (its markup says 19 June, its URL 10 June) is
    loaded by a later backfill of 10 June although that backfill's searches do not list it again."""
    from tasks.clean import load_rules
    from tasks.dedupe import DedupeIndex
    from tasks.models import Candidate, FetchResult
    from tasks.process import analyse, decide
    from tasks.relevance.topic import load_topic
    from tasks.repos import dates as dates_repo
    from tasks.store import Store

    path = tmp_path / "news.duckdb"
    url = "https://x.example/world/2024/06/10/pact-signed.html"
    seen = datetime(2024, 6, 25, 8, 0, tzinfo=UTC)
    body = (
        "<p>Putin and Kim Jong Un signed the Russia North Korea treaty in Pyongyang on mutual defence.</p>"
        * 4
    )
    html = (
        '<html lang="en"><head><meta property="article:published_time" content="2024-06-19T10:00:00+03:00">'
        f"</head><body><article><h1>Treaty signed</h1>{body}</article></body></html>"
    )
    store = Store(path, lock_timeout=5)
    store.migrate()
    store.add_candidates([Candidate(url=url, source="wayback")], "run-0", seen)
    result = FetchResult(
        url=url, final_url=url, status=200, ok=True, content_type="text/html", text=html, body=html.encode()
    )
    store.save_fetches([result], "run-0", seen, max_attempts=3)
    earlier = clock.day_bounds(date(2024, 6, 1), date(2024, 6, 5))  # a backfill of days no signal names
    outcomes = decide(
        [analyse(r, load_topic(), load_rules()) for r in store.raw_pages([url])],
        DedupeIndex([]),
        published_range=earlier,
    )
    assert [o.status for o in outcomes] == ["out_of_range"]
    store.load(outcomes, "run-0", seen)
    dates_repo.save_outcomes(store, outcomes, "run-0", seen)

    summary = run(path, start=date(2024, 6, 10), end=date(2024, 6, 10))
    assert rows(path, f"SELECT status FROM urls WHERE url = '{url}'") == [("loaded",)]
    assert summary["counts"]["by_date_signals"] == 1
    day = rows(
        path, f"SELECT d.published_day FROM articles a JOIN page_dates d USING (url) WHERE a.url = '{url}'"
    )
    assert day == [(date(2024, 6, 19),)]  # placed by its chosen date


STORY_COLUMNS = "story_id, event_day, first_seen, first_outlet, languages, outlets, article_count, headlines"
LINK_COLUMNS = "url, article_id, story_id, relation, linked_to, similarity, evidence::VARCHAR"


def stories_snapshot(path):
    return (
        rows(path, f"SELECT {STORY_COLUMNS} FROM stories ORDER BY story_id"),
        rows(path, f"SELECT {LINK_COLUMNS} FROM story_articles ORDER BY url"),
        rows(path, "SELECT old_story_id, story_id FROM story_merges ORDER BY ALL"),
    )


def assert_every_page_in_one_current_story(path):
    # no article twice, every loaded page and copy in exactly one story, and every story current and summed up
    assert rows(path, "SELECT text_hash FROM articles GROUP BY 1 HAVING count(*) > 1") == []
    assert rows(path, "SELECT url FROM story_articles GROUP BY 1 HAVING count(*) > 1") == []
    assert rows(path, "SELECT story_id FROM stories GROUP BY 1 HAVING count(*) > 1") == []
    assert (
        rows(
            path,
            "SELECT p.url, count(sa.url) FROM (SELECT url FROM articles UNION ALL SELECT url FROM sightings) p "
            "LEFT JOIN story_articles sa ON sa.url = p.url GROUP BY 1 HAVING count(sa.url) <> 1",
        )
        == []
    )
    assert (
        rows(path, "SELECT url FROM story_articles WHERE story_id NOT IN (SELECT story_id FROM stories)")
        == []
    )
    assert (
        rows(path, "SELECT story_id FROM stories WHERE story_id IN (SELECT old_story_id FROM story_merges)")
        == []
    )
    assert (
        rows(
            path,
            "SELECT story_id FROM stories s WHERE article_count <> "
            "(SELECT count(*) FROM story_articles sa WHERE sa.story_id = s.story_id)",
        )
        == []
    )
    assert (
        rows(
            path,
            "SELECT a.url FROM articles a JOIN story_articles sa USING (url) WHERE a.story_id <> sa.story_id",
        )
        == []
    )


def test_a_backfill_overlapping_a_nightly_links_into_its_stories_and_never_duplicates(tmp_path):
    """The nightly runs on the day of the signing and loads the first reports; a backfill of the week after
    (same web, same URLs) finds them again, loads the rest, links the later copy of a nightly article to that
    article's story, and a second backfill (pages decided again) changes nothing."""
    from flows.demo import simulated_run
    from flows.nightly import nightly

    path = tmp_path / "news.duckdb"
    nightly_now = datetime(2024, 6, 19, 16, 0, tzinfo=UTC)
    with simulated_run(path, nightly_now, fresh=True, port=PORT, services=True) as (_, settings, sources):
        nightly(db_path=str(path), sources_file=str(sources), settings_file=str(settings))
    original = "/putin-and-kim-sign-mutual-defence-pact-in-pyongyang.html"  # The Global Dispatch
    nightly_stories = dict(rows(path, "SELECT url, story_id FROM story_articles"))
    assert any(original in url for url in nightly_stories) and len(nightly_stories) >= 3
    assert_every_page_in_one_current_story(path)

    summary = run(path)
    assert summary["counts"]["loaded"] > 0
    assert_every_page_in_one_current_story(path)
    linked = dict(rows(path, "SELECT url, story_id FROM story_articles"))
    assert len(linked) > len(nightly_stories)
    # what the nightly linked keeps its story (a merge would leave the old id resolving to the new one)
    merged = dict(rows(path, "SELECT old_story_id, story_id FROM story_merges"))
    for url, story in nightly_stories.items():
        assert linked[url] == merged.get(story, story)
    # the reprint published after the nightly joins the story of the nightly's original, as a copy
    copy = rows(
        path,
        "SELECT relation, story_id FROM story_articles WHERE url LIKE '%/putin-kim-sign-mutual-defence-pact.html'",
    )
    original_story = next(s for u, s in linked.items() if original in u)
    assert copy == [("copy", original_story)]
    assert rows(
        path, "SELECT count(*) FROM articles WHERE url LIKE '%/putin-kim-sign-mutual-defence-pact.html'"
    ) == [(0,)]

    before = stories_snapshot(path)
    counts = {
        t: rows(path, f"SELECT count(*) FROM {t}")[0][0] for t in ("articles", "sightings", "dedupe_keys")
    }
    again = run(path, refetch=True)
    assert again["counts"]["loaded"] > 0  # the pages were decided again...
    assert stories_snapshot(path) == before  # ...and nothing changed
    assert {t: rows(path, f"SELECT count(*) FROM {t}")[0][0] for t in counts} == counts
    assert_every_page_in_one_current_story(path)
