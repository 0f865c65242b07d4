"""HTML of article pages, AMP variants, home and error pages.

Sites differ the way real ones do: each uses one of a few templates with its own class names, element
order and metadata (JSON-LD or not). What a text extractor should keep is only the article body's content
blocks; everything else on the page is chrome.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from simweb.blocks import Block
from simweb.content import Article, Site
from simweb.labels import Labels, labels_for


@dataclass(frozen=True)
class Template:
    name: str
    prefix: str  # class-name prefix, e.g. "read__" gives "read__content"
    title_separator: str
    date_format: str
    jsonld: bool
    sidebar_first: bool
    share_on_top: bool
    breadcrumb: bool
    cookie_on_top: bool


TEMPLATES = {
    t.name: t
    for t in (
        Template("portal", "read__", " - ", "%d/%m/%Y, %H:%M UTC", True, False, True, True, False),
        Template("broadsheet", "entry-", " | ", "%d.%m.%Y %H:%M UTC", True, False, False, False, True),
        Template("magazine", "c-story__", " — ", "%Y-%m-%d %H:%M UTC", False, True, False, True, True),
        Template("wire", "story-", " : ", "%Y-%m-%dT%H:%MZ", False, False, True, False, False),
    )
}


def template_for(site: Site) -> Template:
    """The site's own template, or one picked from its name so it stays fixed as sites are added."""
    if site.template:
        return TEMPLATES[site.template]
    names = sorted(TEMPLATES)
    return TEMPLATES[names[zlib.crc32(site.name.encode()) % len(names)]]


@dataclass(frozen=True)
class PageLinks:
    """Absolute URLs a page points to; they depend on the address the site is served from."""

    canonical_url: str
    amp_url: str | None = None
    related: tuple[tuple[str, str], ...] = ()  # (title, path) of other stories on the site


