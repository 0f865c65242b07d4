"""Google News RSS search and its article-link decoder, answering the way news.google.com does.

- `GET /rss/search?q=...&hl=..&gl=..&ceid=..`: RSS 2.0 with at most `cap` items (100, as Google), newest
  first, from every publisher writing in the language of `hl`. `after:YYYY-MM-DD` and `before:YYYY-MM-DD`
  inside `q` are read strictly (after the day / before the day); the rest of `q` stands for the topic, so
  the on-topic stories match. Items carry "Title - Outlet", an opaque
  `/rss/articles/CBMi...?oc=5` link that does not redirect to the publisher, and `<source url=outlet>`.
- `GET /rss/articles/<id>` (also `/articles/<id>`, `/read/<id>`): a page whose `c-wiz > div[jscontroller]`
  carries `data-n-a-sg` (signature) and `data-n-a-ts` (timestamp).
- `POST /_/DotsSplashUi/data/batchexecute` with `f.req=[[["Fbv4je", "[\\"garturlreq\\",[...],id,ts,sig]",
  null, "<request id>"], ...]]`: answers `)]}'` then a JSON array of `["wrb.fr","Fbv4je",
  "[\\"garturlres\\",\\"<url>\\",1]",null,null,null,"<request id>"]` rows, closed by "di" and "af.httprm" rows.

Decoding fails on purpose for about a quarter of the stories (`decode_failure`): some article pages come
without the signature (a consent interstitial), some ids get an error row from batchexecute. One more
item, a live page of the first English publisher, is in no feed or sitemap either: it resolves by neither
route (`UNRESOLVABLE_TITLE`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from html import escape as html_escape
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlencode
from xml.sax.saxutils import escape, quoteattr

from simweb.faults import error_page
from simweb.routes import Response
from simweb.services.corpus import Corpus, Story

if TYPE_CHECKING:
    from simweb.services.server import ServiceRequest

SEARCH_PATH = "/rss/search"
BATCHEXECUTE_PATH = "/_/DotsSplashUi/data/batchexecute"
ARTICLE_PATH = re.compile(r"^/(?:rss/)?(?:articles|read)/([A-Za-z0-9_-]+)$")
DATE_OPERATOR = re.compile(r"\b(after|before):(\d{4}-\d{2}-\d{2})\b")
DEFAULT_CAP = 100
UNRESOLVABLE_TITLE = "LIVE: Putin lands in Pyongyang for talks with Kim Jong Un"
_SECRET = b"simweb-gnews-signing-key"
_COPYRIGHT = (
    "Copyright \u00a9 2024 Google. All rights reserved. This XML feed is made available solely for the "
    "purpose of rendering Google News results within a personal feed reader for personal, non-commercial "
    "use. Any other use of the feed is expressly prohibited. By accessing this feed or using these results "
    "in any manner whatsoever, you agree to be bound by the foregoing restrictions."
)


@dataclass(frozen=True)
class NewsItem:
    article_id: str
    title: str
    outlet: str
    outlet_url: str
    language: str
    published: datetime
    url: str  # where the publisher serves it
    on_topic: bool
    failure: str | None  # None, "no_signature" or "rpc_error"


def article_id(key: str) -> str:
    """An opaque id like Google's: base64 of a protobuf-ish blob that does not contain the URL."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    token = b"AU_yqL" + base64.urlsafe_b64encode(digest + digest[:12]).rstrip(b"=")
    return base64.urlsafe_b64encode(b"\x08\x13\x22" + bytes([len(token)]) + token).decode().rstrip("=")


def decode_failure(path: str) -> str | None:
    """Which decoding step fails for a story (by its path, so it does not depend on ports)."""
    bucket = zlib.crc32(path.encode("utf-8")) % 8
    return {0: "no_signature", 1: "rpc_error"}.get(bucket)


def signature(article: str, timestamp: int) -> str:
    mac = hmac.new(_SECRET, f"{article}:{timestamp}".encode(), hashlib.sha256).digest()
    return "AZ5r3e" + base64.urlsafe_b64encode(mac).decode().rstrip("=")


