"""HTTP helpers for the fetcher: the SSRF guard, content types, Retry-After and text decoding.

Kept apart from `tasks.fetch` so the pure parts (decoding, header parsing) can be tested without a server.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import time
from collections.abc import Iterable
from contextlib import suppress
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import requests
from charset_normalizer.md import mess_ratio
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ReadTimeoutError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class SSRFError(Exception):
    """The guard refused a URL before any request was sent to it.

    `reason` is the FetchResult error to report: "scheme", "ssrf", "bad_url" (permanent) or "dns" (not
    permanent: the name may resolve tomorrow).
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.permanent = reason != "dns"


class AddressGuard:
    """Refuses URLs that point at private, loopback, link-local, multicast, reserved or unspecified addresses.

    Addresses inside `allow_networks` pass anyway (the simulated web on 127.0.0.x, tests).
    """

    def __init__(self, allow_networks: Iterable[str] = ()) -> None:
        self.allowed = tuple(ipaddress.ip_network(net, strict=False) for net in allow_networks)

    def allows(self, address: str) -> bool:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self.allowed):
            return True
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
        try:
            infos = socket.getaddrinfo(
                host, port or (443 if scheme == "https" else 80), type=socket.SOCK_STREAM
            )
        except socket.gaierror as exc:
            raise SSRFError("dns", f"{host}: {exc}") from None
        except UnicodeError as exc:  # a label the IDNA codec rejects
            raise SSRFError("bad_url", f"{host}: {exc}") from None
        if not infos:
            raise SSRFError("dns", f"{host}: no address")
        # Every address must pass: a name resolving to one public and one private address is refused.
        for info in infos:
            address = str(info[4][0])
            if not self.allows(address):
                raise SSRFError("ssrf", f"{host} -> {address}")


def guarded_adapter(guard: AddressGuard, pool_connections: int) -> HTTPAdapter:
    """An HTTPAdapter whose connections check the peer address after connecting.

    `check_url` resolves the name before the request, but urllib3 resolves it again when it connects; a DNS
    answer that changes in between (rebinding) would slip past. Checking the connected socket closes that gap
    and keeps TLS (SNI, certificate checks) untouched.
    """

    def checked(sock: socket.socket) -> socket.socket:
        address = str(sock.getpeername()[0])
        if not guard.allows(address):
            sock.close()
            raise SSRFError("ssrf", f"connected to {address}")
        return sock

    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return checked(super()._new_conn())

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return checked(super()._new_conn())

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


def decode_text(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode a page body to (text, codec name used); never fails.

    Order: a BOM; UTF-8 when the bytes are valid UTF-8 (wrongly declared UTF-8 pages are common, and
    non-UTF-8 text is almost never valid UTF-8 by accident); the charset declared in the HTTP header, then in
    the document, when it decodes cleanly and does not read like mojibake; charset_normalizer's guess; UTF-8
    with replacement characters as the last resort.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace"), codec

    declared = [
        c for label in (header_charset, *declared_charsets(body)) if label and (c := _codec_name(label))
    ]
    seven_bit = [c for c in declared if c.startswith(_SEVEN_BIT_CODECS)]
    for codec in seven_bit:
        text = _decode_strict(body, codec)
        if text is not None and _plausible(text):
            return text, codec

    text = _decode_strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"

    for codec in declared:
        if codec.startswith(("utf_16", "utf_32")):  # without a BOM these labels are wrong on the web
            continue
        text = _decode_strict(body, codec)
        if text is not None and _plausible(text):
            return text, codec

    guess = charset_normalizer.from_bytes(body).best()
    if guess is not None:
        return str(guess), codecs.lookup(guess.encoding).name
    return body.decode("utf-8", errors="replace"), "utf-8"
