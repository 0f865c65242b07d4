"""Requests for search services: `ServiceFetcher` (any content type, a larger byte cap, form POSTs, a
per-thread deadline) composed over a `Fetcher`, `Pacer` for services that ask for a fixed interval between
requests, and `CountingFetch`, which counts the requests a source makes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import urlencode

from tasks.fetch import ANY_TYPE, Fetcher
from tasks.fetch_policy import FetchPolicy
from tasks.models import FetchResult
from tasks.sources import Fetch, PostForm


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
