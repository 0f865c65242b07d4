"""Discovery: feeds (RSS/Atom) and news sitemaps -> candidate article URLs.

Parsers are pure (bytes in, candidates out); `discover_sources` does the conditional GETs through the fetcher.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser
from lxml import etree

from tasks.extract import parse_datetime
from tasks.models import Candidate, FetchResult, Source


class SourceParseError(ValueError):
    """A feed or sitemap that cannot be read at all (a partly broken one still yields what it can)."""


def _entry_time(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def parse_feed(body: bytes, source: Source) -> list[Candidate]:
    """RSS 0.9x/1.0/2.0 and Atom, through feedparser; tolerates the usual malformations (bozo) when entries remain."""
    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        why = repr(parsed.get("bozo_exception")) if parsed.bozo else "no RSS or Atom document"
        raise SourceParseError(f"{source.name}: unreadable feed: {why}"[:300])
    candidates = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (lnk.get("href") for lnk in entry.get("links", []) if lnk.get("rel") == "alternate"), None
        )
        if not link:
            continue
        language = source.language or (parsed.feed.get("language") or "")[:2] or None
        candidates.append(
            Candidate(
                url=link.strip(),
                source=source.name,
                title=entry.get("title"),
                published=_entry_time(entry),
                language=language,
            )
        )
    return candidates


_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _text(node, path: str) -> str | None:
    found = node.find(path, _NS)
    return found.text.strip() if found is not None and found.text else None


def parse_sitemap(body: bytes, source: Source) -> tuple[list[Candidate], list[str]]:
    """A (news) sitemap -> (candidates, child sitemap URLs when it is a sitemap index)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceParseError(f"{source.name}: unreadable sitemap: {exc}") from None
    if root is None:
        raise SourceParseError(f"{source.name}: empty sitemap")
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        return [], [loc for loc in (_text(s, "sm:loc") for s in root.findall("sm:sitemap", _NS)) if loc]
    if tag != "urlset":
        raise SourceParseError(f"{source.name}: not a sitemap (root element <{tag}>)")
    candidates = []
    for node in root.findall("sm:url", _NS):
        loc = _text(node, "sm:loc")
        if not loc:
            continue
        published = parse_datetime(
            _text(node, "news:news/news:publication_date") or _text(node, "sm:lastmod")
        )
        language = _text(node, "news:news/news:publication/news:language") or source.language
        candidates.append(
            Candidate(
                url=loc,
                source=source.name,
                title=_text(node, "news:news/news:title"),
                published=published,
                language=(language or "")[:2] or None,
            )
        )
    return candidates, []


@dataclass
class SourceCheck:
    """How one source answered: recorded in the sources table (feed state, failures)."""

    name: str
    status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    items: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    checks: list[SourceCheck] = field(default_factory=list)

    @property
    def unreachable(self) -> list[SourceCheck]:
        return [c for c in self.checks if c.error]


MAX_CHILD_SITEMAPS = 20


def read_source(
    source: Source, fetch, state: tuple[str | None, str | None] = (None, None)
) -> tuple[list[Candidate], SourceCheck]:
    """Fetch and parse one feed or sitemap. `fetch(url, etag=, last_modified=)` returns a FetchResult."""
    etag, last_modified = state
    result: FetchResult = fetch(source.url, etag=etag, last_modified=last_modified)
    check = SourceCheck(
        source.name, status=result.status, etag=result.etag, last_modified=result.last_modified
    )
    if result.status == 304:
        return [], check
    if not result.ok or result.body is None:
        check.error = result.error or f"http_{result.status}"
        return [], check
    try:
        if source.kind == "rss":
            candidates = parse_feed(result.body, source)
        else:
            candidates, children = parse_sitemap(result.body, source)
            for child in children[:MAX_CHILD_SITEMAPS]:
                sub = fetch(child)
                if sub.ok and sub.body is not None:
                    candidates.extend(parse_sitemap(sub.body, source)[0])
    except SourceParseError as exc:
        check.error = f"parse: {exc}"
        return [], check
    check.items = len(candidates)
    return candidates, check
