"""What one simulated publisher answers for a path, before any fault is applied."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from simweb.catalog import Catalog, Page
from simweb.content import Site
from simweb.feeds import feed_xml, news_sitemap, robots_txt
from simweb.pdf import pdf_bytes
from simweb.render import PageLinks, amp_page, article_page, home_page, not_found_page

FEED_PATH = "/feed.xml"
SITEMAP_PATH = "/sitemap-news.xml"
ROBOTS_PATH = "/robots.txt"
# Last-Modified of a feed with nothing in it yet.
EMPTY_FEED_DATE = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes = b""
    text: str | None = None  # the document before encoding, for faults that re-encode it
    charset: str | None = "utf-8"  # None for binary bodies
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def document(cls, status: int, content_type: str, text: str, **headers: str) -> Response:
        return cls(status, content_type, text.encode("utf-8"), text, "utf-8", dict(headers))


class SiteApp:
    """Routes requests for one publisher. Rendered documents are cached: the content never changes, and
    feeds and sitemaps only change with the clock."""

    def __init__(self, site: Site, catalog: Catalog, base_url: str, clock: Callable[[], datetime]) -> None:
        self.site = site
        self.catalog = catalog
        self.base_url = base_url
        self.clock = clock
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, datetime | None], str] = {}

    def respond(self, path: str, request_headers: Mapping[str, str]) -> Response:
        now = self.clock()
        if path == ROBOTS_PATH:
            return Response.document(200, "text/plain", robots_txt(self.site, self.base_url))
        if path in (FEED_PATH, SITEMAP_PATH):
            return self._listing(path, now, request_headers)
        if path in ("/", "/index.html"):
            stories = [(p.title, p.path) for p in self.catalog.published(self.site.name, now) if p.in_feed]
            return Response.document(
                200, "text/html", self._cached(path, now, lambda: home_page(self.site, stories))
            )
        page = self.catalog.page(self.site.name, path)
        if page is None or page.published > now:
            return Response.document(
                404, "text/html", self._cached("404", None, lambda: not_found_page(self.site))
            )
        if page.kind == "document":
            return Response(200, "application/pdf", pdf_bytes(page.title), charset=None)
        html = self._cached(path, None, lambda: self._page_html(page))
        return _conditional(
            Response.document(
                200, "text/html", html, **{"Last-Modified": format_datetime(page.published, usegmt=True)}
            ),
            page.published,
            request_headers,
        )

    def _page_html(self, page: Page) -> str:
        article = page.article
        assert article is not None
        canonical_url = self.base_url + page.path
        if page.kind == "amp":
            return amp_page(self.site, article, self.base_url + article.path)
        related = tuple((p.title, p.path) for p in self.catalog.related(page))
        amp_url = self.base_url + article.amp_path if article.amp else None
        return article_page(self.site, article, PageLinks(canonical_url, amp_url, related))

    def _listing(self, path: str, now: datetime, request_headers: Mapping[str, str]) -> Response:
        pages = self.catalog.published(self.site.name, now)
        listed = [p for p in pages if (p.in_feed if path == FEED_PATH else p.in_sitemap)]
        updated = max((p.published for p in listed), default=EMPTY_FEED_DATE)
        if path == FEED_PATH:
            text = self._cached(path, now, lambda: feed_xml(self.site, pages, self.base_url, updated))
            kind = "application/atom+xml" if self.site.feed == "atom" else "application/rss+xml"
        else:
            text = self._cached(path, now, lambda: news_sitemap(self.site, pages, self.base_url))
            kind = "application/xml"
        response = Response.document(
            200, kind, text, **{"Last-Modified": format_datetime(updated, usegmt=True)}
        )
        return _conditional(response, updated, request_headers)

    def _cached(self, key: str, now: datetime | None, render: Callable[[], str]) -> str:
        with self._lock:
            cached = self._cache.get((key, now))
        if cached is None:
            cached = render()
            with self._lock:
                if len(self._cache) > 2048:  # clocks moved many times: forget old listings
                    self._cache.clear()
                self._cache[(key, now)] = cached
        return cached


def _conditional(response: Response, last_modified: datetime, request_headers: Mapping[str, str]) -> Response:
    """Adds an ETag and answers 304 when the client's copy is current (If-None-Match wins over
    If-Modified-Since, as RFC 9110 says)."""
    etag = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
    response.headers["ETag"] = etag
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        fresh = etag in tags or "*" in tags
    else:
        fresh = _not_modified_since(last_modified, request_headers.get("If-Modified-Since"))
    if not fresh:
        return response
    return Response(304, response.content_type, b"", None, response.charset, dict(response.headers))


def _not_modified_since(last_modified: datetime, header: str | None) -> bool:
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since
