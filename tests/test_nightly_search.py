"""The nightly's search pass: Google News and GDELT DOC asked for the last day in every configured language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from flows.demo import DEMO_NOW
from tasks import clock
from tasks.config import ConfigError, load_settings, load_sources
from tasks.models import Source
from tasks.relevance.topic import load_topic
from tasks.sources.nightly import in_nightly, nightly_window

from .conftest import rows, run_nightly

DAY = timedelta(days=1)
SEARCH_SOURCES = {"google-news", "gdelt-doc"}
OVERLAP = timedelta(hours=2)  # [nightly] search_overlap_hours, default


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
    assert start == first_end - OVERLAP  # from where the first nightly's answered window ended, less the overlap
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


def _run_nightlies(search_web, tmp_path, path, times, before=None) -> tuple[list[dict], list]:
    """Nightlies at `times` against the search web; `before(i)` is called before the i-th one."""
    summaries, requests = [], []
    try:
        for i, now in enumerate(times):
            search_web.now = now
            clock.set_now(now, ticking=True)
            search_web.services.clear_requests()
            if before is not None:
                before(i)
            summaries.append(run_nightly(search_web, tmp_path, path))
            requests.append(search_web.services.requests)
            search_web.services.clear_faults()
    finally:
        clock.set_now(None)
        search_web.now = DEMO_NOW
        search_web.services.clear_faults()
    return summaries, requests


def test_a_language_whose_query_failed_asks_its_window_again_and_the_others_only_what_is_new(
    search_web, prefect_harness, tmp_path
):
    path = tmp_path / "news.duckdb"
    topic = load_topic()
    language_of = {topic.gnews[lang]["hl"]: lang for lang in topic.languages}
    failed = "ja"  # a language whose search-only story Google News finds
    edition = topic.gnews[failed]
    failing = f"hl={edition['hl']}&gl={edition['gl']}&"
    marks_after: list[dict] = []

    def before(i: int) -> None:
        if i == 0:  # Google News fails for Japanese only, on the first nightly
            search_web.services.set_fault("gnews", "/rss/search", "500", query=failing)
        else:
            marks_after.append(
                dict(rows(path, "SELECT language, searched_until FROM search_marks WHERE source = 'google-news'"))
            )

    second = DEMO_NOW + timedelta(hours=2)
    summaries, requests = _run_nightlies(search_web, tmp_path, path, (DEMO_NOW, second), before)
    lost = next(t.canonical_url for t in search_web.search_only_truth() if t.language == failed)
    # the first nightly: every language but Japanese moved its mark; the source's own mark stays
    (first_marks,) = marks_after
    assert set(first_marks) == set(topic.languages) - {failed}
    assert all(DEMO_NOW <= m < DEMO_NOW + timedelta(minutes=5) for m in first_marks.values())
    # the second: Japanese is asked for the whole day again, every other language only from its mark less the
    # overlap (Google News takes whole days: 04:00 on the 30th is the 30th)
    asked: dict[str, set[str]] = {}
    for q in _queries(requests[1], "/rss/search"):
        asked.setdefault(language_of[q["hl"][0]], set()).add(q["q"][0].split(" after:", 1)[1])
    assert set(asked) == set(topic.languages)
    assert asked[failed] == {"2024-11-28 before:2024-12-01"}
    for language, spans in asked.items():
        if language != failed:
            assert spans == {"2024-11-29 before:2024-12-01"}, language
    # GDELT answered every language the first time: all its windows start at its marks less the overlap
    first_end = _span(_queries(requests[0], "/api/v2/doc/doc")[0])[1]
    assert {_span(q)[0] for q in _queries(requests[1], "/api/v2/doc/doc")} == {first_end - OVERLAP}
    # Japanese's lost window is found the second time; now every language's mark and the source's have moved
    found = set(rows(path, "SELECT url FROM url_sources WHERE source = 'google-news'"))
    assert (lost,) in found
    marks = dict(rows(path, "SELECT language, searched_until FROM search_marks WHERE source = 'google-news'"))
    assert set(marks) == set(topic.languages)
    assert all(second <= m < second + timedelta(minutes=5) for m in marks.values())
    (source_mark,) = rows(path, "SELECT searched_until FROM sources WHERE name = 'google-news'")[0]
    assert source_mark is not None and second <= source_mark


def test_each_window_starts_the_overlap_before_the_mark_and_known_urls_add_no_rows(
    search_web, prefect_harness, tmp_path
):
    """Stories published in the last two hours before the first nightly are found again by the second (the
    overlap, for items a service indexes late): they are counted as found but add no rows."""
    path = tmp_path / "news.duckdb"
    first = datetime(2024, 11, 29, 19, 30, tzinfo=UTC)  # the search-only stories run 07:00..19:00
    counted: list[list[tuple]] = []
    found_by_search = "SELECT url, source, first_seen FROM url_sources WHERE source IN ('google-news', 'gdelt-doc')"

    def before(i: int) -> None:
        if i == 1:
            counted.append(sorted(rows(path, found_by_search)))

    summaries, requests = _run_nightlies(search_web, tmp_path, path, (first, first + timedelta(hours=2)), before)
    first_end = _span(_queries(requests[0], "/api/v2/doc/doc")[0])[1]
    spans = {_span(q) for q in _queries(requests[1], "/api/v2/doc/doc")}
    assert {start for start, _ in spans} == {first_end - OVERLAP}
    late = [t for t in search_web.search_only_truth() if t.published >= first_end - OVERLAP]
    assert late  # stories inside the overlap exist, and were found by the first nightly
    assert summaries[1]["counts"]["search:gdelt-doc"] >= len(late)  # found again ...
    assert summaries[1]["counts"]["search_new_urls"] == 0  # ... as URLs already known
    assert counted == [sorted(rows(path, found_by_search))]  # no row added or changed
    (known,) = counted
    assert {t.canonical_url for t in late} <= {url for url, _, _ in known}
