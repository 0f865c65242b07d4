"""robots.txt: the rules an answer for an origin's robots.txt gives (`robots_rules`, RFC 9309 with one
deliberate leniency), and `RobotsCache`, which keeps each origin's rules, fetched once however many threads ask
at the same moment. The fetcher makes the request (paced and guarded like any other, redirects followed)."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from tasks.exchange import RETRY_STATUSES, Exchange
from tasks.pacing import host_key

ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks crawlers to read at least 500 KiB of robots.txt

log = logging.getLogger(__name__)


class RobotsCache:
    """The parsed robots.txt of each origin ("scheme://host:port"), loaded once; safe to share between threads."""

    def __init__(self) -> None:
        self._parsers: dict[str, RobotFileParser] = {}
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._mutex = threading.Lock()

    def for_url(self, url: str, load: Callable[[str], RobotFileParser]) -> RobotFileParser:
        """The rules for `url`'s origin; `load(robots_url)` is called for an origin not asked before."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{host_key(url)}"
        with self._mutex:
            lock = self._locks[origin]
        with lock:
            if origin not in self._parsers:
                self._parsers[origin] = load(f"{origin}/robots.txt")
            return self._parsers[origin]


def robots_rules(robots_url: str, exchange: Exchange) -> RobotFileParser:
    """The rules the last answer for `robots_url` gives."""
    parser = RobotFileParser(robots_url)
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
