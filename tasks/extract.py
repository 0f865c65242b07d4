"""Text and metadata from HTML: trafilatura for the text, the page's own head for the metadata.

The page is parsed once (lxml). Metadata comes from what the page declares (Open Graph, article:*, <html lang>,
rel=canonical), which is cheaper and more exact than trafilatura's metadata heuristics; htmldate is asked for the
date only when the page declares none. A BeautifulSoup fallback reads pages trafilatura returns nothing for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import trafilatura
from bs4 import BeautifulSoup
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from tasks.clock import as_utc
from tasks.dates.page import page_dates
from tasks.dates.signal import PageDates
from tasks.langid import identify

EXTRACTOR_VERSION = f"trafilatura-{trafilatura.__version__}+newsmon-3"

_AUTHOR_META = ("author", "article:author", "dc.creator", "byl")
_LANG = re.compile(r"^[a-zA-Z]{2,3}")
_SPACES = re.compile(r"[ \t\u00a0]+")
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")


@dataclass
class ExtractedPage:
    url: str
    canonical_url: str | None
    title: str | None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None  # the page's own most trusted publication signal (tasks.dates)
    dates: PageDates = field(default_factory=PageDates, repr=False, compare=False)  # every date signal
    language: str | None = None  # identified from the text (tasks/langid.py)
    language_confidence: float = 0.0
    language_method: str = "none"
    language_claimed: str | None = None  # what the markup (else the feed hint) said
    head_title: str | None = None  # the page's <title> as written, for recording what title cleaning cut
    site: str | None = None
    text: str = ""
    method: str = "trafilatura"  # trafilatura | soup | none
    is_amp: bool = False
    tree: HtmlElement | None = field(
        default=None, repr=False, compare=False
    )  # the parsed page, for the cleaner


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 dates and datetimes (with or without zone) -> aware UTC; None when unreadable."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        return as_utc(datetime.fromisoformat(value))
    except (ValueError, OverflowError):  # unreadable, or out of range once in UTC (0001-01-01T00:00+14:00)
        return None


_META_ATTRS = ("property", "name", "itemprop")
_CANONICAL = etree.XPath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")
_H1 = etree.XPath("//h1")
_TITLE = etree.XPath("//title")

Metas = dict[tuple[str, str], str]


def _metas(tree: HtmlElement) -> Metas:
    """(attribute, value) -> content of the first `<meta>` with that property / name / itemprop and a content,
    in document order: one walk over the page for every metadata lookup."""
    found: Metas = {}
    for node in tree.iter("meta"):
        content = node.get("content")
        if content is None:
            continue
        for attr in _META_ATTRS:
            value = node.get(attr)
            if value is not None and (attr, value) not in found:
                found[(attr, value)] = content
    return found


def _meta(metas: Metas, *names: str) -> str | None:
    for name in names:
        for attr in _META_ATTRS:
            found = metas.get((attr, name))
            if found and found.strip():
                return found.strip()
    return None


def _first_text(nodes) -> str | None:
    for node in nodes:
        text = _SPACES.sub(" ", node.text_content()).strip()
        if text:
            return text
    return None


def _title(tree: HtmlElement, metas: Metas, head_title: str | None) -> str | None:
    title = _meta(metas, "og:title", "twitter:title") or _first_text(_H1(tree))
    if title:
        return title
    return _TITLE_SUFFIX.sub("", head_title) if head_title else None


def _language(tree: HtmlElement, metas: Metas) -> str | None:
    declared = (tree.xpath("/html/@lang") or tree.xpath("/html/@xml:lang") or [None])[0] or _meta(
        metas, "og:locale"
    )
    match = _LANG.match(declared or "")
    return match.group(0).lower() if match else None


def _is_amp(tree: HtmlElement) -> bool:
    root = tree.getroottree().getroot()
    return "amp" in root.attrib or "\u26a1" in root.attrib


def _authors(metas: Metas) -> list[str]:
    declared = _meta(metas, *_AUTHOR_META) or ""
    if declared.startswith(("http://", "https://")):
        return []
    return [a.strip() for a in re.split(r";|,| and | dan | und | et | y ", declared) if a.strip()]


def _soup_text(html: str) -> str:
    """Paragraphs of the main container, for pages trafilatura cannot read."""
    soup = BeautifulSoup(html, "lxml")
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in root.find_all(["script", "style", "nav", "aside", "footer", "header", "form"]):
        tag.decompose()
    lines = [_SPACES.sub(" ", el.get_text(" ", strip=True)) for el in root.find_all(["p", "h2", "h3", "li"])]
    return "\n".join(line for line in lines if line)


def _tidy(text: str, title: str | None) -> str:
    # one substitution over the whole text: no run of spaces crosses a line break
    lines = [line.strip() for line in _SPACES.sub(" ", text).splitlines()]
    lines = [line for line in lines if line]
    # trafilatura repeats the <h1> as the first body line; the title is stored on its own
    if lines and title and lines[0] == title.strip():
        lines = lines[1:]
    return "\n".join(lines)


def _identify_language(page: ExtractedPage, hint: str | None) -> ExtractedPage:
    guess = identify(page.text, page.title, markup=page.language, feed=hint)
    page.language, page.language_confidence = guess.language, guess.confidence
    page.language_method, page.language_claimed = guess.method, guess.claimed
    return page


def extract_page(
    html: str, url: str, fetched_at: datetime | None = None, language_hint: str | None = None
) -> ExtractedPage:
    """Pure: HTML and the URL it came from -> text and metadata. Never raises on bad HTML.

    `fetched_at` is what relative dates in the page ("3 hours ago") are read against; `language_hint` (the
    feed's) breaks ties when the text's language is unclear.
    """
    tree = load_html(html) if html.strip() else None
    if tree is None:
        text = _tidy(_soup_text(html), None) if html.strip() else ""
        page = ExtractedPage(url=url, canonical_url=None, title=None, text=text, method="soup" if text else "none")
        return _identify_language(page, language_hint)
    canonical = _CANONICAL(tree)
    metas = _metas(tree)
    head_title = _first_text(_TITLE(tree))
    title = _title(tree, metas, head_title)
    dates = page_dates(tree, html, url, reference=fetched_at)
    published = dates.first("published")
    page = ExtractedPage(
        url=url,
        canonical_url=urljoin(url, canonical[0].strip()) if canonical and canonical[0].strip() else None,
        title=title,
        head_title=head_title,
        authors=_authors(metas),
        published=published.instant if published else None,
        dates=dates,
        language=_language(tree, metas),
        site=_meta(metas, "og:site_name", "application-name") or urlsplit(url).hostname,
        is_amp=_is_amp(tree),
        tree=tree,
    )
    try:
        # trafilatura works on its own copy of the tree it is given (bare_extraction copies a parsed tree first),
        # so ours stays whole for the cleaner
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
    except Exception:  # trafilatura raises on some malformed documents; the fallback below handles them
        doc = None
    page.text = _tidy((doc.text if doc is not None else None) or "", title)
    if not page.text:
        page.text = _tidy(_soup_text(html), title)
        page.method = "soup" if page.text else "none"
    return _identify_language(page, language_hint)
