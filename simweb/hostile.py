"""Hostile hosts for the reliability run: poison dates, slowloris servers and a 50,000-URL news sitemap.

    with HostileWeb() as hostile:
        hostile.sources()   # a feed (poison pubDate), a trickling feed, a news sitemap (50,000 URLs)
        hostile.truth()     # what newsmon should do with every page they link to

Four servers on loopback (127.0.0.<200+i>, ephemeral ports; 127.0.0.1 where those are not routed):

- `poison`: `/feed.xml`, an RSS feed whose items link to two on-topic articles of its own, one listed with the
  pubDate `9999-12-31T23:59:59-14:00`, one whose page says `article:published_time` =
  `0001-01-01T00:00:00+14:00`, and to one page on each trickling host.
- `trickle-body`: answers headers at once, with a true Content-Length, then the body one byte per `interval`.
- `trickle-headers`: sends its status line and headers one byte per `interval`, for every path (its
  `/feed.xml` is a source too: a listing that trickles).
- `sitemap`: `/sitemap-news.xml`, a news sitemap of `sitemap_urls` URLs on itself (every 1,000th with the
  publication date and lastmod `0001-01-01T00:00:00+14:00`); each of those URLs answers 404 at once.

Every host answers `/robots.txt` with 404 at once (no restrictions), so only the pages themselves are hostile.
The articles are written for newsmon (not taken from anywhere); their ground truth is below.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from types import TracebackType

from simweb.httpbase import KeepAliveHandler, QuietServer
from tasks.models import Source

FIRST_HOST = 200  # host i listens on 127.0.0.<FIRST_HOST + i>
POISON_PUBDATE = "9999-12-31T23:59:59-14:00"
POISON_PAGE_DATE = "0001-01-01T00:00:00+14:00"
POISON_DATE_EVERY = 1000  # every n-th sitemap URL has the poison date (publication_date and lastmod)


@dataclass(frozen=True)
class HostileTruth:
    url: str
    kind: str  # article | trickle_body | trickle_headers | sitemap_404
    expect_loaded: bool
    reason: str | None  # why not: timeout (trickling host cut at the request deadline), http_404
    poison: str | None = None  # the poison value the listing or the page carries
    title: str | None = None
    content_lines: tuple[str, ...] = ()
    published: str | None = None  # the day the page's good date signals name (YYYY-MM-DD)


_ARTICLES = {
    "feed-date": {
        "path": "/world/2024/11/28/russia-north-korea-treaty-enters-into-force.html",
        "title": "Russia and North Korea treaty enters into force after exchange in Moscow",
        "published": "2024-11-28T10:15:00+03:00",
        "lines": (
            "The Comprehensive Strategic Partnership treaty between Russia and North Korea entered into force "
            "on Wednesday after the two sides exchanged ratification documents in Moscow.",
            "The pact, signed by Vladimir Putin and Kim Jong Un in Pyongyang on 19 June, obliges each side to "
            "provide military assistance if the other comes under armed attack.",
            "Russian Deputy Foreign Minister Andrei Rudenko and North Korean Vice Foreign Minister Pak Myong Ho "
            "signed the protocol of exchange, the Russian foreign ministry said in a statement.",
            "Western governments have accused Pyongyang of sending thousands of soldiers to fight for Moscow, "
            "a deployment that officials in Seoul said had grown to more than ten thousand troops.",
            "Neither government published the full text of the exchange protocol on Wednesday.",
        ),
    },
    "page-date": {
        "path": "/world/2024/11/29/north-korean-delegation-visits-russian-far-east.html",
        "title": "North Korean delegation tours Russian Far East ports under new partnership pact",
        "published": "2024-11-29T08:40:00+09:00",
        "lines": (
            "A North Korean delegation led by the minister of external economic relations toured ports in the "
            "Russian Far East this week, state media in Pyongyang reported on Friday.",
            "The visit to Vladivostok and Nakhodka is the first since the partnership treaty between Russia "
            "and North Korea took effect, and officials discussed rail links across the Tumen river.",
            "Russian officials said cargo volumes through the Khasan crossing had tripled since the summer, "
            "without giving figures for the goods carried.",
            "Analysts in Seoul said the trip showed how quickly the two governments were turning the "
            "mutual-defence pact into trade, shipping and labour agreements.",
        ),
    },
}


def _article_html(url: str, spec: dict, published_meta: str) -> bytes:
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in spec["lines"])
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(spec['title'])} | Border Wire</title>"
        f'<link rel="canonical" href="{url}">'
        f'<meta property="og:title" content="{html.escape(spec["title"])}">'
        f'<meta property="article:published_time" content="{published_meta}">'
        '</head><body><header><nav><a href="/">Border Wire</a></nav></header>'
        f"<main><article><h1>{html.escape(spec['title'])}</h1>\n{body}\n</article></main>"
        "<footer><p>Border Wire, simulated for newsmon's tests.</p></footer></body></html>\n"
    ).encode()


def _feed_xml(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f"<guid>{html.escape(link)}</guid><pubDate>{pub}</pubDate></item>"
        for title, link, pub in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Border Wire</title>'
        f"<link>http://border.wire/</link><description>Border Wire</description>{entries}</channel></rss>\n"
    ).encode()


def sitemap_xml(base_url: str, count: int) -> bytes:
    """A news sitemap of `count` URLs on `base_url`; every POISON_DATE_EVERY-th has the poison date."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
    ]
    for n in range(count):
        poison = n % POISON_DATE_EVERY == 0
        date = POISON_PAGE_DATE if poison else f"2024-11-{n % 28 + 1:02d}T06:{n % 60:02d}:00+00:00"
        parts.append(
            f"<url><loc>{base_url}/news/2024/11/{n % 28 + 1:02d}/bulletin-{n:05d}.html</loc>"
            + (f"<lastmod>{POISON_PAGE_DATE}</lastmod>" if poison else "")
            + "<news:news><news:publication><news:name>Bulletin Board</news:name>"
            "<news:language>en</news:language></news:publication>"
            f"<news:publication_date>{date}</news:publication_date>"
            f"<news:title>Bulletin {n}</news:title></news:news></url>"
        )
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


