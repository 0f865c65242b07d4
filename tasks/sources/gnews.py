"""Google News RSS search: one query per language, date-windowed, links resolved to the publishers' URLs.

A search answers at most 100 items, so a window that comes back full is split in two (by whole days) and
asked again, down to a single day. Item links are opaque `news.google.com/rss/articles/CBMi...` URLs that
do not redirect; they are resolved the way maintained decoders (googlenewsdecoder) do: GET the article
page for its `data-n-a-sg` signature and `data-n-a-ts` timestamp, then POST them to `batchexecute` (`gnews_decode.py`).
When that fails, the item's outlet (`<source url=...>`) is looked up: its feeds and sitemaps (from robots.txt,
its home page, or configuration) are fetched and the item's title compared with theirs (`outlets.py`). What neither
resolves is reported as unresolved, with why.

Date operators: `after:D` is read as "after day D" and `before:D` as "before day D", so a window
[start, end) of whole days asks `after:<start - 1 day> before:<end>`; items whose pubDate falls outside the
window are dropped anyway, so a server reading the operators inclusively only costs duplicates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlencode

from lxml import etree

from tasks.discover import SourceParseError
from tasks.models import Candidate, Source
from tasks.sources import Fetch
from tasks.sources.base import SearchResult, WindowedSource, check_options
from tasks.sources.gnews_decode import article_id_of, article_signature, batchexecute, origin_of
from tasks.sources.outlets import match_title, outlet_key, outlet_titles
from tasks.sources.service import CountingFetch
from tasks.sources.window import Window

DAY = timedelta(days=1)
CAP = 100  # items Google News returns for one search at most


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
        self.outlet_feeds = {outlet_key(k): list(v) for k, v in (outlet_feeds or {}).items()}

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
            outcome = article_signature(source.url, item.article_id, item.hl, item.gl, item.ceid, calls)
            if isinstance(outcome, str):
                failed.append((item, outcome))
            else:
                signed.append((item, *outcome))
        decoded = 0
        for start in range(0, len(signed), self.decode_batch):
            batch = signed[start : start + self.decode_batch]
            answers, problem = batchexecute(source.url, [(i.article_id, s, ts) for i, s, ts in batch], calls)
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

    def _fall_back(
        self, source: Source, failed: list[tuple[NewsItem, str]], calls: CountingFetch, result: SearchResult
    ) -> int:
        listings: dict[str, dict[str, tuple[str, str]]] = {}
        matched = 0
        for item, why in failed:
            if not item.outlet_url:
                result.unresolved.append(_unresolved(item, f"decode: {why}; no outlet URL to fall back on"))
                continue
            key = outlet_key(item.outlet_url)
            if key not in listings:
                listings[key] = outlet_titles(item.outlet_url, self.outlet_feeds.get(key), calls, result.notes)
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
    origin = origin_of(base_url)
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


def strip_outlet(title: str, outlet: str) -> str:
    """Google appends " - Outlet" to every headline."""
    suffix = f" - {outlet}"
    return title[: -len(suffix)].rstrip() if outlet and title.endswith(suffix) else title


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