class GoogleNewsService:
    def __init__(self, corpus: Corpus, cap: int = DEFAULT_CAP) -> None:
        self.corpus = corpus
        self.cap = cap
        self.items = [self._item(s) for s in corpus.stories]
        live = self._unresolvable_item()
        if live is not None:
            self.items.append(live)
        self._by_id = {item.article_id: item for item in self.items}

    def _item(self, story: Story) -> NewsItem:
        return NewsItem(
            article_id=article_id(f"{story.publisher}{story.page.path}"),
            title=story.title,
            outlet=story.display_name,
            outlet_url=story.base_url,
            language=story.language,
            published=story.published,
            url=story.url,
            on_topic=story.on_topic,
            failure=decode_failure(story.page.path),
        )

    def _unresolvable_item(self) -> NewsItem | None:
        english = [s for s in self.corpus.stories if s.language == "en"]
        if not english:
            return None
        first = english[0]
        path = f"/live/{first.published:%Y/%m/%d}/putin-pyongyang-live.html"
        return NewsItem(
            article_id=article_id(f"{first.publisher}{path}"),
            title=UNRESOLVABLE_TITLE,
            outlet=first.display_name,
            outlet_url=first.base_url,
            language="en",
            published=first.published - timedelta(hours=3),
            url=first.base_url + path,
            on_topic=True,
            failure="rpc_error",
        )

    def item(self, article: str) -> NewsItem | None:
        return self._by_id.get(article)

    def search(self, language: str, after: date | None, before: date | None) -> list[NewsItem]:
        """What a search returns, before the cap: on-topic items of the language in the date range."""
        now = self.corpus.now()
        found = [
            i
            for i in self.items
            if i.language == language
            and i.on_topic
            and i.published <= now
            and (after is None or i.published.date() > after)
            and (before is None or i.published.date() < before)
        ]
        return sorted(found, key=lambda i: (i.published, i.article_id), reverse=True)

    # --- HTTP -------------------------------------------------------------------------------------

    def respond(self, request: ServiceRequest) -> Response:
        if request.path == "/robots.txt":
            return Response.document(200, "text/plain", "User-agent: *\nAllow: /\n")
        if request.path == SEARCH_PATH and request.method in ("GET", "HEAD"):
            return self._search(request)
        if request.path == BATCHEXECUTE_PATH:
            if request.method != "POST":
                return Response.document(405, "text/html", error_page(405, "Method Not Allowed"))
            return self._batchexecute(request)
        match = ARTICLE_PATH.match(request.path)
        if match and request.method in ("GET", "HEAD"):
            return self._article_page(match.group(1), request)
        return Response.document(404, "text/html", error_page(404, "Not Found"))

    def _search(self, request: ServiceRequest) -> Response:
        q = request.param("q") or ""
        hl = request.param("hl") or "en-US"
        gl = request.param("gl") or "US"
        ceid = request.param("ceid") or f"{gl}:{hl.split('-')[0]}"
        bounds: dict[str, date] = {}
        for operator, value in DATE_OPERATOR.findall(q):
            try:
                bounds[operator] = date.fromisoformat(value)
            except ValueError:
                continue  # Google reads a bad date operator as plain words
        language = hl.split("-")[0].lower()
        items = (
            self.search(language, bounds.get("after"), bounds.get("before"))[: self.cap] if q.strip() else []
        )
        search_link = f"{request.base_url}/search?{urlencode({'q': q, 'hl': hl, 'gl': gl, 'ceid': ceid})}"
        return Response.document(
            200, "application/xml", rss(q, hl, search_link, items, request.base_url, self.corpus.now())
        )

    def _article_page(self, article: str, request: ServiceRequest) -> Response:
        item = self.item(article)
        if item is None:
            return Response.document(404, "text/html", error_page(404, "Not Found"))
        hl = request.param("hl") or "en-US"
        if item.failure == "no_signature":
            return Response.document(200, "text/html", consent_page(hl))
        timestamp = int(self.corpus.now().timestamp())
        return Response.document(
            200, "text/html", article_page(article, timestamp, signature(article, timestamp), hl)
        )

    def _batchexecute(self, request: ServiceRequest) -> Response:
        form = parse_qs(request.body.decode("utf-8", errors="replace"))
        try:
            envelopes = json.loads(form["f.req"][0])[0]
            calls = [(env[0], json.loads(env[1]), env[3] if len(env) > 3 else "generic") for env in envelopes]
        except (KeyError, IndexError, TypeError, ValueError):
            return Response.document(400, "text/html", error_page(400, "Bad Request"))
        rows: list[list[object]] = []
        for rpc, payload, request_id in calls:
            url = self._decoded(rpc, payload)
            if url is None:
                rows.append(["wrb.fr", rpc, None, None, None, [3], request_id])
            else:
                rows.append(["wrb.fr", rpc, json.dumps(["garturlres", url, 1]), None, None, None, request_id])
        rows += [["di", 17 + len(calls)], ["af.httprm", 16 + len(calls), "-6158323437811048306", 31]]
        body = ")]}'\n\n" + json.dumps(rows, separators=(",", ":"), ensure_ascii=False)
        return Response.document(200, "application/json", body)

    def _decoded(self, rpc: object, payload: object) -> str | None:
        if rpc != "Fbv4je" or not isinstance(payload, list) or len(payload) < 5 or payload[0] != "garturlreq":
            return None
        article, timestamp, sig = payload[2], payload[3], payload[4]
        item = self.item(article) if isinstance(article, str) else None
        if item is None or item.failure is not None:
            return None
        try:
            expected = signature(article, int(timestamp))
        except (TypeError, ValueError):
            return None
        return item.url if hmac.compare_digest(expected, str(sig)) else None