class _Server(QuietServer):
    def __init__(self, host: str, role: str, web: HostileWeb) -> None:
        super().__init__((host, 0), _Handler)
        bound, port = self.server_address[:2]
        self.base_url = f"http://{bound}:{port}"
        self.role = role
        self.web = web


class _Handler(KeepAliveHandler):
    server_version = "hostile"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the name http.server looks up
        web, role = self.server.web, self.server.role
        with web.lock:
            web.hits.append((role, self.path, time.monotonic()))
        path = self.path.split("?", 1)[0]
        try:
            if path == "/robots.txt":
                self._send(404, b"not found", "text/plain")
            elif role == "trickle-headers":
                self._trickle(self._head(200, len(web.trickle_page), "text/html; charset=utf-8"))
            elif role == "trickle-body":
                self.wfile.write(self._head(200, len(web.trickle_page), "text/html; charset=utf-8"))
                self._trickle(web.trickle_page)
            elif role == "poison" and path == "/feed.xml":
                self._send(200, web.feed, "application/rss+xml; charset=utf-8")
            elif role == "poison" and path in web.pages:
                self._send(200, web.pages[path], "text/html; charset=utf-8")
            elif role == "sitemap" and path == "/sitemap-news.xml":
                self._send(200, web.sitemap, "application/xml; charset=utf-8")
            else:
                self._send(404, b"<html><body>404 Not Found</body></html>", "text/html")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True

    def _head(self, status: int, length: int, content_type: str) -> bytes:
        return (
            f"HTTP/1.1 {status} OK\r\nServer: hostile\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode("ascii")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, data: bytes) -> None:
        """One byte per interval until done, the client hangs up or the web stops."""
        self.close_connection = True
        stopping = self.server.web.stopping
        for i in range(len(data)):
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
            if stopping.wait(self.server.web.interval):
                return


class HostileWeb:
    """The four hostile hosts (see the module docstring) and their ground truth."""

    ROLES = ("poison", "trickle-body", "trickle-headers", "sitemap")

    def __init__(self, sitemap_urls: int = 50_000, interval: float = 1.0) -> None:
        self.sitemap_urls = sitemap_urls
        self.interval = interval
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.hits: list[tuple[str, str, float]] = []  # (role, path, time.monotonic()) of every request
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self.feed = b""
        self.sitemap = b""
        self.pages: dict[str, bytes] = {}
        self.trickle_page = b""

    def start(self) -> HostileWeb:
        for i, role in enumerate(self.ROLES):
            try:
                server = _Server(f"127.0.0.{FIRST_HOST + i}", role, self)
            except OSError:
                server = _Server("127.0.0.1", role, self)
            self._servers[role] = server
        for server in self._servers.values():
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"hostile-{server.role}"
            )
            thread.daemon = True
            thread.start()
            self._threads.append(thread)
        self._build()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> HostileWeb:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def base_url(self, role: str) -> str:
        return self._servers[role].base_url

    def _build(self) -> None:
        poison = self.base_url("poison")
        feed_page = _ARTICLES["feed-date"]
        page_page = _ARTICLES["page-date"]
        feed_url, page_url = poison + feed_page["path"], poison + page_page["path"]
        self.pages = {
            feed_page["path"]: _article_html(feed_url, feed_page, feed_page["published"]),
            page_page["path"]: _article_html(page_url, page_page, POISON_PAGE_DATE),
        }
        # the trickled page would be a fine article, if it ever arrived
        self.trickle_page = _article_html(feed_url, feed_page, feed_page["published"])
        day = format_datetime(datetime(2024, 11, 29, 9, 0, tzinfo=UTC), usegmt=True)
        self.feed = _feed_xml(
            [
                (feed_page["title"], feed_url, POISON_PUBDATE),
                (page_page["title"], page_url, day),
                ("Slow news", self.base_url("trickle-body") + "/world/2024/11/29/slow-body.html", day),
                (
                    "Slower news",
                    self.base_url("trickle-headers") + "/world/2024/11/29/slow-headers.html",
                    day,
                ),
            ]
        )
        self.sitemap = sitemap_xml(self.base_url("sitemap"), self.sitemap_urls)

    def sources(self) -> list[Source]:
        """The poison feed, the big sitemap, and a feed on the host that trickles its headers."""
        return [
            Source("border-wire-feed", "rss", self.base_url("poison") + "/feed.xml", "en", delay=0.0),
            Source(
                "bulletin-board-sitemap", "sitemap", self.base_url("sitemap") + "/sitemap-news.xml", "en",
                delay=0.0,
            ),
            Source("slow-wire-feed", "rss", self.base_url("trickle-headers") + "/feed.xml", "en", delay=0.0),
        ]  # fmt: skip

    def sitemap_url(self, n: int) -> str:
        return f"{self.base_url('sitemap')}/news/2024/11/{n % 28 + 1:02d}/bulletin-{n:05d}.html"

    def truth(self) -> list[HostileTruth]:
        poison = self.base_url("poison")
        out = [
            HostileTruth(
                poison + spec["path"],
                "article",
                True,
                None,
                poison_value,
                spec["title"],
                spec["lines"],
                spec["published"][:10],
            )  # fmt: skip
            for spec, poison_value in (
                (_ARTICLES["feed-date"], POISON_PUBDATE),
                (_ARTICLES["page-date"], POISON_PAGE_DATE),
            )
        ]
        out.append(
            HostileTruth(self.base_url("trickle-body") + "/world/2024/11/29/slow-body.html", "trickle_body",
                         False, "timeout")
        )  # fmt: skip
        out.append(
            HostileTruth(self.base_url("trickle-headers") + "/world/2024/11/29/slow-headers.html",
                         "trickle_headers", False, "timeout")
        )  # fmt: skip
        out += [
            HostileTruth(
                self.sitemap_url(n),
                "sitemap_404",
                False,
                "http_404",
                POISON_PAGE_DATE if n % POISON_DATE_EVERY == 0 else None,
            )  # fmt: skip
            for n in range(self.sitemap_urls)
        ]
        return out
