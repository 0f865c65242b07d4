"""The polite fetcher: robots.txt, per-host pacing, retries with Retry-After, byte cap, SSRF guard.

`Fetcher.fetch` turns every network, HTTP or body problem into a FetchResult with a short error string;
only programming errors raise. `Fetcher.request` is the one way to make a request; this module owns the loop
around it (guard and robots.txt first, pacing, retries, redirects, the result). Its parts: the settings
(tasks.fetch_policy), per-host pacing (tasks.pacing), robots.txt rules (tasks.robots), one HTTP exchange
(tasks.exchange), guarded sessions and headers (tasks.http), the SSRF guard (tasks.netguard), whole-request
deadlines (tasks.deadlines), charsets (tasks.decoding).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.robotparser import RobotFileParser

from tasks import progress
from tasks.deadlines import request_deadline
from tasks.decoding import decode_body
from tasks.exchange import Exchange, RequestSpec, elapsed_ms, send
from tasks.fetch_policy import FetchPolicy
from tasks.http import READABLE_TYPES, guarded_session, parse_content_type, redirect_target
from tasks.models import Attempt, FetchResult
from tasks.netguard import AddressGuard, SSRFError
from tasks.pacing import HostOutages, HostPacer, host_key
from tasks.robots import ROBOTS_MAX_BYTES, RobotsCache, robots_rules

__all__ = ["ANY_TYPE", "Fetcher", "fetch_batch"]

ANY_TYPE = None  # `accept` value for a request that takes any content type (data files, APIs)
# Bodies decoded to text; anything else (zip files, images) is handed over as bytes only.
TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml")


class Fetcher:
    """Fetches URLs politely through one requests.Session; safe to share between threads."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._guard = AddressGuard(self.policy.allow_networks, dns_timeout=self.policy.timeout)
        self._pacer = HostPacer(self.policy)
        self._outages = HostOutages(self.policy.host_down_after, self.policy.host_down_for)
        self._session = guarded_session(
            self._guard, self.policy.user_agent, pool_connections=max(10, 2 * self.policy.max_workers)
        )
        self._robots = RobotsCache()
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
        spec = RequestSpec(
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
            result.elapsed_ms = elapsed_ms(started)
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

    def _follow(self, result: FetchResult, spec: RequestSpec) -> None:
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
            if self._outages.is_down(key):
                result.error, result.permanent = "host_down", False
                return
            if spec.deadline is not None and time.monotonic() + self._pacer.wait_for(key) >= spec.deadline:
                result.error, result.permanent = "budget", False
                return
            exchange = self._exchange(current, spec)
            result.attempts.append(exchange.attempt)
            self._outages.record(key, connected=exchange.status is not None or exchange.error != "connection")
            # Waits are host-wide: a server that asks us to slow down means it for every page, and a
            # Retry-After holds even when this URL has no retries left.
            if exchange.retry_after is not None:
                self._pacer.hold_off(key, min(exchange.retry_after, self.policy.max_retry_after))
            if exchange.retryable and retries < self.policy.max_retries and not self._outages.is_down(key):
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

    def _finish(self, result: FetchResult, exchange: Exchange) -> None:
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

    def _exchange(self, url: str, spec: RequestSpec) -> Exchange:
        """One paced request under its deadline; the body is read only for a 2xx of an accepted type."""
        with self._pacer.turn(host_key(url)):
            started = time.monotonic()
            at = started + self.policy.request_deadline
            if spec.deadline is not None:
                at = min(at, spec.deadline)
            limit = max(0.001, min(self.policy.timeout, at - started))
            with request_deadline(at) as watch:
                exchange = send(self._session, url, spec, started, limit)
            if watch.expired and (exchange.error is not None or exchange.body is None):
                # the watchdog cut the socket: whatever broke after that is the deadline's doing
                exchange.error, exchange.retryable, exchange.permanent = "timeout", True, False
                exchange.body = None
            exchange.elapsed_ms = elapsed_ms(started)
            return exchange

    def _robots_for(self, url: str, deadline: float | None = None) -> RobotFileParser:
        """The parsed robots.txt for `url`'s origin, fetched once (paced and guarded like any request)."""
        return self._robots.for_url(url, lambda robots_url: self._load_robots(robots_url, deadline))

    def _load_robots(self, robots_url: str, deadline: float | None = None) -> RobotFileParser:
        current, hops = robots_url, 0
        spec = RequestSpec(accept=None, max_bytes=ROBOTS_MAX_BYTES, deadline=deadline)
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
        return robots_rules(robots_url, exchange)


def fetch_batch(
    urls: Sequence[str],
    policy: FetchPolicy | None = None,
    deadline: float | None = None,
    on_result: Callable[[int, FetchResult], object] | None = None,
) -> list[FetchResult]:
    """Fetch `urls` with a fresh Fetcher; results in input order. See `Fetcher.fetch_batch`."""
    with Fetcher(policy) as fetcher:
        return fetcher.fetch_batch(urls, deadline, on_result)
