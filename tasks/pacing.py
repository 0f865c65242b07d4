"""Per-host pacing: the "host:port" key a URL is paced by (`host_key`); `HostPacer`, which spaces the
requests to one host (its delay from the end of one request to the start of the next, longer after a backoff
or a Retry-After) and keeps them one at a time, while other hosts go on in parallel; and `HostOutages`, which
stops asking a host that no longer accepts connections."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from tasks.fetch_policy import FetchPolicy


def host_key(url: str) -> str:
    """The "host:port" key of a URL, with the scheme's default port filled in; pacing is per key."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class HostPacer:
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


class HostOutages:
    """Hosts that stopped accepting connections: after `down_after` connection failures in a row a host is
    down for `down_for` seconds, and its requests fail at once instead of each spending its retries and
    backoff on it (a run without network, a site gone). Once that time is over, the next request is made:
    one more failure makes the host down again, any answer clears it. `down_after = 0` turns this off."""

    def __init__(self, down_after: int, down_for: float) -> None:
        self._down_after = down_after
        self._down_for = down_for
        self._mutex = threading.Lock()
        self._failures: dict[str, int] = defaultdict(int)
        self._down_until: dict[str, float] = {}

    def is_down(self, key: str) -> bool:
        with self._mutex:
            return time.monotonic() < self._down_until.get(key, 0.0)

    def record(self, key: str, connected: bool) -> None:
        """One request's outcome: whether a connection was made (any answer, even an error status)."""
        if self._down_after <= 0:
            return
        with self._mutex:
            if connected:
                self._failures.pop(key, None)
                self._down_until.pop(key, None)
                return
            self._failures[key] += 1
            if self._failures[key] >= self._down_after:
                self._down_until[key] = time.monotonic() + self._down_for
