"""HTTP for the fetcher: guarded sessions, transport errors, redirects, content types and Retry-After.

The SSRF guard is `tasks.netguard`, request deadlines `tasks.deadlines`, body decoding `tasks.decoding`.
"""

from __future__ import annotations

import socket
import time
from contextlib import suppress
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError

from tasks.deadlines import watch_socket
from tasks.netguard import AddressGuard


def _connect_checked(
    guard: AddressGuard, host: str, port: int, timeout: object, options: object
) -> socket.socket:
    """Resolve once, check every address, connect to a checked address (never to a second DNS answer).

    Name resolution counts against the connect timeout: what it took is not given to the connect again.
    """
    started = time.monotonic()
    limit = float(timeout) if isinstance(timeout, (int, float)) else None
    addresses = guard.resolve(host.strip("[]"), port, limit)
    last: OSError | None = None
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            for option in options or ():  # type: ignore[union-attr]
                sock.setsockopt(*option)
            if limit is not None:
                left = limit - (time.monotonic() - started)
                if left <= 0:
                    raise TimeoutError("name resolution used the connect timeout")
                sock.settimeout(left)
            watch_socket(sock)
            sock.connect((address, port))
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    assert last is not None
    raise last


def guarded_adapter(guard: AddressGuard, pool_connections: int) -> HTTPAdapter:
    """An HTTPAdapter whose connections resolve the host themselves and connect only to checked addresses.

    Letting urllib3 resolve the name again after `check_url` would open a gap for DNS rebinding (an answer
    that changes in between): the connection is refused as "ssrf" before any TCP connection is made. TLS
    (SNI, certificate checks) still uses the host name. Every socket is also put under the calling thread's
    request deadline (`request_deadline`).
    """

    def new_conn(conn: HTTPConnection) -> socket.socket:
        try:
            return _connect_checked(guard, conn.host, conn.port, conn.timeout, conn.socket_options)
        except TimeoutError as exc:
            raise ConnectTimeoutError(conn, f"connection to {conn.host} timed out ({exc})") from exc
        except OSError as exc:
            raise NewConnectionError(conn, f"failed to connect to {conn.host}: {exc}") from exc

    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

        def request(self, *args: object, **kwargs: object) -> None:
            watch_socket(self.sock)  # a kept-alive socket: put it under this request's deadline
            super().request(*args, **kwargs)  # type: ignore[arg-type]

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

        def request(self, *args: object, **kwargs: object) -> None:
            watch_socket(self.sock)
            super().request(*args, **kwargs)  # type: ignore[arg-type]

    class GuardedHTTPPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    adapter = HTTPAdapter(pool_connections=pool_connections, max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}
    return adapter


class _ManualRedirectSession(requests.Session):
    """A Session that leaves Location headers alone.

    Even with allow_redirects=False, requests parses the Location of a 3xx to prepare the next request, and a
    malformed one raises from `get`. `Fetcher` follows redirects itself, so the target is never needed here.
    """

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        return None


def guarded_session(guard: AddressGuard, user_agent: str, pool_connections: int) -> requests.Session:
    """A Session for the fetcher: guarded connections, single attempts, redirects left to the caller."""
    session = _ManualRedirectSession()
    # Proxies from the environment would hide the address the guard must check.
    session.trust_env = False
    adapter = guarded_adapter(guard, pool_connections)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(
        {
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
            "application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.1",
        }
    )
    return session


def transport_error(exc: requests.RequestException) -> tuple[str, bool]:
    """(error, retryable) for a requests exception."""
    if isinstance(exc, requests.Timeout):
        return "timeout", True
    if isinstance(exc, requests.exceptions.SSLError):
        return "ssl", False
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "truncated", True
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "content_decoding", False
    if isinstance(exc, requests.ConnectionError):
        # iter_content reports a read timeout in the body as a ConnectionError wrapping urllib3's error
        if exc.args and isinstance(exc.args[0], ReadTimeoutError):
            return "timeout", True
        return "connection", True
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema)):
        return "bad_url", False
    return "request", False


def redirect_target(current: str, location: str) -> str | None:
    """The absolute URL a Location header points to, without fragment; None when it cannot be parsed."""
    # http.client decodes headers as latin-1; servers send UTF-8 (requests undoes it the same way)
    with suppress(UnicodeError):
        location = location.encode("latin-1").decode("utf-8")
    try:
        return urljoin(current, location).split("#", 1)[0]
    except ValueError:
        return None


READABLE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",  # RSS 1.0
        "application/xml",
        "text/xml",
    }
)


def parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (media type, charset), both lower case, None when absent."""
    if not header:
        return None, None
    media_type, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return media_type.strip().lower() or None, charset


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; an offset-less one is GMT too
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
