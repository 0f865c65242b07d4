"""Loopback servers for the search services, their faults and request log.

Each service listens on its own address like the publishers do (127.0.0.40 Google News, .41 GDELT API,
.42 GDELT files, .43 the web archive), falling back to ephemeral ports on 127.0.0.1 where the system does
not route all of 127.0.0.0/8.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote_plus, urlsplit

from simweb.catalog import Catalog
from simweb.faults import Fault, error_page
from simweb.handler import RequestLog
from simweb.httpbase import KeepAliveHandler, QuietServer
from simweb.routes import Response
from simweb.services.corpus import Corpus
from simweb.services.gdelt import GdeltDocService
from simweb.services.gkg import GkgFileService
from simweb.services.gnews import GoogleNewsService
from simweb.services.wayback import WaybackService

SERVICE_HOSTS = {"gnews": "127.0.0.40", "gdelt": "127.0.0.41", "gkg": "127.0.0.42", "cdx": "127.0.0.43"}
SERVICE_FAULTS = ("500", "429", "malformed", "slow")
MAX_REQUEST_BODY = 1_000_000
GZIP_MIN_BYTES = 1024


@dataclass(frozen=True)
class ServiceRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    query_string: str
    headers: Mapping[str, str]
    body: bytes
    base_url: str  # this service's origin, e.g. http://127.0.0.40:8460

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, its name matched case-insensitively (as GDELT does)."""
        values = self.params(name)
        return values[0] if values else None

    def params(self, name: str) -> list[str]:
        wanted = name.lower()
        return [v for key, values in self.query.items() if key.lower() == wanted for v in values]


class ServiceApp(Protocol):
    def respond(self, request: ServiceRequest) -> Response: ...


def robots_allow_all() -> Response:
    return Response.document(200, "text/plain", "User-agent: *\nAllow: /\n")


