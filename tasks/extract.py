"""Text and metadata from HTML: trafilatura first, a BeautifulSoup fallback when it finds no body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

import trafilatura
from bs4 import BeautifulSoup

from tasks.clock import as_utc

EXTRACTOR_VERSION = f"trafilatura-{trafilatura.__version__}+newsmon-1"

_DATE_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "date"),
    ("property", "og:published_time"),
)
_LANG = re.compile(r"^[a-zA-Z]{2,3}")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass
class ExtractedPage:
    url: str
    canonical_url: str | None
    title: str | None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    language: str | None = None
    site: str | None = None
    text: str = ""
    method: str = "trafilatura"  # trafilatura | soup | none
    is_amp: bool = False


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 dates and datetimes (with or without zone) -> aware UTC; None when unreadable."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None


def _page_facts(soup: BeautifulSoup, url: str) -> dict:
    """What the page says of itself in its head: canonical link, language, publication time, AMP."""
    facts: dict = {}
    link = soup.find("link", rel=lambda v: v and "canonical" in (v if isinstance(v, list) else [v]))
    if link and link.get("href"):
        facts["canonical"] = urljoin(url, link["href"].strip())
    html_tag = soup.find("html")
    if html_tag:
        lang = html_tag.get("lang") or html_tag.get("xml:lang")
        if lang and _LANG.match(lang):
            facts["language"] = _LANG.match(lang).group(0).lower()
        facts["amp"] = html_tag.has_attr("amp") or html_tag.has_attr("⚡")
    for attr, name in _DATE_META:
        tag = soup.find("meta", attrs={attr: name})
        parsed = parse_datetime(tag.get("content") if tag else None)
        if parsed:
            facts["published"] = parsed
            break
    if "published" not in facts:
        time_tag = soup.find("time", datetime=True)
        parsed = parse_datetime(time_tag["datetime"]) if time_tag else None
        if parsed:
            facts["published"] = parsed
    return facts


def _soup_text(soup: BeautifulSoup) -> str:
    """Paragraphs of the main container, for pages trafilatura cannot read."""
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in root.find_all(["script", "style", "nav", "aside", "footer", "header", "form"]):
        tag.decompose()
    lines = [_SPACES.sub(" ", el.get_text(" ", strip=True)) for el in root.find_all(["p", "h2", "h3", "li"])]
    return "\n".join(line for line in lines if line)


def _tidy(text: str, title: str | None) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    # trafilatura repeats the <h1> as the first body line; the title is stored on its own
    if lines and title and lines[0].strip() == title.strip():
        lines = lines[1:]
    return "\n".join(lines)


def extract_page(html: str, url: str) -> ExtractedPage:
    """Pure: HTML and the URL it came from -> text and metadata. Never raises on bad HTML."""
    soup = BeautifulSoup(html, "lxml")
    facts = _page_facts(soup, url)
    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False
        )
    except Exception:  # trafilatura raises on some malformed documents; the fallback below handles them
        doc = None
    meta = doc.as_dict() if doc is not None else {}
    title = meta.get("title") or (soup.title.get_text(strip=True) if soup.title else None)
    text = _tidy(meta.get("text") or "", title)
    method = "trafilatura"
    if not text:
        text = _tidy(_soup_text(soup), title)
        method = "soup" if text else "none"
    authors = [a.strip() for a in re.split(r";|,| and ", meta.get("author") or "") if a.strip()]
    published = facts.get("published") or parse_datetime(meta.get("date"))
    return ExtractedPage(
        url=url,
        canonical_url=facts.get("canonical"),
        title=title,
        authors=authors,
        published=published,
        language=facts.get("language") or meta.get("language"),
        site=meta.get("sitename") or meta.get("hostname"),
        text=text,
        method=method,
        is_amp=bool(facts.get("amp")),
    )
