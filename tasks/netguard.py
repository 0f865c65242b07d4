"""The fetcher's SSRF guard: names resolved once, with a time limit, and every address checked.

Kept apart from the sessions (`tasks.http`) so it can be tested without a server.
"""

from __future__ import annotations

import ipaddress
import queue
import socket
import threading
from collections.abc import Iterable
from urllib.parse import urlsplit

from tasks.deadlines import current_watch

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
        watch = current_watch()
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
