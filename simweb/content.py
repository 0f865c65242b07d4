"""Publisher content: the JSON files in simweb/sites/ loaded into frozen records.

The format is described in simweb/README.md. Loading is strict: a file that breaks the format fails
with the file, article and field named, because a silently skipped page would make the ground truth lie.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simweb.blocks import BLOCK_KINDS, BP_CLASSES, CONTENT_KINDS, Block, SiteFormatError
from simweb.seeds import seed_blocks

SITES_DIR = Path(__file__).parent / "sites"

FEED_KINDS = ("rss", "atom")


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    published: datetime  # aware, UTC
    author: str
    on_topic: bool
    blocks: tuple[Block, ...]
    section: str  # first path segment; an article may override its site's section (e.g. "premium")
    amp: bool = False  # also served as /amp/<path>, listed in the news sitemap
    feed_query: str = ""  # tracking parameters the feed appends to this article's link
    syndicated_from: tuple[str, str] | None = None  # (publisher, slug) of the original story
    listed: bool = True  # in the site's feed, news sitemap and home page (False: found only through search)

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.published:%Y/%m/%d}/{self.slug}.html"

    @property
    def amp_path(self) -> str:
        return "/amp" + self.path

    @property
    def content_lines(self) -> list[str]:
        return [line for b in self.blocks if (line := b.content_line) is not None]

    @property
    def boilerplate_lines(self) -> list[str]:
        return [line for b in self.blocks if (line := b.boilerplate_line) is not None]


@dataclass(frozen=True)
class Document:
    """A non-HTML file a feed links to (served as a PDF)."""

    slug: str
    title: str
    published: datetime
    section: str
    on_topic: bool = True

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.published:%Y/%m/%d}/{self.slug}.pdf"


@dataclass(frozen=True)
class Chrome:
    nav: tuple[str, ...]
    cookie_banner: str
    most_read_heading: str
    most_read: tuple[str, ...]
    footer: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    name: str
    display_name: str
    language: str
    feed: str  # "rss" or "atom"
    section: str
    chrome: Chrome
    articles: tuple[Article, ...]
    template: str | None = None  # page template name; None lets the renderer pick one from the name
    robots_disallow: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()
    search_only: bool = False  # newsmon follows no feed or sitemap of it (simweb/searchonly.py)


def load_sites(directory: Path = SITES_DIR) -> list[Site]:
    """Every `*.json` site in `directory`, ordered by file name."""
    files = sorted(directory.glob("*.json"))
    raw_sites = {}
    for path in files:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise SiteFormatError(f"{path.name}: not valid JSON: {exc}") from exc
        if not isinstance(raw, dict):
            raise SiteFormatError(f"{path.name}: the file must hold one JSON object")
        name = _field(raw, "name", str, path.name)
        if name in raw_sites:
            raise SiteFormatError(f"{path.name}: publisher name {name!r} is used by another file")
        raw_sites[name] = (path.name, raw)
    return [_site(file_name, raw, raw_sites) for file_name, raw in raw_sites.values()]


def _site(file_name: str, raw: dict[str, Any], raw_sites: dict[str, tuple[str, dict[str, Any]]]) -> Site:
    where = file_name
    feed = _field(raw, "feed", str, where)
    if feed not in FEED_KINDS:
        raise SiteFormatError(f"{where}: feed must be one of {FEED_KINDS}, not {feed!r}")
    section = _field(raw, "section", str, where)
    chrome_raw = _field(raw, "chrome", dict, where)
    chrome = Chrome(
        nav=tuple(_strings(chrome_raw, "nav", f"{where} chrome")),
        cookie_banner=_field(chrome_raw, "cookie_banner", str, f"{where} chrome"),
        most_read_heading=_field(chrome_raw, "most_read_heading", str, f"{where} chrome"),
        most_read=tuple(_strings(chrome_raw, "most_read", f"{where} chrome")),
        footer=tuple(_strings(chrome_raw, "footer", f"{where} chrome")),
    )
    articles = tuple(
        _article(a, section, f"{where}: article {i}", raw_sites)
        for i, a in enumerate(_field(raw, "articles", list, where))
    )
    if "body_footer" in raw:
        footer = Block("bp", text=_field(raw, "body_footer", str, where), css_class="tagline")
        articles = tuple(replace(a, blocks=(*a.blocks, footer)) for a in articles)
    slugs = [a.slug for a in articles]
    if len(set(slugs)) != len(slugs):
        raise SiteFormatError(f"{where}: article slugs must be unique")
    documents = tuple(
        Document(
            slug=_field(d, "slug", str, f"{where}: document"),
            title=_field(d, "title", str, f"{where}: document"),
            published=_utc(_field(d, "published", str, f"{where}: document"), where),
            section=d.get("section", section),
            on_topic=bool(d.get("on_topic", True)),
        )
        for d in raw.get("documents", [])
    )
    return Site(
        name=_field(raw, "name", str, where),
        display_name=_field(raw, "display_name", str, where),
        language=_field(raw, "language", str, where),
        feed=feed,
        section=section,
        chrome=chrome,
        articles=articles,
        template=raw.get("template"),
        robots_disallow=tuple(raw.get("robots_disallow", [])),
        documents=documents,
    )


def _article(
    raw: dict[str, Any], site_section: str, where: str, raw_sites: dict[str, tuple[str, dict[str, Any]]]
) -> Article:
    slug = _field(raw, "slug", str, where)
    where = f"{where} ({slug})"
    syndicated_from = None
    original: dict[str, Any] | None = None
    if "syndicated_from" in raw:
        publisher, _, original_slug = _field(raw, "syndicated_from", str, where).partition("/")
        original = _find_article(raw_sites, publisher, original_slug, where)
        syndicated_from = (publisher, original_slug)
    if original is not None:
        if "syndicated_from" in original:
            raise SiteFormatError(f"{where}: the original of a syndicated article cannot be a copy itself")
        original_blocks = _own_blocks(original, f"{where} original")
        blocks = _syndicated_blocks(_field(raw, "blocks", list, where), original_blocks, where)
    else:
        blocks = _own_blocks(raw, where)
    on_topic = raw.get("on_topic", original.get("on_topic") if original else None)
    if not isinstance(on_topic, bool):
        raise SiteFormatError(f"{where}: on_topic must be true or false")
    return Article(
        slug=slug,
        title=_field(raw, "title", str, where),
        published=_utc(_field(raw, "published", str, where), where),
        author=_field(raw, "author", str, where),
        on_topic=on_topic,
        blocks=blocks,
        section=raw.get("section", site_section),
        amp=bool(raw.get("amp", False)),
        feed_query=raw.get("feed_query", ""),
        syndicated_from=syndicated_from,
        listed=bool(raw.get("listed", True)),
    )


def _own_blocks(raw: dict[str, Any], where: str) -> tuple[Block, ...]:
    if "seed" in raw:
        seed = _field(raw, "seed", dict, where)
        return seed_blocks(_field(seed, "name", str, where), _strings(seed, "bp_classes", where))
    return tuple(_block(b, where) for b in _field(raw, "blocks", list, where))


def _syndicated_blocks(
    raw_blocks: list[dict[str, Any]], original_blocks: tuple[Block, ...], where: str
) -> tuple[Block, ...]:
    """A copy's body: its own blocks, with each {"original": [start, end]} replaced by that slice of the
    original's content blocks. Inline insertions belong to the original site's chrome, so a copy
    republishes those paragraphs without them."""
    content = [b for b in original_blocks if b.kind in CONTENT_KINDS]
    republished = [Block("p", text=b.content_line or "") if b.kind == "p_with_inline" else b for b in content]
    blocks: list[Block] = []
    for raw in raw_blocks:
        if "original" not in raw:
            blocks.append(_block(raw, where))
            continue
        bounds = raw["original"]
        if not (isinstance(bounds, list) and len(bounds) == 2):
            raise SiteFormatError(f"{where}: 'original' must be [start, end] (end may be null)")
        blocks.extend(republished[bounds[0] : bounds[1]])
    return tuple(blocks)


def _block(raw: dict[str, Any], where: str) -> Block:
    if not isinstance(raw, dict):
        raise SiteFormatError(f"{where}: every block must be a JSON object")
    if "p" in raw:
        return Block("p", text=_field(raw, "p", str, where))
    if "h2" in raw:
        return Block("h2", text=_field(raw, "h2", str, where))
    if "bp" in raw:
        css_class = _field(raw, "class", str, where)
        if css_class not in BP_CLASSES:
            raise SiteFormatError(f"{where}: bp class must be one of {BP_CLASSES}, not {css_class!r}")
        return Block("bp", text=_field(raw, "bp", str, where), css_class=css_class)
    if "related_inline" in raw:
        return Block(
            "related_inline",
            label=_field(raw, "label", str, where),
            links=tuple(_strings(raw, "related_inline", where)),
        )
    if "p_with_inline" in raw:
        halves = _strings(raw, "p_with_inline", where)
        if len(halves) != 2:
            raise SiteFormatError(f"{where}: p_with_inline needs exactly two text halves")
        return Block(
            "p_with_inline",
            label=_field(raw, "label", str, where),
            links=tuple(_strings(raw, "links", where)),
            halves=(halves[0], halves[1]),
        )
    if "original" in raw:
        raise SiteFormatError(f"{where}: an 'original' block is only allowed in a syndicated article")
    raise SiteFormatError(f"{where}: unknown block {sorted(raw)}; expected one of {BLOCK_KINDS}")


def _find_article(
    raw_sites: dict[str, tuple[str, dict[str, Any]]], publisher: str, slug: str, where: str
) -> dict[str, Any]:
    if publisher not in raw_sites:
        raise SiteFormatError(f"{where}: syndicated_from names unknown publisher {publisher!r}")
    for article in raw_sites[publisher][1].get("articles", []):
        if article.get("slug") == slug:
            return article
    raise SiteFormatError(f"{where}: syndicated_from names unknown article {publisher}/{slug}")


def _field(raw: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise SiteFormatError(f"{where}: missing {key!r}")
    value = raw[key]
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise SiteFormatError(f"{where}: {key!r} must be a non-empty {kind.__name__}")
    return value


def _strings(raw: dict[str, Any], key: str, where: str) -> list[str]:
    values = _field(raw, key, list, where)
    if not all(isinstance(v, str) for v in values):
        raise SiteFormatError(f"{where}: {key!r} must be a list of strings")
    return values


def _utc(text: str, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SiteFormatError(f"{where}: bad timestamp {text!r}") from exc
    if value.tzinfo is None:
        raise SiteFormatError(f"{where}: timestamp {text!r} needs a time zone (use Z for UTC)")
    return value.astimezone(UTC)
