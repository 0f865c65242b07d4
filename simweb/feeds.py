"""robots.txt, RSS 2.0 / Atom feeds and Google news sitemaps of a simulated publisher."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from simweb.catalog import Page
from simweb.content import Site


def robots_txt(site: Site, base_url: str) -> str:
    lines = ["User-agent: *", "Disallow: /search", "Disallow: /admin/"]
    lines += [f"Disallow: {path}" for path in site.robots_disallow]
    lines += ["", f"Sitemap: {base_url}/sitemap-news.xml", ""]
    return "\n".join(lines)


def feed_xml(site: Site, pages: list[Page], base_url: str, updated: datetime) -> str:
    """The site's feed over `pages` (already filtered and ordered), in the site's feed format."""
    entries = [p for p in pages if p.in_feed]
    return (
        _atom(site, entries, base_url, updated)
        if site.feed == "atom"
        else _rss(site, entries, base_url, updated)
    )


def _summary(page: Page) -> str:
    if page.article is None:
        return page.title
    first = next(iter(page.article.content_lines), page.title)
    return first if len(first) <= 200 else first[:197].rsplit(" ", 1)[0] + "…"


def _author(page: Page) -> str:
    return page.article.author if page.article else page.site.display_name


def _rss(site: Site, pages: list[Page], base_url: str, updated: datetime) -> str:
    items = []
    for page in pages:
        link = base_url + page.feed_path
        items.append(
            "<item>"
            f"<title>{escape(page.title)}</title>"
            f"<link>{escape(link)}</link>"
            # The guid stays the clean permalink even when the link carries tracking parameters.
            f'<guid isPermaLink="true">{escape(base_url + page.path)}</guid>'
            f"<pubDate>{format_datetime(page.published, usegmt=True)}</pubDate>"
            f"<dc:creator>{escape(_author(page))}</dc:creator>"
            f"<category>{escape(page.path.split('/')[1])}</category>"
            f"<description>{escape(_summary(page))}</description>"
            "</item>"
        )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
            "<channel>",
            f"<title>{escape(site.display_name)}</title>",
            f"<link>{escape(base_url)}/</link>",
            f"<description>{escape(site.display_name)}</description>",
            f"<language>{escape(site.language)}</language>",
            f"<lastBuildDate>{format_datetime(updated, usegmt=True)}</lastBuildDate>",
            f'<atom:link href={quoteattr(base_url + "/feed.xml")} rel="self" type="application/rss+xml"/>',
            *items,
            "</channel>",
            "</rss>",
            "",
        ]
    )


def _atom(site: Site, pages: list[Page], base_url: str, updated: datetime) -> str:
    entries = []
    for page in pages:
        entries.append(
            "<entry>"
            f"<title>{escape(page.title)}</title>"
            f'<link rel="alternate" type="text/html" href={quoteattr(base_url + page.feed_path)}/>'
            f"<id>{escape(base_url + page.path)}</id>"
            f"<published>{page.published.isoformat()}</published>"
            f"<updated>{page.published.isoformat()}</updated>"
            f"<author><name>{escape(_author(page))}</name></author>"
            f"<summary>{escape(_summary(page))}</summary>"
            "</entry>"
        )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(site.language)}">',
            f"<title>{escape(site.display_name)}</title>",
            f'<link rel="alternate" type="text/html" href={quoteattr(base_url + "/")}/>',
            f'<link rel="self" type="application/atom+xml" href={quoteattr(base_url + "/feed.xml")}/>',
            f"<id>{escape(base_url)}/</id>",
            f"<updated>{updated.isoformat()}</updated>",
            *entries,
            "</feed>",
            "",
        ]
    )


def news_sitemap(site: Site, pages: list[Page], base_url: str) -> str:
    urls = []
    for page in pages:
        if not page.in_sitemap:
            continue
        urls.append(
            "<url>"
            f"<loc>{escape(base_url + page.path)}</loc>"
            f"<lastmod>{page.published.isoformat()}</lastmod>"
            "<news:news><news:publication>"
            f"<news:name>{escape(site.display_name)}</news:name>"
            f"<news:language>{escape(site.language)}</news:language>"
            "</news:publication>"
            f"<news:publication_date>{page.published.isoformat()}</news:publication_date>"
            f"<news:title>{escape(page.title)}</news:title>"
            "</news:news>"
            "</url>"
        )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
            *urls,
            "</urlset>",
            "",
        ]
    )
