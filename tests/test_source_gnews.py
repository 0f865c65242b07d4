"""Google News RSS search against its emulation: windows and the cap, link decoding, the fallback, faults."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from simweb import SimWeb
from simweb.services.gnews import DEFAULT_CAP, UNRESOLVABLE_TITLE, NewsItem
from tasks.fetch import Fetcher
from tasks.models import Source
from tasks.relevance.topic import load_topic
from tasks.sources.gnews import GoogleNewsSource, strip_outlet
from tasks.sources.gnews_decode import parse_batchexecute, parse_signature
from tasks.sources.outlets import match_title, normalise_title
from tasks.sources.service import ServiceFetcher
from tasks.sources.window import Window

from .services_support import NOW, service_fetcher, service_policy, services_web

POLICY = service_policy(max_retries=2)
TOPIC = load_topic()
PACT_DAYS = Window(datetime(2024, 6, 19, tzinfo=UTC), datetime(2024, 6, 22, tzinfo=UTC))
AUTUMN = Window(datetime(2024, 10, 1, tzinfo=UTC), datetime(2024, 12, 1, tzinfo=UTC))


@pytest.fixture(scope="module")
def web() -> Iterator[SimWeb]:
    with services_web() as w:
        yield w


@pytest.fixture
def services(web):
    web.services.clear_requests()
    yield web.services
    web.services.clear_faults()
    web.services.gnews.cap = DEFAULT_CAP


@pytest.fixture(scope="module")
def fetcher() -> Iterator[ServiceFetcher]:
    with service_fetcher(POLICY) as f:
        yield f


def gnews_source(web: SimWeb, language: str | None = None) -> Source:
    return Source("google-news", "gnews", web.service_urls["gnews"], language, delay=0.0)


def expected(web: SimWeb, window: Window, languages: set[str] | None = None) -> list[NewsItem]:
    """What the emulated search holds for the window: on-topic items, the unresolvable one included."""
    return [
        i
        for i in web.services.gnews.items
        if i.on_topic and window.contains(i.published) and (languages is None or i.language in languages)
    ]


def search_windows(services, language_hl: str) -> list[str]:
    """The q of every search request made in one edition."""
    qs = []
    for entry in services.requests:
        parts = urlsplit(entry.path)
        query = parse_qs(parts.query)
        if parts.path == "/rss/search" and query.get("hl") == [language_hl]:
            qs.append(query["q"][0])
    return qs


# --- windows, dates and the cap ------------------------------------------------------------------


def test_search_url_carries_the_edition_and_date_operators():
    source = GoogleNewsSource(TOPIC)
    url = source.search_url("https://news.google.com/rss/search", "ko", PACT_DAYS)
    query = parse_qs(urlsplit(url).query)
    assert query["hl"] == ["ko"] and query["gl"] == ["KR"] and query["ceid"] == ["KR:ko"]
    assert query["q"] == [f"{TOPIC.queries['ko']} after:2024-06-18 before:2024-06-22"]
    assert url.startswith("https://news.google.com/rss/search?q=")


def test_every_story_in_the_window_is_found_under_its_publisher_url(web, services, fetcher):
    result = GoogleNewsSource(TOPIC).discover(gnews_source(web), PACT_DAYS, fetcher, now=NOW)

    wanted = expected(web, PACT_DAYS)
    resolvable = {i.url: i for i in wanted if i.title != UNRESOLVABLE_TITLE}
    assert {c.url for c in result.candidates} == set(resolvable)
    assert len(resolvable) >= 12 and len({i.language for i in resolvable.values()}) == 9
    for candidate in result.candidates:
        item = resolvable[candidate.url]
        assert candidate.title == item.title  # " - Outlet" taken off
        assert candidate.language == item.language and candidate.published == item.published
        assert candidate.source == "google-news" and PACT_DAYS.contains(candidate.published)
    assert result.errors == []


def test_dates_outside_the_window_are_left_out(web, services, fetcher):
    one_day = Window(datetime(2024, 10, 24, tzinfo=UTC), datetime(2024, 10, 25, tzinfo=UTC))
    result = GoogleNewsSource(TOPIC).discover(gnews_source(web), one_day, fetcher, now=NOW)
    assert {c.url for c in result.candidates} == {i.url for i in expected(web, one_day)}
    assert all(c.published.date().isoformat() == "2024-10-24" for c in result.candidates)
    assert {c.language for c in result.candidates} >= {"en", "id", "ru", "zh", "es"}


def test_a_full_answer_is_split_by_days_until_it_fits(web, services, fetcher):
    services.gnews.cap = 2
    source = GoogleNewsSource(TOPIC, ["en"], cap=2)
    result = source.discover(gnews_source(web), AUTUMN, fetcher, now=NOW)

    assert {c.url for c in result.candidates} == {i.url for i in expected(web, AUTUMN, {"en"})}
    asked = search_windows(services, "en-US")
    assert len(asked) > 5
    assert asked[0].endswith("after:2024-09-30 before:2024-12-01")  # the whole window first
    assert any(q.endswith("after:2024-10-23 before:2024-10-25") for q in asked)  # down to single days


def test_a_single_day_at_the_cap_is_noted_as_possibly_incomplete(web, services, fetcher):
    services.gnews.cap = 1
    one_day = Window(datetime(2024, 10, 24, tzinfo=UTC), datetime(2024, 10, 25, tzinfo=UTC))
    result = GoogleNewsSource(TOPIC, ["en"], cap=1).discover(gnews_source(web), one_day, fetcher, now=NOW)
    assert len(result.candidates) == 1  # two English stories that day; the search gives one
    assert any("the cap, for a single day" in note for note in result.notes)


def test_a_source_with_a_language_asks_only_that_edition(web, services, fetcher):
    result = GoogleNewsSource(TOPIC).discover(gnews_source(web, "ja"), PACT_DAYS, fetcher, now=NOW)
    assert [c.language for c in result.candidates] == ["ja"]
    # one search, one article page for the signature, one batchexecute POST
    asked = [
        (e.method, urlsplit(e.path).path.split("/")[1]) for e in services.requests if e.path != "/robots.txt"
    ]
    assert asked == [("GET", "rss"), ("GET", "rss"), ("POST", "_")]
    assert result.requests == 3


# --- decoding, the fallback and what stays unresolved ----------------------------------------------


def test_links_are_decoded_with_the_signed_batchexecute_exchange(web, services, fetcher):
    result = GoogleNewsSource(TOPIC, decode_batch=5).discover(gnews_source(web), AUTUMN, fetcher, now=NOW)

    decodable = [i for i in expected(web, AUTUMN) if i.failure is None]
    assert result.stats["decoded"] == len(decodable) > 10
    paths = [e.path for e in services.requests]
    for item in decodable:
        assert any(p.startswith(f"/rss/articles/{item.article_id}?") for p in paths)
    signed = len(decodable) + sum(1 for i in expected(web, AUTUMN) if i.failure == "rpc_error")
    posts = [e for e in services.requests if e.method == "POST"]
    assert len(posts) == -(-signed // 5) and all(e.path == "/_/DotsSplashUi/data/batchexecute" for e in posts)


def test_links_that_do_not_decode_are_found_in_their_outlets_listing(web, services, fetcher):
    result = GoogleNewsSource(TOPIC).discover(gnews_source(web), AUTUMN, fetcher, now=NOW)

    failing = [i for i in expected(web, AUTUMN) if i.failure is not None and i.title != UNRESOLVABLE_TITLE]
    assert {f.failure for f in failing} == {"no_signature", "rpc_error"}
    assert {i.url for i in failing} <= {c.url for c in result.candidates}
    assert result.stats["matched_in_outlet_listing"] == len(failing)
    # the outlets' listings were found through their robots.txt
    outlets = {urlsplit(i.outlet_url).netloc for i in failing}
    publisher_paths = [(r.host, r.path) for r in web.requests]
    for host in outlets:
        assert (host, "/sitemap-news.xml") in publisher_paths


def test_what_resolves_by_neither_route_is_reported_with_why(web, services, fetcher):
    result = GoogleNewsSource(TOPIC, ["en"]).discover(gnews_source(web), PACT_DAYS, fetcher, now=NOW)
    assert len(result.unresolved) == 1
    entry = result.unresolved[0]
    assert entry["title"] == UNRESOLVABLE_TITLE and entry["language"] == "en"
    assert entry["outlet"] == "The Global Dispatch" and entry["url"].startswith(
        web.service_urls["gnews"][:-11]
    )
    assert "batchexecute" in entry["why"] and "not in outlet listing" in entry["why"]
    assert entry["url"] not in {c.url for c in result.candidates}


def test_a_fetch_that_cannot_post_falls_back_to_configured_outlet_listings(web, services):
    outlet_feeds = {p.base_url: [p.base_url + "/feed.xml"] for p in web.publishers}
    source = GoogleNewsSource(TOPIC, ["de", "fr"], outlet_feeds=outlet_feeds)
    with Fetcher(POLICY) as plain:
        result = source.discover(gnews_source(web), AUTUMN, plain.fetch, now=NOW)
    assert {c.url for c in result.candidates} == {i.url for i in expected(web, AUTUMN, {"de", "fr"})}
    assert any("cannot POST" in note for note in result.notes)
    assert not any(e.method == "POST" for e in services.requests)


# --- faults -------------------------------------------------------------------------------------------


def test_a_429_on_search_is_waited_out(web, services, fetcher):
    services.set_fault("gnews", "/rss/search", "429", times=1)
    result = GoogleNewsSource(TOPIC, ["ko"]).discover(gnews_source(web), PACT_DAYS, fetcher, now=NOW)
    assert result.errors == []
    assert {c.url for c in result.candidates} == {i.url for i in expected(web, PACT_DAYS, {"ko"})}
    assert [e.status for e in services.requests if e.path.startswith("/rss/search")][:2] == [429, 200]


def test_a_broken_search_answer_is_an_error_not_a_crash(web, services, fetcher):
    services.set_fault("gnews", "/rss/search", "malformed")
    result = GoogleNewsSource(TOPIC, ["ru"]).discover(gnews_source(web), PACT_DAYS, fetcher, now=NOW)
    assert result.candidates == [] and len(result.errors) == 1
    assert "unreadable RSS" in result.errors[0]


def test_a_failing_decoder_leaves_the_fallback_to_resolve(web, services, fetcher):
    services.set_fault("gnews", "/_/DotsSplashUi/data/batchexecute", "500")
    result = GoogleNewsSource(TOPIC, ["es", "fr"]).discover(gnews_source(web), AUTUMN, fetcher, now=NOW)
    assert {c.url for c in result.candidates} == {i.url for i in expected(web, AUTUMN, {"es", "fr"})}
    assert result.stats["decoded"] == 0 and any("http_500" in e for e in result.errors)


# --- pure parts --------------------------------------------------------------------------------------


def test_batchexecute_answers_in_one_array_or_in_length_prefixed_chunks():
    rows = [
        ["wrb.fr", "Fbv4je", json.dumps(["garturlres", "https://b.example/2", 1]), None, None, None, "1"],
        ["wrb.fr", "Fbv4je", None, None, None, [3], "0"],
        ["di", 12],
    ]
    one_array = ")]}'\n\n" + json.dumps(rows)
    chunked = ")]}'\n\n" + "\n".join(f"{len(json.dumps([r]))}\n{json.dumps([r])}" for r in rows)
    assert parse_batchexecute(one_array) == {"1": "https://b.example/2"}
    assert parse_batchexecute(chunked) == {"1": "https://b.example/2"}
    with pytest.raises(ValueError):
        parse_batchexecute(")]}'\n\nnot json at all")


def test_signature_is_read_from_the_c_wiz_element_or_found_by_pattern():
    page = '<html><body><c-wiz><div jscontroller="aLI87" data-n-a-sg="SIG" data-n-a-ts="1718787800"></div></c-wiz>'
    assert parse_signature(page) == ("SIG", "1718787800")
    assert parse_signature('<p data-n-a-ts="9" data-n-a-sg="S2"></p>') == ("S2", "9")
    assert parse_signature("<html><body>Before you continue to Google</body></html>") is None


def test_titles_match_across_quotes_dashes_case_and_google_truncation():
    assert strip_outlet("Putin and Kim sign pact - The Global Dispatch", "The Global Dispatch") == (
        "Putin and Kim sign pact"
    )
    assert strip_outlet("Seoul - Tokyo talks", "Reuters") == "Seoul - Tokyo talks"
    listed = {
        normalise_title(t): (u, t) for u, t in [("u1", "North Korea will stand by Russia ‘until victory’")]
    }
    assert match_title("North Korea Will Stand By Russia 'Until Victory'", listed) == "u1"
    assert match_title("North Korea will stand by Russia ...", listed) == "u1"
    assert match_title("North Korea will stand", listed) is None
    assert normalise_title("푸틴·김정은, 평양서 조약 서명") == "푸틴 김정은 평양서 조약 서명"
