"""Google News RSS search: one query per language, date-windowed, links resolved to the publishers' URLs.

A search answers at most 100 items, so a window that comes back full is split in two (by whole days) and
asked again, down to a single day. Item links are opaque `news.google.com/rss/articles/CBMi...` URLs that
do not redirect; they are resolved the way maintained decoders (googlenewsdecoder) do: GET the article
page for its `data-n-a-sg` signature and `data-n-a-ts` timestamp, then POST them to `batchexecute`. When
that fails, the item's outlet (`<source url=...>`) is looked up: its feeds and sitemaps (from robots.txt,
its home page, or configuration) are fetched and the item's title compared with theirs. What neither
resolves is reported as unresolved, with why.

Date operators: `after:D` is read as "after day D" and `before:D` as "before day D", so a window
[start, end) of whole days asks `after:<start - 1 day> before:<end>`; items whose pubDate falls outside the
window are dropped anyway, so a server reading the operators inclusively only costs duplicates.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.discover import SourceParseError, parse_feed, parse_sitemap
from tasks.models import Candidate, FetchResult, Source
from tasks.sources import Fetch
from tasks.sources.service import CountingFetch
from tasks.sources.window import Window
from tasks.sources.windowed import SearchResult, WindowedSource, check_options

DAY = timedelta(days=1)
CAP = 100  # items Google News returns for one search at most
BATCHEXECUTE_PATH = "/_/DotsSplashUi/data/batchexecute"
ARTICLE_PATH = re.compile(r"^/(?:rss/)?(?:articles|read)/([A-Za-z0-9_-]+)$")
_SIGNATURE = re.compile(r'data-n-a-sg="([^"]+)"')
_TIMESTAMP = re.compile(r'data-n-a-ts="([^"]+)"')
# The request context googlenewsdecoder sends with each garturlreq; the server does not read it.
_GARTURLREQ_CONTEXT: list[Any] = [
    ["X", "X", ["X", "X"], None, None, 1, 1, "US:en", None, 1, None, None, None, None, None, 0, 1],
    "X",
    "X",
    1,
    [1, 1, 1],
    1,
    1,
    None,
    0,
    0,
    None,
    0,
]
MAX_CHILD_SITEMAPS = 5


@dataclass
class NewsItem:
    link: str
    article_id: str | None
    title: str  # without the " - Outlet" suffix
    outlet: str
    outlet_url: str | None
    published: datetime | None
    language: str
    hl: str
    gl: str
    ceid: str


class GoogleNewsSource(WindowedSource):
    kind = "gnews"
    takes_languages = True

    def __init__(
        self,
        topic: Any,
        languages: Sequence[str] | None = None,
        *,
        cap: int = CAP,
        decode_batch: int = 10,
        outlet_feeds: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """`topic` is a tasks.relevance.topic.Topic: its `queries` and `gnews` (hl/gl/ceid) per language.

        `outlet_feeds` maps an outlet's origin (or host) to feed/sitemap URLs to match titles against when
        decoding fails; outlets not listed are looked up through their robots.txt and home page.
        """
        self.topic = topic
        self.languages = tuple(languages or topic.languages)
        missing = [lang for lang in self.languages if lang not in topic.queries]
        if missing:
            raise ValueError(f"gnews: no query for language(s) {', '.join(missing)} in {topic.path}")
        self.cap = cap
        self.decode_batch = max(1, decode_batch)
        self.outlet_feeds = {_outlet_key(k): list(v) for k, v in (outlet_feeds or {}).items()}

    @classmethod
    def from_options(cls, options: dict[str, Any], topic: Any) -> GoogleNewsSource:
        check_options("gnews", options, {"languages", "cap", "decode_batch", "outlet_feeds"})
        if topic is None:
            raise ValueError("gnews source needs the topic for its queries")
        return cls(topic, **options)

    def discover(self, source: Source, window: Window, fetch: Fetch, *, now: datetime) -> SearchResult:
        calls = CountingFetch(fetch)
        result = SearchResult()
        clipped = window.clip(end=now)
        if clipped is None:
            result.notes.append(f"gnews: window {window} is in the future")
            return result
        days = clipped.aligned(DAY)
        languages = [source.language] if source.language else list(self.languages)
        items: dict[str, NewsItem] = {}
        for language in languages:
            if language not in self.topic.queries:
                result.notes.append(f"gnews: no query for language {language}")
                continue
            for item in self._search(source, language, days, calls, result):
                if item.published is None or clipped.contains(item.published):
                    items.setdefault(item.article_id or item.link, item)
        self._resolve(source, list(items.values()), calls, result)
        result.requests = calls.count
        result.stats["items"] = len(items)
        return result

    # --- search -----------------------------------------------------------------------------------

    def _search(
        self, source: Source, language: str, window: Window, calls: CountingFetch, result: SearchResult
    ) -> list[NewsItem]:
        found: list[NewsItem] = []
        pending = [window]
        while pending:
            current = pending.pop()
            url = self.search_url(source.url, language, current)
            response = calls(url)
            if not response.ok or response.body is None:
                result.errors.append(f"gnews {language} {current}: {response.error or response.status}")
                continue
            try:
                items = parse_search(response.body, language, self.topic.gnews[language], source.url)
            except SourceParseError as exc:
                result.errors.append(f"gnews {language} {current}: {exc}")
                continue
            if len(items) >= self.cap:
                halves = current.split(DAY)
                if halves is not None:
                    pending += [halves[1], halves[0]]  # earlier half first
                    continue
                result.notes.append(
                    f"gnews {language} {current}: {len(items)} items, the cap, for a single day; some may be missing"
                )
            found += items
        return found

    def search_url(self, base_url: str, language: str, window: Window) -> str:
        edition = self.topic.gnews[language]
        after = (window.start - DAY).strftime("%Y-%m-%d")
        before = window.end.strftime("%Y-%m-%d")
        q = f"{self.topic.queries[language]} after:{after} before:{before}"
        params = {"q": q, "hl": edition["hl"], "gl": edition["gl"], "ceid": edition["ceid"]}
        return f"{base_url}?{urlencode(params, quote_via=quote)}"

    # --- resolving links --------------------------------------------------------------------------

    def _resolve(
        self, source: Source, items: list[NewsItem], calls: CountingFetch, result: SearchResult
    ) -> None:
        failed: list[tuple[NewsItem, str]] = []
        decodable = [i for i in items if i.article_id]
        failed += [(i, "not a Google News article link") for i in items if not i.article_id]
        if decodable and not calls.can_post:
            result.notes.append(
                "gnews: links not decoded: the fetch given cannot POST (use a ServiceFetcher)"
            )
            failed += [(i, "decoding needs POST") for i in decodable]
            decodable = []
        signed: list[tuple[NewsItem, str, str]] = []
        for item in decodable:
            outcome = self._signature(source.url, item, calls)
            if isinstance(outcome, str):
                failed.append((item, outcome))
            else:
                signed.append((item, *outcome))
        decoded = 0
        for start in range(0, len(signed), self.decode_batch):
            batch = signed[start : start + self.decode_batch]
            answers, problem = self._batchexecute(source.url, batch, calls)
            if problem:
                result.errors.append(f"gnews: {problem} ({len(batch)} links)")
            for index, (item, _, _) in enumerate(batch):
                url = answers.get(str(index))
                if url and url.startswith(("http://", "https://")):
                    decoded += 1
                    result.add(_candidate(item, url, source))
                else:
                    failed.append((item, problem or "batchexecute gave no URL"))
        matched = self._fall_back(source, failed, calls, result)
        result.stats["decoded"] = decoded
        result.stats["matched_in_outlet_listing"] = matched
        if failed:
            result.notes.append(
                f"gnews: {len(failed)} links not decoded; {matched} found in their outlet's feed or sitemap"
            )

    def _signature(self, base_url: str, item: NewsItem, calls: CountingFetch) -> tuple[str, str] | str:
        """(signature, timestamp) from the article page, or why it could not be read."""
        origin = _origin(base_url)
        params = urlencode({"hl": item.hl, "gl": item.gl, "ceid": item.ceid})
        response = calls(f"{origin}/rss/articles/{item.article_id}?{params}")
        if not response.ok or response.text is None:
            return f"article page: {response.error or response.status}"
        found = parse_signature(response.text)
        return found if found is not None else "article page has no data-n-a-sg/data-n-a-ts"

    def _batchexecute(
        self, base_url: str, batch: list[tuple[NewsItem, str, str]], calls: CountingFetch
    ) -> tuple[dict[str, str], str | None]:
        envelopes = []
        for index, (item, signature, timestamp) in enumerate(batch):
            stamp: int | str = int(timestamp) if timestamp.isdigit() else timestamp
            inner = ["garturlreq", _GARTURLREQ_CONTEXT, item.article_id, stamp, signature]
            envelopes.append(["Fbv4je", json.dumps(inner, separators=(",", ":")), None, str(index)])
        form = {"f.req": json.dumps([envelopes], separators=(",", ":"))}
        response = calls.post(_origin(base_url) + BATCHEXECUTE_PATH, form)
        if not response.ok or response.text is None:
            return {}, f"batchexecute: {response.error or response.status}"
        try:
            return parse_batchexecute(response.text), None
        except ValueError as exc:
            return {}, f"batchexecute: unreadable answer ({exc})"

    def _fall_back(
        self, source: Source, failed: list[tuple[NewsItem, str]], calls: CountingFetch, result: SearchResult
    ) -> int:
        listings: dict[str, dict[str, tuple[str, str]]] = {}
        matched = 0
        for item, why in failed:
            if not item.outlet_url:
                result.unresolved.append(_unresolved(item, f"decode: {why}; no outlet URL to fall back on"))
                continue
            key = _outlet_key(item.outlet_url)
            if key not in listings:
                listings[key] = self._outlet_titles(item.outlet_url, calls, result)
            url = match_title(item.title, listings[key])
            if url is not None:
                matched += 1
                result.add(_candidate(item, url, source))
            else:
                where = "its feeds and sitemaps" if listings[key] else "no feed or sitemap found"
                result.unresolved.append(
                    _unresolved(item, f"decode: {why}; title not in outlet listing ({where})")
                )
        return matched

    def _outlet_titles(
        self, outlet_url: str, calls: CountingFetch, result: SearchResult
    ) -> dict[str, tuple[str, str]]:
        """normalised title -> (URL, title) over the outlet's feeds and sitemaps."""
        titles: dict[str, tuple[str, str]] = {}
        listing = Source("outlet", "rss", outlet_url)
        for url in self.outlet_feeds.get(_outlet_key(outlet_url)) or self._discover_listings(
            outlet_url, calls
        ):
            response = calls(url)
            if not response.ok or response.body is None:
                result.notes.append(f"gnews: outlet listing {url}: {response.error or response.status}")
                continue
            for candidate in _listing_candidates(response.body, listing, calls):
                if candidate.title:
                    titles.setdefault(normalise_title(candidate.title), (candidate.url, candidate.title))
        return titles

    def _discover_listings(self, outlet_url: str, calls: CountingFetch) -> list[str]:
        """Sitemaps named in robots.txt, then feeds the home page links to."""
        found: list[str] = []
        robots = calls(urljoin(outlet_url, "/robots.txt"))
        if robots.ok and robots.text:
            for line in robots.text.splitlines():
                name, _, value = line.partition(":")
                if name.strip().lower() == "sitemap" and value.strip():
                    found.append(value.strip())
        home = calls(outlet_url.rstrip("/") + "/")
        if home.ok and home.text:
            try:
                document = lxml_html.fromstring(home.text)
            except (etree.ParserError, ValueError):
                document = None
            if document is not None:
                for link in document.xpath('//link[@rel="alternate"][@href]'):
                    if (link.get("type") or "").lower() in ("application/rss+xml", "application/atom+xml"):
                        found.append(urljoin(home.final_url or outlet_url, link.get("href")))
        return list(dict.fromkeys(found))


