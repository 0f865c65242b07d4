"""The polite fetcher: robots.txt, per-host pacing, retries with Retry-After, byte cap, SSRF guard.

`Fetcher.fetch` turns every network, HTTP or body problem into a FetchResult with a short error string;
only programming errors raise.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import requests
from requests.structures import CaseInsensitiveDict

from tasks import progress
from tasks.deadlines import request_deadline
from tasks.decoding import decode_body
from tasks.http import (
    READABLE_TYPES,
    guarded_session,
    parse_content_type,
    parse_retry_after,
    redirect_target,
    transport_error,
)
from tasks.models import Attempt, FetchResult
from tasks.netguard import AddressGuard, SSRFError

__all__ = ["ANY_TYPE", "FetchPolicy", "Fetcher", "SSRFError", "fetch_batch"]

ANY_TYPE = None  # `accept` value for a request that takes any content type (data files, APIs)
# Bodies decoded to text; anything else (zip files, images) is handed over as bytes only.
TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml")

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks crawlers to read at least 500 KiB of robots.txt
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = "newsmon/0.1 (+https://example.org/newsmon)"
    timeout: float = 10.0  # seconds, used for both connect and read
    max_bytes: int = 5_000_000  # decoded body size above which a page is refused
    delay: float = 1.0  # seconds between the end of one request to a host and the start of the next
    host_delays: Mapping[str, float] = field(default_factory=dict)  # "host:port" or "host" -> delay
    max_retries: int = 3
    backoff: float = 0.5  # the n-th retry waits backoff * 2**n unless the server sent Retry-After
    max_retry_after: float = 30.0
    respect_robots: bool = True
    allow_networks: tuple[str, ...] = ()  # CIDRs exempt from the SSRF guard, e.g. ("127.0.0.0/8",)
    max_redirects: int = 5
    max_workers: int = 8  # hosts fetched in parallel by fetch_batch
    # Whole request, from connect to the body's last byte, whatever the transfer encoding: a server that
    # trickles headers or a Content-Length body just fast enough to dodge `timeout` is cut here.
    request_deadline: float = 60.0
    host_budget: float | None = None  # seconds one host may take in a fetch_batch (its retries and waits too)
    batch_budget: float | None = None  # seconds a whole fetch_batch may take


def host_key(url: str) -> str:
    """The "host:port" key of a URL, with the scheme's default port filled in; pacing is per key."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _HostPacer:
    """Spaces requests to one host; holding a host's turn also keeps its requests one at a time."""

    def __init__(self, policy: FetchPolicy) -> None:
        self._policy = policy
        self._delays = {key.lower(): delay for key, delay in policy.host_delays.items()}
        self._mutex = threading.Lock()
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._next_start: dict[str, float] = {}

    def delay_for(self, key: str) -> float:
        if key in self._delays:
            return self._delays[key]
        return self._delays.get(key.rsplit(":", 1)[0].strip("[]"), self._policy.delay)

    def hold_off(self, key: str, seconds: float) -> None:
        """Make the host's next request wait at least `seconds` from now (backoff, Retry-After)."""
        with self._mutex:
            not_before = time.monotonic() + seconds
            self._next_start[key] = max(self._next_start.get(key, 0.0), not_before)

    def wait_for(self, key: str) -> float:
        """Seconds until the host's next request may start (0 when it may start now)."""
        with self._mutex:
            return max(0.0, self._next_start.get(key, 0.0) - time.monotonic())

    @contextmanager
    def turn(self, key: str) -> Iterator[None]:
        with self._mutex:
            lock = self._locks[key]
        with lock:
            wait = self.wait_for(key)
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                with self._mutex:
                    done = time.monotonic() + self.delay_for(key)
                    self._next_start[key] = max(self._next_start.get(key, 0.0), done)


@dataclass
class _Spec:
    """What a caller asked of one request (see `Fetcher.request`)."""

    method: str = "GET"
    body: bytes | None = None
    accept: frozenset[str] | None = READABLE_TYPES
    max_bytes: int = 5_000_000
    headers: dict[str, str] = field(default_factory=dict)
    deadline: float | None = None


