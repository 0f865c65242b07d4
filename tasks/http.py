"""HTTP helpers for the fetcher: the SSRF guard, content types, Retry-After and text decoding.

Kept apart from `tasks.fetch` so the pure parts (decoding, header parsing) can be tested without a server.
"""

from __future__ import annotations

import codecs
import heapq
import ipaddress
import itertools
import queue
import re
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import requests
from charset_normalizer.md import mess_ratio
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class SSRFError(Exception):
    """The guard refused a URL before any request was sent to it.

    `reason` is the FetchResult error to report: "scheme", "ssrf", "bad_url" (permanent) or "dns",
    "dns_timeout" (not permanent: the name may resolve tomorrow).
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.permanent = reason not in ("dns", "dns_timeout")


class _ResolveTimeout(Exception):
    pass


class _Lookup:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: list | None = None
        self.error: BaseException | None = None


class Resolver:
    """getaddrinfo with a time limit: each lookup runs in a resolver thread the caller waits on.

    getaddrinfo itself cannot be interrupted, and a resolver that never answers would block the fetch thread
    for as long as the system's resolver settings allow (or for ever, behind a broken NSS module). The caller
    gives up at its limit; the thread is free again whenever the lookup ends. Idle resolver threads are
    reused (starting a thread per lookup cost ~0.3 ms here) and a new one is started only when none is idle,
    so a hanging lookup never holds up another name. A lookup of a name still in flight is joined rather than
    started again, so a hanging name holds one thread, not one per request. The system resolver is kept (not
    a DNS library such as dnspython) because it is what honours /etc/hosts, nsswitch and the machine's
    resolver configuration, as every other program on the machine does.
    """

    IDLE_SECONDS = 60.0  # an idle resolver thread ends after this long

    def __init__(self, lookup=None) -> None:
        self._lookup = lookup  # None: socket.getaddrinfo, looked up at call time
        self._lock = threading.Lock()
        self._inflight: dict[tuple[str, int], _Lookup] = {}
        self._jobs: queue.SimpleQueue[tuple[tuple[str, int], _Lookup]] = queue.SimpleQueue()
        self._idle = 0

    def __call__(self, host: str, port: int, timeout: float) -> list:
        key = (host, port)
        with self._lock:
            job = self._inflight.get(key)
            if job is None:
                job = self._inflight[key] = _Lookup()
                if self._idle:
                    self._idle -= 1  # that thread takes this job
                else:
                    threading.Thread(target=self._work, name="resolver", daemon=True).start()
                self._jobs.put((key, job))
        if not job.done.wait(max(0.0, timeout)):
            raise _ResolveTimeout
        if job.error is not None:
            raise job.error
        return list(job.result or ())

    def _work(self) -> None:
        while True:
            try:
                key, job = self._jobs.get(timeout=self.IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():  # nobody counted on this thread: it may end
                        self._idle -= 1
                        return
                continue
            self._run(key, job)
            with self._lock:
                self._idle += 1

    def _run(self, key: tuple[str, int], job: _Lookup) -> None:
        lookup = self._lookup or socket.getaddrinfo
        try:
            job.result = lookup(key[0], key[1], type=socket.SOCK_STREAM)
        except BaseException as exc:  # handed to every waiter
            job.error = exc
        finally:
            with self._lock:
                self._inflight.pop(key, None)
            job.done.set()


RESOLVER = Resolver()


class AddressGuard:
    """Refuses URLs that point at private, loopback, link-local, multicast, reserved or unspecified addresses.

    Addresses inside `allow_networks` pass anyway (the simulated web on 127.0.0.x, tests).
    """

    def __init__(
        self,
        allow_networks: Iterable[str] = (),
        *,
        dns_timeout: float = 10.0,
        resolver: Resolver | None = None,
    ) -> None:
        self.allowed = tuple(ipaddress.ip_network(net, strict=False) for net in allow_networks)
        self.dns_timeout = dns_timeout  # seconds a name may take to resolve, at most
        self._resolver = resolver or RESOLVER

    def allows(self, address: str) -> bool:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in net for net in self.allowed):
            return True
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.is_site_local:  # fec0::/10, deprecated but still routed by some stacks
                return False
            embedded = embedded_ipv4(ip)
            if embedded is not None:
                # Transition forms reach the IPv4 address they carry: judge that one (allow list included).
                return self.allows(str(embedded))
        refused = (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
            # also catches ranges none of the flags above cover, such as carrier-grade NAT 100.64.0.0/10
            or not ip.is_global
        )
        return not refused

    def resolve(self, host: str, port: int, timeout: float | None = None) -> list[tuple[int, str]]:
        """Resolve `host` once and check every address: [(family, address)] to connect to.

        Raises SSRFError("dns") when the name does not resolve, SSRFError("dns_timeout") when it gives no
        answer within `timeout` (at most `dns_timeout`, and never past the calling thread's request
        deadline), and SSRFError("ssrf") when any address is refused (a name resolving to one public and one
        private address is refused).
        """
        limit = self.dns_timeout if timeout is None else min(self.dns_timeout, timeout)
        watch = getattr(_CURRENT, "watch", None)
        if watch is not None:
            limit = min(limit, watch.remaining())
        try:
            infos = self._resolver(host, port, limit)
        except _ResolveTimeout:
            raise SSRFError("dns_timeout", f"{host}: no answer within {max(0.0, limit):.1f} s") from None
        except socket.gaierror as exc:
            raise SSRFError("dns", f"{host}: {exc}") from None
        except UnicodeError as exc:  # a label the IDNA codec rejects
            raise SSRFError("bad_url", f"{host}: {exc}") from None
        if not infos:
            raise SSRFError("dns", f"{host}: no address")
        checked = []
        for family, *_, sockaddr in infos:
            address = str(sockaddr[0])
            if not self.allows(address):
                raise SSRFError("ssrf", f"{host} -> {address}")
            if (family, address) not in checked:
                checked.append((family, address))
        return checked

    def check_url(self, url: str) -> None:
        """Raise SSRFError unless `url` is http(s) and every address its host resolves to is allowed."""
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError as exc:  # bad IPv6 literal, port out of range
            raise SSRFError("bad_url", str(exc)) from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise SSRFError("scheme", scheme or "none")
        if not host:
            raise SSRFError("bad_url", "no host")
        self.resolve(host, port or (443 if scheme == "https" else 80))


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215 local-use NAT64
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 transition form reaches: IPv4-mapped and -compatible, 6to4, Teredo, NAT64."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client address; the server part is a public relay
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:  # ::a.b.c.d (deprecated); :: and ::1 are judged as IPv6
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


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


def _watch_socket(sock: socket.socket | None) -> None:
    watch = getattr(_CURRENT, "watch", None)
    if watch is not None:
        watch.attach(sock)


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
            _watch_socket(sock)
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
            _watch_socket(self.sock)  # a kept-alive socket: put it under this request's deadline
            super().request(*args, **kwargs)  # type: ignore[arg-type]

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

        def request(self, *args: object, **kwargs: object) -> None:
            _watch_socket(self.sock)
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


# <meta charset=...>, <meta http-equiv content="...; charset=..."> and <?xml ... encoding="..."?>
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""",
    re.IGNORECASE,
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Browsers read these labels as windows-1252 (WHATWG Encoding Standard); servers that say iso-8859-1 mostly
# mean that, and "curly quotes" in 0x80-0x9F then come out right.
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii"})

