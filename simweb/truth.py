"""Ground truth: for each page a feed or sitemap links to, what it contains and what newsmon should do with it.

The expectations assume the nightly demo's fetch settings: a couple of retries per URL (so a fault with
a small finite `times` recovers), at most five redirects per fetch, a timeout well above the demo's slow page, and a 2 MB byte cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simweb.catalog import Catalog, Page
from simweb.faults import DEFAULT_HUGE_BYTES, DEFAULT_SLOW_SECONDS, Fault, FaultTable

RETRIES = 2  # failures a fetch is expected to retry through
FETCH_TIMEOUT_SECONDS = 5.0
BYTE_CAP = 2_000_000
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class PageTruth:
    url: str  # absolute URL as first linked (feed before sitemap), tracking parameters included
    canonical_url: str  # the article's clean URL on its own site; for an AMP variant, the normal page's URL
    publisher: str
    language: str
    title: str
    published: datetime
    author: str | None  # None for documents
    on_topic: bool
    content_lines: list[str]
    boilerplate: list[str]
    kind: str  # article | amp | syndicated | tracking (documents are "article" with reason "binary")
    copy_of: str | None  # canonical URL of the original, for syndicated copies and AMP variants
    fault: str | None
    expect_loaded: bool  # loaded as a NEW row of the articles table by the nightly demo
    reason: str | None  # why not loaded: off_topic, robots, duplicate, amp, server_error, ...
    expect_fetched_ok: bool  # a fetch of `url` is expected to end in a usable HTML page


def build_truth(
    catalog: Catalog, base_urls: dict[str, str], now: datetime, faults: FaultTable
) -> list[PageTruth]:
    truths = []
    for site in catalog.sites:
        base = base_urls[site.name]
        listed = catalog.published(site.name, now)
        linked: dict[str, str] = {}  # path -> URL as first linked
        for page in listed:
            if page.in_feed:
                linked.setdefault(page.path, base + page.feed_path)
        for page in listed:
            if page.in_sitemap:
                linked.setdefault(page.path, base + page.path)
        for page in sorted(listed, key=lambda p: (p.published, p.path)):
            if page.path in linked:
                truths.append(
                    _truth(page, linked[page.path], base_urls, faults.configured(site.name, page.path))
                )
    return truths


def search_only_truth(
    catalog: Catalog, base_urls: dict[str, str], now: datetime, faults: FaultTable
) -> list[PageTruth]:
    """The pages of search-only publishers out by `now`: only the search services lead to them."""
    truths = []
    for site in catalog.sites:
        if site.search_only:
            for page in sorted(catalog.published(site.name, now), key=lambda p: (p.published, p.path)):
                url = base_urls[site.name] + page.path
                truths.append(_truth(page, url, base_urls, faults.configured(site.name, page.path)))
    return truths


def _truth(page: Page, url: str, base_urls: dict[str, str], fault: Fault | None) -> PageTruth:
    site = page.site
    canonical_url = base_urls[site.name] + page.path
    copy_of = None
    if page.original is not None:
        copy_of = base_urls[page.original.site.name] + page.original.path
        if page.kind == "amp":
            canonical_url = copy_of
    kind = "tracking" if page.kind == "article" and url != canonical_url else page.kind
    loaded, reason, fetched_ok = expectation(page, fault)
    article = page.article
    return PageTruth(
        url=url,
        canonical_url=canonical_url,
        publisher=site.name,
        language=site.language,
        title=page.title,
        published=page.published,
        author=article.author if article else None,
        on_topic=page.on_topic,
        content_lines=article.content_lines if article else [],
        boilerplate=article.boilerplate_lines if article else [],
        kind="article" if kind == "document" else kind,
        copy_of=copy_of,
        fault=fault.kind if fault else None,
        expect_loaded=loaded,
        reason=reason,
        expect_fetched_ok=fetched_ok,
    )


def expectation(page: Page, fault: Fault | None) -> tuple[bool, str | None, bool]:
    """(expect_loaded, reason, expect_fetched_ok) of a page under a fault."""
    if any(page.path.startswith(prefix) for prefix in page.site.robots_disallow):
        return False, "robots", False
    if page.kind == "document":
        return False, "binary", False
    failure = fault_failure(fault) if fault else None
    if failure:
        return False, failure, False
    if page.kind == "amp":
        return False, "amp", True
    if page.kind == "syndicated":
        return False, "duplicate", True
    if not page.on_topic:
        return False, "off_topic", True
    return True, None, True


def fault_failure(fault: Fault) -> str | None:
    """Why a fetch under this fault fails for good, or None when it recovers or is harmless."""
    retried_through = fault.times is not None and fault.times <= RETRIES
    if fault.kind == "500":
        return None if retried_through else "server_error"
    if fault.kind == "429":
        return None if retried_through else "rate_limited"
    if fault.kind == "truncated":
        return None if retried_through else "truncated"
    if fault.kind == "slow":
        too_slow = float(fault.opts.get("seconds", DEFAULT_SLOW_SECONDS)) >= FETCH_TIMEOUT_SECONDS
        return "timeout" if too_slow and not retried_through else None
    if fault.kind == "redirect_loop":
        # A loop that stops after a few hops resolves inside one fetch's redirect limit.
        return None if fault.times is not None and fault.times <= MAX_REDIRECTS else "redirect_loop"
    if fault.kind == "binary":
        return "binary"  # a wrong content type is final: nothing retries it
    if fault.kind == "huge":
        return "too_large" if int(fault.opts.get("bytes", DEFAULT_HUGE_BYTES)) > BYTE_CAP else None
    return None  # wrong_charset: readable once the fetcher detects the real encoding