@dataclass
class _Exchange:
    """What one HTTP request gave: enough to decide between retry, redirect and a final result."""

    url: str
    elapsed_ms: int
    status: int | None = None
    error: str | None = None
    permanent: bool = False
    retryable: bool = False
    retry_after: float | None = None
    location: str | None = None
    headers: CaseInsensitiveDict[str] = field(default_factory=CaseInsensitiveDict)
    content_type: str | None = None
    body: bytes | None = None

    @property
    def attempt(self) -> Attempt:
        return Attempt(url=self.url, status=self.status, error=self.error, elapsed_ms=self.elapsed_ms)


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


class Fetcher:
    """Fetches URLs politely through one requests.Session; safe to share between threads."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._guard = AddressGuard(self.policy.allow_networks, dns_timeout=self.policy.timeout)
        self._pacer = _HostPacer(self.policy)
        self._session = guarded_session(
            self._guard, self.policy.user_agent, pool_connections=max(10, 2 * self.policy.max_workers)
        )
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._robots_mutex = threading.Lock()
        # robots.txt requests, kept apart from the pages' attempts so `attempts` counts one URL's requests
        self.robots_attempts: list[Attempt] = []

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        *,
        deadline: float | None = None,
    ) -> FetchResult:
        """Fetch one page (conditional GET when validators are given); never raises for bad input."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = self.request(url, headers=headers, deadline=deadline)
        if result.status == 304:
            # A 304 may omit validators; the caller's still hold.
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        return result

    def request(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        *,
        accept: Collection[str] | None = READABLE_TYPES,
        max_bytes: int | None = None,
        headers: Mapping[str, str] | None = None,
        deadline: float | None = None,
    ) -> FetchResult:
        """One politely made request: guard, robots.txt, pacing, retries, redirects (GET only), byte cap.

        `accept`: the media types taken (`ANY_TYPE` takes any); a body of another type is refused as
        "content_type". Text types are decoded (`text`, `encoding`, `encoding_reason`); `body` always keeps
        the raw bytes. `max_bytes` overrides the policy's cap. `deadline` (time.monotonic) bounds the whole
        exchange with its retries and waits: what is left when it passes is reported as "budget".
        Never raises for bad input.
        """
        started = time.monotonic()
        result = FetchResult(url=url)
        spec = _Spec(
            method=method.upper(),
            body=body,
            accept=None if accept is None else frozenset(t.lower() for t in accept),
            max_bytes=max_bytes or self.policy.max_bytes,
            headers=dict(headers or {}),
            deadline=deadline,
        )
        try:
            self._follow(result, spec)
        finally:
            result.elapsed_ms = _elapsed_ms(started)
        return result

    def fetch_batch(
        self,
        urls: Sequence[str],
        deadline: float | None = None,
        on_result: Callable[[int, FetchResult], object] | None = None,
    ) -> list[FetchResult]:
        """Fetch `urls`, a thread per host (up to max_workers), one host's URLs in sequence; input order kept.

        A host gets `host_budget` seconds from its first request and the batch `batch_budget` (and no more
        than `deadline`, time.monotonic, e.g. the run's): pages left when a budget runs out are reported as
        "budget" (retryable) without a request, so a slow host delays only its own pages. `on_result(index,
        result)` is called (from the host's thread) as each page is done.
        """
        batch_deadline = (
            None if self.policy.batch_budget is None else time.monotonic() + self.policy.batch_budget
        )
        if deadline is not None:
            batch_deadline = deadline if batch_deadline is None else min(batch_deadline, deadline)
        by_host: dict[str, list[int]] = defaultdict(list)
        for index, url in enumerate(urls):
            try:
                key = host_key(url)
            except ValueError:  # an unparsable URL; fetch() reports it
                key = ""
            by_host[key].append(index)
        results: dict[int, FetchResult] = {}

        def fetch_host(indexes: list[int]) -> None:
            deadline = batch_deadline
            if self.policy.host_budget is not None:
                host_deadline = time.monotonic() + self.policy.host_budget
                deadline = host_deadline if deadline is None else min(deadline, host_deadline)
            for index in indexes:
                results[index] = self.fetch(urls[index], deadline=deadline)
                if on_result is not None:
                    on_result(index, results[index])
                progress.advance("fetch")

        workers = max(1, min(self.policy.max_workers, len(by_host)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
            for future in [pool.submit(fetch_host, indexes) for indexes in by_host.values()]:
                future.result()  # re-raises programming errors from the worker
        return [results[index] for index in range(len(urls))]

    def _follow(self, result: FetchResult, spec: _Spec) -> None:
        """Request, retry and redirect until a final answer, recording every request in `result.attempts`.

        The loop is ours rather than urllib3's Retry: Retry works inside one `session.get`, so the failed
        responses and their timings never reach us, and it cannot retry a body that breaks off while we stream
        it. The session's adapter therefore makes single attempts. Waits (backoff, Retry-After, pacing) count
        against `spec.deadline`: a retry that could not start before it is not made.
        """
        current = result.url
        seen = {current}
        retries = 0
        while True:
            result.final_url = current
            refusal = self._refusal(current, spec.deadline)
            if refusal is not None:
                result.error, result.permanent = refusal
                return
            key = host_key(current)
            if spec.deadline is not None and time.monotonic() + self._pacer.wait_for(key) >= spec.deadline:
                result.error, result.permanent = "budget", False
                return
            exchange = self._exchange(current, spec)
            result.attempts.append(exchange.attempt)
            # Waits are host-wide: a server that asks us to slow down means it for every page, and a
            # Retry-After holds even when this URL has no retries left.
            if exchange.retry_after is not None:
                self._pacer.hold_off(key, min(exchange.retry_after, self.policy.max_retry_after))
            if exchange.retryable and retries < self.policy.max_retries:
                if exchange.retry_after is None:
                    self._pacer.hold_off(key, self.policy.backoff * 2**retries)
                if spec.deadline is None or time.monotonic() + self._pacer.wait_for(key) < spec.deadline:
                    retries += 1
                    continue
            if exchange.location is not None:
                if spec.method != "GET":
                    result.status = exchange.status
                    result.error = f"http_{exchange.status}"
                    return
                target = redirect_target(current, exchange.location)
                if target is None:
                    result.status = exchange.status
                    result.error, result.permanent = "bad_url", True
                    return
                if target in seen or len(seen) > self.policy.max_redirects:
                    result.status = exchange.status
                    result.error, result.permanent = "redirect_loop", True
                    return
                seen.add(target)
                current = target
                continue
            self._finish(result, exchange)
            return

    def _refusal(self, url: str, deadline: float | None = None) -> tuple[str, bool] | None:
        """(error, permanent) when the guard or robots.txt forbids requesting `url`."""
        try:
            self._guard.check_url(url)
        except SSRFError as refused:
            return refused.reason, refused.permanent
        if self.policy.respect_robots and not self._robots_for(url, deadline).can_fetch(
            self.policy.user_agent, url
        ):
            return "robots", True
        return None

    def _finish(self, result: FetchResult, exchange: _Exchange) -> None:
        result.status = exchange.status
        result.content_type = exchange.content_type
        result.etag = exchange.headers.get("ETag")
        result.last_modified = exchange.headers.get("Last-Modified")
        if exchange.error is not None:
            result.error, result.permanent = exchange.error, exchange.permanent
            return
        result.ok = True
        if exchange.body is not None:
            result.body = exchange.body
            media_type = exchange.content_type
            if media_type is None or media_type in READABLE_TYPES or media_type.startswith(TEXT_TYPES):
                _, charset = parse_content_type(exchange.headers.get("Content-Type"))
                result.charset = charset
                result.text, result.encoding, result.encoding_reason = decode_body(exchange.body, charset)

    def _exchange(self, url: str, spec: _Spec) -> _Exchange:
        """One paced request under its deadline; the body is read only for a 2xx of an accepted type."""
        with self._pacer.turn(host_key(url)):
            started = time.monotonic()
            at = started + self.policy.request_deadline
            if spec.deadline is not None:
                at = min(at, spec.deadline)
            limit = max(0.001, min(self.policy.timeout, at - started))
            with request_deadline(at) as watch:
                exchange = self._send(url, spec, started, limit)
            if watch.expired and (exchange.error is not None or exchange.body is None):
                # the watchdog cut the socket: whatever broke after that is the deadline's doing
                exchange.error, exchange.retryable, exchange.permanent = "timeout", True, False
                exchange.body = None
            exchange.elapsed_ms = _elapsed_ms(started)
            return exchange

    def _send(self, url: str, spec: _Spec, started: float, limit: float) -> _Exchange:
        try:
            response = self._session.request(
                spec.method,
                url,
                data=spec.body,
                headers=spec.headers,
                timeout=(limit, limit),
                allow_redirects=False,
                stream=True,
            )
        except SSRFError as refused:  # the address resolved at connect time failed the guard (rebinding)
            return _Exchange(url, _elapsed_ms(started), error=refused.reason, permanent=refused.permanent)
        except requests.RequestException as exc:
            error, retryable = transport_error(exc)
            return _Exchange(
                url, _elapsed_ms(started), error=error, retryable=retryable, permanent=error == "bad_url"
            )
        with response:
            exchange = _Exchange(url, 0, status=response.status_code, headers=response.headers)
            self._read(response, exchange, spec)
        return exchange

    def _read(self, response: requests.Response, exchange: _Exchange, spec: _Spec) -> None:
        status = response.status_code
        if status in RETRY_STATUSES:
            exchange.error, exchange.retryable = f"http_{status}", True
            exchange.retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return
        if status == 304:
            return
        if 300 <= status < 400:
            exchange.location = response.headers.get("Location") if status in REDIRECT_STATUSES else None
            if exchange.location is None:
                exchange.error = f"http_{status}"
            return
        if status >= 400 or status < 200:
            exchange.error, exchange.permanent = f"http_{status}", status in GONE_STATUSES
            return
        media_type, _ = parse_content_type(response.headers.get("Content-Type"))
        exchange.content_type = media_type
        if spec.accept is not None and media_type is not None and media_type not in spec.accept:
            exchange.error, exchange.permanent = "content_type", True
            return
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > spec.max_bytes:
            exchange.error, exchange.permanent = "too_large", True
            return
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                size += len(chunk)
                if size > spec.max_bytes:
                    exchange.error, exchange.permanent = "too_large", True
                    return
                chunks.append(chunk)
        except requests.RequestException as exc:
            exchange.error, exchange.retryable = transport_error(exc)
            return
        body = b"".join(chunks)
        if spec.accept is not None and media_type is None and body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"<":
            # No Content-Type at all: keep it only if it looks like markup.
            exchange.error, exchange.permanent = "content_type", True
            return
        exchange.body = body

    def _robots_for(self, url: str, deadline: float | None = None) -> RobotFileParser:
        """The parsed robots.txt for `url`'s origin, fetched once (paced and guarded like any request)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{host_key(url)}"
        with self._robots_mutex:
            lock = self._robots_locks[origin]
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(f"{origin}/robots.txt", deadline)
            return self._robots[origin]

    def _load_robots(self, robots_url: str, deadline: float | None = None) -> RobotFileParser:
        parser = RobotFileParser(robots_url)
        current, hops = robots_url, 0
        spec = _Spec(accept=None, max_bytes=ROBOTS_MAX_BYTES, deadline=deadline)
        while True:
            exchange = self._exchange(current, spec)
            self.robots_attempts.append(exchange.attempt)
            target = redirect_target(current, exchange.location) if exchange.location else None
            if target is None or hops >= self.policy.max_redirects:
                break
            try:
                self._guard.check_url(target)
            except SSRFError:
                break
            current, hops = target, hops + 1
        status = exchange.status
        if status is not None and 200 <= status < 300 and exchange.body is not None:
            parser.parse(exchange.body.decode("utf-8-sig", errors="replace").splitlines())
        elif status is not None and 400 <= status < 500 and status not in RETRY_STATUSES:
            # RFC 9309: an unavailable robots.txt (404, 410, 403, ...) means no restrictions.
            parser.allow_all = True
        else:
            # 5xx, unreachable, unreadable: RFC 9309 would treat the site as disallowed, but one flaky
            # robots.txt must not stall a nightly run; we allow, and leave a trace in robots_attempts and the log.
            log.warning("robots.txt unavailable at %s (%s); allowing all", robots_url, exchange.error)
            parser.allow_all = True
        return parser


def fetch_batch(
    urls: Sequence[str],
    policy: FetchPolicy | None = None,
    deadline: float | None = None,
    on_result: Callable[[int, FetchResult], object] | None = None,
) -> list[FetchResult]:
    """Fetch `urls` with a fresh Fetcher; results in input order. See `Fetcher.fetch_batch`."""
    with Fetcher(policy) as fetcher:
        return fetcher.fetch_batch(urls, deadline, on_result)
