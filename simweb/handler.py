"""The HTTP side of one simulated publisher: routing a request, applying its fault, writing the bytes."""

from __future__ import annotations

import contextlib
import functools
import gzip
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from simweb.faults import (
    DEFAULT_HUGE_BYTES,
    DEFAULT_SLOW_SECONDS,
    Fault,
    FaultTable,
    body_charset,
    declared_charset,
    error_page,
    redeclare,
)
from simweb.httpbase import KeepAliveHandler, QuietServer
from simweb.pdf import pdf_bytes
from simweb.routes import Response, SiteApp

REDIRECT_MARK = "r"  # query parameter a redirect loop toggles
HUGE_CHUNK = 64 * 1024
GZIP_MIN_BYTES = 1024


@dataclass(frozen=True)
class RequestLog:
    host: str  # "ip:port" of the publisher that answered
    path: str  # as requested, query string included
    method: str
    status: int
    at: datetime  # wall-clock UTC time the request was answered


class PublisherServer(QuietServer):
    """One publisher's server: its routes, the shared fault table and the shared request log."""

    def __init__(
        self,
        host: str,
        app_factory: Callable[[str], SiteApp],
        faults: FaultTable,
        log: Callable[[RequestLog], None],
        port: int = 0,
    ) -> None:
        super().__init__((host, port), _Handler)
        bound_host, port = self.server_address[:2]
        self.address = f"{bound_host}:{port}"
        self.app = app_factory(f"http://{self.address}")
        self.faults = faults
        self.log = log


class _Handler(KeepAliveHandler):
    server_version = "nginx"
    server: PublisherServer

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _not_allowed(self) -> None:
        # The request body is never read, so the connection cannot carry another request.
        self.close_connection = True
        page = error_page(405, "Not Allowed")
        self._write(Response.document(405, "text/html", page, Allow="GET, HEAD", Connection="close"), False)
        self._record()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def _serve(self, head: bool) -> None:
        self._status = 0
        try:
            split = urlsplit(self.path)
            path = split.path or "/"
            fault = self.server.faults.take(self.server.app.site.name, path)
            if fault is None:
                self._write(self.server.app.respond(path, self.headers), head)
            else:
                self._answer_with_fault(path, split.query, fault, head)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception:
            self.close_connection = True
            if not self._status:
                with contextlib.suppress(OSError):
                    page = error_page(500, "Internal Server Error")
                    self._write(Response.document(500, "text/html", page), head)
        finally:
            self._record()

    def _record(self) -> None:
        self.server.log(
            RequestLog(self.server.address, self.path, self.command, self._status, datetime.now(UTC))
        )

    def _answer_with_fault(self, path: str, query: str, fault: Fault, head: bool) -> None:
        app = self.server.app
        if fault.kind == "500":
            self._write(Response.document(500, "text/html", error_page(500, "Internal Server Error")), head)
        elif fault.kind == "429":
            page = error_page(429, "Too Many Requests")
            self._write(Response.document(429, "text/html", page, **{"Retry-After": "1"}), head)
        elif fault.kind == "redirect_loop":
            self._write(self._redirect_back(path, query), head)
        elif fault.kind == "binary":
            self._write(
                Response(200, "application/pdf", pdf_bytes(app.site.display_name), charset=None), head
            )
        elif fault.kind == "slow":
            time.sleep(float(fault.opts.get("seconds", DEFAULT_SLOW_SECONDS)))
            self._write(app.respond(path, self.headers), head)
        elif fault.kind == "truncated":
            self._write_truncated(app.respond(path, self.headers), head)
        elif fault.kind == "huge":
            self._write_huge(
                app.respond(path, self.headers), int(fault.opts.get("bytes", DEFAULT_HUGE_BYTES)), head
            )
        elif fault.kind == "wrong_charset":
            self._write(_recharset(app.respond(path, self.headers), fault, app.site.language), head)
        else:
            raise ValueError(f"no behaviour for fault {fault.kind!r}")

    def _redirect_back(self, path: str, query: str) -> Response:
        """A 302 to the same page under its other URL: with and without a marker parameter."""
        params = parse_qsl(query, keep_blank_values=True)
        marked = any(k == REDIRECT_MARK for k, _ in params)
        params = [(k, v) for k, v in params if k != REDIRECT_MARK] + (
            [] if marked else [(REDIRECT_MARK, "1")]
        )
        location = self.server.app.base_url + path + (f"?{urlencode(params)}" if params else "")
        return Response.document(302, "text/html", error_page(302, "Found"), Location=location)

    def _start(self, response: Response, length: int | None, extra: dict[str, str]) -> None:
        self._status = response.status
        self.send_response(response.status)
        content_type = response.content_type
        if response.charset:
            content_type += f"; charset={response.charset}"
        self.send_header("Content-Type", content_type)
        for name, value in {**response.headers, **extra}.items():
            self.send_header(name, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _write(self, response: Response, head: bool) -> None:
        body = response.body
        extra = {"Vary": "Accept-Encoding"} if response.charset else {}
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if response.charset and len(body) >= GZIP_MIN_BYTES and accepts_gzip:
            body = _gzip(body)
            extra["Content-Encoding"] = "gzip"
        has_body = response.status != 304
        self._start(response, len(body) if has_body else None, extra)
        if has_body and not head:
            self.wfile.write(body)

    def _write_truncated(self, response: Response, head: bool) -> None:
        """Declare the whole body, send half, hang up."""
        self._start(response, len(response.body), {})
        if not head:
            self.wfile.write(response.body[: len(response.body) // 2])
            self.wfile.flush()
        self.close_connection = True

    def _write_huge(self, response: Response, size: int, head: bool) -> None:
        """The page padded to `size` bytes with an inline data script (as server-rendered apps embed their
        state), streamed in chunks with no Content-Length so only counting stops a reader."""
        self._start(response, None, {"Transfer-Encoding": "chunked"})
        if head:
            return
        for chunk in _padded(response.body, size):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")


def _padded(body: bytes, size: int) -> Iterator[bytes]:
    marker = body.rfind(b"</body>")
    head, tail = (body[:marker], body[marker:]) if marker >= 0 else (body, b"")
    opening = b'<script type="application/json" id="__APP_STATE__">['
    closing = b"]</script>\n"
    fill = max(0, size - len(head) - len(tail) - len(opening) - len(closing))
    yield head + opening
    unit = b'{"id":0000000,"type":"teaser","cached":true},'
    while fill > 0:
        n = min(fill, HUGE_CHUNK)
        yield (unit * (n // len(unit) + 1))[:n]
        fill -= n
    yield closing + tail


def _recharset(response: Response, fault: Fault, language: str) -> Response:
    """The same document encoded in one charset while the header and the document declare another."""
    if response.text is None:
        return response
    declared = declared_charset(fault)
    text = redeclare(response.text, declared)
    body = text.encode(body_charset(fault, language), errors="xmlcharrefreplace")
    return Response(response.status, response.content_type, body, text, declared, dict(response.headers))


@functools.lru_cache(maxsize=256)
def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)
