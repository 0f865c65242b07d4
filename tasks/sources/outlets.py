"""Finding a search item's article in its outlet's own listings, for links that do not decode: the outlet's
feeds and sitemaps (configured, or named in its robots.txt and linked from its home page) are read and the
item's title is compared with theirs, folded (`normalise_title`, `match_title`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.discover import SourceParseError, parse_feed, parse_sitemap
from tasks.models import Candidate, FetchResult, Source
from tasks.sources.service import CountingFetch

MAX_CHILD_SITEMAPS = 5


def outlet_titles(
    outlet_url: str, listings: Sequence[str] | None, calls: CountingFetch, notes: list[str]
) -> dict[str, tuple[str, str]]:
    """normalised title -> (URL, title) over the outlet's feeds and sitemaps: `listings` when given, else those
    `discover_listings` finds; a listing that cannot be fetched is said in `notes`."""
    titles: dict[str, tuple[str, str]] = {}
    listing = Source("outlet", "rss", outlet_url)
    for url in listings or discover_listings(outlet_url, calls):
        response = calls(url)
        if not response.ok or response.body is None:
            notes.append(f"gnews: outlet listing {url}: {response.error or response.status}")
            continue
        for candidate in _listing_candidates(response.body, listing, calls):
            if candidate.title:
                titles.setdefault(normalise_title(candidate.title), (candidate.url, candidate.title))
    return titles


def discover_listings(outlet_url: str, calls: CountingFetch) -> list[str]:
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


def outlet_key(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return (parts.netloc or parts.path).lower().removeprefix("www.")
