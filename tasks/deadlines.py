"""Request deadlines: a whole request, not each read, bounded in time.

`request_deadline` puts every socket the calling thread opens or reuses inside the block under one deadline;
one watchdog thread shuts the sockets of expired requests down.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class RequestWatch:
    """The deadline of one request: at `at` (time.monotonic), every socket attached is shut down.

    A socket timeout bounds each recv, not the request: a server sending one byte per second (headers or a
    body with Content-Length alike) never trips it. Shutting the socket down wakes the blocked read whatever
    urllib3 or http.client is doing; the fetcher then reports "timeout".
    """

    def __init__(self, at: float) -> None:
        self.at = at
        self.expired = False
        self.done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self.done:
                return
            self._sockets.append(sock)
            if not self.expired:
                return
        _shutdown(sock)

    def expire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def finish(self) -> None:
        with self._lock:
            self.done = True
            self._sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread that expires request watches at their deadlines (a heap, not a timer per request)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, RequestWatch]] = []
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, watch: RequestWatch) -> None:
        with self._cond:
            heapq.heappush(self._heap, (watch.at, next(self._ids), watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="request-deadlines", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                watch = heapq.heappop(self._heap)[2]
            watch.expire()


_WATCHDOG = _Watchdog()
_CURRENT = threading.local()


@contextmanager
def request_deadline(at: float) -> Iterator[RequestWatch]:
    """Bound every connection the calling thread uses inside the block to end by `at`."""
    watch = RequestWatch(at)
    previous = getattr(_CURRENT, "watch", None)
    _CURRENT.watch = watch
    _WATCHDOG.add(watch)
    try:
        yield watch
    finally:
        watch.finish()
        _CURRENT.watch = previous


def current_watch() -> RequestWatch | None:
    """The request deadline the calling thread is under, if any."""
    return getattr(_CURRENT, "watch", None)


def watch_socket(sock: socket.socket | None) -> None:
    """Put `sock` under the calling thread's request deadline, if there is one."""
    watch = current_watch()
    if watch is not None:
        watch.attach(sock)
