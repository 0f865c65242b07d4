"""Wayback CDX against the emulated archive: slug patterns, raw id_ copies, paging, capture windows, faults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from simweb import SimWeb
from tasks.models import Source
from tasks.sources import build_source
from tasks.sources.cdx import CdxError, CdxSource, parse_cdx_json
from tasks.sources.service import ServiceFetcher
from tasks.sources.window import Window

from .services_support import NOW, service_fetcher, service_policy, services_web

POLICY = service_policy(max_retries=1)
SINCE_THE_PACT = Window(datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 12, 1, tzinfo=UTC))
KABAR_PATTERNS = ["*/internasional/*korea*", "*/internasional/*pyongyang*"]


@pytest.fixture(scope="module")
def web() -> Iterator[SimWeb]:
    with services_web() as w:
        yield w


@pytest.fixture
def services(web):
    web.services.clear_requests()
    yield web.services
    web.services.clear_faults()


@pytest.fixture(scope="module")
def fetcher() -> Iterator[ServiceFetcher]:
    with service_fetcher(POLICY) as f:
        yield f


def archive(web: SimWeb) -> Source:
    return Source("wayback", "cdx", web.service_urls["cdx"], delay=0.0)


def site(web: SimWeb, name: str) -> str:
    return next(p.base_url for p in web.publishers if p.name == name)


def kabar(web: SimWeb, **options) -> CdxSource:
    return CdxSource({"kabar-dunia": (site(web, "kabar-dunia"), KABAR_PATTERNS)}, **options)


def kabar_pages(web: SimWeb, window: Window = SINCE_THE_PACT) -> set[str]:
    """Kabar Dunia's pages whose path matches the patterns and that were first captured in the window."""
    base = site(web, "kabar-dunia")
    return {
        base + s.page.path
        for s in web.services.wayback.corpus.stories
        if s.publisher == "kabar-dunia"
        and ("korea" in s.page.path or "pyongyang" in s.page.path)
        and window.start.date() <= s.published.date() <= window.end.date()
    }


def cdx_queries(services) -> list[list[tuple[str, str]]]:
    return [
        parse_qsl(urlsplit(e.path).query) for e in services.requests if e.path.startswith("/cdx/search/cdx")
    ]


def test_query_asks_for_html_200_captures_of_the_whole_site_once_per_url(web, services):
    url = kabar(web).query_url("https://web.archive.org", kabar(web).outlets[0], SINCE_THE_PACT)
    host = urlsplit(site(web, "kabar-dunia")).netloc
    assert url == (
        f"https://web.archive.org/cdx/search/cdx?url={host}/*&from=20240601&to=20241130&output=json"
        "&filter=statuscode:200&filter=mimetype:text/html&collapse=urlkey"
    )


def test_matching_pages_become_candidates_with_raw_archived_copies(web, services, fetcher):
    result = kabar(web).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)

    assert {c.url for c in result.candidates} == kabar_pages(web) and len(result.candidates) == 7
    stories = {s.url: s for s in web.services.wayback.corpus.stories}
    for candidate in result.candidates:
        copy = result.archived[candidate.url]
        stamp = copy.timestamp.strftime("%Y%m%d%H%M%S")
        assert copy.archive_url == f"{web.service_urls['cdx']}/web/{stamp}id_/{copy.original}"
        assert candidate.title == stories[candidate.url].title and candidate.language == "id"
        assert candidate.published == stories[candidate.url].published < copy.timestamp
    raw = [e.path for e in services.requests if e.path.startswith("/web/")]
    assert len(raw) == 7 and all("id_/http://" in p for p in raw)
    assert result.errors == [] and result.unresolved == []


def test_raw_copies_come_without_the_archive_toolbar(web, services, fetcher):
    result = kabar(web).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    copy = next(iter(result.archived.values()))
    raw = fetcher(copy.archive_url)
    replay = fetcher(copy.archive_url.replace("id_/", "/"))
    publisher = fetcher(copy.original)
    assert raw.text == publisher.text and "WAYBACK TOOLBAR" not in raw.text
    assert "BEGIN WAYBACK TOOLBAR INSERT" in replay.text


def test_tracked_links_and_other_captures_are_canonicalised_or_filtered(web, services, fetcher):
    result = kabar(web).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    assert all("utm_" not in c.url and "?" not in c.url for c in result.candidates)
    tracked = [a for a in result.archived.values() if "utm_" in a.original]
    assert tracked == []  # the clean URL's capture sorts first; the tracked one folds into it
    # the archive holds a 404 capture matching the patterns, the PDF and the feed: none is a candidate
    assert not any("korea-kursk-draft" in c.url for c in result.candidates)
    assert result.stats["kabar-dunia_captures"] > result.stats["kabar-dunia_matching"]


