"""The nightly's search pass: Google News and GDELT DOC asked for the last day in every configured language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from flows.demo import DEMO_NOW
from tasks import clock
from tasks.config import ConfigError, load_settings, load_sources
from tasks.models import Source
from tasks.relevance import load_topic
from tasks.sources import in_nightly, nightly_window

from .conftest import rows, run_nightly

DAY = timedelta(days=1)
SEARCH_SOURCES = {"google-news", "gdelt-doc"}


def test_which_search_sources_the_nightly_asks_by_default_and_by_setting():
    gnews = Source("g", "gnews", "http://127.0.0.1/rss/search")
    assert in_nightly(gnews) and in_nightly(Source("d", "gdelt", "http://127.0.0.1/api"))
    assert not in_nightly(Source("k", "gkg", "http://127.0.0.1/gdeltv2/"))  # 96 files a day: history
    assert not in_nightly(Source("w", "cdx", "http://127.0.0.1/"))  # captures lag: history
    assert in_nightly(Source("k", "gkg", "http://127.0.0.1/gdeltv2/", nightly=True))
    assert not in_nightly(Source("g", "gnews", "http://127.0.0.1/rss/search", nightly=False))
    assert not in_nightly(Source("f", "rss", "http://127.0.0.1/feed.xml"))  # listings are read anyway


def test_the_window_is_the_last_day_or_what_is_new_since_the_last_answered_one():
    now = datetime(2024, 11, 30, 6, tzinfo=UTC)
    gnews = Source("g", "gnews", "http://127.0.0.1/rss/search")
    gkg = Source("k", "gkg", "http://127.0.0.1/gdeltv2/", nightly=True)
    window = nightly_window(gnews, now, DAY, None)
    assert (window.start, window.end) == (now - DAY, now)
    later = nightly_window(gnews, now + timedelta(hours=2), DAY, now)
    assert (later.start, later.end) == (now, now + timedelta(hours=2))
    assert nightly_window(gnews, now, DAY, now) is None  # asked up to now already
    assert nightly_window(gnews, now, DAY, now + DAY).start == now - DAY  # the clock went back: the whole day
    old = nightly_window(gnews, now, DAY, now - 5 * DAY)  # a week without nightly: still one day
    assert old.start == now - DAY
    # GKG's progress is the files it read: it is always given the whole day (and skips what it read)
    assert nightly_window(gkg, now, DAY, now).start == now - DAY


def test_settings_and_sources_files_take_the_search_pass_options(tmp_path):
    settings = tmp_path / "newsmon.toml"
    settings.write_text("[nightly]\nsearch_days = 2\n", encoding="utf-8")
    assert load_settings(settings).nightly.search_days == 2
    settings.write_text("[nightly]\nsearch_days = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"newsmon.toml: nightly.search_days"):
        load_settings(settings)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "feed"\nkind = "rss"\nurl = "http://127.0.0.1/feed.xml"\nnightly = false\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"source feed: nightly: only search sources"):
        load_sources(sources)
    sources.write_text(
        '[[source]]\nname = "gkg"\nkind = "gkg"\nurl = "http://127.0.0.1/gdeltv2/"\nnightly = true\n',
        encoding="utf-8",
    )
    assert load_sources(sources)[0].nightly is True


@pytest.fixture(scope="module")
def search_web():
    from simweb import SimWeb

    with SimWeb(now=DEMO_NOW, faults=None, services=True, search_only=True) as web:
        yield web


@pytest.fixture(scope="module")
def searched(search_web, prefect_harness, tmp_path_factory):
    """Two nightlies the same day: at the demo's clock and two hours later."""
    tmp = tmp_path_factory.mktemp("nightly-search")
    path = tmp / "news.duckdb"
    summaries, requests = [], []
    try:
        for now in (DEMO_NOW, DEMO_NOW + timedelta(hours=2)):
            search_web.now = now
            clock.set_now(now, ticking=True)
            search_web.services.clear_requests()
            search_web.clear_requests()
            summaries.append(run_nightly(search_web, tmp, path))
            requests.append((search_web.services.requests, search_web.requests))
    finally:
        clock.set_now(None)
        search_web.now = DEMO_NOW
    return path, summaries, requests


def _queries(logs, path_part: str) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(r.path).query) for r in logs if path_part in r.path]


