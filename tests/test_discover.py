import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- poison values: one item fails, never the source ---------------------------------------------------


def rss_items(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def rss_item(link: str, pub: str | None = None) -> str:
    return (
        f"<item><title>x</title><link>{link}</link>"
        + (f"<pubDate>{pub}</pubDate>" if pub else "")
        + "</item>"
    )


def urlset(
    *entries: str, root: str = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
) -> bytes:
    close = "</" + root[1:].split()[0].rstrip(">") + ">"
    return ('<?xml version="1.0"?>' + root + "".join(entries) + close).encode()


def url_entry(loc: str, lastmod: str | None = None) -> str:
    return f"<url><loc>{loc}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"


@pytest.mark.parametrize(
    "pub", ["9999-12-31T23:59:59-14:00", "Fri, 31 Dec 9999 23:59:59 -1400", "Mon, 01 Jan 0001 00:00:00 +1400"]
)
def test_a_poison_feed_date_clears_that_date_only(pub):
    skipped = Counter()
    body = rss_items(
        rss_item("https://kabar.example/a.html", pub),
        rss_item("https://kabar.example/b.html", "Wed, 19 Jun 2024 02:30:00 GMT"),
    )
    found = parse_feed(body, RSS, skipped)
    assert [c.url for c in found] == ["https://kabar.example/a.html", "https://kabar.example/b.html"]
    assert found[0].published is None and found[1].published == datetime(2024, 6, 19, 2, 30, tzinfo=UTC)
    assert sum(skipped.values()) == 1 and next(iter(skipped)).startswith("published_")


@pytest.mark.parametrize(
    ("lastmod", "reason"),
    [
        ("0001-01-01T00:00:00+14:00", "published_out_of_range"),
        ("9999-12-31T23:59:59-14:00", "published_out_of_range"),
        ("2024-13-45", "published_unreadable"),
        ("99999-01-01", "published_unreadable"),
        ("1800-01-01", "published_out_of_range"),
    ],
)
def test_a_poison_sitemap_date_clears_that_date_only(lastmod, reason):
    skipped = Counter()
    body = urlset(
        url_entry("https://desk.example/a.html", lastmod),
        url_entry("https://desk.example/b.html", "2024-06-19"),
    )
    found, _ = parse_sitemap(body, SITEMAP, skipped)
    assert [c.published for c in found] == [None, datetime(2024, 6, 19, tzinfo=UTC)]
    assert skipped == Counter({reason: 1})


def test_sitemap_root_with_an_undeclared_prefix_still_reads():
    body = (
        b'<?xml version="1.0"?><news:urlset><url><loc>https://desk.example/a.html</loc></url></news:urlset>'
    )
    found, _ = parse_sitemap(body, SITEMAP)
    assert [c.url for c in found] == ["https://desk.example/a.html"]


def test_items_without_a_usable_link_are_skipped_and_counted():
    skipped = Counter()
    body = urlset(
        url_entry(""), url_entry("https://desk.example/a\x01b"), url_entry("https://desk.example/ok.html")
    )
    found, _ = parse_sitemap(body.replace(b"\x01", b"&#1;"), SITEMAP, skipped)
    assert [c.url for c in found] == ["https://desk.example/ok.html"]
    assert sum(skipped.values()) == 2


def test_a_poison_item_keeps_the_etag_and_the_source():
    body = rss_items(rss_item("https://kabar.example/a.html", "9999-12-31T23:59:59-14:00"))
    fetch = FakeFetch({RSS.url: FetchResult(url=RSS.url, status=200, ok=True, body=body, etag='"v2"')})
    found, check = read_source(RSS, fetch)
    assert len(found) == 1 and check.error is None and check.etag == '"v2"'
    assert check.skipped == {"published_out_of_range": 1}


def test_an_unreadable_listing_is_a_source_error_that_keeps_its_validators():
    fetch = FakeFetch(
        {SITEMAP.url: FetchResult(url=SITEMAP.url, status=200, ok=True, body=b"\x00\x01", etag='"e"')}
    )
    found, check = read_source(SITEMAP, fetch)
    assert found == [] and check.error.startswith("parse:") and check.etag == '"e"'


def test_a_50000_url_news_sitemap_is_read_in_seconds():
    entries = "".join(
        f"<url><loc>https://desk.example/world/2024/06/{n % 28 + 1:02d}/story-{n}.html</loc>"
        f"<news:news><news:publication><news:name>Desk</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>2024-06-19T08:{n % 60:02d}:00+09:00</news:publication_date>"
        f"<news:title>Story {n}</news:title></news:news></url>"
        for n in range(50_000)
    )
    body = urlset(
        entries,
        root='<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    )
    started = time.perf_counter()
    found, _ = parse_sitemap(body, SITEMAP)
    took = time.perf_counter() - started
    assert len(found) == 50_000 and found[-1].title == "Story 49999" and found[0].published is not None
    assert took < 10  # about 1 s on one core


# --- property test: discovery never raises -------------------------------------------------------------

_POISON_DATES = st.sampled_from(
    [
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "Fri, 31 Dec 9999 23:59:59 -1400",
        "2024-02-30",
        "-1",
        "1e400",
        "\u0000",
        "",
        "2024-06-19T08:00:00Z",
    ]
)
_FRAGMENTS = st.one_of(
    _POISON_DATES,
    st.sampled_from(
        ["<", ">", "&", "&amp;", "&#0;", "&#xD800;", "<![CDATA[", "]]>", "<!--", "news:", "xmlns:x='y'", '"']
    ),
    st.text(max_size=20),
)


@st.composite
def malformed_listing(draw):
    kind = draw(st.sampled_from(["rss", "atom", "sitemap", "index"]))
    date = draw(_POISON_DATES)
    link = draw(st.one_of(st.just("https://a.example/x.html"), st.text(max_size=30)))
    junk = "".join(draw(st.lists(_FRAGMENTS, max_size=6)))
    if kind == "rss":
        doc = f"<rss version='2.0'><channel><item><link>{link}</link><pubDate>{date}</pubDate>{junk}</item></channel></rss>"
    elif kind == "atom":
        doc = f"<feed xmlns='http://www.w3.org/2005/Atom'><entry><link href='{link}'/><updated>{date}</updated>{junk}</entry></feed>"
    elif kind == "sitemap":
        prefix = draw(st.sampled_from(["", "news:", "x:"]))
        doc = f"<{prefix}urlset><url><loc>{link}</loc><lastmod>{date}</lastmod>{junk}</url></{prefix}urlset>"
    else:
        doc = f"<sitemapindex><sitemap><loc>{link}</loc>{junk}</sitemap></sitemapindex>"
    cut = draw(st.integers(min_value=0, max_value=len(doc)))
    return doc[: cut if draw(st.booleans()) else len(doc)].encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None)
@given(body=malformed_listing(), source=st.sampled_from([RSS, SITEMAP]))
def test_discovery_never_raises_on_malformed_listings(body, source):
    fetch = FakeFetch(
        {
            source.url: FetchResult(url=source.url, status=200, ok=True, body=body, etag='"p"'),
        }
    )
    fetch.responses = _Default(fetch.responses)
    found, check = read_source(source, fetch)
    assert check.etag == '"p"'
    assert all(isinstance(c.url, str) and c.url for c in found)
    assert all(c.published is None or c.published.tzinfo is not None for c in found)


class _Default(dict):
    def __missing__(self, url):
        return FetchResult(url=url, status=404, ok=False, error="http_404")