class ServiceFaults:
    """Faults by (service kind, path): 500, 429 (Retry-After: 1), malformed (half the body, status 200), slow."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[tuple[str, str], Fault] = {}

    def set(self, kind: str, path: str, fault: str, times: int | None, opts: dict[str, Any]) -> None:
        if fault not in SERVICE_FAULTS:
            raise ValueError(f"unknown service fault {fault!r}; expected one of {SERVICE_FAULTS}")
        if times is not None and times < 1:
            raise ValueError("times must be None (always) or a positive count")
        with self._lock:
            self._faults[(kind, path)] = Fault(fault, times, dict(opts))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, kind: str, path: str, query: str = "") -> Fault | None:
        """The fault for this request, if any; a fault set with `query=...` hits only requests whose decoded
        query string contains that text (one language's search, say)."""
        with self._lock:
            fault = self._faults.get((kind, path))
            if fault is None or not fault.active:
                return None
            wanted = fault.opts.get("query")
            if wanted is not None and wanted not in unquote_plus(query):
                return None
            fault.served += 1
            return Fault(fault.kind, fault.times, dict(fault.opts), fault.served)


class ServiceServer(QuietServer):
    def __init__(
        self,
        kind: str,
        host: str,
        app: ServiceApp,
        faults: ServiceFaults,
        log: Callable[[RequestLog], None],
        port: int = 0,
    ) -> None:
        super().__init__((host, port), _Handler)
        bound_host, bound_port = self.server_address[:2]
        self.kind = kind
        self.address = f"{bound_host}:{bound_port}"
        self.base_url = f"http://{self.address}"
        self.app = app
        self.faults = faults
        self.log = log


class _Handler(KeepAliveHandler):
    server_version = "ESF"
    server: ServiceServer

    def do_GET(self) -> None:
        self._serve(b"", head=False)

    def do_HEAD(self) -> None:
        self._serve(b"", head=True)

    def do_POST(self) -> None:
        declared = self.headers.get("Content-Length", "0")
        length = int(declared) if declared.isdigit() else 0
        if length > MAX_REQUEST_BODY:
            self.close_connection = True
            self._status = 0
            self._write(Response.document(413, "text/html", error_page(413, "Payload Too Large")), False)
            self._record()
            return
        self._serve(self.rfile.read(length) if length else b"", head=False)

    def _serve(self, body: bytes, head: bool) -> None:
        self._status = 0
        try:
            split = urlsplit(self.path)
            path = split.path or "/"
            request = ServiceRequest(
                self.command,
                path,
                parse_qs(split.query, keep_blank_values=True),
                split.query,
                {k: v for k, v in self.headers.items()},
                body,
                self.server.base_url,
            )
            fault = self.server.faults.take(self.server.kind, path, split.query)
            if fault is not None and fault.kind in ("500", "429"):
                status, reason = (
                    (500, "Internal Server Error") if fault.kind == "500" else (429, "Too Many Requests")
                )
                headers = {"Retry-After": "1"} if status == 429 else {}
                self._write(
                    Response.document(status, "text/html", error_page(status, reason), **headers), head
                )
                return
            if fault is not None and fault.kind == "slow":
                time.sleep(float(fault.opts.get("seconds", 2.0)))
            response = self.server.app.respond(request)
            if fault is not None and fault.kind == "malformed":
                response = Response(
                    response.status,
                    response.content_type,
                    response.body[: len(response.body) // 2],
                    None,
                    response.charset,
                    dict(response.headers),
                )
            self._write(response, head)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception:
            self.close_connection = True
            if not self._status:
                with contextlib.suppress(OSError):
                    self._write(
                        Response.document(500, "text/html", error_page(500, "Internal Server Error")), head
                    )
        finally:
            self._record()

    def _record(self) -> None:
        self.server.log(
            RequestLog(self.server.address, self.path, self.command, self._status, datetime.now(UTC))
        )

    def _write(self, response: Response, head: bool) -> None:
        body = response.body
        headers = dict(response.headers)
        if (
            response.charset
            and len(body) >= GZIP_MIN_BYTES
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self._status = response.status
        self.send_response(response.status)
        content_type = response.content_type
        if response.charset:
            content_type += f"; charset={response.charset}"
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class Services:
    """The four search services over one simulated web's catalog and clock."""

    def __init__(
        self,
        catalog: Catalog,
        base_urls: dict[str, str],
        clock: Callable[[], datetime],
        port: int = 0,
    ) -> None:
        corpus = Corpus(catalog, base_urls, clock)
        self.gnews = GoogleNewsService(corpus)
        self.gdelt = GdeltDocService(corpus)
        self.gkg = GkgFileService(corpus)
        self.wayback = WaybackService(corpus)
        self._apps: dict[str, ServiceApp] = {
            "gnews": self.gnews,
            "gdelt": self.gdelt,
            "gkg": self.gkg,
            "cdx": self.wayback,
        }
        self._port = port
        self._faults = ServiceFaults()
        self._log_lock = threading.Lock()
        self._requests: list[RequestLog] = []
        self._servers: dict[str, ServiceServer] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> Services:
        try:
            for kind, app in self._apps.items():
                self._servers[kind] = self._bind(kind, app)
        except OSError:
            self.stop()
            raise
        for server in self._servers.values():
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"simweb-{server.kind}"
            )
            thread.daemon = True
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        running = list(self._servers.values())[: len(self._threads)]
        stoppers = [threading.Thread(target=s.shutdown) for s in running]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join(timeout=5)
        for server in self._servers.values():
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def _bind(self, kind: str, app: ServiceApp) -> ServiceServer:
        try:
            return ServiceServer(kind, SERVICE_HOSTS[kind], app, self._faults, self._record, self._port)
        except OSError:
            return ServiceServer(kind, "127.0.0.1", app, self._faults, self._record)

    @property
    def urls(self) -> dict[str, str]:
        """Base URL per source kind, as a Source.url: the same shape as the real services' URLs."""
        if not self._servers:
            raise RuntimeError("start() the services first: addresses are assigned when they start")
        origin = {kind: server.base_url for kind, server in self._servers.items()}
        return {
            "gnews": origin["gnews"] + "/rss/search",
            "gdelt": origin["gdelt"] + "/api/v2/doc/doc",
            "gkg": origin["gkg"] + "/gdeltv2/",
            "cdx": origin["cdx"],
        }

    def set_fault(self, kind: str, path: str, fault: str, times: int | None = None, **opts: Any) -> None:
        """Fault requests to `path` on one service: "500", "429", "malformed" or "slow" (seconds=...);
        with `query="hl=de"`, only the requests whose query string contains that text."""
        if kind not in self._apps:
            raise ValueError(f"unknown service {kind!r}; expected one of {sorted(self._apps)}")
        self._faults.set(kind, path, fault, times, opts)

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def requests(self) -> list[RequestLog]:
        with self._log_lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._requests.clear()

    def _record(self, entry: RequestLog) -> None:
        with self._log_lock:
            self._requests.append(entry)
