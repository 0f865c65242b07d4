"""Per-host pacing and batches: one host paced while two run in parallel, hosts keyed by host and port,
per-host delays, and input order kept."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tasks.fetch import fetch_batch
from tasks.fetch_policy import FetchPolicy
from tasks.pacing import HostPacer
from tests.fetch_support import fast, html
from tests.httpfixture import LoopbackServer, in_turn, page, slow


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


# --- pacing and batches ---------------------------------------------------------------------------


def test_one_host_is_paced_while_two_hosts_run_in_parallel(
    server: LoopbackServer, server2: LoopbackServer
) -> None:
    delay = 0.25
    for s in (server, server2):
        s.route("/1", page(html("one")))
        s.route("/2", page(html("two")))
    urls = [server.url("/1"), server2.url("/1"), server.url("/2"), server2.url("/2")]
    started = time.monotonic()
    results = fetch_batch(urls, fast(delay=delay))
    elapsed = time.monotonic() - started
    assert all(r.ok for r in results)
    for s in (server, server2):
        assert s.paths() == ["/robots.txt", "/1", "/2"]  # robots.txt is paced like any request
        t = s.times()
        assert all(b - a >= delay * 0.95 for a, b in zip(t, t[1:], strict=False))
    assert abs(server.times()[0] - server2.times()[0]) < 0.15  # the hosts did not wait for each other
    assert elapsed < 3 * delay + 0.3  # serial would be about 4 * delay


def test_two_ports_of_one_address_are_two_hosts() -> None:
    a, b = LoopbackServer("127.0.0.1"), LoopbackServer("127.0.0.1")
    try:
        for s in (a, b):
            s.route("/1", page(html("one")))
        fetch_batch([a.url("/1"), b.url("/1")], fast(delay=1.0, respect_robots=False))
        assert abs(a.times()[0] - b.times()[0]) < 0.3
    finally:
        a.close()
        b.close()


def test_host_delays_override_the_default() -> None:
    pacer = HostPacer(FetchPolicy(delay=1.0, host_delays={"News.Example:8001": 2.0, "news.example": 3.0}))
    assert pacer.delay_for("news.example:8001") == 2.0
    assert pacer.delay_for("news.example:8002") == 3.0
    assert pacer.delay_for("other.example:80") == 1.0


def test_fetch_batch_keeps_input_order(server: LoopbackServer, server2: LoopbackServer) -> None:
    for n in range(4):
        server.route(f"/{n}", page(html(f"a{n}")))
        server2.route(f"/{n}", in_turn(slow(0.1, page(html(f"b{n}")))) if n == 0 else page(html(f"b{n}")))
    urls = [
        server2.url("/0"),
        server.url("/0"),
        "ftp://x/",
        server.url("/1"),
        server2.url("/1"),
        server.url("/9"),
    ]
    results = fetch_batch(urls, fast())
    assert [r.url for r in results] == urls
    assert [r.error for r in results] == [None, None, "scheme", None, None, "http_404"]
    assert "b0" in (results[0].text or "") and "a1" in (results[3].text or "")
