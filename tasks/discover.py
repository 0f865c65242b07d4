"""Discovery from listings: feeds (RSS/Atom) and news sitemaps -> candidate article URLs.

Parsers are pure (bytes in, candidates out). `FeedSource` and `SitemapSource` are the listing kinds of the
source protocol (`tasks.sources.CandidateSource`): they make the conditional GET with the ETag and
Last-Modified kept in their `SourceState` and yield candidates item by item.

Poison values never fail a source: an item whose date cannot be read or is out of range keeps the item with
`published=None`, an item without a usable link is skipped, and either way the reason is counted in
`skipped` (stored with the source's check). Only a document that cannot be read at all is a source error
(`SourceParseError`), and even then the validators of the response are kept.
"""

from __future__ import annotations

import calendar
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import feedparser
from lxml import etree

from tasks.models import Candidate, FetchResult, Source
from tasks.sources.state import SourceState

# Publication dates outside this range are data errors (9999-12-31, 0001-01-01): the field is set to None.
EARLIEST = datetime(1991, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
MAX_URL_CHARS = 4096
MAX_TITLE_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SourceParseError(ValueError):
    """A feed or sitemap that cannot be read at all (a partly broken one still yields what it can)."""


def checked_time(moment: datetime | None, skipped: Counter | None = None, field_name: str = "published"):
    """`moment` as aware UTC when inside [EARLIEST, LATEST); otherwise None, counting the reason."""
    if moment is None:
        return None
    try:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):  # 0001-01-01T00:00:00+14:00 has no UTC value
        _count(skipped, f"{field_name}_out_of_range")
        return None
    if not EARLIEST <= moment < LATEST:
        _count(skipped, f"{field_name}_out_of_range")
        return None
    return moment