def test_resume_keys_page_through_the_same_captures(web, services, fetcher):
    whole = kabar(web).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    services.clear_requests()
    paged = kabar(web, page_size=3).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    assert [c.url for c in paged.candidates] == [c.url for c in whole.candidates]
    queries = cdx_queries(services)
    assert len(queries) >= 3 and ("resumeKey" not in dict(queries[0])) and "resumeKey" in dict(queries[1])


def test_the_window_selects_capture_days(web, services, fetcher):
    june = Window(datetime(2024, 6, 19, tzinfo=UTC), datetime(2024, 6, 22, tzinfo=UTC))
    result = kabar(web).discover(archive(web), june, fetcher, now=NOW)
    assert {c.url for c in result.candidates} == kabar_pages(web, june) and len(result.candidates) == 2
    assert dict(cdx_queries(services)[0])["to"] == "20240621"


def test_without_verify_only_the_index_is_read(web, services, fetcher):
    result = kabar(web, verify=False).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    assert {c.url for c in result.candidates} == kabar_pages(web)
    assert all(c.title is None for c in result.candidates) and len(result.archived) == 7
    assert not any(e.path.startswith("/web/") for e in services.requests)


def test_several_outlets_each_with_their_patterns(web, services, fetcher):
    outlets = {
        "kabar-dunia": (site(web, "kabar-dunia"), KABAR_PATTERNS),
        "global-dispatch": (urlsplit(site(web, "global-dispatch")).netloc, ["/world/*/north-korea*"]),
    }
    result = CdxSource(outlets).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    dispatch = [c.url for c in result.candidates if c.url.startswith(site(web, "global-dispatch"))]
    assert len(dispatch) == 2 and all("/north-korea" in u for u in dispatch)
    assert len(result.candidates) == 9


def test_a_capture_asked_at_another_time_follows_the_archives_redirect(web, services, fetcher):
    first = kabar(web, verify=False).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    copy = next(iter(first.archived.values()))
    stamp = copy.timestamp.strftime("%Y%m%d%H%M%S")

    def off_by_an_hour(url: str, etag=None, last_modified=None):
        return fetcher(
            url.replace(f"/web/{stamp}id_/", f"/web/{stamp[:8]}{int(stamp[8:10]) + 1:02d}{stamp[10:]}id_/")
        )

    second = kabar(web).discover(archive(web), SINCE_THE_PACT, off_by_an_hour, now=NOW)
    moved = second.archived[copy.original]
    assert moved.timestamp == copy.timestamp and moved.archive_url == copy.archive_url
    statuses = [e.status for e in services.requests if e.path.startswith("/web/")]
    assert statuses == [302] + [200] * 7


# --- faults -------------------------------------------------------------------------------------------


def test_a_429_from_the_index_is_waited_out(web, services, fetcher):
    services.set_fault("cdx", "/cdx/search/cdx", "429", times=1)
    result = kabar(web).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    assert result.errors == [] and {c.url for c in result.candidates} == kabar_pages(web)


def test_a_broken_index_answer_is_an_error(web, services, fetcher):
    services.set_fault("cdx", "/cdx/search/cdx", "malformed")
    result = kabar(web).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    assert result.candidates == [] and "unreadable JSON" in result.errors[0]


def test_an_archived_copy_that_fails_is_unresolved(web, services, fetcher):
    first = kabar(web, verify=False).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    copy = next(iter(first.archived.values()))
    services.set_fault("cdx", urlsplit(copy.archive_url).path, "500")
    result = kabar(web).discover(archive(web), SINCE_THE_PACT, fetcher, now=NOW)
    assert len(result.candidates) == 6 and copy.original not in {c.url for c in result.candidates}
    assert result.unresolved == [
        {"url": copy.original, "archive_url": copy.archive_url, "why": "archived copy: http_500"}
    ]


def test_cdx_json_parsing():
    header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    capture = ["org,example)/a", "20240619083000", "http://example.org:80/a", "text/html", "200", "D", "9"]
    rows, key = parse_cdx_json(
        f'[{header},{capture},[],["org%2Cexample%29%2Fa+20240619083000%21"]]'.replace("'", '"')
    )
    assert [r.original for r in rows] == [
        "http://example.org:80/a"
    ] and key == "org%2Cexample%29%2Fa+20240619083000%21"
    assert parse_cdx_json("[]") == ([], None)
    with pytest.raises(CdxError):
        parse_cdx_json('{"not": "a table"}')


def test_built_from_its_config_table(web):
    options = {"outlets": {"kabar-dunia": {"site": "https://kabardunia.example", "patterns": KABAR_PATTERNS}}}
    source = build_source("cdx", {**options, "page_size": 500})
    assert isinstance(source, CdxSource) and source.page_size == 500
    assert source.outlets[0].host == "kabardunia.example" and source.outlets[0].wants(
        "/internasional/x/korea-y"
    )
    with pytest.raises(ValueError, match="unknown option"):
        build_source("cdx", {**options, "pagesize": 500})
    with pytest.raises(ValueError, match="unknown source kind"):
        build_source("bing", {})
