"""Every page the simulated publishers serve, and which feed or sitemap links to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simweb.content import Article, Document, Site

PAGE_KINDS = ("article", "amp", "syndicated", "document")


@dataclass(frozen=True)
class Page:
    site: Site
    path: str
    kind: str  # one of PAGE_KINDS
    title: str
    published: datetime
    on_topic: bool
    article: Article | None = None  # None for documents
    document: Document | None = None
    original: Page | None = None  # the page an AMP variant or syndicated copy reproduces
    in_feed: bool = False
    in_sitemap: bool = False

    @property
    def feed_path(self) -> str:
        """The path as the feed links it, tracking parameters included."""
        query = self.article.feed_query if self.article else ""
        return f"{self.path}?{query}" if query else self.path


class Catalog:
    """Pages by (publisher, path), with feed and sitemap listings in site order."""

    def __init__(self, sites: list[Site]) -> None:
        self.sites = sites
        self.site_by_name = {s.name: s for s in sites}
        self._pages: dict[tuple[str, str], Page] = {}
        self._listing: dict[str, list[Page]] = {}
        originals = {
            (s.name, a.slug): self._article_page(s, a)
            for s in sites
            for a in s.articles
            if not a.syndicated_from
        }
        for site in sites:
            listing: list[Page] = []
            for article in site.articles:
                if article.syndicated_from:
                    page = self._article_page(site, article, originals[article.syndicated_from])
                else:
                    page = originals[(site.name, article.slug)]
                listing.append(page)
                if article.amp:
                    listing.append(
                        Page(
                            site,
                            article.amp_path,
                            "amp",
                            article.title,
                            article.published,
                            article.on_topic,
                            article=article,
                            original=page,
                            in_sitemap=True,
                        )
                    )
            for doc in site.documents:
                listing.append(
                    Page(
                        site,
                        doc.path,
                        "document",
                        doc.title,
                        doc.published,
                        doc.on_topic,
                        document=doc,
                        in_feed=True,
                    )
                )
            for page in listing:
                key = (site.name, page.path)
                if key in self._pages:
                    raise ValueError(f"{site.name}: two pages share the path {page.path}")
                self._pages[key] = page
            self._listing[site.name] = listing

    @staticmethod
    def _article_page(site: Site, article: Article, original: Page | None = None) -> Page:
        return Page(
            site,
            article.path,
            "syndicated" if original else "article",
            article.title,
            article.published,
            article.on_topic,
            article=article,
            original=original,
            in_feed=article.listed,
            in_sitemap=article.listed,
        )

    def page(self, publisher: str, path: str) -> Page | None:
        return self._pages.get((publisher, path))

    def pages(self, publisher: str) -> list[Page]:
        return self._listing[publisher]

    def published(self, publisher: str, now: datetime) -> list[Page]:
        """Pages out by `now`, newest first, as feeds and sitemaps list them."""
        pages = [p for p in self._listing[publisher] if p.published <= now]
        return sorted(pages, key=lambda p: (p.published, p.path), reverse=True)

    def related(self, page: Page, limit: int = 3) -> list[Page]:
        """Stories of the same site published before this one, newest first: a page's related box never
        points to a story that is not out yet, and does not change as time moves on."""
        older = [
            p
            for p in self._listing[page.site.name]
            if p.kind in ("article", "syndicated") and p.published < page.published
        ]
        return sorted(older, key=lambda p: p.published, reverse=True)[:limit]