def article_page(site: Site, article: Article, links: PageLinks) -> str:
    t = template_for(site)
    labels = labels_for(site.language)
    e = escape
    description = _description(article)
    published = article.published.isoformat()
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{e(site.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(article.title)}{e(t.title_separator)}{e(site.display_name)}</title>",
        f'<meta name="description" content="{e(description)}">',
        f'<meta name="author" content="{e(article.author)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{e(article.title)}">',
        f'<meta property="og:description" content="{e(description)}">',
        f'<meta property="og:url" content="{e(links.canonical_url)}">',
        f'<meta property="og:site_name" content="{e(site.display_name)}">',
        f'<meta property="article:published_time" content="{published}">',
        f'<meta property="article:section" content="{e(article.section)}">',
        f'<link rel="canonical" href="{e(links.canonical_url)}">',
    ]
    if links.amp_url:
        head.append(f'<link rel="amphtml" href="{e(links.amp_url)}">')
    head += [
        f'<link rel="alternate" type="application/rss+xml" title="{e(site.display_name)}" href="/feed.xml">',
        f'<link rel="stylesheet" href="/static/{t.name}.css">',
    ]
    if t.jsonld:
        head.append(_jsonld(site, article, links.canonical_url))
    head.append("</head>")

    p = t.prefix
    byline = (
        f'<div class="{p}byline"><span class="{p}author">{e(labels.byline)} '
        f'<a href="/author/{_slug(article.author)}" rel="author">{e(article.author)}</a></span> '
        f'<time datetime="{published}">{e(article.published.strftime(t.date_format))}</time></div>'
    )
    share = _share_buttons(t, labels, links.canonical_url, article.title)
    body_blocks = "\n".join(_block_html(b, t, article.section) for b in article.blocks)
    article_html = [
        f'<article class="{p}article" itemscope itemtype="https://schema.org/NewsArticle">',
        f'<h1 class="{p}title" itemprop="headline">{e(article.title)}</h1>',
        byline,
    ]
    if t.share_on_top:
        article_html.append(share)
    article_html += [f'<div class="{p}content" itemprop="articleBody">', body_blocks, "</div>"]
    if not t.share_on_top:
        article_html.append(share)
    article_html.append("</article>")

    main = ['<main id="main">']
    if t.breadcrumb:
        main.append(
            f'<nav class="{p}breadcrumb" aria-label="breadcrumb"><a href="/">{e(labels.home)}</a> &rsaquo; '
            f'<a href="/{e(article.section)}/">{e(article.section.capitalize())}</a></nav>'
        )
    main += article_html
    if links.related:
        main.append(_related_box(t, labels, links.related))
    main.append(_comments_teaser(t, labels, article.slug))
    main.append("</main>")
    aside = _most_read(site, t)
    columns = [aside, *main] if t.sidebar_first else [*main, aside]

    cookie = _cookie_banner(site, t, labels)
    body = [
        f'<body class="{t.name} single-article">',
        *([cookie] if t.cookie_on_top else []),
        _site_header(site, t),
        f'<div class="{p}wrapper container">',
        *columns,
        "</div>",
        _site_footer(site, t),
        *([] if t.cookie_on_top else [cookie]),
        '<script src="/static/app.js" defer></script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body) + "\n"


def amp_page(site: Site, article: Article, canonical_url: str) -> str:
    """A stripped AMP variant whose canonical link points to the normal page."""
    e = escape
    labels = labels_for(site.language)
    blocks = "\n".join(_block_html(b, TEMPLATES["wire"], article.section) for b in article.blocks)
    return "\n".join(
        [
            "<!doctype html>",
            f'<html amp lang="{e(site.language)}">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{e(article.title)}</title>",
            f'<link rel="canonical" href="{e(canonical_url)}">',
            '<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">',
            f'<meta property="og:title" content="{e(article.title)}">',
            f'<meta property="article:published_time" content="{article.published.isoformat()}">',
            '<script async src="https://cdn.ampproject.org/v0.js"></script>',
            "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
            "animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>"
            "<noscript><style amp-boilerplate>body{-webkit-animation:none;animation:none}</style></noscript>",
            "<style amp-custom>body{font-family:sans-serif;margin:0 12px}.amp-byline{color:#666}</style>",
            "</head>",
            "<body>",
            f'<header class="amp-header"><a href="/">{e(site.display_name)}</a></header>',
            '<article class="amp-article">',
            f"<h1>{e(article.title)}</h1>",
            f'<p class="amp-byline">{e(labels.byline)} {e(article.author)} '
            f'<time datetime="{article.published.isoformat()}">{article.published:%d/%m/%Y %H:%M UTC}</time></p>',
            blocks,
            "</article>",
            f'<footer class="amp-footer"><p>{e(site.chrome.footer[-1])}</p></footer>',
            "</body>",
            "</html>",
        ]
    )


def home_page(site: Site, stories: list[tuple[str, str]]) -> str:
    """The front page: the latest stories, newest first, as (title, path)."""
    t = template_for(site)
    labels = labels_for(site.language)
    items = "\n".join(f'<li><a href="{escape(path)}">{escape(title)}</a></li>' for title, path in stories)
    return _simple_page(
        site,
        t,
        site.display_name,
        f'<main id="main"><h1>{escape(labels.latest)}</h1><ul class="{t.prefix}list">\n{items}\n</ul></main>',
    )


def not_found_page(site: Site) -> str:
    t = template_for(site)
    labels = labels_for(site.language)
    return _simple_page(
        site,
        t,
        labels.not_found,
        f'<main id="main"><h1>404</h1><p>{escape(labels.not_found)}</p>'
        f'<p><a href="/">{escape(labels.home)}</a></p></main>',
    )


def _simple_page(site: Site, t: Template, title: str, main: str) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{escape(site.language)}">',
            '<head>\n<meta charset="utf-8">',
            f"<title>{escape(title)}{escape(t.title_separator)}{escape(site.display_name)}</title>",
            f'<link rel="stylesheet" href="/static/{t.name}.css">',
            "</head>",
            f'<body class="{t.name}">',
            _site_header(site, t),
            main,
            _site_footer(site, t),
            "</body>",
            "</html>",
        ]
    )


# Label and headline of a related link written as one boilerplate line, e.g. "LAGI : Turis Rusia ...".
_LABELLED = re.compile(r"^(.{1,30}?:)(\s+)(\S.*)$")


def _block_html(block: Block, t: Template, section: str) -> str:
    """In-body boilerplate is marked up the way sites do when it ends up in extracted text: plain
    paragraphs with classes no extractor treats as boilerplate. Telling it apart is the cleaner's job."""
    e = escape
    p = t.prefix
    if block.kind == "p":
        return f"<p>{e(block.text)}</p>"
    if block.kind == "h2":
        return f"<h2>{e(block.text)}</h2>"
    if block.kind == "related_inline":
        return f"<p><strong>{e(block.label)}</strong>{_links(block, section)}</p>"
    if block.kind == "p_with_inline":
        before, after = block.halves
        return f"<p>{e(before)}<span><strong>{e(block.label)}</strong>{_links(block, section)}</span>{e(after)}</p>"
    text = e(block.text)
    if block.css_class == "related":
        match = _LABELLED.match(block.text)
        if match:
            label, space, headline = match.groups()
            return f'<p><strong>{e(label)}</strong>{space}<a href="{_story_href(section, headline)}">{e(headline)}</a></p>'
        return f'<p><a href="{_story_href(section, block.text)}">{text}</a></p>'
    if block.css_class == "newsletter":
        return (
            f'<div class="{p}signup"><p>{text}</p><form action="/newsletter" method="post">'
            '<input type="email" name="email" placeholder="email@example.com">'
            '<input type="submit" value="OK"></form></div>'
        )
    if block.css_class == "photo_credit":
        return (
            f'<div class="{p}photo"><img src="/img/{_slug(section)}.jpg" alt="" width="800" height="450">'
            f'<p class="{p}photo-source">{text}</p></div>'
        )
    markup = {
        "more_stories": ("", "em"),
        "contact": ("", "strong"),
        "recaptcha": ("legal", "small"),
        "copyright": ("disclaimer", "em"),
        "share": ("cta", ""),
        "ad": ("adv-label", ""),
        "byline": ("editor", ""),
        "tagline": ("", "i"),  # plain markup, like a paragraph the newsroom types into every story
    }
    css, tag = markup[block.css_class]
    inner = f"<{tag}>{text}</{tag}>" if tag else text
    return f'<p class="{p}{css}">{inner}</p>' if css else f"<p>{inner}</p>"


