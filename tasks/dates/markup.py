"""Date signals of a page's structured data: JSON-LD (`datePublished`, `dateCreated`, `uploadDate`,
`dateModified`), Open Graph / `article:*` and other date meta, microdata, `<time>` elements, and the date in a
URL path."""

from __future__ import annotations

import json
import re

from lxml import etree
from lxml.html import HtmlElement

from tasks.dates.languages import UPDATED_WORDS
from tasks.dates.signal import PageDates, Signal, valid_day
from tasks.dates.values import add_value, parse_value

PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "published-date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "datecreated",
    "article:published",
    "date",
    "dc.date",
    "cxenseparse:recs:publishtime",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "article.updated",
    "last-modified",
    "dc.date.modified",
    "dcterms.modified",
)
_PUBLISHED_KEYS = ("datePublished", "dateCreated", "uploadDate")
_ARTICLE_TYPES = ("article", "posting", "report", "blog", "webpage", "liveblog")


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
_URL_YM = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")


def jsonld_signals(tree: HtmlElement, out: PageDates) -> None:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except (ValueError, RecursionError):
            out.dropped.append(("jsonld", (script.text_content() or "")[:80], "invalid JSON"))
            continue
        for node in sorted(_walk(data), key=_article_first):
            for key in _PUBLISHED_KEYS:
                add_value(out, f"jsonld:{key}", "published", node.get(key))
            add_value(out, "jsonld:dateModified", "modified", node.get("dateModified"))


def _walk(data, depth: int = 0):
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if any(k in data for k in (*_PUBLISHED_KEYS, "dateModified")):
            yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _walk(data[key], depth + 1)


def _article_first(node: dict) -> int:
    kind = node.get("@type", "")
    kind = " ".join(kind) if isinstance(kind, list) else str(kind)
    return 0 if any(t in kind.lower() for t in _ARTICLE_TYPES) else 1


def meta_signals(tree: HtmlElement, out: PageDates, microdata: bool = True) -> None:
    wanted = {**{n: "published" for n in PUBLISHED_META}, **{n: "modified" for n in MODIFIED_META}}
    found: dict[str, list[tuple[str, str]]] = {}
    for node in tree.iter("meta"):
        name = (
            node.get("property") or node.get("name") or node.get("itemprop") or node.get("http-equiv") or ""
        )
        name = name.strip().lower()
        if name in wanted and node.get("content"):
            found.setdefault(name, []).append((node.get("content"), name))
    # microdata on other elements: <span itemprop="datePublished" content="2022-01-14 10:31:00">Januar 2022</span>
    for node in _ITEMPROP_DATES(tree) if microdata else ():
        if node.tag in ("meta", "time"):
            continue
        name = (node.get("itemprop") or "").strip().lower()
        value = node.get("content") or node.get("datetime")
        if name in wanted and value and value.strip():
            found.setdefault(name, []).append((value, name))
    for name in (*PUBLISHED_META, *MODIFIED_META):
        for content, _ in found.get(name, [])[:1]:
            add_value(out, f"meta:{name}", wanted[name], content)


_ITEMPROP_DATES = etree.XPath(
    "//@itemprop[.='datePublished' or .='dateCreated' or .='dateModified']/..", smart_strings=False
)


def time_signals(tree: HtmlElement, out: PageDates, dayfirst: bool = True) -> None:
    marked, plain = [], []
    for node in tree.iter("time"):
        value = node.get("datetime") or ""
        if not value.strip():
            # no machine value: the element's own text ("29.04.2020, 12:01 Uhr"), read as the page's language would
            text = " ".join(node.text_content().split())
            if not text or len(text) > 60 or not any(c.isdigit() for c in text):
                continue
            try:
                parse_value(text, "byline", dayfirst=dayfirst)  # a calendar date, not a bare clock time
            except (ValueError, OverflowError, KeyError):
                continue
            value = text
        label = " ".join(
            filter(
                None, [node.get("itemprop"), node.get("class"), node.get("pubdate"), node.get("data-type")]
            )
        ).lower()
        context = (node.getparent().text_content() if node.getparent() is not None else "")[:80]
        if "modif" in label or "updat" in label or UPDATED_WORDS.search(context):
            add_value(out, "time:modified", "modified", value)
        elif "pub" in label or "datepublished" in label or "created" in label:
            marked.append(value)
        else:
            plain.append(value)
    for value in marked[:1]:
        add_value(out, "time:published", "published", value, dayfirst)
    for value in plain[:1]:
        add_value(out, "time", "published", value, dayfirst)


def url_signal(url: str | None) -> Signal | None:
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return Signal("url", "published", valid_day(int(m[1]), int(m[2]), int(m[3])), raw=m[0])
    except ValueError:
        return None
