"""From a stored raw page to a decision: extract, clean, score, dedupe. Pure functions, no I/O."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlsplit

from datasketch import MinHash

from tasks.canonical import article_id, is_amp_url, resolve_canonical
from tasks.clean import RuleSet, clean_title, page_sections, strip_boilerplate
from tasks.dates.choice import DateChoice, choose, in_range
from tasks.dedupe import DedupeIndex, KnownArticle, minhash, signature_bytes, text_hash
from tasks.extract import EXTRACTOR_VERSION, ExtractedPage, extract_page
from tasks.models import ArticleRow, Outcome, PageLinesRow, RawPage, Removal, StoryRow
from tasks.relevance.score import Relevance, score_relevance
from tasks.relevance.topic import Topic
from tasks.stories import Fingerprint, fingerprint
from tasks.templates import apply_templates


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
    site: str  # host[:port] of the canonical URL: what site templates are learned per
    rule_lines: tuple[str, ...]  # after the rules, before site templates: what template learning reads
    template_version: int = 0
    dates: DateChoice | None = None  # the publication date chosen from every signal (tasks.dates)
    signature: MinHash | None = None  # near-duplicate signature, for pages that may become articles
    # names and figures for story linking (tasks.stories), for the same pages: made once, where the page is
    # analysed, and used by the batch's key lookup, its decision and its load
    fingerprint: Fingerprint | None = None

    @property
    def language(self) -> str | None:
        return self.page.language or self.raw.language_hint

    @property
    def published(self) -> datetime | None:
        """The publication instant the page is decided and keyed by: the chosen date, else the page's or the
        source's."""
        if self.dates is not None:
            return self.dates.published_at
        return self.page.published or self.raw.published_hint

    def portable(self) -> Analysed:
        """This result without the parsed tree and the page body: what deciding and loading need, picklable."""
        return replace(self, raw=replace(self.raw, html=""), page=replace(self.page, tree=None))


def rules_version(rules: RuleSet) -> str:
    """A short digest of the cleaning rules, so each article says which rules produced its text."""
    spec = sorted((r.id, r.scope, r.pattern.pattern, r.label.pattern if r.label else "") for r in rules.rules)
    return hashlib.sha256(repr(spec).encode("utf-8")).hexdigest()[:8]


def pipeline_version(rules: RuleSet) -> str:
    return f"{EXTRACTOR_VERSION}+rules-{rules_version(rules)}"


@dataclass(frozen=True)
class Templates:
    """One version of the learned site templates: site -> line keys."""

    version: int = 0
    sites: dict[str, frozenset[str]] = field(default_factory=dict)
    lead_lines: int = 2


def site_key(url: str) -> str:
    return urlsplit(url).netloc.lower()


def analyse(
    raw: RawPage, topic: Topic, rules: RuleSet | None = None, templates: Templates | None = None
) -> Analysed:
    fetched = raw.final_url or raw.url
    page = extract_page(raw.html, fetched, raw.fetched_at, language_hint=raw.language_hint)
    page.title, title_removed = clean_title(
        page.title,
        page.site,
        urlsplit(fetched).hostname,
        page.head_title,
        sections=page_sections(page.tree if page.tree is not None else raw.html),
    )
    canonical = resolve_canonical(fetched, page.canonical_url)
    language = page.language or raw.language_hint
    cleaned = strip_boilerplate(
        page.text, language=language, html=page.tree if page.tree is not None else raw.html, rules=rules
    )
    site = site_key(canonical)
    templates = templates or Templates()
    text, removed = cleaned.text, title_removed + list(cleaned.removed)
    keys = templates.sites.get(site)
    if keys:
        templated = apply_templates(cleaned.text, page.title, keys, templates.version, templates.lead_lines)
        text = templated.text
        # template positions count lines of the rule-cleaned text; the audit speaks of extracted lines
        removed += [Removal(r.snippet, r.rule, cleaned.positions[r.position]) for r in templated.removed]
        removed.sort(key=lambda r: r.position)
    relevance = score_relevance(page.title or "", text, topic, language=language)
    dates = choose(
        page.dates,
        hint=raw.published_hint,
        hint_kind=f"source:{raw.source}" if raw.source else "source",
        archived_at=raw.archived_at,
        fetched_at=raw.fetched_at,
    )
    candidate = bool(text) and relevance.relevant
    published = dates.published_at if dates is not None else page.published or raw.published_hint
    return Analysed(
        signature=minhash(text) if candidate else None,
        fingerprint=fingerprint(page.title or "", text, language, published) if candidate else None,
        raw=raw,
        page=page,
        canonical=canonical,
        text=text,
        removed=removed,
        relevance=relevance,
        digest=text_hash(text),
        is_amp=page.is_amp or is_amp_url(raw.url),
        site=site,
        rule_lines=tuple(line for line in cleaned.text.split("\n") if line.strip()),
        template_version=templates.version,
        dates=dates,
    )