def _links(block: Block, section: str) -> str:
    """Headlines as adjacent links with nothing between them, as inline related boxes are built."""
    return "".join(f'<a href="{_story_href(section, h)}">{escape(h)}</a>' for h in block.links)


def _story_href(section: str, headline: str) -> str:
    return f"/{quote(section)}/{_slug(headline)}"


def _slug(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    return quote("-".join(words[:10]) or "x")


def _description(article: Article) -> str:
    first = next(iter(article.content_lines), article.title)
    if len(first) <= 160:
        return first
    return first[:157].rsplit(" ", 1)[0] + "…"


def _jsonld(site: Site, article: Article, canonical_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": site.display_name},
        "mainEntityOfPage": canonical_url,
        "inLanguage": site.language,
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def _site_header(site: Site, t: Template) -> str:
    e = escape
    items = "".join(f'<li><a href="/{_slug(item)}/">{e(item)}</a></li>' for item in site.chrome.nav)
    return (
        f'<header class="{t.prefix}header site-header">'
        f'<a class="{t.prefix}logo" href="/">{e(site.display_name)}</a>'
        f'<nav class="{t.prefix}nav main-menu" aria-label="main"><ul>{items}</ul></nav>'
        f'<form class="{t.prefix}search" action="/search"><input type="search" name="q"></form>'
        "</header>"
    )


def _site_footer(site: Site, t: Template) -> str:
    e = escape
    *links, copyright_line = site.chrome.footer
    items = "".join(f'<li><a href="/{_slug(item)}">{e(item)}</a></li>' for item in links)
    return (
        f'<footer class="{t.prefix}footer site-footer"><ul>{items}</ul>'
        f'<p class="{t.prefix}copyright">{e(copyright_line)}</p></footer>'
    )


def _cookie_banner(site: Site, t: Template, labels: Labels) -> str:
    return (
        f'<div class="{t.prefix}cookie-consent" id="cookie-banner" role="dialog">'
        f"<p>{escape(site.chrome.cookie_banner)}</p>"
        f'<button type="button" class="accept">{escape(labels.cookie_accept)}</button></div>'
    )


def _most_read(site: Site, t: Template) -> str:
    e = escape
    items = "".join(f'<li><a href="/{_slug(h)}">{e(h)}</a></li>' for h in site.chrome.most_read)
    return (
        f'<aside class="{t.prefix}sidebar most-popular">'
        f'<div class="{t.prefix}widget-title">{e(site.chrome.most_read_heading)}</div><ol>{items}</ol></aside>'
    )


def _share_buttons(t: Template, labels: Labels, url: str, title: str) -> str:
    u = quote(url, safe="")
    text = quote(title, safe="")
    return (
        f'<div class="{t.prefix}share social-share"><span>{escape(labels.share)}</span>'
        f'<a class="facebook" href="https://www.facebook.com/sharer/sharer.php?u={u}">Facebook</a>'
        f'<a class="x" href="https://x.com/intent/post?url={u}&amp;text={text}">X</a>'
        f'<a class="whatsapp" href="https://wa.me/?text={u}">WhatsApp</a></div>'
    )


def _related_box(t: Template, labels: Labels, related: tuple[tuple[str, str], ...]) -> str:
    items = "".join(f'<li><a href="{escape(path)}">{escape(title)}</a></li>' for title, path in related)
    return (
        f'<section class="{t.prefix}related related-articles">'
        f'<div class="{t.prefix}box-title">{escape(labels.related)}</div><ul>{items}</ul></section>'
    )


def _comments_teaser(t: Template, labels: Labels, slug: str) -> str:
    count = zlib.crc32(slug.encode()) % 40
    return (
        f'<div class="{t.prefix}comment-teaser">'
        f'<a href="#komentar" class="show-comments">{escape(labels.comments)} ({count})</a></div>'
    )
