"""The simulated web: what it serves, how its faults behave, and that its ground truth matches its pages."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.robotparser
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import format_datetime
from http.client import HTTPConnection, IncompleteRead
from pathlib import Path
from urllib.parse import urlsplit

import charset_normalizer
import feedparser
import pytest
import requests
import trafilatura

from simweb import PageTruth, SimWeb
from simweb.content import SiteFormatError, load_sites
from simweb.seeds import SEEDS_DIR, read_seed

NOW = datetime(2024, 11, 30, tzinfo=UTC)
SITES_DIR = Path(__file__).resolve().parent.parent / "simweb" / "sites"
OWN_PUBLISHERS = {"kabar-dunia", "warta-pantura", "global-dispatch", "pacific-herald"}
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SEEDS = {
    "000_c5a3c731593b610c": "pentagon-awasi-kemungkinan-pasukan-korea-utara-dikirim-ke-ukraina",
    "004_ed0719dbe2560981": "putin-dan-kim-jong-un-teken-pakta-saling-bantu",
}


@pytest.fixture(scope="module")
def demo():
    """The web as the nightly demo sees it (read-only: tests must not change its faults or clock)."""
    with SimWeb(now=NOW, faults="demo") as web:
        yield web


@pytest.fixture(scope="module")
def clean_web():
    with SimWeb(now=NOW, faults=None) as web:
        yield web


@pytest.fixture
def web(clean_web):
    """A fault-free web each test may set faults on; they are cleared afterwards."""
    yield clean_web
    clean_web.clear_faults()
    clean_web.now = NOW


@pytest.fixture(scope="module")
def http():
    with requests.Session() as session:
        session.trust_env = False  # never route loopback through a proxy from the environment
        yield session


def base(web: SimWeb, name: str) -> str:
    return next(p.base_url for p in web.publishers if p.name == name)


def truth_for(web: SimWeb, slug: str) -> PageTruth:
    return next(t for t in web.truth() if t.canonical_url.endswith(f"/{slug}.html") and t.kind != "amp")


def linked_urls(web: SimWeb, http: requests.Session) -> dict[str, set[str]]:
    """Every URL the feeds and sitemaps link to, by publisher."""
    links: dict[str, set[str]] = {}
    for p in web.publishers:
        feed = feedparser.parse(http.get(p.base_url + "/feed.xml").content)
        sitemap = ET.fromstring(http.get(p.base_url + "/sitemap-news.xml").content)
        links[p.name] = {e.link for e in feed.entries} | {
            loc.text for loc in sitemap.iter(f"{SITEMAP_NS}loc")
        }
    return links


# --- publishers and discovery -----------------------------------------------------------------------


def test_publishers_each_on_their_own_loopback_address(demo):
    names = {p.name for p in demo.publishers}
    assert names >= OWN_PUBLISHERS
    assert len(demo.publishers) == len(list(SITES_DIR.glob("*.json")))
    hosts = [urlsplit(p.base_url).hostname for p in demo.publishers]
    assert len(set(hosts)) == len(hosts)
    assert all(h.startswith("127.0.0.") for h in hosts)
    languages = {p.language for p in demo.publishers}
    assert {"id", "en"} <= languages
    if len(demo.publishers) >= 6:
        assert len(languages) >= 4


def test_sources_are_one_feed_and_one_news_sitemap_per_publisher(demo):
    sources = {s.name: s for s in demo.sources()}
    assert len(sources) == 2 * len(demo.publishers)
    for p in demo.publishers:
        feed, sitemap = sources[f"{p.name}-feed"], sources[f"{p.name}-sitemap"]
        assert (feed.kind, feed.url, feed.language, feed.delay) == (
            "rss",
            p.base_url + "/feed.xml",
            p.language,
            0.0,
        )
        assert (sitemap.kind, sitemap.url, sitemap.language) == (
            "sitemap",
            p.base_url + "/sitemap-news.xml",
            p.language,
        )


def test_feeds_parse_as_rss_or_atom_and_link_the_published_articles(demo, http):
    versions = set()
    for p in demo.publishers:
        response = http.get(p.base_url + "/feed.xml")
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (p.name, feed.get("bozo_exception"))
        versions.add(feed.version)
        assert feed.entries
        for entry in feed.entries:
            assert entry.title and entry.link.startswith(p.base_url) and entry.id and entry.published_parsed
            assert datetime(*entry.published_parsed[:6], tzinfo=UTC) <= NOW
    assert {"rss20", "atom10"} <= versions


def test_news_sitemaps_carry_google_news_fields(demo, http):
    for p in demo.publishers:
        root = ET.fromstring(http.get(p.base_url + "/sitemap-news.xml").content)
        urls = root.findall(f"{SITEMAP_NS}url")
        assert urls
        for url in urls:
            news = url.find(f"{NEWS_NS}news")
            assert news is not None
            assert news.find(f"{NEWS_NS}publication/{NEWS_NS}language").text == p.language
            assert news.find(f"{NEWS_NS}title").text
            published = datetime.fromisoformat(news.find(f"{NEWS_NS}publication_date").text)
            assert published <= NOW


def test_truth_covers_exactly_the_linked_urls(demo, http):
    truth = demo.truth()
    by_url = {t.url: t for t in truth}
    assert len(by_url) == len(truth)
    for publisher, links in linked_urls(demo, http).items():
        for url in links:
            t = by_url.get(url) or next(
                (t for t in truth if t.kind == "tracking" and t.canonical_url == url), None
            )
            assert t is not None and t.publisher == publisher, url
    all_links = set().union(*linked_urls(demo, http).values())
    assert {t.url for t in truth} <= all_links


def test_every_publisher_has_on_topic_and_off_topic_pages(demo):
    truth = demo.truth()
    for p in demo.publishers:
        pages = [t for t in truth if t.publisher == p.name]
        assert any(t.on_topic for t in pages) and any(not t.on_topic for t in pages), p.name
        assert all(t.reason == "off_topic" and not t.expect_loaded for t in pages if not t.on_topic)


def test_own_sites_have_six_to_eight_articles_of_realistic_prose():
    for site in load_sites(SITES_DIR):
        if site.name not in OWN_PUBLISHERS:
            continue
        assert 6 <= len(site.articles) <= 8, site.name
        assert 1 <= sum(not a.on_topic for a in site.articles) <= 2, site.name
        for article in site.articles:
            if article.slug in SEEDS.values():
                continue
            for block in article.blocks:
                if block.kind in ("p", "p_with_inline"):
                    assert 15 <= len((block.content_line or "").split()) <= 45, (article.slug, block)


# --- robots, conditional GET and the clock ----------------------------------------------------------


def test_robots_disallows_a_path_the_feed_links_to(demo, http):
    url = base(demo, "global-dispatch")
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(http.get(url + "/robots.txt").text.splitlines())
    premium = [t for t in demo.truth() if t.reason == "robots"]
    assert len(premium) == 1 and "/premium/" in premium[0].url
    assert not robots.can_fetch("newsmon", premium[0].url)
    assert robots.can_fetch("newsmon", truth_for(demo, "seoul-weighs-sending-weapons-to-ukraine").url)
    assert premium[0].url in {e.link for e in feedparser.parse(http.get(url + "/feed.xml").content).entries}
    assert (premium[0].expect_loaded, premium[0].expect_fetched_ok) == (False, False)
    assert f"Sitemap: {url}/sitemap-news.xml" in http.get(url + "/robots.txt").text


@pytest.mark.parametrize("path", ["/feed.xml", "/sitemap-news.xml"])
def test_listings_answer_conditional_requests_with_304(web, http, path):
    url = base(web, "kabar-dunia") + path
    first = http.get(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert http.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert http.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert http.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    older = format_datetime(datetime(2024, 1, 1, tzinfo=UTC), usegmt=True)
    assert http.get(url, headers={"If-Modified-Since": older}).status_code == 200
    not_modified = http.get(url, headers={"If-None-Match": etag})
    assert not_modified.content == b"" and not_modified.headers["ETag"] == etag

    web.now = datetime(2024, 10, 1, tzinfo=UTC)  # the listing shrinks, so the old copy is stale
    changed = http.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_now_hides_future_articles_everywhere(web, http):
    future = "russia-north-korea-defence-treaty-enters-into-force"
    url = base(web, "pacific-herald")
    article_url = f"{url}/asia/2024/12/04/{future}.html"
    assert not any(future in link for link in linked_urls(web, http)["pacific-herald"])
    assert not any(future in t.url for t in web.truth())
    assert http.get(article_url).status_code == 404

    web.now = datetime(2024, 12, 5, tzinfo=UTC)
    assert article_url in linked_urls(web, http)["pacific-herald"]
    assert any(t.url == article_url and t.expect_loaded for t in web.truth())
    assert http.get(article_url).status_code == 200


# --- article pages ----------------------------------------------------------------------------------


def test_article_pages_carry_realistic_chrome_and_metadata(demo, http):
    t = truth_for(demo, "seoul-weighs-sending-weapons-to-ukraine")
    html = http.get(t.url).text
    assert '<html lang="en">' in html
    assert f"<title>{t.title}" in html
    for needle in (
        '<meta name="description"',
        f'<meta property="og:title" content="{t.title}">',
        '<meta property="og:site_name" content="The Global Dispatch">',
        f'<meta property="article:published_time" content="{t.published.isoformat()}">',
        f'<link rel="canonical" href="{t.canonical_url}">',
        "<h1",
        "<time datetime=",
        "<nav",
        'id="cookie-banner"',
        "<article",
        "most-popular",
        "social-share",
        "comment-teaser",
        "<footer",
    ):
        assert needle in html, needle


def test_templates_differ_between_publishers(demo, http):
    pages = [
        next(t for t in demo.truth() if t.publisher == name and t.content_lines and not t.fault)
        for name in sorted(OWN_PUBLISHERS)
    ]
    bodies = [http.get(t.url).text for t in pages]
    content_classes = {
        b.split('itemprop="articleBody"')[0].rsplit('class="', 1)[1].split('"')[0] for b in bodies
    }
    assert len(content_classes) == len(OWN_PUBLISHERS)


def test_seed_pages_ground_truth_equals_the_seed_files(demo):
    for seed, slug in SEEDS.items():
        _, expected, boilerplate = read_seed(seed)
        t = truth_for(demo, slug)
        assert (
            t.content_lines == (SEEDS_DIR / f"{seed}.expected.txt").read_text(encoding="utf-8").splitlines()
        )
        assert t.content_lines == expected
        assert t.boilerplate == boilerplate
        assert (t.on_topic, t.expect_loaded, t.fault) == (True, True, None)


def test_trafilatura_keeps_every_expected_line_of_the_seed_pages(demo, http):
    for seed, slug in SEEDS.items():
        t = truth_for(demo, slug)
        html = http.get(t.url).text
        for subheading in (
            "Perubahan Kebijakan",
            "Apa yang kita ketahui tentang kemitraan antara Rusia dan Korea Utara",
        ):
            if subheading in t.content_lines:
                assert f"<h2>{subheading}</h2>" in html
        extracted = trafilatura.extract(html, url=t.url)
        lines = extracted.splitlines()
        for line in t.content_lines:
            assert line in lines, (seed, line)
        # In-body boilerplate reaches the extractor's output, glued the way the seed shows it.
        for line in t.boilerplate:
            assert line in lines, (seed, line)


def test_inline_related_links_are_glued_inside_the_paragraph(clean_web, http):
    t = truth_for(clean_web, "kim-jong-un-sambut-putin-di-pyongyang")
    extracted = trafilatura.extract(http.get(t.url).text)
    glued = "Baca Juga:Harga Minyak Dunia Naik Tipis Jelang Rilis Data Persediaan AS"
    assert glued in t.boilerplate
    assert any(glued in line and "Rodong Sinmun" in line for line in extracted.splitlines())
    assert any(
        line.startswith("Putin sebelumnya") and line.endswith("dikendalikan Barat.")
        for line in t.content_lines
    )


def test_syndicated_copy_republishes_the_original_body(demo, http):
    copy = next(t for t in demo.truth() if t.kind == "syndicated")
    original = next(t for t in demo.truth() if t.canonical_url == copy.copy_of)
    assert copy.publisher != original.publisher and copy.language == original.language
    assert copy.content_lines == original.content_lines
    assert set(copy.boilerplate).isdisjoint(original.boilerplate)
    assert (copy.expect_loaded, copy.reason, copy.expect_fetched_ok) == (False, "duplicate", True)
    assert f'<link rel="canonical" href="{copy.url}">' in http.get(copy.url).text
    assert original.expect_loaded


def test_amp_variant_points_to_its_normal_page(demo, http):
    amp = next(t for t in demo.truth() if t.kind == "amp")
    assert "/amp/" in amp.url and amp.copy_of == amp.canonical_url
    assert (amp.expect_loaded, amp.reason) == (False, "amp")
    html = http.get(amp.url).text
    assert "<html amp" in html and f'<link rel="canonical" href="{amp.canonical_url}">' in html
    normal = http.get(amp.canonical_url).text
    assert f'<link rel="amphtml" href="{amp.url}">' in normal
    assert truth_for(demo, amp.canonical_url.rsplit("/", 1)[1][:-5]).expect_loaded


def test_tracking_link_is_loaded_under_its_clean_url(demo, http):
    t = next(t for t in demo.truth() if t.kind == "tracking")
    assert t.url == t.canonical_url + "?utm_source=rss&utm_medium=feed&fbclid=abc"
    assert t.expect_loaded and t.publisher == "kabar-dunia"
    assert http.get(t.url).text == http.get(t.canonical_url).text


def test_pdf_feed_link_serves_a_pdf(demo, http):
    t = next(t for t in demo.truth() if t.url.endswith(".pdf"))
    response = http.get(t.url)
    assert response.headers["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    assert (t.fault, t.expect_loaded, t.reason) == ("binary", False, "binary")


# --- the demo preset --------------------------------------------------------------------------------


def test_demo_preset_puts_each_fault_on_its_own_on_topic_page(demo):
    faulted = [t for t in demo.truth() if t.fault]
    kinds = sorted(t.fault for t in faulted)
    assert kinds == sorted(
        ["429", "500", "500", "slow", "truncated", "wrong_charset", "redirect_loop", "binary", "huge"]
    )
    assert len({t.url for t in faulted}) == len(faulted)
    assert all(t.on_topic for t in faulted)
    outcome = {(t.fault, t.expect_loaded, t.reason) for t in faulted}
    assert outcome == {
        ("429", True, None),
        ("500", True, None),
        ("500", False, "server_error"),
        ("slow", True, None),
        ("truncated", True, None),
        ("wrong_charset", True, None),
        ("redirect_loop", False, "redirect_loop"),
        ("binary", False, "binary"),
        ("huge", False, "too_large"),
    }
    assert all(t.expect_fetched_ok == t.expect_loaded for t in faulted)


def test_demo_wrong_charset_page_is_readable_only_with_detection(demo, http):
    t = next(t for t in demo.truth() if t.fault == "wrong_charset")
    response = http.get(t.url)
    assert response.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert b'<meta charset="iso-8859-1">' in response.content
    trusting = response.content.decode("iso-8859-1")
    detected = str(charset_normalizer.from_bytes(response.content).best())
    assert not all(line in trusting for line in t.content_lines)
    assert all(line in detected for line in t.content_lines)


# --- faults -----------------------------------------------------------------------------------------


def test_500_always_and_for_a_number_of_requests(web, http):
    always = truth_for(web, "seoul-weighs-sending-weapons-to-ukraine").url
    once = truth_for(web, "g7-ministers-condemn-north-korean-troop-deployment-to-russia").url
    web.set_fault(always, "500")
    web.set_fault(once, "500", times=1)
    assert [http.get(always).status_code for _ in range(3)] == [500, 500, 500]
    assert [http.get(once).status_code for _ in range(3)] == [500, 200, 200]
    assert next(t for t in web.truth() if t.url == once).fault == "500"


def test_429_sends_retry_after_then_recovers(web, http):
    url = truth_for(web, "g7-ministers-condemn-north-korean-troop-deployment-to-russia").url
    web.set_fault(url, "429", times=2)
    first = http.get(url)
    assert (first.status_code, first.headers["Retry-After"]) == (429, "1")
    assert [http.get(url).status_code for _ in range(2)] == [429, 200]


def test_slow_answers_after_the_delay(web, http):
    url = truth_for(web, "g7-ministers-condemn-north-korean-troop-deployment-to-russia").url
    web.set_fault(url, "slow", seconds=0.3)
    started = time.monotonic()
    assert http.get(url).status_code == 200
    assert time.monotonic() - started >= 0.3
    with pytest.raises(requests.exceptions.ReadTimeout):
        http.get(url, timeout=0.1)


def test_truncated_declares_the_length_and_hangs_up_half_way(web):
    t = truth_for(web, "g7-ministers-condemn-north-korean-troop-deployment-to-russia")
    web.set_fault(t.url, "truncated", times=1)
    parts = urlsplit(t.url)
    conn = HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("GET", parts.path)
    response = conn.getresponse()
    declared = int(response.headers["Content-Length"])
    with pytest.raises(IncompleteRead) as raised:
        response.read()
    assert 0 < len(raised.value.partial) < declared
    conn.close()
    assert requests.get(t.url).status_code == 200  # times=1: the retry gets the whole page


def test_wrong_charset_encodes_in_one_charset_and_declares_another(web, http):
    t = truth_for(web, "putin-tandatangani-uu-ratifikasi-pakta-dengan-pyongyang")
    quoted = next(line for line in t.content_lines if "“" in line)
    web.set_fault(t.url, "wrong_charset")
    response = http.get(t.url)
    assert response.encoding == "iso-8859-1"
    assert quoted not in response.text and quoted in response.content.decode("utf-8")

    web.set_fault(t.url, "wrong_charset", encoding="windows-1251", declared="utf-8")
    response = http.get(t.url)
    assert response.headers["Content-Type"].endswith("charset=utf-8")
    assert quoted in response.content.decode("windows-1251")


def test_redirect_loop_alternates_between_two_urls(web, http):
    url = truth_for(web, "g7-ministers-condemn-north-korean-troop-deployment-to-russia").url
    web.set_fault(url, "redirect_loop")
    first = http.get(url, allow_redirects=False)
    assert first.status_code == 302 and first.headers["Location"] == url + "?r=1"
    second = http.get(first.headers["Location"], allow_redirects=False)
    assert second.status_code == 302 and second.headers["Location"] == url
    with pytest.raises(requests.exceptions.TooManyRedirects):
        http.get(url)


def test_binary_serves_pdf_bytes_for_any_url(web, http):
    url = truth_for(web, "g7-ministers-condemn-north-korean-troop-deployment-to-russia").url
    web.set_fault(url, "binary")
    response = http.get(url)
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.4") and response.content.rstrip().endswith(b"%%EOF")


def test_huge_streams_a_valid_page_of_the_requested_size(web, http):
    t = truth_for(web, "g7-ministers-condemn-north-korean-troop-deployment-to-russia")
    web.set_fault(t.url, "huge", bytes=300_000)
    response = http.get(t.url)
    assert response.headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in response.headers
    assert len(response.content) == 300_000
    assert response.text.rstrip().endswith("</html>")
    assert all(line in response.text for line in t.content_lines)
    # A reader that stops at its byte cap just hangs up; the server carries on.
    with http.get(t.url, stream=True) as partial:
        assert len(next(partial.iter_content(65536))) > 0
    assert http.get(t.url).status_code == 200


def test_fault_on_a_path_hits_every_publisher_and_clear_faults_resets(web, http):
    web.set_fault("/robots.txt", "500")
    assert {http.get(p.base_url + "/robots.txt").status_code for p in web.publishers} == {500}
    web.clear_faults()
    assert {http.get(p.base_url + "/robots.txt").status_code for p in web.publishers} == {200}


def test_set_fault_rejects_unknown_kinds_and_foreign_urls(web):
    with pytest.raises(ValueError):
        web.set_fault("/feed.xml", "teapot")
    with pytest.raises(ValueError):
        web.set_fault("http://203.0.113.9/feed.xml", "500")
    with pytest.raises(ValueError):
        web.set_fault("/feed.xml", "500", times=0)


# --- robustness, the request log, determinism -------------------------------------------------------


def test_server_survives_odd_requests(web, http):
    url = base(web, "warta-pantura")
    article = truth_for(web, "dewan-federasi-rusia-setujui-perjanjian-dengan-korea-utara").url
    head = http.head(article)
    assert head.status_code == 200 and head.content == b"" and int(head.headers["Content-Length"]) > 0
    missing = http.get(url + "/no/such/page.html")
    assert missing.status_code == 404 and "<html" in missing.text
    assert http.get(article + "?page=2&ref=home").status_code == 200
    assert http.post(article, data=b"x").status_code == 405
    host, port = urlsplit(url).hostname, urlsplit(url).port
    with socket.create_connection((host, port), timeout=5) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        assert raw.recv(100)  # an HTTP/0.9-style error page, and the connection closes
    with socket.create_connection((host, port), timeout=5) as raw:
        raw.sendall(b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 501")
    with socket.create_connection((host, port), timeout=5) as raw:
        raw.sendall(f"GET {article} HTTP/1.0\r\nHost: x\r\n\r\n".encode())  # absolute-form target
        assert raw.recv(100).startswith(b"HTTP/1.1 200")
    assert http.get(url + "/").status_code == 200


def test_request_log_records_every_request_across_threads(web):
    url = truth_for(web, "g7-ministers-condemn-north-korean-troop-deployment-to-russia").url
    parts = urlsplit(url)
    threads = [
        threading.Thread(target=requests.get, args=(f"{url}?log={i}",), kwargs={"timeout": 5})
        for i in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    requests.head(url + "?log=head", timeout=5)
    log = [r for r in web.requests if "?log=" in r.path]
    assert sorted(r.path for r in log if r.method == "GET") == sorted(
        f"{parts.path}?log={i}" for i in range(20)
    )
    assert {(r.host, r.status) for r in log} == {(parts.netloc, 200)}
    assert (log[-1].method, log[-1].path) == ("HEAD", parts.path + "?log=head")
    assert all(r.at.tzinfo is not None for r in log)
    web.clear_requests()
    assert web.requests == []


def test_pages_are_deterministic_across_instances(clean_web, http):
    address = re.compile(r"127\.0\.0\.\d+(:|%3A)\d+")
    first = truth_for(clean_web, "north-korean-troops-in-kursk-what-we-know")
    with SimWeb(now=NOW, faults=None) as other:
        second = truth_for(other, "north-korean-troops-in-kursk-what-we-know")
        other_html = address.sub("HOST", http.get(second.url).text)
        other_feed = address.sub("HOST", http.get(base(other, "global-dispatch") + "/feed.xml").text)
    assert address.sub("HOST", http.get(first.url).text) == other_html
    assert address.sub("HOST", http.get(base(clean_web, "global-dispatch") + "/feed.xml").text) == other_feed
    assert first.content_lines == second.content_lines and first.published == second.published


def test_loader_names_the_file_and_field_that_break_the_format(tmp_path):
    (tmp_path / "xx-broken.json").write_text(
        json.dumps({"name": "broken", "display_name": "B"}), encoding="utf-8"
    )
    with pytest.raises(SiteFormatError, match="xx-broken.json.*'feed'"):
        load_sites(tmp_path)


def test_truth_and_sources_need_a_running_web():
    web = SimWeb(now=NOW, faults=None)
    with pytest.raises(RuntimeError):
        web.truth()
