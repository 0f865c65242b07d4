"""Candidate sources of every kind behind one protocol, and the registry of kinds.

Feeds and sitemaps (tasks.discover) only show what a site lists today. Search and history sources (Google News
RSS search, the GDELT DOC API, GDELT GKG files, Wayback CDX) answer for a time window instead, which is what a
backfill needs: ask each for [start, end) and get candidate URLs, plus what could not be resolved, notes (what
was skipped and why) and errors (what failed and may be retried).

Every request goes through the `fetch` callable the caller passes, so pacing, robots.txt, retries, deadlines
and the SSRF guard stay in one place. Search services answer in JSON, plain text and zip, and Google's URL
decoder needs a POST; `ServiceFetcher` (service.py) does both through `Fetcher.request`.

All kinds, listings included, are reached through one protocol (`CandidateSource.stream`) and one registry
(`KINDS`, `open_source`). The rest of the package, by idea:
  window.py    the time window a source is asked for
  base.py      the base of the search and history sources and what one search gives
  service.py   requests for search services (ServiceFetcher, Pacer, CountingFetch)
  nightly.py   what the nightly's search pass asks of each search source
  state.py     a source's incremental state
  gnews.py (its links decoded in gnews_decode.py, else found in outlets.py), gdelt.py, gkg.py (gkgfile.py),
  cdx.py: the kinds
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from tasks.models import Candidate, FetchResult, Source
from tasks.sources.state import SourceState

if TYPE_CHECKING:
    from tasks.sources.base import SearchResult
    from tasks.sources.window import Window

__all__ = [
    "KINDS",
    "CandidateSource",
    "Fetch",
    "PostForm",
    "SearchSource",
    "build_source",
    "open_source",
    "source_class",
    "windowed",
]


class Fetch(Protocol):
    def __call__(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult: ...


class PostForm(Protocol):
    def __call__(self, url: str, form: Mapping[str, str]) -> FetchResult: ...


class SearchSource(Protocol):
    kind: str

    def discover(self, source: Source, window: Window, fetch: Fetch, *, now: datetime) -> SearchResult: ...


class CandidateSource(Protocol):
    """One configured source of candidate URLs, of any kind.

    `stream` yields candidates for `window` (listings, which answer for no window, ignore it) and keeps its
    incremental state in `state`: it reads what earlier runs left there and writes back what changed, which
    the caller saves with `tasks.repos.sources.save_states` after the stream ends.
    """

    kind: ClassVar[str]
    windowed: ClassVar[bool]  # answers for a time window (backfills) rather than listing what is there today
    config: Source

    def stream(
        self, window: Window | None, fetch: Fetch, state: SourceState, *, now: datetime
    ) -> Iterator[Candidate]: ...


KINDS = {
    "rss": "tasks.discover:FeedSource",
    "sitemap": "tasks.discover:SitemapSource",
    "gnews": "tasks.sources.gnews:GoogleNewsSource",
    "gdelt": "tasks.sources.gdelt:GdeltDocSource",
    "gkg": "tasks.sources.gkg:GkgSource",
    "cdx": "tasks.sources.cdx:CdxSource",
}


def source_class(kind: str) -> type:
    """The class implementing a source kind (imported on first use)."""
    try:
        module_name, _, class_name = KINDS[kind].partition(":")
    except KeyError:
        raise ValueError(f"unknown source kind {kind!r}; expected one of {sorted(KINDS)}") from None
    return getattr(importlib.import_module(module_name), class_name)


def open_source(
    config: Source, topic: Any = None, languages: Collection[str] | None = None
) -> CandidateSource:
    """The source object for a configured source: `for candidate in open_source(s).stream(...)`."""
    return source_class(config.kind).from_config(config, topic, languages)


def windowed(config: Source) -> bool:
    """True for sources that answer for a time window (backfills); False for listings (feeds, sitemaps)."""
    return bool(source_class(config.kind).windowed)


def build_source(kind: str, options: Mapping[str, Any] | None = None, topic: Any = None) -> SearchSource:
    """A search source from its kind and the `options` table of its config entry.

    `topic` (tasks.relevance.topic.Topic) is needed by gnews and gdelt for their queries.
    """
    cls = source_class(kind)
    return cls.from_options(dict(options or {}), topic)
