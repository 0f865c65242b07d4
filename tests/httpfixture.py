"""A tiny loopback HTTP server for tests: per-path responders and a log of every request it received."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Hit:
    path: str  # path and query as requested
    at: float  # time.monotonic() when the request arrived; comparable with the test's own clock
    headers: Mapping[str, str]


# A responder gets the handler (to write the response) and how many times its path has been hit (1-based).
Responder = Callable[["Handler", int], None]


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the name http.server looks up
        owner = self.server.owner
        hit = Hit(self.path, time.monotonic(), dict(self.headers.items()))
        with owner.lock:
            owner.hits.append(hit)
            count = sum(1 for h in owner.hits if h.path == self.path)
        responder = owner.routes.get(self.path) or owner.routes.get(self.path.split("?", 1)[0])
        try:
            if responder is None:
                send(self, 404, b"not found", content_type="text/plain")
            else:
                responder(self, count)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading on purpose (byte cap, timeout)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature from the base class
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LoopbackServer


class LoopbackServer:
    """Serves `routes` on host:<free port> in a background thread until `close()`."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Responder] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._server = _Server((host, 0), Handler)
        self._server.owner = self
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01})
        self._thread.daemon = True
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, responder: Responder) -> str:
        """Serve `path` with `responder`; returns its URL."""
        self.routes[path] = responder
        return self.url(path)

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits]

    def times(self, path: str | None = None) -> list[float]:
        with self.lock:
            return [h.at for h in self.hits if path is None or h.path == path]

    def close(self) -> None:
        self.stopping.set()  # wakes responders that are sleeping
        self._server.shutdown()
        self._server.server_close()


def send(
    handler: Handler,
    status: int = 200,
    body: bytes = b"",
    *,
    content_type: str | None = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
    content_length: int | None = -1,
) -> None:
    """Write a whole response. content_length: -1 for the true length, None to send none, or a lie."""
    handler.send_response(status)
    if content_type is not None:
        handler.send_header("Content-Type", content_type)
    if content_length is not None:
        handler.send_header("Content-Length", str(len(body) if content_length == -1 else content_length))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def page(body: bytes = b"<html><body>ok</body></html>", status: int = 200, **options: object) -> Responder:
    """A responder that always sends the same response (options as for `send`)."""

    def respond(handler: Handler, count: int) -> None:
        send(handler, status, body, **options)  # type: ignore[arg-type]

    return respond


def in_turn(*responders: Responder) -> Responder:
    """The n-th request gets the n-th responder; the last one answers every later request."""

    def respond(handler: Handler, count: int) -> None:
        responders[min(count, len(responders)) - 1](handler, count)

    return respond


def slow(seconds: float, then: Responder) -> Responder:
    """Wait before answering (interrupted when the server closes)."""

    def respond(handler: Handler, count: int) -> None:
        if not handler.server.owner.stopping.wait(seconds):
            then(handler, count)

    return respond
