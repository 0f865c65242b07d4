"""The fetcher's settings (`FetchPolicy`): user agent, timeouts and deadlines, byte cap, per-host delays,
retries and backoff, robots.txt, the networks the SSRF guard lets through, workers and budgets. `[fetch]` in
`config/newsmon.toml` maps onto it (`tasks.config`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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
    # A host whose last `host_down_after` requests all failed to connect counts as down for `host_down_for`
    # seconds: requests to it fail at once as "host_down" (0 turns this off)
    host_down_after: int = 5
    host_down_for: float = 300.0
