from datetime import UTC, datetime

import pytest

from tasks.discover import SourceParseError, parse_feed, parse_sitemap, read_source
from tasks.models import FetchResult, Source

from .conftest import FIXTURES

FEEDS = FIXTURES / "feeds"
RSS = Source("kabar", "rss", "https://kabar.example/feed.xml", "id")
SITEMAP = Source("desk-sitemap", "sitemap", "https://desk.example/sitemap-news.xml", "en")


def test_rss2_items_with_links_and_utc_dates():
    found = parse_feed((FEEDS / "rss2.xml").read_bytes(), RSS)
    assert [c.url for c in found] == [
        "https://kabar.example/internasional/2024/06/19/putin-kim.html?utm_source=rss",
        "https://kabar.example/internasional/2024/11/09/ratifikasi.html",
    ]
    assert found[0].published == datetime(2024, 6, 19, 2, 30, tzinfo=UTC)
    assert found[0].title == "Putin dan Kim Tandatangani Pakta Pertahanan"
    assert {c.source for c in found} == {"kabar"} and {c.language for c in found} == {"id"}


def test_atom_alternate_link():
    found = parse_feed(
        (FEEDS / "atom.xml").read_bytes(), Source("desk", "rss", "https://desk.example/atom", None)
    )
    assert [c.url for c in found] == ["https://desk.example/world/2024/06/19/pact.html"]
    assert found[0].published == datetime(2024, 6, 19, 8, 0, tzinfo=UTC)


def test_malformed_feed_keeps_what_it_can():
    found = parse_feed((FEEDS / "broken.xml").read_bytes(), RSS)
    assert [c.url for c in found] == ["https://broken.example/a.html"]


@pytest.mark.parametrize("body", [b"", b"<html><body>Not a feed</body></html>", b"\x00\x01\x02 garbage"])
def test_unreadable_feed_is_a_clear_error(body):
    with pytest.raises(SourceParseError, match="kabar"):
        parse_feed(body, RSS)


def test_news_sitemap():
    found, children = parse_sitemap((FEEDS / "news-sitemap.xml").read_bytes(), SITEMAP)
    assert children == []
    assert [c.url for c in found] == [
        "https://desk.example/world/2024/06/19/pact.html",
        "https://desk.example/world/2024/06/20/reactions.html",
    ]
    assert found[0].title.startswith("Russia and North Korea")
    assert found[0].published == datetime(2024, 6, 19, 8, 0, tzinfo=UTC)
    assert found[1].published == datetime(2024, 6, 20, tzinfo=UTC)


def test_sitemap_index_lists_children():
    found, children = parse_sitemap((FEEDS / "sitemap-index.xml").read_bytes(), SITEMAP)
    assert found == [] and children == [
        "https://desk.example/sitemap-news-1.xml",
        "https://desk.example/sitemap-news-2.xml",
    ]


@pytest.mark.parametrize("body", [b"not xml at all", b"<rss><channel/></rss>"])
def test_bad_sitemap_is_a_clear_error(body):
    with pytest.raises(SourceParseError, match="desk-sitemap"):
        parse_sitemap(body, SITEMAP)


def test_sitemap_does_not_resolve_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&x;</loc></url></urlset>'
    )
    found, _ = parse_sitemap(body.encode(), SITEMAP)
    assert all("TOPSECRET" not in c.url for c in found)


class FakeFetch:
    def __init__(self, responses):
        self.responses = responses
        self.calls = []

    def __call__(self, url, etag=None, last_modified=None):
        self.calls.append((url, etag, last_modified))
        return self.responses[url]


def test_read_source_sends_validators_and_handles_304():
    fetch = FakeFetch({RSS.url: FetchResult(url=RSS.url, status=304, ok=True, etag='"v1"')})
    found, check = read_source(RSS, fetch, ('"v1"', "Wed, 19 Jun 2024 00:00:00 GMT"))
    assert found == [] and check.status == 304 and check.error is None
    assert fetch.calls == [(RSS.url, '"v1"', "Wed, 19 Jun 2024 00:00:00 GMT")]


def test_read_source_records_failures_and_parse_errors():
    fetch = FakeFetch({RSS.url: FetchResult(url=RSS.url, status=503, ok=False, error="http_503")})
    assert read_source(RSS, fetch)[1].error == "http_503"
    fetch = FakeFetch({RSS.url: FetchResult(url=RSS.url, status=200, ok=True, body=b"<html>nope</html>")})
    found, check = read_source(RSS, fetch)
    assert found == [] and check.error.startswith("parse:")


def test_read_source_follows_sitemap_index():
    index = (FEEDS / "sitemap-index.xml").read_bytes()
    child = (FEEDS / "news-sitemap.xml").read_bytes()
    fetch = FakeFetch(
        {
            SITEMAP.url: FetchResult(url=SITEMAP.url, status=200, ok=True, body=index),
            "https://desk.example/sitemap-news-1.xml": FetchResult(url="1", status=200, ok=True, body=child),
            "https://desk.example/sitemap-news-2.xml": FetchResult(
                url="2", status=500, ok=False, error="http_500"
            ),
        }
    )
    found, check = read_source(SITEMAP, fetch)
    assert len(found) == 2 and check.items == 2