# --- pure parts -------------------------------------------------------------------------------------


def parse_search(body: bytes, language: str, edition: Mapping[str, str], base_url: str) -> list[NewsItem]:
    """Items of a Google News RSS search answer."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceParseError(f"unreadable RSS: {exc}") from None
    if root is None or root.tag != "rss" or root.find("channel") is None:
        raise SourceParseError("not an RSS document")
    origin = _origin(base_url)
    items = []
    for node in root.iterfind("channel/item"):
        link = (node.findtext("link") or "").strip()
        if not link:
            continue
        source_node = node.find("source")
        outlet = (source_node.text or "").strip() if source_node is not None else ""
        outlet_url = source_node.get("url") if source_node is not None else None
        items.append(
            NewsItem(
                link=link,
                article_id=article_id_of(link, origin),
                title=strip_outlet((node.findtext("title") or "").strip(), outlet),
                outlet=outlet,
                outlet_url=outlet_url,
                published=_rfc822(node.findtext("pubDate")),
                language=language,
                hl=edition["hl"],
                gl=edition["gl"],
                ceid=edition["ceid"],
            )
        )
    return items


def article_id_of(link: str, origin: str) -> str | None:
    """The article id of a Google News link served from `origin` (news.google.com, or its emulation)."""
    parts = urlsplit(link)
    if f"{parts.scheme}://{parts.netloc}".lower() != origin.lower() and parts.hostname != "news.google.com":
        return None
    match = ARTICLE_PATH.match(parts.path)
    return match.group(1) if match else None


def strip_outlet(title: str, outlet: str) -> str:
    """Google appends " - Outlet" to every headline."""
    suffix = f" - {outlet}"
    return title[: -len(suffix)].rstrip() if outlet and title.endswith(suffix) else title


def parse_signature(page: str) -> tuple[str, str] | None:
    """(data-n-a-sg, data-n-a-ts) of the `c-wiz > div[jscontroller]` element, by its attributes."""
    try:
        document = lxml_html.fromstring(page)
        for node in document.xpath("//c-wiz/div[@jscontroller]"):
            signature, timestamp = node.get("data-n-a-sg"), node.get("data-n-a-ts")
            if signature and timestamp:
                return signature, timestamp
    except (etree.ParserError, ValueError):
        pass
    signature_match, timestamp_match = _SIGNATURE.search(page), _TIMESTAMP.search(page)
    if signature_match and timestamp_match:
        return signature_match.group(1), timestamp_match.group(1)
    return None


def parse_batchexecute(text: str) -> dict[str, str]:
    """request id -> decoded URL from a batchexecute answer (`)]}'`, then JSON; rows without a URL skipped).

    Google sends either one JSON array or length-prefixed chunks of them; both are read.
    """
    body = text.lstrip()
    if body.startswith(")]}'"):
        body = body[4:]
    chunks: list[Any] = []
    try:
        chunks.append(json.loads(body))
    except json.JSONDecodeError:
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("["):
                try:
                    chunks.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"not JSON: {exc}") from None
        if not chunks:
            raise ValueError("no JSON rows") from None
    urls: dict[str, str] = {}
    for rows in chunks:
        for row in rows if isinstance(rows, list) else []:
            if not (
                isinstance(row, list) and len(row) >= 3 and row[0] == "wrb.fr" and isinstance(row[2], str)
            ):
                continue
            try:
                payload = json.loads(row[2])
            except json.JSONDecodeError:
                continue
            if isinstance(payload, list) and len(payload) > 1 and payload[0] == "garturlres":
                request_id = next(
                    (str(cell) for cell in reversed(row[3:]) if cell is not None), str(len(urls))
                )
                urls[request_id] = str(payload[1])
    return urls


def normalise_title(title: str) -> str:
    """Case, width, quotes, dashes and punctuation folded away; words kept in order."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def match_title(title: str, titles: Mapping[str, tuple[str, str]]) -> str | None:
    """The URL whose listed title is `title` (a title Google cut short with "..." matches by its start)."""
    key = normalise_title(title)
    if not key:
        return None
    if key in titles:
        return titles[key][0]
    if title.rstrip().endswith(("...", "\u2026")):
        starts = [url for listed, (url, _) in titles.items() if listed.startswith(key)]
        if len(starts) == 1:
            return starts[0]
    return None


def _listing_candidates(body: bytes, listing: Source, calls: CountingFetch) -> Iterable[Candidate]:
    head = body[:2048].lower()
    try:
        if b"<urlset" in head or b"<sitemapindex" in head:
            found, children = parse_sitemap(body, listing)
            for child in children[:MAX_CHILD_SITEMAPS]:
                response: FetchResult = calls(child)
                if response.ok and response.body is not None:
                    found += parse_sitemap(response.body, listing)[0]
            return found
        return parse_feed(body, listing)
    except SourceParseError:
        return []


def _candidate(item: NewsItem, url: str, source: Source) -> Candidate:
    return Candidate(
        url=url, source=source.name, title=item.title, published=item.published, language=item.language
    )


def _unresolved(item: NewsItem, why: str) -> dict[str, Any]:
    return {
        "url": item.link,
        "title": item.title,
        "outlet": item.outlet,
        "outlet_url": item.outlet_url,
        "language": item.language,
        "published": item.published.isoformat() if item.published else None,
        "why": why,
    }


def _rfc822(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo is not None else None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _outlet_key(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return (parts.netloc or parts.path).lower().removeprefix("www.")