def _span(query: dict[str, list[str]]) -> tuple[datetime, datetime]:
    return tuple(
        datetime.strptime(query[key][0], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        for key in ("startdatetime", "enddatetime")
    )


def test_the_search_pass_asks_every_configured_language_for_the_last_day(searched):
    _, _, requests = searched
    services, _ = requests[0]
    topic = load_topic()
    gnews = _queries(services, "/rss/search")
    assert {q["hl"][0] for q in gnews} == {topic.gnews[lang]["hl"] for lang in topic.languages}
    for q in gnews:
        assert "after:2024-11-28" in q["q"][0] and "before:2024-12-01" in q["q"][0], q  # the day, whole days
    gdelt = _queries(services, "/api/v2/doc/doc")
    asked = {q["query"][0].rsplit("sourcelang:", 1)[1] for q in gdelt}
    assert asked == {topic.sourcelang[lang] for lang in topic.languages}
    ((start, end),) = {_span(q) for q in gdelt}  # one window for every language: the day before the run
    assert end - start == DAY and DEMO_NOW <= end < DEMO_NOW + timedelta(minutes=5)
    assert not [r for r in services if "gdeltv2" in r.path or "/cdx" in r.path]  # GKG and CDX: backfills only


def test_articles_found_only_by_search_are_loaded_in_every_language(searched, search_web):
    path, summaries, _ = searched
    truth = search_web.search_only_truth()
    assert {t.language for t in truth} == set(load_topic().languages)
    loaded = dict(rows(path, "SELECT canonical_url, language FROM articles"))
    for t in truth:
        assert loaded.get(t.canonical_url) == t.language, t.url
    found_by = {}
    for url, source in rows(path, "SELECT url, source FROM url_sources"):
        found_by.setdefault(url, set()).add(source)
    for t in truth:
        assert found_by[t.canonical_url] and found_by[t.canonical_url] <= SEARCH_SOURCES, t.url
    # both services found some of them, and each finder is recorded (not only the first)
    assert any(len(found_by[t.canonical_url]) == 2 for t in truth)
    counts = summaries[0]["counts"]
    assert counts["search:google-news"] > 0 and counts["search:gdelt-doc"] >= len(truth)
    assert counts["search_new_urls"] == len(truth)
    assert set(summaries[0]["sources"]) >= SEARCH_SOURCES and summaries[0]["unreachable"] == {}
    # what the feeds and sitemaps list is loaded as before
    expected = {t.canonical_url for t in search_web.truth() if t.expect_loaded}
    assert expected <= set(loaded)


def test_a_second_nightly_the_same_day_asks_only_for_what_is_new(searched, search_web):
    path, summaries, requests = searched
    services, publishers = requests[1]
    first_end = _span(_queries(requests[0][0], "/api/v2/doc/doc")[0])[1]
    gdelt = _queries(services, "/api/v2/doc/doc")
    ((start, end),) = {_span(q) for q in gdelt}
    assert start == first_end  # from where the first nightly's answered window ended
    assert DEMO_NOW + timedelta(hours=2) <= end < DEMO_NOW + timedelta(hours=2, minutes=5)
    # nothing found the first time is decoded or fetched again
    assert not [r for r in services if "/rss/articles/" in r.path or "batchexecute" in r.path]
    pages = {t.canonical_url for t in search_web.search_only_truth()}
    assert not [r for r in publishers if any(u.endswith(r.path) for u in pages)]
    assert summaries[1]["counts"]["search_new_urls"] == 0
    marks = dict(rows(path, "SELECT name, searched_until FROM sources WHERE searched_until IS NOT NULL"))
    assert set(marks) == SEARCH_SOURCES
    assert all(DEMO_NOW + timedelta(hours=2) <= m < end + timedelta(seconds=1) for m in marks.values())


def test_a_failed_search_source_keeps_its_window_for_the_next_nightly(search_web, prefect_harness, tmp_path):
    path = tmp_path / "news.duckdb"
    search_web.services.set_fault("gdelt", "/api/v2/doc/doc", "500")
    clock.set_now(DEMO_NOW, ticking=True)
    try:
        summary = run_nightly(search_web, tmp_path, path)
    finally:
        clock.set_now(None)
        search_web.services.clear_faults()
    assert summary["drops"]["search:gdelt-doc"] == 1
    assert "gdelt-doc" in summary["unreachable"]  # it found nothing: listed with its error
    marks = dict(rows(path, "SELECT name, searched_until FROM sources WHERE kind IN ('gnews', 'gdelt')"))
    assert marks["gdelt-doc"] is None and marks["google-news"] is not None
    assert rows(path, "SELECT failures FROM sources WHERE name = 'gdelt-doc'")[0][0] == 1


def test_gkg_switched_on_reads_the_last_days_files_once(search_web, prefect_harness, tmp_path):
    """GKG is off by default; with `nightly = true` it reads the day's 15-minute files, and a second nightly
    the same day reads only the files published since (its progress is the files done)."""
    from flows.demo import write_demo_config

    path = tmp_path / "news.duckdb"
    settings_file, sources_file = write_demo_config(search_web, path, tmp_path)
    text = sources_file.read_text(encoding="utf-8")
    text = text.replace('kind = "gkg"\n', 'kind = "gkg"\nnightly = true\n')
    text = text.replace('kind = "gnews"\n', 'kind = "gnews"\nnightly = false\n')
    text = text.replace('kind = "gdelt"\n', 'kind = "gdelt"\nnightly = false\n')
    sources_file.write_text(text, encoding="utf-8")
    from flows.nightly import nightly

    files, found = [], []
    try:
        for now in (DEMO_NOW, DEMO_NOW + timedelta(hours=1)):
            search_web.now = now
            clock.set_now(now, ticking=True)
            search_web.services.clear_requests()
            summary = nightly(
                db_path=str(path), sources_file=str(sources_file), settings_file=str(settings_file)
            )
            files.append([r.path for r in search_web.services.requests if r.path.endswith(".zip")])
            found.append(summary["counts"].get("search:gdelt-gkg", 0))
    finally:
        clock.set_now(None)
        search_web.now = DEMO_NOW
    first, second = files
    assert len(first) >= 2 * 96 - 2  # both streams, every 15-minute slot of the last day
    assert second and not set(second) & set(first) and len(second) <= 2 * 5  # the new hour's files only
    assert found == [len(search_web.search_only_truth()), 0]  # the day's stories, then nothing new
    assert not [r for r in search_web.services.requests if "/rss/" in r.path or "/api/v2/" in r.path]
    assert rows(path, "SELECT count(*) FROM gkg_files")[0][0] >= len(first) + len(second) - 2
