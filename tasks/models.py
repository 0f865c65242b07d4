"""Plain records passed between stages. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Source:
    """A configured place to discover articles from."""

    name: str
    kind: str  # rss | sitemap | gnews | gdelt | gkg | cdx
    url: str
    language: str | None = None
    delay: float = 1.0  # seconds between requests to this source's host
    options: dict | None = field(
        default=None, compare=False, hash=False
    )  # per-kind settings (search sources)
    nightly: bool | None = field(default=None, compare=False, hash=False)  # search sources: asked nightly


@dataclass
class Candidate:
    """A URL some source says may be an article."""

    url: str
    source: str
    title: str | None = None
    published: datetime | None = None
    language: str | None = None
    fetch_url: str | None = None  # fetch from here instead (a raw web-archive copy)
    archived_at: datetime | None = None


@dataclass
class Attempt:
    """One HTTP request made while fetching a URL (retries and redirects are attempts too)."""

    url: str
    status: int | None
    error: str | None
    elapsed_ms: int


@dataclass
class FetchResult:
    url: str  # the URL asked for
    final_url: str | None = None  # after redirects
    status: int | None = None  # final HTTP status, None when no response
    ok: bool = False
    error: str | None = None  # short machine-readable reason: robots, ssrf, timeout, too_large, ...
    permanent: bool = False  # True when retrying later cannot help (404, robots, ssrf, content type, ...)
    content_type: str | None = None
    encoding: str | None = None  # codec the text was decoded with (None for binary bodies)
    encoding_reason: str | None = None  # why that codec: bom, nul_pattern, valid_utf8, header, declared, ...
    charset: str | None = None  # the charset parameter of the Content-Type header, as sent (lower case)
    body: bytes | None = (
        None  # the raw body bytes as received (after Content-Encoding), kept for reprocessing
    )
    text: str | None = None  # decoded body for text content
    etag: str | None = None
    last_modified: str | None = None
    elapsed_ms: int = 0
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return len(self.body) if self.body is not None else 0


@dataclass
class Removal:
    """A snippet the cleaner cut from an article body."""

    snippet: str
    rule: str  # rule id, or "site-template"
    position: int  # index of the line in the extracted text it came from


@dataclass
class CleanResult:
    text: str
    removed: list[Removal] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # input line index of each output line, when known


@dataclass
class RawPage:
    url: str  # canonical URL it was fetched under
    final_url: str | None
    html: str
    fetched_at: datetime
    source: str | None = None
    language_hint: str | None = None
    published_hint: datetime | None = None
    archived_at: datetime | None = None  # the archive's capture time of the copy fetched, if any


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
    template_version: int = 0
    signature: bytes | None = None  # MinHash, for near-duplicate detection
    # language identification and relevance reason (migration 025), written with the article row
    language_confidence: float | None = None
    language_method: str | None = None
    language_claimed: str | None = None
    relevance_reason: str | None = None
    keys: tuple[str, ...] | None = None  # its dedupe_keys, as decided (None: the load derives them)
    marks: str | None = None  # its fingerprint for story linking (article_marks), as decided


@dataclass(frozen=True)
class PageLinesRow:
    url: str
    site: str
    day: date | None
    relevant: bool
    title: str | None
    lines: tuple[str, ...]


@dataclass(frozen=True)
class StoryRow:
    """One page's place in a story: how it relates to the article it was linked by, and the evidence."""

    story_id: str
    relation: str  # original | copy | translation | report
    linked_to: str | None = None
    similarity: float = 1.0
    evidence: dict | None = None
    merged: tuple[str, ...] = ()  # story ids this page merged into story_id


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
    similarity: float = 1.0
    site: str | None = None
    published_at: datetime | None = None
    lines: PageLinesRow | None = None  # what site-template learning keeps of the page
    dates: object | None = None  # tasks.dates.choice.DateChoice: every date signal and the one chosen
    language: str | None = None
    story: StoryRow | None = None  # the story this page joins (loaded and duplicate pages)