def parse_when(value: str | None, skipped: Counter | None = None, field_name: str = "published"):
    """A W3C/ISO 8601 date or datetime -> aware UTC; None (reason counted) when unreadable or out of range."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        _count(skipped, f"{field_name}_unreadable")
        return None
    return checked_time(moment, skipped, field_name)


def _count(skipped: Counter | None, reason: str) -> None:
    if skipped is not None:
        skipped[reason] += 1


def _entry_time(entry: Any, skipped: Counter | None) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = dict.get(entry, key)  # plain get: feedparser's fallback mapping only warns
        if value:
            try:
                moment = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (ValueError, OverflowError, OSError, TypeError):  # year 10000 after the zone shift
                _count(skipped, "published_out_of_range")
                return None
            return checked_time(moment, skipped)
    if dict.get(entry, "published") or dict.get(
        entry, "updated"
    ):  # plain get: no feedparser fallback warning
        _count(skipped, "published_unreadable")
    return None


def _clean_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_CHARS or _CONTROL.search(url):
        return None
    return url


def _clean_title(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip()[:MAX_TITLE_CHARS] or None


def iter_feed(body: bytes, source: Source, skipped: Counter | None = None) -> Iterator[Candidate]:
    """RSS 0.9x/1.0/2.0 and Atom items, through feedparser; tolerates the usual malformations (bozo)."""
    try:
        parsed = feedparser.parse(body)
    except Exception as exc:  # noqa: BLE001 - feedparser's own failures on hostile input; the source reports it
        raise SourceParseError(f"{source.name}: unreadable feed: {type(exc).__name__}: {exc}"[:300]) from None
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        why = repr(parsed.get("bozo_exception")) if parsed.bozo else "no RSS or Atom document"
        raise SourceParseError(f"{source.name}: unreadable feed: {why}"[:300])
    feed_language = parsed.feed.get("language") if isinstance(parsed.feed.get("language"), str) else None
    language = source.language or (feed_language or "")[:2] or None
    for entry in parsed.entries:
        try:
            link = entry.get("link") or next(
                (lnk.get("href") for lnk in entry.get("links", []) if lnk.get("rel") == "alternate"), None
            )
            url = _clean_url(link)
            if url is None:
                _count(skipped, "no_link" if not link else "bad_link")
                continue
            candidate = Candidate(
                url=url,
                source=source.name,
                title=_clean_title(entry.get("title")),
                published=_entry_time(entry, skipped),
                language=language,
            )
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            _count(skipped, f"item_error:{type(exc).__name__}")
            continue
        yield candidate


def parse_feed(body: bytes, source: Source, skipped: Counter | None = None) -> list[Candidate]:
    return list(iter_feed(body, source, skipped))


def _local(node: Any) -> str | None:
    """The local name of an element, whatever its namespace or an undeclared prefix; None for comments/PIs."""
    tag = node.tag
    if not isinstance(tag, str):
        return None
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


_LOC, _LASTMOD = f"{{{_NS['sm']}}}loc", f"{{{_NS['sm']}}}lastmod"
_NEWS, _TITLE = f"{{{_NS['news']}}}news", f"{{{_NS['news']}}}title"
_PUBLICATION, _LANGUAGE = f"{{{_NS['news']}}}publication", f"{{{_NS['news']}}}language"
_PUBLICATION_DATE = f"{{{_NS['news']}}}publication_date"


def _children(node: Any) -> dict[str, Any]:
    """Child elements by local name (the first of each name wins), in one pass."""
    found: dict[str, Any] = {}
    for child in node:
        tag = child.tag
        if isinstance(tag, str):
            name = tag[tag.rfind("}") + 1 :]
            name = name[name.rfind(":") + 1 :]
            found.setdefault(name, child)
    return found


def _text_of(node: Any) -> str | None:
    if node is None or not isinstance(node.text, str):
        return None
    return node.text.strip() or None


def _child_text(node: Any, *names: str) -> str | None:
    for name in names:
        node = _children(node).get(name)
        if node is None:
            return None
    return _text_of(node)


def _sitemap_root(body: bytes, source: Source) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise SourceParseError(f"{source.name}: unreadable sitemap: {exc}"[:300]) from None
    if root is None:
        raise SourceParseError(f"{source.name}: empty sitemap")
    return root


def iter_sitemap(
    body: bytes, source: Source, skipped: Counter | None = None, children: list[str] | None = None
) -> Iterator[Candidate]:
    """A (news) sitemap's candidates; child sitemap URLs of a sitemap index are appended to `children`.

    Elements are matched by local name, so a root with an undeclared prefix or a missing namespace still
    reads (lxml's recovering parser keeps such names as written).
    """
    root = _sitemap_root(body, source)
    tag = _local(root)
    if tag == "sitemapindex":
        for node in root:
            if _local(node) == "sitemap":
                loc = _clean_url(_child_text(node, "loc"))
                if loc and children is not None:
                    children.append(loc)
        return
    if tag != "urlset":
        raise SourceParseError(f"{source.name}: not a sitemap (root element <{tag}>)")
    standard = root.tag == f"{{{_NS['sm']}}}urlset"
    for node in root:
        if _local(node) != "url":
            continue
        try:
            if standard:  # the usual namespaces: compare whole tags, no name slicing
                raw_loc = lastmod = news_date = title = language = None
                for child in node:
                    tag = child.tag
                    if tag == _LOC:
                        raw_loc = _text_of(child)
                    elif tag == _LASTMOD:
                        lastmod = _text_of(child)
                    elif tag == _NEWS:
                        for item in child:
                            if item.tag == _PUBLICATION_DATE:
                                news_date = _text_of(item)
                            elif item.tag == _TITLE:
                                title = _text_of(item)
                            elif item.tag == _PUBLICATION:
                                language = _text_of(item.find(_LANGUAGE))
            else:  # any namespace or none, undeclared prefixes: match local names
                fields = _children(node)
                news = _children(fields["news"]) if "news" in fields else {}
                publication = _children(news["publication"]) if "publication" in news else {}
                raw_loc, lastmod = _text_of(fields.get("loc")), _text_of(fields.get("lastmod"))
                news_date, title = _text_of(news.get("publication_date")), _text_of(news.get("title"))
                language = _text_of(publication.get("language"))
            loc = _clean_url(raw_loc)
            if loc is None:
                _count(skipped, "no_link" if not raw_loc else "bad_link")
                continue
            published = parse_when(news_date or lastmod, skipped)
            language = language or source.language
            candidate = Candidate(
                url=loc,
                source=source.name,
                title=_clean_title(title),
                published=published,
                language=(language or "")[:2] or None,
            )
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            _count(skipped, f"item_error:{type(exc).__name__}")
            continue
        yield candidate


def parse_sitemap(
    body: bytes, source: Source, skipped: Counter | None = None
) -> tuple[list[Candidate], list[str]]:
    """A (news) sitemap -> (candidates, child sitemap URLs when it is a sitemap index)."""
    children: list[str] = []
    candidates = list(iter_sitemap(body, source, skipped, children))
    return candidates, children


@dataclass
class SourceCheck:
    """How one source answered: recorded in the sources table (feed state, failures, skipped items)."""

    name: str
    status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    items: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {**self.__dict__, "skipped": dict(self.skipped)}


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    checks: list[SourceCheck] = field(default_factory=list)

    @property
    def unreachable(self) -> list[SourceCheck]:
        return [c for c in self.checks if c.error]


MAX_CHILD_SITEMAPS = 20


class ListingSource:
    """A feed or sitemap: lists what the site publishes today (no time window), read with a conditional GET."""

    kind: ClassVar[str]
    windowed: ClassVar[bool] = False

    def __init__(self, config: Source) -> None:
        self.config = config

    @classmethod
    def from_config(cls, config: Source, topic: Any = None, languages: Any = None) -> ListingSource:
        return cls(config)

    def stream(self, window: Any, fetch: Any, state: SourceState, *, now: datetime) -> Iterator[Candidate]:
        """Yield the listing's candidates; `state` gets the new validators, status, error and skip counts.

        `window` is ignored: a listing shows what it shows (backfills keep its items by publication time).
        """
        started = time.perf_counter()
        result: FetchResult = fetch(self.config.url, etag=state.etag, last_modified=state.last_modified)
        state.requests += 1
        state.checked = True
        state.status, state.error = result.status, None
        # validators are kept whatever the body holds: a 304 keeps the stored ones
        state.etag = result.etag or (state.etag if result.status == 304 else None)
        state.last_modified = result.last_modified or (state.last_modified if result.status == 304 else None)
        if result.status == 304:
            return
        if not result.ok or result.body is None:
            state.error = result.error or f"http_{result.status}"
            return
        try:
            yield from self._items(result.body, fetch, state)
        except SourceParseError as exc:
            state.error = f"parse: {exc}"
        finally:
            state.stats["seconds"] = time.perf_counter() - started

    def _items(self, body: bytes, fetch: Any, state: SourceState) -> Iterator[Candidate]:
        raise NotImplementedError


class FeedSource(ListingSource):
    kind = "rss"

    def _items(self, body: bytes, fetch: Any, state: SourceState) -> Iterator[Candidate]:
        for candidate in iter_feed(body, self.config, state.skipped):
            state.items += 1
            yield candidate


class SitemapSource(ListingSource):
    kind = "sitemap"

    def _items(self, body: bytes, fetch: Any, state: SourceState) -> Iterator[Candidate]:
        children: list[str] = []
        for candidate in iter_sitemap(body, self.config, state.skipped, children):
            state.items += 1
            yield candidate
        for child in children[:MAX_CHILD_SITEMAPS]:
            sub: FetchResult = fetch(child)
            state.requests += 1
            if not sub.ok or sub.body is None:
                state.notes.append(f"child sitemap {child}: {sub.error or sub.status}")
                continue
            try:
                for candidate in iter_sitemap(sub.body, self.config, state.skipped):
                    state.items += 1
                    yield candidate
            except SourceParseError as exc:
                state.skipped["child_sitemap_unreadable"] += 1
                state.notes.append(str(exc))
        if len(children) > MAX_CHILD_SITEMAPS:
            state.notes.append(
                f"{len(children) - MAX_CHILD_SITEMAPS} child sitemaps beyond the first {MAX_CHILD_SITEMAPS} not read"
            )


def read_source(
    source: Source, fetch: Any, state: tuple[str | None, str | None] = (None, None)
) -> tuple[list[Candidate], SourceCheck]:
    """Fetch and parse one feed or sitemap. `fetch(url, etag=, last_modified=)` returns a FetchResult."""
    from tasks.sources import open_source

    stream_state = SourceState(etag=state[0], last_modified=state[1])
    candidates = list(open_source(source).stream(None, fetch, stream_state, now=datetime.now(UTC)))
    return candidates, stream_state.check(source.name)
