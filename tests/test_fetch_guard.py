"""The SSRF guard and name resolution: loopback, other schemes, redirects out of the allowed network, the
connected address, DNS rebinding, IPv6 transition forms, and resolution under the connect deadline."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tasks.fetch import Fetcher
from tasks.netguard import AddressGuard, SSRFError
from tests.fetch_support import LOOPBACK, fast, fetch, html
from tests.httpfixture import LoopbackServer, page


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer("127.0.0.1")
    yield s
    s.close()


@pytest.fixture
def server2() -> Iterator[LoopbackServer]:
    s = LoopbackServer("127.0.0.2")
    yield s
    s.close()


# --- SSRF guard -----------------------------------------------------------------------------------


def test_loopback_is_refused_by_default(server: LoopbackServer) -> None:
    url = server.route("/a", page(html("x")))
    r = fetch(url, fast(allow_networks=()))
    assert not r.ok and r.error == "ssrf" and r.permanent is True and r.attempts == []
    assert server.paths() == []
    assert fetch(url, fast(allow_networks=LOOPBACK)).ok


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/pub/", "gopher://127.0.0.1/", "javascript:alert(1)"]
)
def test_other_schemes_are_refused(url: str) -> None:
    r = fetch(url)
    assert r.error == "scheme" and r.permanent is True and r.attempts == []


def test_redirect_out_of_the_allowed_network_is_refused(
    server: LoopbackServer, server2: LoopbackServer
) -> None:
    target = server2.route("/inside", page(html("x")))
    start = server.route("/go", page(status=302, headers={"Location": target}))
    r = fetch(start, fast(allow_networks=("127.0.0.1/32",)))
    assert r.error == "ssrf" and r.final_url == target
    assert server2.paths() == []


def test_connected_address_is_checked_too(server: LoopbackServer) -> None:
    """A name that resolved to a public address at check time but connects to loopback (DNS rebinding)."""
    url = server.route("/a", page(html("x")))
    with Fetcher(fast(allow_networks=(), respect_robots=False)) as fetcher:
        fetcher._guard.check_url = lambda url: None  # type: ignore[method-assign]
        r = fetcher.fetch(url)
    assert r.error == "ssrf" and r.permanent is True
    assert server.paths() == []


def test_unresolvable_host_is_a_dns_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    r = fetch("https://no-such-host.example/article")
    assert r.error == "dns" and r.permanent is False


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("8.8.8.8", True),
        ("2a00:1450:4001::200e", True),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_guard_classifies_addresses(address: str, allowed: bool) -> None:
    assert AddressGuard().allows(address) is allowed
    assert AddressGuard(("0.0.0.0/0", "::/0")).allows(address) is True


def test_guard_raises_ssrf_error_with_a_reason() -> None:
    with pytest.raises(SSRFError) as refused:
        AddressGuard().check_url("http://127.0.0.1/")
    assert refused.value.reason == "ssrf" and refused.value.permanent


@pytest.mark.parametrize("url", ["", "not a url", "http://", "http://[::1/", "http://127.0.0.1:99999/"])
def test_bad_urls_become_results(url: str) -> None:
    r = fetch(url)
    assert not r.ok and r.error and r.url == url


# --- SSRF: rebinding and IPv6 transition forms ------------------------------------------------------------


def test_dns_rebinding_is_refused_before_any_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The name answers a public address to the check, then loopback: no TCP connection may be made."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    answers = iter(["93.184.216.34"])
    real = socket.getaddrinfo

    def rebinding(host: str, *args: object, **kwargs: object):
        if host != "rebind.example":
            return real(host, *args, **kwargs)  # type: ignore[arg-type]
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        r = fetch(f"http://rebind.example:{port}/a", fast(allow_networks=(), respect_robots=False))
        assert r.error == "ssrf" and r.permanent is True
        assert [a.error for a in r.attempts] == ["ssrf"]
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing ever connected
    finally:
        listener.close()


@pytest.mark.parametrize(
    "address",
    [
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2002:c0a8:101::",  # 6to4 of 192.168.1.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b:1::a00:1",  # local-use NAT64 of 10.0.0.1
        "fec0::1",  # site-local
        "::ffff:10.0.0.1",  # IPv4-mapped
        "::127.0.0.1",  # IPv4-compatible
    ],
)
def test_guard_refuses_ipv6_forms_that_embed_a_private_address(address: str) -> None:
    assert AddressGuard().allows(address) is False


@pytest.mark.parametrize("address", ["2002:808:808::1", "64:ff9b::808:808", "::ffff:8.8.8.8"])
def test_guard_allows_ipv6_forms_of_public_addresses(address: str) -> None:
    assert AddressGuard().allows(address) is True


def test_embedded_loopback_passes_when_loopback_is_allowed() -> None:
    assert AddressGuard(LOOPBACK).allows("64:ff9b::7f00:1") is True


# --- DNS: name resolution under the connect deadline --------------------------------------------------------


@pytest.fixture
def hanging_dns(monkeypatch: pytest.MonkeyPatch):
    """getaddrinfo that never answers for *.hang.example (until the test ends); other names as usual.

    `plan` maps a host to the answers of its successive lookups: an address, or None to hang.
    """
    release = threading.Event()
    calls: list[str] = []
    plan: dict[str, list[str | None]] = {}
    real = socket.getaddrinfo

    def stub(host: str, port: object, *args: object, **kwargs: object):
        calls.append(host)
        if host in plan:
            answers = plan[host]
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            if address is not None:
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        if host.endswith("hang.example"):
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", stub)
    yield calls, plan
    release.set()


def test_a_hanging_resolver_is_cut_at_the_connect_timeout(hanging_dns) -> None:
    started = time.monotonic()
    r = fetch("http://www.hang.example/a", fast(timeout=0.5, request_deadline=10.0, respect_robots=False))
    took = time.monotonic() - started
    assert r.error == "dns_timeout" and r.permanent is False and not r.ok  # a later run tries again
    assert r.attempts == []  # refused before any request
    assert took < 1.5


def test_a_resolver_hanging_at_connect_time_is_bounded_and_connects_nowhere(
    server: LoopbackServer, hanging_dns
) -> None:
    """The guard's check resolves at once; the connection's own lookup then hangs: cut, nothing connected."""
    _, plan = hanging_dns
    plan["twice.hang.example"] = ["127.0.0.1", None]
    server.route("/a", page(html("x")))
    started = time.monotonic()
    r = fetch(
        f"http://twice.hang.example:{server.port}/a",
        fast(timeout=0.5, request_deadline=10.0, max_retries=2, respect_robots=False),
    )
    assert r.error == "dns_timeout" and [a.error for a in r.attempts] == ["dns_timeout"]
    assert time.monotonic() - started < 1.5
    assert server.paths() == []


def test_resolution_time_counts_against_the_request_deadline(hanging_dns) -> None:
    """A lookup that would outlast the request's deadline is cut at the deadline, not at its own limit."""
    from tasks.deadlines import request_deadline
    from tasks.netguard import AddressGuard

    guard = AddressGuard(dns_timeout=5.0)
    started = time.monotonic()
    with request_deadline(time.monotonic() + 0.3), pytest.raises(SSRFError) as cut:
        guard.resolve("deadline.hang.example", 80, 5.0)
    assert cut.value.reason == "dns_timeout" and time.monotonic() - started < 1.0


def test_a_hanging_name_holds_one_lookup_not_one_per_request(hanging_dns) -> None:
    calls, _ = hanging_dns
    with Fetcher(fast(timeout=0.2, respect_robots=False)) as fetcher:
        results = [fetcher.fetch(f"http://same.hang.example/{i}") for i in range(4)]
    assert {r.error for r in results} == {"dns_timeout"}
    assert calls.count("same.hang.example") == 1  # later requests wait on the lookup in flight


def test_a_hanging_name_does_not_hold_up_other_names(hanging_dns) -> None:
    guard = AddressGuard(LOOPBACK, dns_timeout=0.2)
    for name in ("a.hang.example", "b.hang.example"):
        with pytest.raises(SSRFError, match="dns_timeout"):
            guard.resolve(name, 80)
    started = time.monotonic()
    assert guard.resolve("127.0.0.1", 80) == [(socket.AF_INET, "127.0.0.1")]  # two lookups still hang
    assert time.monotonic() - started < 0.2