def _published_key(item: Analysed) -> datetime | None:
    return item.published


def _decision_order(item: Analysed) -> tuple:
    # originals before their AMP variants, then first published first, so which copy counts as the article
    # does not depend on the order a feed happened to list pages in
    published = _published_key(item)
    return (item.is_amp, published is None, published.isoformat() if published else "", item.raw.url)


def decide(
    items: list[Analysed],
    index: DedupeIndex,
    version: str = EXTRACTOR_VERSION,
    published_range: tuple[datetime, datetime] | None = None,
) -> list[Outcome]:
    """Decide a batch against what is already loaded (`index`, updated in place).

    With `published_range` (a backfill's [start, end)), an on-topic page published outside it is left
    `out_of_range`: not loaded now, and not final either, so a backfill that covers its day loads it from raw.
    """
    outcomes = []
    for item in sorted(items, key=_decision_order):
        published = _published_key(item)
        lines = PageLinesRow(
            url=item.raw.url,
            site=item.site,
            day=item.dates.day if item.dates is not None else (published.date() if published else None),
            relevant=item.relevance.relevant,
            title=item.page.title,
            lines=item.rule_lines,
        )
        base = dict(
            lines=lines,
            url=item.raw.url,
            relevance=item.relevance.score,
            removed=item.removed,
            site=item.page.site,
            published_at=_published_key(item),
            dates=item.dates,
            language=item.language,
        )
        if not item.text:
            outcomes.append(Outcome(status="no_text", reason=f"extraction:{item.page.method}", **base))
            continue
        if not item.relevance.relevant:
            reason = item.relevance.reason
            outcomes.append(Outcome(status="irrelevant", reason=reason, **base))
            continue
        signature = item.signature if item.signature is not None else minhash(item.text)
        published = _published_key(item)
        if published_range and published and not in_range(item.dates, published, published_range):
            outcomes.append(Outcome(status="out_of_range", reason=f"published:{published.date()}", **base))
            continue
        aid = article_id(item.canonical)
        known = KnownArticle(
            aid, item.canonical, item.digest, None, item.page.title, item.text, item.language, published
        )
        story = None
        dup = index.check(item.canonical, item.digest, item.raw.final_url or item.raw.url, is_amp=item.is_amp)
        if dup is None:
            dup, story = index.relate(known, signature, item.fingerprint)
        if dup is not None:
            evidence = dup.evidence or {"kind": dup.kind}
            outcomes.append(
                Outcome(
                    status="duplicate",
                    reason=dup.kind,
                    article_id=dup.article_id,
                    sighting_kind=dup.kind,
                    similarity=dup.similarity,
                    story=StoryRow(
                        dup.story_id or dup.article_id, "copy", dup.article_id, dup.similarity, evidence
                    ),
                    **base,
                )
            )
            continue
        keys = index.add(
            aid, item.canonical, item.digest, signature, article=known, story=story, fp=item.fingerprint
        )
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
            story_id=story.story_id,
            extraction_method=item.page.method,
            extractor_version=version,
            template_version=item.template_version,
            signature=signature_bytes(signature),
            language_confidence=item.page.language_confidence,
            language_method=item.page.language_method,
            language_claimed=item.page.language_claimed,
            relevance_reason=item.relevance.reason,
            keys=keys,
            marks=index.marks(known, item.fingerprint),
        )
        story_row = StoryRow(
            story.story_id, story.relation, story.linked_to, story.similarity, story.evidence, story.merged
        )
        outcomes.append(Outcome(status="loaded", article_id=aid, article=row, story=story_row, **base))
    return outcomes
