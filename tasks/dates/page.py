"""Every date signal of one page in order of trust (`page_dates`): structured data, then labelled dates, then a
dated byline, then htmldate's search, then the URL path; which of them outranks which, and when the costlier
readers run at all."""

from __future__ import annotations

from datetime import datetime

from htmldate import find_date
from lxml.html import HtmlElement

from tasks.dates.markup import jsonld_signals, meta_signals, time_signals, url_signal
from tasks.dates.signal import PageDates
from tasks.dates.text import byline_signal, labelled_signals
from tasks.dates.values import add_value


def _year_alone(found: str, html: str) -> bool:
    """htmldate's answer is 1 January and the page writes that day nowhere (ISO, day-first or month-first)."""
    if found[5:10] != "01-01" or not html:
        return False
    y = found[:4]
    return not any(
        f in html for f in (f"{y}-01-01", f"01.01.{y}", f"1.1.{y}", f"01/01/{y}", f"{y}/01/01", f"{y}0101")
    )


def _dayfirst(tree: HtmlElement) -> bool:
    lang = ((tree.xpath("/html/@lang") or [""])[0] or "").lower()
    return not lang.startswith(("en-us", "en_us")) and lang not in ("en",)


# a page-level `<meta name="date">` / `DC.date` is often the page's build or edit time, not the article's: a
# `<time>` or a dated byline of the article goes first
_WEAK = ("meta:date", "meta:dc.date")
_RANK = {
    "jsonld:datePublished": 1,
    "meta:article:published_time": 0,
    "meta:og:published_time": 1,
    "meta:og:article:published_time": 1,
    "meta:datepublished": 1,
    "jsonld:dateCreated": 2,
    "time:published": 2,
    "jsonld:uploadDate": 3,
    "byline:labelled": 4,
    "meta:date": 6,
    "meta:dc.date": 6,
    "byline": 5.5,
    "byline:numeric": 5.5,
}


def page_dates(
    tree: HtmlElement | None,
    html: str,
    url: str | None = None,
    *,
    reference: datetime | None = None,
    extensive: bool = True,
) -> PageDates:
    """Every date signal of one page, the page's most trusted publication signal first. Never raises."""
    out = PageDates()
    if tree is None:
        return out
    try:
        jsonld_signals(tree, out)
        meta_signals(tree, out, not html or "itemprop" in html)
        time_signals(tree, out, _dayfirst(tree))
    except Exception as exc:  # a malformed document: what was read so far stands
        out.dropped.append(("markup", "", f"{type(exc).__name__}: {exc}"[:120]))
    canonical = (
        tree.xpath("//link[@rel='canonical']/@href")
        or tree.xpath("//meta[@property='og:url']/@content")
        or [None]
    )[0]
    # the page's text is read for labels only when no structured date that outranks them was found (the text
    # scan is the costliest part of a page)
    if not any(
        s.role == "published" and _RANK.get(s.kind, 5) < _RANK["byline:labelled"] for s in out.signals
    ):
        try:
            labelled_signals(tree, out, _dayfirst(tree))
        except Exception as exc:  # best effort, like the markup
            out.dropped.append(("byline:labelled", "", f"{type(exc).__name__}: {exc}"[:120]))
    # a dated byline of the article (a short element marked as a date, outside the site's header) is read before
    # htmldate, whose search by position takes dates from anywhere on the page; an ambiguous numeric one
    # (03.04.2020) on a day-first page goes after htmldate, which weighs more evidence for those
    byline = None
    if not any(s.role == "published" and s.kind not in _WEAK for s in out.signals):
        dayfirst = _dayfirst(tree)
        byline = byline_signal(tree, out, reference, dayfirst)
        # an ambiguous numeric date goes first only on month-first pages: htmldate reads them day-first
        late = ("byline:numeric",) if dayfirst else ()
        if byline is not None and byline.kind not in late:
            out.signals.append(byline)
            byline = None
    if not any(s.role == "published" for s in out.signals):
        try:
            # without the URL: the URL path is a signal of its own, ranked after the feed's date
            found = find_date(tree, extensive_search=extensive, original_date=True)  # it prunes a copy
        except Exception as exc:  # htmldate is best effort
            found, _ = None, out.dropped.append(("htmldate", "", type(exc).__name__))
        if (
            found
            and byline is not None
            and any(s.role == "modified" and s.day.isoformat() == found[:10] for s in out.signals)
        ):
            # htmldate fell back on the modified date while the byline names a publication date
            out.dropped.append(("htmldate", found, "the page's modified date"))
        elif found and _year_alone(found, html):
            # htmldate reads a year with no day (a copyright line, "© 2016") as 1 January
            out.dropped.append(("htmldate", found, "a year alone, not a day"))
        elif found:
            add_value(out, "htmldate", "published", found)
    if byline is not None:
        out.signals.append(byline)
    for where in (url, canonical):
        sig = url_signal(where)
        if sig:
            out.signals.append(sig)
            break
    out.signals.sort(key=lambda s: (s.role != "published", _RANK.get(s.kind, 5 if s.kind != "url" else 9)))
    return out


def extract_dates(html: str, url: str | None = None, *, extensive: bool = True) -> PageDates:
    """For callers holding only HTML (the bench): parse (htmldate's own parser), then `page_dates`."""
    from htmldate.utils import load_html

    tree = load_html(html) if html and html.strip() else None
    return page_dates(tree, html, url, extensive=extensive)