def rss(q: str, hl: str, link: str, items: list[NewsItem], base_url: str, now: datetime) -> str:
    entries = []
    for item in items:
        href = f"{base_url}/rss/articles/{item.article_id}?oc=5"
        description = (
            f'<a href="{html_escape(href)}" target="_blank">{html_escape(item.title)}</a>'
            f'&nbsp;&nbsp;<font color="#6f6f6f">{html_escape(item.outlet)}</font>'
        )
        entries.append(
            "<item>"
            f"<title>{escape(item.title)} - {escape(item.outlet)}</title>"
            f"<link>{escape(href)}</link>"
            f'<guid isPermaLink="false">{escape(item.article_id)}</guid>'
            f"<pubDate>{format_datetime(item.published.astimezone(UTC), usegmt=True)}</pubDate>"
            f"<description>{escape(description)}</description>"
            f"<source url={quoteattr(item.outlet_url)}>{escape(item.outlet)}</source>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        "<generator>NFE/5.0</generator>"
        f"<title>{escape(json.dumps(q, ensure_ascii=False))} - Google News</title>"
        f"<link>{escape(link)}</link>"
        f"<language>{escape(hl)}</language>"
        "<webMaster>news-webmaster@google.com</webMaster>"
        f"<copyright>{escape(_COPYRIGHT)}</copyright>"
        f"<lastBuildDate>{format_datetime(now.astimezone(UTC), usegmt=True)}</lastBuildDate>"
        "<description>Google News</description>" + "".join(entries) + "</channel></rss>"
    )


def article_page(article: str, timestamp: int, sig: str, hl: str) -> str:
    """The redirect page: the publisher's URL is only reachable through the signed batchexecute call."""
    return (
        f'<!doctype html><html lang="{html_escape(hl)}" dir="ltr"><head><meta charset="utf-8">'
        "<title>Google News</title>"
        '<script nonce="q1">window.WIZ_global_data = {"FdrFJe":"-1","cfb2h":"boq_dotssplashserver"};</script>'
        '</head><body jscontroller="ltDFwf" jsaction="rcuQ6b:npT2md">'
        '<c-wiz jsrenderer="FaWvE" jsshadow jsdata="deferred-i1" data-node-index="0;0" jsmodel="hc6Ubd" c-wiz>'
        f'<div jscontroller="aLI87" jsaction="rcuQ6b:npT2md" data-n-a-id="{html_escape(article)}" '
        f'data-n-a-ts="{timestamp}" data-n-a-sg="{html_escape(sig)}" data-n-vlb="0"></div>'
        '</c-wiz><script nonce="q1">AF_initDataCallback({key: "ds:0", hash: "1", data:[]});</script>'
        "</body></html>"
    )


def consent_page(hl: str) -> str:
    """What a client without Google's cookies may get instead: no signature to decode with."""
    target = quote("https://news.google.com/", safe="")
    return (
        f'<!doctype html><html lang="{html_escape(hl)}"><head><meta charset="utf-8">'
        "<title>Before you continue to Google News</title></head><body>"
        '<div class="consent"><h1>Before you continue to Google</h1>'
        "<p>We use cookies and data to deliver and maintain Google services.</p>"
        f'<form action="https://consent.google.com/save?continue={target}" method="POST">'
        '<button type="submit">Accept all</button></form></div></body></html>'
    )
