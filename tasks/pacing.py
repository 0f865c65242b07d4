"""Per-host pacing: the "host:port" key a URL is paced by (`host_key`), and `HostPacer`, which spaces the
requests to one host (its delay from the end of one request to the start of the next, longer after a backoff
or a Retry-After) and keeps them one at a time, while other hosts go on in parallel."""

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