# Encodings whose bytes are 7-bit, so a valid-UTF-8 test says nothing about them.
_SEVEN_BIT_CODECS = ("iso2022", "utf_7", "hz")

_NON_ASCII_WORD = re.compile(r"[^\s<>\"'=]*[^\x00-\x7f][^\s<>\"'=]*")
_MESS_LIMIT = 0.2  # charset_normalizer's own cut-off between readable text and mojibake


def declared_charsets(body: bytes) -> list[str]:
    """Charsets the document declares about itself (meta tags, XML declaration), in document order."""
    head = body[:4096]
    return [(m.group(1) or m.group(2)).decode("ascii").lower() for m in _DECLARED_CHARSET.finditer(head)]


def _codec_name(label: str) -> str | None:
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        label = "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _plausible(text: str) -> bool:
    """True unless the non-ASCII words read like mojibake.

    Only words with non-ASCII letters are judged: markup, scripts and styles are ASCII in any encoding and
    would otherwise dilute a page full of mojibake into a low mess ratio.
    """
    words = " ".join(_NON_ASCII_WORD.findall(text))
    return not words or mess_ratio(words, _MESS_LIMIT) < _MESS_LIMIT


def _decode_strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def utf16_32_without_bom(body: bytes) -> str | None:
    """The UTF-16/32 codec a BOM-less body is written in, told by where its NUL bytes sit; None if not so.

    Markup is mostly ASCII, so UTF-16 LE puts a NUL after nearly every other byte and UTF-32 LE three NULs
    after each; single-byte and UTF-8 text has no NULs at all. Valid UTF-8 does not rule this out: NULs are
    valid UTF-8, which is how a UTF-16 page used to come out as "text" full of NULs.
    """
    head = body[:4096]
    head = head[: len(head) - len(head) % 4]
    zeros = head.count(0)
    if len(head) < 8 or zeros < max(4, len(head) // 50):
        return None

    def share_zero(offset: int, step: int) -> float:
        lane = head[offset::step]
        return lane.count(0) / len(lane)

    def zeros_in(offset: int, step: int) -> float:
        return head[offset::step].count(0) / zeros

    if share_zero(2, 4) > 0.95 and share_zero(3, 4) > 0.95 and share_zero(0, 4) < 0.5:
        candidates = ["utf-32-le"]
    elif share_zero(0, 4) > 0.95 and share_zero(1, 4) > 0.95 and share_zero(3, 4) < 0.5:
        candidates = ["utf-32-be"]
    elif zeros_in(1, 2) > 0.95:
        candidates = ["utf-16-le"]
    elif zeros_in(0, 2) > 0.95:
        candidates = ["utf-16-be"]
    else:
        return None
    codec = candidates[0]
    usable = body[: len(body) - len(body) % (4 if codec.startswith("utf-32") else 2)]
    text = _decode_strict(usable, codec)
    return codec if text is not None and "\x00" not in text and _plausible(text) else None


def decode_text(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode a page body to (text, codec name used); never fails. See `decode_body`."""
    text, codec, _ = decode_body(body, header_charset)
    return text, codec


def decode_body(body: bytes, header_charset: str | None = None) -> tuple[str, str, str]:
    """Decode a page body to (text, codec name, reason for the choice); never fails.

    Order, with the reason recorded: a BOM ("bom"); UTF-16/32 told by its NUL pattern ("nul_pattern"); a
    declared 7-bit codec ("declared_7bit"); UTF-8 when the bytes are valid UTF-8 ("valid_utf8": wrongly
    declared UTF-8 pages are common, and non-UTF-8 text is almost never valid UTF-8 by accident); the
    charset declared in the HTTP header or the document when it decodes cleanly and does not read like
    mojibake ("header" / "declared"); charset_normalizer's guess ("detected"); UTF-8 with replacement
    characters as the last resort ("fallback").
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace"), codec, "bom"

    wide = utf16_32_without_bom(body)
    if wide is not None:
        return body.decode(wide, errors="replace"), codecs.lookup(wide).name, "nul_pattern"

    header = _codec_name(header_charset) if header_charset else None
    declared = [
        c for label in (header_charset, *declared_charsets(body)) if label and (c := _codec_name(label))
    ]
    seven_bit = [c for c in declared if c.startswith(_SEVEN_BIT_CODECS)]
    for codec in seven_bit:
        text = _decode_strict(body, codec)
        if text is not None and _plausible(text):
            return text, codec, "declared_7bit"

    text = _decode_strict(body, "utf-8")
    if text is not None:
        return text, "utf-8", "valid_utf8"

    for codec in declared:
        if codec.startswith(("utf_16", "utf_32")):  # without a BOM or NUL pattern these labels are wrong
            continue
        text = _decode_strict(body, codec)
        if text is not None and _plausible(text):
            return text, codec, "header" if codec == header else "declared"

    guess = charset_normalizer.from_bytes(body).best()
    if guess is not None:
        return str(guess), codecs.lookup(guess.encoding).name, "detected"
    return body.decode("utf-8", errors="replace"), "utf-8", "fallback"
