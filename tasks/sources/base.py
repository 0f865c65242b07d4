"""The base of the search and history sources (`WindowedSource`): what one search of a window gives
(`SearchResult`, `ArchivedCopy`), how it becomes a stream of candidates with its report in the source's state
(`absorb`), and the check of a source's options."""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from tasks.models import Candidate, Source
from tasks.sources import Fetch
from tasks.sources.state import SourceState
from tasks.sources.window import Window


@dataclass(frozen=True)
class ArchivedCopy:
    """Where a web archive holds a page: fetch `archive_url` and store the page under its original URL."""

    original: str  # the URL as the archive recorded it
    archive_url: str  # raw (id_) copy, without the archive's toolbar or rewritten links
    timestamp: datetime  # when the archive captured it


@dataclass
class SearchResult:
    candidates: list[Candidate] = field(default_factory=list)
    requests: int = 0  # HTTP requests the source made (robots.txt and retries inside the fetcher not counted)
    # what was found but could not be turned into an article URL: url, title, outlet, language, published, why
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # deliberate skips and limits: not failures
    errors: list[str] = field(default_factory=list)  # failures; asking again later may help
    finished: list[str] = field(default_factory=list)  # units of work done for good (GKG file names)
    archived: dict[str, ArchivedCopy] = field(default_factory=dict)  # candidate URL -> archived copy (CDX)
    stats: dict[str, float] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    def add(self, candidate: Candidate) -> bool:
        """Add a candidate unless its URL is already there; True when added."""
        if candidate.url in self._seen:
            return False
        self._seen.add(candidate.url)
        self.candidates.append(candidate)
        return True


class WindowedSource:
    """Base of the search and history sources: `stream` over what `search` finds for a window.

    Subclasses implement `discover(source, window, fetch, *, now)` -> SearchResult (or override `search`
    to hand it their own state, as GKG does with the files already read).
    """

    kind: ClassVar[str]
    windowed: ClassVar[bool] = True
    takes_languages: ClassVar[bool] = False  # the backfill's --languages narrow its queries
    # asked by the nightly's search pass unless its config says `nightly = false` (or true, to opt in)
    nightly: ClassVar[bool] = True
    # the nightly resumes it after the end of the last window it answered without error (sources.searched_until);
    # False for a source whose state already says what it has read (GKG: the files done)
    resumes_by_mark: ClassVar[bool] = True
    config: Source

    @classmethod
    def from_options(cls, options: dict[str, Any], topic: Any) -> WindowedSource:
        raise NotImplementedError

    @classmethod
    def from_config(
        cls, config: Source, topic: Any = None, languages: Collection[str] | None = None
    ) -> WindowedSource:
        options = dict(config.options or {})
        if languages and cls.takes_languages:
            options["languages"] = sorted(languages)
        source = cls.from_options(options, topic)
        source.config = config
        return source

    def discover(self, source: Source, window: Window, fetch: Fetch, *, now: datetime) -> SearchResult:
        raise NotImplementedError

    def narrowed(self, languages: Sequence[str]) -> WindowedSource:
        """The same source asking only `languages` (a source that takes languages); its pacing is shared."""
        other = copy.copy(self)
        other.languages = tuple(languages)  # type: ignore[attr-defined]
        return other

    def search(self, window: Window, fetch: Fetch, state: SourceState, *, now: datetime) -> SearchResult:
        return self.discover(self.config, window, fetch, now=now)

    def stream(
        self, window: Window | None, fetch: Fetch, state: SourceState, *, now: datetime
    ) -> Iterator[Candidate]:
        if window is None:
            state.notes.append(f"{self.kind}: answers for a time window; none given")
            return
        yield from absorb(self.search(window, fetch, state, now=now), state)


def absorb(result: SearchResult, state: SourceState) -> Iterator[Candidate]:
    """Move a SearchResult's report into `state` and yield its candidates (archived copies attached)."""
    state.requests += result.requests
    state.unresolved += result.unresolved
    state.notes += result.notes
    state.errors += result.errors
    state.finished += result.finished
    state.done.update(result.finished)
    state.stats.update(result.stats)
    for candidate in result.candidates:
        copy = result.archived.get(candidate.url)
        if copy is not None:
            candidate.fetch_url, candidate.archived_at = copy.archive_url, copy.timestamp
        state.items += 1
        yield candidate


def check_options(kind: str, options: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValueError(f"{kind} source: unknown option(s) {', '.join(unknown)}; allowed: {sorted(allowed)}")
