"""The fetcher against loopback servers: retries, final answers, redirects, deadlines against slowloris
servers, and the public request API."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tasks.fetch import ANY_TYPE, Fetcher
from tasks.http import parse_retry_after
from tests.fetch_support import fast, fetch, html
from tests.httpfixture import Handler, LoopbackServer, Responder, in_turn, page, send, slow


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


# --- retries -------------------------------------------------------------------------------------------


def test_500_then_ok_is_retried_and_both_attempts_recorded(server: LoopbackServer) -> None:
    url = server.route("/a", in_turn(page(b"oops", status=500), page(html("fine"))))
    r = fetch(url)
    assert r.ok and r.status == 200 and r.error is None
    assert "fine" in (r.text or "")
    assert [(a.status, a.error) for a in r.attempts] == [(500, "http_500"), (200, None)]
    assert all(a.url == url for a in r.attempts)


def test_500_always_gives_up_after_max_retries_and_stays_retryable(server: LoopbackServer) -> None:
    url = server.route("/a", page(b"oops", status=500))
    r = fetch(url, fast(max_retries=2))
    assert not r.ok and r.error == "http_500" and r.status == 500
    assert r.permanent is False
    assert len(r.attempts) == 3
    assert server.paths().count("/a") == 3


def test_429_retry_after_is_honoured(server: LoopbackServer) -> None:
    url = server.route(
        "/a", in_turn(page(b"slow down", status=429, headers={"Retry-After": "1"}), page(html("ok")))
    )
    r = fetch(url)
    assert r.ok
    first, second = server.times("/a")
    assert 0.95 <= second - first < 1.8
    assert [a.status for a in r.attempts] == [429, 200]


def test_retry_after_is_capped(server: LoopbackServer) -> None:
    url = server.route(
        "/a", in_turn(page(b"", status=503, headers={"Retry-After": "3600"}), page(html("ok")))
    )
    started = time.monotonic()
    r = fetch(url, fast(max_retry_after=0.2))
    assert r.ok
    assert 0.15 <= time.monotonic() - started < 1.0


def test_retry_after_holds_the_host_even_without_retries_left(server: LoopbackServer) -> None:
    server.route("/busy", page(b"", status=503, headers={"Retry-After": "0.4"}))
    server.route("/next", page(html("ok")))
    with Fetcher(fast(max_retries=0)) as fetcher:
        assert fetcher.fetch(server.url("/busy")).error == "http_503"
        assert fetcher.fetch(server.url("/next")).ok
    assert server.times("/next")[0] - server.times("/busy")[0] >= 0.38


def test_backoff_grows_exponentially(server: LoopbackServer) -> None:
    url = server.route("/a", page(b"", status=502))
    r = fetch(url, fast(max_retries=3, backoff=0.05))
    assert r.error == "http_502" and len(r.attempts) == 4
    t = server.times("/a")
    gaps = [b - a for a, b in zip(t, t[1:], strict=False)]
    for gap, expected in zip(gaps, (0.05, 0.1, 0.2), strict=True):
        assert gap >= expected * 0.9


def test_retry_after_parses_seconds_and_http_dates() -> None:
    now = datetime(2024, 6, 19, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(later, now=now.timestamp()) == pytest.approx(90.0)
    assert (
        parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now=now.timestamp()) == 0.0
    )
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_slow_response_times_out_and_is_retried(server: LoopbackServer) -> None:
    url = server.route("/a", slow(1.5, page(html("late"))))
    started = time.monotonic()
    r = fetch(url, fast(timeout=0.2, max_retries=1))
    assert not r.ok and r.error == "timeout" and r.permanent is False and r.status is None
    assert [a.error for a in r.attempts] == ["timeout", "timeout"]
    assert time.monotonic() - started < 1.2


def test_truncated_body_is_retried(server: LoopbackServer) -> None:
    truncated = page(html("half")[:40], content_length=1000)
    url = server.route("/a", in_turn(truncated, page(html("whole"))))
    r = fetch(url)
    assert r.ok and "whole" in (r.text or "")
    assert [a.error for a in r.attempts] == ["truncated", None]

    always = server.route("/b", truncated)
    r = fetch(always, fast(max_retries=1))
    assert not r.ok and r.error == "truncated" and r.permanent is False and r.body is None
    assert len(r.attempts) == 2


def test_refused_connection_is_retried_then_reported(server: LoopbackServer) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    r = fetch(f"http://127.0.0.1:{port}/", fast(max_retries=1, respect_robots=False))
    assert not r.ok and r.error == "connection" and r.permanent is False
    assert len(r.attempts) == 2


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_host_that_stops_accepting_connections_is_not_asked_again_for_a_while() -> None:
    """Before: without network every page and search query spent its retries and backoff on a host that
    could not be reached (a backfill of two days slept 46 s in backoff)."""
    port = _closed_port()
    urls = [f"http://127.0.0.1:{port}/{i}" for i in range(6)]
    policy = fast(max_retries=2, backoff=0.2, respect_robots=False, host_down_after=4, host_down_for=60.0)
    started = time.monotonic()
    with Fetcher(policy) as fetcher:
        results = fetcher.fetch_batch(urls)
    # the first page spends its 3 attempts, the second one more: the host is down after 4 in a row
    assert [(r.error, len(r.attempts)) for r in results] == [("connection", 3), ("connection", 1)] + [
        ("host_down", 0)
    ] * 4
    assert all(r.permanent is False for r in results)
    assert time.monotonic() - started < 0.2 + 0.4 + 0.2 + 1.0  # the backoff of two pages, not of six


def test_a_down_host_is_asked_again_when_its_time_is_over_and_an_answer_clears_it(
    server: LoopbackServer,
) -> None:
    port = _closed_port()
    policy = fast(max_retries=0, respect_robots=False, host_down_after=2, host_down_for=0.3)
    with Fetcher(policy) as fetcher:
        assert [fetcher.fetch(f"http://127.0.0.1:{port}/{i}").error for i in range(3)] == [
            "connection", "connection", "host_down",
        ]  # fmt: skip
        time.sleep(0.35)
        again = fetcher.fetch(f"http://127.0.0.1:{port}/again")
        assert again.error == "connection" and len(again.attempts) == 1  # asked, and down at once again
        assert fetcher.fetch(f"http://127.0.0.1:{port}/more").error == "host_down"
        # an answer of any status (here a 500) keeps another host up: failures count in a row, per host
        url = server.route("/a", page(b"oops", status=500))
        for _ in range(3):
            assert fetcher.fetch(url).error == "http_500"


def test_host_down_after_zero_never_stops_asking() -> None:
    port = _closed_port()
    policy = fast(max_retries=0, respect_robots=False, host_down_after=0)
    with Fetcher(policy) as fetcher:
        assert {fetcher.fetch(f"http://127.0.0.1:{port}/{i}").error for i in range(8)} == {"connection"}


# --- final answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_gone_is_permanent_and_not_retried(server: LoopbackServer, status: int) -> None:
    url = server.route("/gone", page(b"no", status=status))
    r = fetch(url)
    assert not r.ok and r.error == f"http_{status}" and r.permanent is True and r.status == status
    assert len(r.attempts) == 1


def test_conditional_get_returns_304_without_body(server: LoopbackServer) -> None:
    def feed(handler: Handler, count: int) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            send(handler, 304, content_type=None, content_length=None, headers={"ETag": '"v1"'})
        else:
            validators = {"ETag": '"v1"', "Last-Modified": "Wed, 19 Jun 2024 10:00:00 GMT"}
            send(
                handler, 200, b"<rss><channel/></rss>", content_type="application/rss+xml", headers=validators
            )

    url = server.route("/feed", feed)
    with Fetcher(fast()) as fetcher:
        first = fetcher.fetch(url)
        second = fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert first.ok and first.status == 200 and first.body == b"<rss><channel/></rss>"
    assert first.etag == '"v1"' and first.last_modified == "Wed, 19 Jun 2024 10:00:00 GMT"
    assert second.ok and second.status == 304 and second.body is None and second.text is None
    assert second.etag == '"v1"'
    assert second.last_modified == "Wed, 19 Jun 2024 10:00:00 GMT"  # kept although the 304 omitted it
    conditional = [h for h in server.hits if h.path == "/feed"][1]
    assert conditional.headers["If-None-Match"] == '"v1"'
    assert conditional.headers["If-Modified-Since"] == "Wed, 19 Jun 2024 10:00:00 GMT"


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "application/octet-stream"])
def test_unreadable_content_type_is_refused(server: LoopbackServer, content_type: str) -> None:
    url = server.route("/file", page(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type=content_type))
    r = fetch(url)
    assert not r.ok and r.error == "content_type" and r.permanent is True
    assert r.body is None and r.text is None and r.content_type == content_type


@pytest.mark.parametrize(
    "content_type", ["text/html", "application/xhtml+xml", "application/atom+xml", "text/xml; charset=utf-8"]
)
def test_readable_content_types_are_kept(server: LoopbackServer, content_type: str) -> None:
    url = server.route("/doc", page(b"<feed>x</feed>", content_type=content_type))
    r = fetch(url)
    assert r.ok and r.body == b"<feed>x</feed>" and r.content_type == content_type.split(";")[0]


@pytest.mark.parametrize("content_length", [-1, None], ids=["with-length", "without-length"])
def test_body_over_the_cap_is_refused(server: LoopbackServer, content_length: int | None) -> None:
    url = server.route("/big", page(b"<html>" + b"x" * 200_000, content_length=content_length))
    r = fetch(url, fast(max_bytes=10_000))
    assert not r.ok and r.error == "too_large" and r.permanent is True
    assert r.body is None and r.status == 200
    assert len(r.attempts) == 1


def test_gzip_is_decompressed(server: LoopbackServer) -> None:
    url = server.route("/z", page(gzip.compress(html("сжатый текст")), headers={"Content-Encoding": "gzip"}))
    r = fetch(url)
    assert r.ok and "сжатый текст" in (r.text or "")


# --- redirects ------------------------------------------------------------------------------------


def test_redirect_is_followed_and_final_url_reported(server: LoopbackServer) -> None:
    old = server.route("/old", page(status=301, headers={"Location": "/new"}))
    new = server.route("/new", page(html("moved")))
    r = fetch(old)
    assert r.ok and r.url == old and r.final_url == new
    assert [(a.url, a.status) for a in r.attempts] == [(old, 301), (new, 200)]


def test_redirect_loop_is_permanent(server: LoopbackServer) -> None:
    a = server.route("/a", page(status=302, headers={"Location": "/b"}))
    server.route("/b", page(status=302, headers={"Location": "/a"}))
    r = fetch(a)
    assert not r.ok and r.error == "redirect_loop" and r.permanent is True
    assert server.paths().count("/a") == 1


def test_too_many_redirects_count_as_a_loop(server: LoopbackServer) -> None:
    for n in range(10):
        server.route(f"/r{n}", page(status=307, headers={"Location": f"/r{n + 1}"}))
    r = fetch(server.url("/r0"), fast(max_redirects=3))
    assert r.error == "redirect_loop" and r.permanent is True
    assert len(r.attempts) == 4  # the original request and three redirects


def test_unparsable_location_becomes_a_result(server: LoopbackServer) -> None:
    r = fetch(server.route("/a", page(status=302, headers={"Location": "http://[::1/oops"})))
    assert r.error == "bad_url" and r.permanent is True and r.status == 302


def test_utf8_location_is_followed(server: LoopbackServer) -> None:
    server.route("/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8", page(html("новости")))
    start = server.route("/a", page(status=302, headers={"Location": "/новости".encode().decode("latin-1")}))
    r = fetch(start)
    assert r.ok and "новости" in (r.text or "")


# --- deadlines: slowloris servers ----------------------------------------------------------------------


def trickle_body(interval: float, size: int = 2000) -> Responder:
    """Headers at once with a true Content-Length, then the body one byte every `interval` seconds."""

    def respond(handler: Handler, count: int) -> None:
        body = html("x" * size)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            if handler.server.owner.stopping.wait(interval):
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()

    return respond


def trickle_headers(interval: float) -> Responder:
    """The status line and headers one byte every `interval` seconds."""

    def respond(handler: Handler, count: int) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"p" * 500 + b"\r\n\r\n"
        for byte in head:
            if handler.server.owner.stopping.wait(interval):
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()

    return respond


@pytest.mark.parametrize("trickle", [trickle_body, trickle_headers], ids=["body", "headers"])
def test_a_trickling_server_is_cut_at_the_request_deadline(server: LoopbackServer, trickle) -> None:
    # every byte arrives well within the socket timeout: only the whole-request deadline can stop it
    url = server.route("/a", trickle(0.05))
    started = time.monotonic()
    r = fetch(url, fast(timeout=1.0, request_deadline=0.8, max_retries=0))
    took = time.monotonic() - started
    assert not r.ok and r.error == "timeout" and r.permanent is False and r.body is None
    assert 0.7 < took < 1.6


def test_retries_stay_within_the_host_budget(server: LoopbackServer) -> None:
    url = server.route("/a", trickle_body(0.05))
    policy = fast(timeout=1.0, request_deadline=0.6, max_retries=5, host_budget=1.5)
    started = time.monotonic()
    with Fetcher(policy) as fetcher:
        [r] = fetcher.fetch_batch([url])
    took = time.monotonic() - started
    assert not r.ok and r.error in ("timeout", "budget") and r.permanent is False
    assert took < 2.2  # six attempts of 0.6 s each would take 3.6 s
    assert 2 <= len(r.attempts) <= 3


def test_a_slow_host_delays_only_its_own_pages(server: LoopbackServer, server2: LoopbackServer) -> None:
    slow_urls = [server.route(f"/s{n}", trickle_body(0.05)) for n in range(4)]
    fast_urls = [server2.route(f"/f{n}", page(html(f"fast {n}"))) for n in range(6)]
    policy = fast(timeout=1.0, request_deadline=0.5, max_retries=1, host_budget=1.2, batch_budget=5.0)
    started = time.monotonic()
    with Fetcher(policy) as fetcher:
        results = fetcher.fetch_batch(slow_urls + fast_urls)
    took = time.monotonic() - started
    slow_results, fast_results = results[:4], results[4:]
    assert all(r.ok for r in fast_results)
    assert all(not r.ok and r.error in ("timeout", "budget") for r in slow_results)
    assert any(r.error == "budget" and r.attempts == [] for r in slow_results)  # never requested
    assert took < 2.0


def test_the_batch_budget_bounds_every_host(server: LoopbackServer, server2: LoopbackServer) -> None:
    urls = [server.route(f"/s{n}", trickle_body(0.05)) for n in range(3)]
    urls += [server2.route(f"/t{n}", trickle_body(0.05)) for n in range(3)]
    policy = fast(timeout=1.0, request_deadline=0.5, max_retries=2, batch_budget=1.0)
    started = time.monotonic()
    with Fetcher(policy) as fetcher:
        results = fetcher.fetch_batch(urls)
    assert time.monotonic() - started < 1.8
    assert {r.error for r in results} <= {"timeout", "budget"} and any(r.error == "budget" for r in results)


def test_public_request_api_posts_and_takes_any_type(server: LoopbackServer) -> None:
    url = server.route("/data.zip", page(b"PK\x03\x04zip", content_type="application/zip"))
    with Fetcher(fast()) as fetcher:
        refused = fetcher.request(url)
        taken = fetcher.request(url, accept=ANY_TYPE, max_bytes=100)
        capped = fetcher.request(url, accept=("application/zip",), max_bytes=3)
    assert refused.error == "content_type"
    assert taken.ok and taken.body == b"PK\x03\x04zip" and taken.text is None
    assert capped.error == "too_large"
