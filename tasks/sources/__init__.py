"""Search and history sources: Google News RSS search, the GDELT DOC API, GDELT GKG files, Wayback CDX.

Feeds and sitemaps (tasks.discover) only show what a site lists today. These sources answer for a time
window instead, which is what a backfill needs: ask each for [start, end) and get candidate URLs, plus
what could not be resolved, notes (what was skipped and why) and errors (what failed and may be retried).

Every request goes through the `fetch` callable the caller passes, so pacing, robots.txt, retries, deadlines
and the SSRF guard stay in one place. Search services answer in JSON, plain text and zip, and Google's URL
decoder needs a POST; `ServiceFetcher` does both through `Fetcher.request`.

All kinds, listings included, are reached through one protocol (`CandidateSource.stream`) and one registry
(`KINDS`, `open_source`).
"""

from __future__ import annotations

import copy
import importlib
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Protocol
from urllib.parse import urlencode

from tasks.fetch import ANY_TYPE, Fetcher, FetchPolicy
from tasks.models import Candidate, FetchResult, Source
from tasks.sources.state import SourceState

__all__ = [
    "ArchivedCopy",
    "CandidateSource",
    "Fetch",
    "Pacer",
    "PostForm",
    "SearchResult",
    "SearchSource",
    "ServiceFetcher",
    "SourceState",
    "WindowedSource",
    "Window",
    "build_source",
    "in_nightly",
    "nightly_window",
    "open_source",
    "source_class",
    "windowed",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    """A half-open UTC time range [start, end)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Window needs aware datetimes")
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))
        if self.start >= self.end:
            raise ValueError(f"empty window: {self.start.isoformat()} >= {self.end.isoformat()}")

    @property
    def span(self) -> timedelta:
        return self.end - self.start

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def clip(self, start: datetime | None = None, end: datetime | None = None) -> Window | None:
        """The part of this window inside [start, end), or None when nothing is left."""
        lo = max(self.start, start) if start is not None else self.start
        hi = min(self.end, end) if end is not None else self.end
        return Window(lo, hi) if lo < hi else None

    def aligned(self, step: timedelta) -> Window:
        """The smallest window of whole `step`s (counted from the Unix epoch) that covers this one."""
        return Window(floor_time(self.start, step), ceil_time(self.end, step))

    def split(self, step: timedelta) -> tuple[Window, Window] | None:
        """Two halves cut at a multiple of `step`, or None when the window is a single step or less."""
        middle = floor_time(self.start + self.span / 2, step)
        if middle <= self.start:
            middle = floor_time(self.start, step) + step
        if middle >= self.end:
            return None
        return Window(self.start, middle), Window(middle, self.end)

    def __str__(self) -> str:
        return f"{_short(self.start)}/{_short(self.end)}"


def _short(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d" if moment.time() == datetime.min.time() else "%Y-%m-%dT%H:%MZ")


def floor_time(moment: datetime, step: timedelta) -> datetime:
    return moment - (moment - EPOCH) % step


def ceil_time(moment: datetime, step: timedelta) -> datetime:
    rest = (moment - EPOCH) % step
    return moment if not rest else moment - rest + step


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


class Fetch(Protocol):
    def __call__(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult: ...


class PostForm(Protocol):
    def __call__(self, url: str, form: Mapping[str, str]) -> FetchResult: ...


class SearchSource(Protocol):
    kind: str

    def discover(self, source: Source, window: Window, fetch: Fetch, *, now: datetime) -> SearchResult: ...


def poster_of(fetch: Fetch) -> PostForm | None:
    """The POST callable that goes with `fetch`: a ServiceFetcher passed as itself or as its bound `fetch`."""
    owner = getattr(fetch, "__self__", fetch)
    post = getattr(owner, "post", None)
    return post if callable(post) else None


class CountingFetch:
    """Wraps a fetch (and its POST, when it has one) to count the requests a source makes."""

    def __init__(self, fetch: Fetch) -> None:
        self._fetch = fetch
        self._post = poster_of(fetch)
        self.count = 0

    @property
    def can_post(self) -> bool:
        return self._post is not None

    def __call__(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        self.count += 1
        return self._fetch(url, etag=etag, last_modified=last_modified)

    def post(self, url: str, form: Mapping[str, str]) -> FetchResult:
        if self._post is None:
            raise RuntimeError("this fetch cannot POST")
        self.count += 1
        return self._post(url, form)


class Pacer:
    """At most one request per `interval` seconds, start to start (GDELT asks for one every 5 s).

    The clock and sleep are injectable so the pacing can be tested without waiting.
    """

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> float:
        """Sleep until the next request may start; returns the seconds slept."""
        slept = 0.0
        if self._last is not None:
            slept = self.interval - (self._clock() - self._last)
            if slept > 0:
                self._sleep(slept)
            else:
                slept = 0.0
        self._last = self._clock()
        return slept


class ServiceFetcher:
    """Requests for search APIs and data files, made through a `Fetcher` it holds (composition).

    Any content type, a larger byte cap, and form POSTs, with the Fetcher's manners (robots.txt, per-host
    pacing, retries honouring Retry-After, deadlines, SSRF guard). It is callable like `Fetcher.fetch`
    and has `post(url, form)` for the one exchange that needs it (Google News' batchexecute URL decoder).
    Give it a `fetcher` to share one with the pages' fetch, or a `policy` to get its own.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        max_bytes: int | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self._owned = fetcher is None
        self.fetcher = fetcher if fetcher is not None else Fetcher(policy)
        self.policy = self.fetcher.policy
        self.max_file_bytes = max_bytes or self.policy.max_bytes
        self._local = threading.local()  # the calling thread's deadline (`within`)

    @contextmanager
    def within(self, seconds: float | None) -> Iterator[None]:
        """Requests this thread makes in the block end within `seconds` from now, retries and waits included
        (what is left is reported as "budget"); None: no limit beyond the policy's own deadlines."""
        previous = getattr(self._local, "deadline", None)
        self._local.deadline = None if seconds is None else time.monotonic() + seconds
        try:
            yield
        finally:
            self._local.deadline = previous

    def _deadline(self) -> float | None:
        return getattr(self._local, "deadline", None)

    def __enter__(self) -> ServiceFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self.fetcher.close()

    def __call__(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        return self.fetch(url, etag=etag, last_modified=last_modified)

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = self.fetcher.request(
            url, accept=ANY_TYPE, max_bytes=self.max_file_bytes, headers=headers, deadline=self._deadline()
        )
        if result.status == 304:
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        return result

    def post(self, url: str, form: Mapping[str, str]) -> FetchResult:
        """POST a urlencoded form; retried like a GET, never redirected."""
        return self.fetcher.request(
            url,
            "POST",
            urlencode(form).encode("utf-8"),
            accept=ANY_TYPE,
            max_bytes=self.max_file_bytes,
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
            deadline=self._deadline(),
        )


# --- the source protocol ----------------------------------------------------------------------------


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


# --- registry ---------------------------------------------------------------------------------------

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


def in_nightly(config: Source) -> bool:
    """True for a search source the nightly's search pass asks: its `nightly` setting, else its kind's default
    (Google News and GDELT DOC yes; GKG files and Wayback CDX, which are for history, no)."""
    if not windowed(config):
        return False
    if config.nightly is not None:
        return bool(config.nightly)
    return bool(source_class(config.kind).nightly)


def nightly_window(
    config: Source,
    now: datetime,
    length: timedelta,
    searched_until: datetime | None,
    overlap: timedelta = timedelta(0),
) -> Window | None:
    """The window the nightly asks a search source for: the last `length` before `now`, starting no earlier than
    `overlap` before where the previous nightly's answered window ended (so a second run the same day asks only
    what is new, plus the last hours again for items the service indexed late). None when nothing is left to ask.
    """
    start = now - length
    # a mark after `now` means the clock was moved back (a run against the simulated web): it is not used
    if searched_until is not None and searched_until <= now and source_class(config.kind).resumes_by_mark:
        if searched_until >= now:
            return None
        start = max(start, searched_until - overlap)
    return Window(start, now) if start < now else None


def search_languages(config: Source, opened: Any) -> list[str] | None:
    """The languages a search source asks one query each for (its own `language`, else those of the opened
    source: its `languages` option or the topic's), each keeping its own nightly mark; None for a source
    not asked per language."""
    if not getattr(type(opened), "takes_languages", False):
        return None
    if config.language:
        return [config.language]
    languages = getattr(opened, "languages", None)
    return list(languages) if languages else None


def build_source(kind: str, options: Mapping[str, Any] | None = None, topic: Any = None) -> SearchSource:
    """A search source from its kind and the `options` table of its config entry.

    `topic` (tasks.relevance.topic.Topic) is needed by gnews and gdelt for their queries.
    """
    cls = source_class(kind)
    return cls.from_options(dict(options or {}), topic)


def check_options(kind: str, options: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValueError(f"{kind} source: unknown option(s) {', '.join(unknown)}; allowed: {sorted(allowed)}")
