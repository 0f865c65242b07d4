"""From a stored raw page to a decision: extract, clean, score, dedupe. Pure functions, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tasks.canonical import article_id, is_amp_url, resolve_canonical
from tasks.clean import RuleSet, strip_boilerplate
from tasks.dedupe import DedupeIndex, text_hash
from tasks.extract import EXTRACTOR_VERSION, ExtractedPage, extract_page
from tasks.models import Removal
from tasks.relevance import Relevance, Topic, score_relevance


@dataclass
class RawPage:
    url: str  # canonical URL it was fetched under
    final_url: str | None
    html: str
    fetched_at: datetime
    source: str | None = None
    language_hint: str | None = None
    published_hint: datetime | None = None


@dataclass
class Analysed:
    raw: RawPage
    page: ExtractedPage
    canonical: str
    text: str
    removed: list[Removal]
    relevance: Relevance
    digest: str
    is_amp: bool

    @property
    def language(self) -> str | None:
        return self.page.language or self.raw.language_hint


@dataclass
class ArticleRow:
    article_id: str
    url: str
    canonical_url: str
    title: str | None
    authors: list[str]
    published_at: datetime | None
    language: str | None
    site: str | None
    source: str | None
    text: str
    text_hash: str
    relevance: float
    matched_terms: dict[str, list[str]]
    story_id: str
    extraction_method: str
    extractor_version: str


@dataclass
class Outcome:
    """What became of one URL: its final status and the rows it produces."""

    url: str
    status: str  # loaded | duplicate | irrelevant | no_text
    reason: str | None = None
    relevance: float | None = None
    article_id: str | None = None
    article: ArticleRow | None = None
    removed: list[Removal] = field(default_factory=list)
    sighting_kind: str | None = None
    site: str | None = None
    published_at: datetime | None = None


def analyse(raw: RawPage, topic: Topic, rules: RuleSet | None = None) -> Analysed:
    fetched = raw.final_url or raw.url
    page = extract_page(raw.html, fetched)
    canonical = resolve_canonical(fetched, page.canonical_url)
    language = page.language or raw.language_hint
    cleaned = strip_boilerplate(page.text, language=language, html=raw.html, rules=rules)
    relevance = score_relevance(page.title or "", cleaned.text, topic, language=language)
    return Analysed(
        raw=raw,
        page=page,
        canonical=canonical,
        text=cleaned.text,
        removed=cleaned.removed,
        relevance=relevance,
        digest=text_hash(cleaned.text),
        is_amp=page.is_amp or is_amp_url(raw.url),
    )



def _published_key(item: Analysed) -> datetime | None:
    return item.page.published or item.raw.published_hint


def _decision_order(item: Analysed) -> tuple:
    # originals before their AMP variants, then first published first, so which copy counts as the article
    # does not depend on the order a feed happened to list pages in
    published = _published_key(item)
    return (item.is_amp, published is None, published.isoformat() if published else "", item.raw.url)


def decide(items: list[Analysed], index: DedupeIndex) -> list[Outcome]:
    """Decide a batch against what is already loaded (`index`, updated in place)."""
    outcomes = []
    for item in sorted(items, key=_decision_order):
        base = dict(url=item.raw.url, relevance=item.relevance.score, removed=item.removed,
                    site=item.page.site, published_at=_published_key(item))
        if not item.text:
            outcomes.append(Outcome(status="no_text", reason=f"extraction:{item.page.method}", **base))
            continue
        if not item.relevance.relevant:
            reason = "off_topic:" + ",".join(sorted(item.relevance.matched)) if item.relevance.matched else "off_topic"
            outcomes.append(Outcome(status="irrelevant", reason=reason, **base))
            continue
        dup = index.check(item.canonical, item.digest, item.raw.final_url or item.raw.url, is_amp=item.is_amp)
        if dup is not None:
            outcomes.append(Outcome(status="duplicate", reason=dup.kind, article_id=dup.article_id,
                                    sighting_kind=dup.kind, **base))
            continue
        aid = article_id(item.canonical)
        index.add(aid, item.canonical, item.digest)
        row = ArticleRow(
            article_id=aid,
            url=item.raw.final_url or item.raw.url,
            canonical_url=item.canonical,
            title=item.page.title,
            authors=item.page.authors,
            published_at=_published_key(item),
            language=item.language,
            site=item.page.site,
            source=item.raw.source,
            text=item.text,
            text_hash=item.digest,
            relevance=item.relevance.score,
            matched_terms=item.relevance.matched,
            story_id=aid,
            extraction_method=item.page.method,
            extractor_version=EXTRACTOR_VERSION,
        )
        outcomes.append(Outcome(status="loaded", article_id=aid, article=row, **base))
    return outcomes
