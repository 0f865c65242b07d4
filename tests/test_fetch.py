"""The fetcher against loopback servers: every fault the web throws at it, and its manners."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.decoding import decode_text
from tasks.fetch import ANY_TYPE, Fetcher, fetch_batch
from tasks.fetch_policy import FetchPolicy
from tasks.http import parse_retry_after
from tasks.netguard import AddressGuard, SSRFError
from tasks.pacing import HostPacer
from tests.httpfixture import Handler, LoopbackServer, Responder, in_turn, page, send, slow

LOOPBACK = ("127.0.0.0/8",)
RUSSIAN = "Путин и Ким Чен Ын подписали договор о всеобъемлющем стратегическом партнёрстве в Пхеньяне."


def fast(**overrides: object) -> FetchPolicy:
    """A policy for tests: loopback allowed, no pacing, tiny backoff."""
    options: dict[str, object] = {
        "timeout": 1.0,
        "delay": 0.0,
        "backoff": 0.01,
        "max_retries": 3,
        "allow_networks": LOOPBACK,
    }
    options.update(overrides)
    return FetchPolicy(**options)  # type: ignore[arg-type]


def fetch(url: str, policy: FetchPolicy | None = None, **kwargs: str):
    with Fetcher(policy or fast()) as fetcher:
        return fetcher.fetch(url, **kwargs)


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


def html(text: str, charset: str = "utf-8", meta: str = "") -> bytes:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>".encode(charset)


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


# --- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("actual", ["utf-8", "cp1251"])
def test_russian_declared_as_latin1_comes_out_readable(server: LoopbackServer, actual: str) -> None:
    url = server.route("/ru", page(html(RUSSIAN, actual), content_type="text/html; charset=iso-8859-1"))
    r = fetch(url)
    assert r.ok and RUSSIAN in (r.text or "")
    assert r.encoding == actual


def test_meta_charset_is_used_when_the_header_has_none(server: LoopbackServer) -> None:
    body = html(
        RUSSIAN, "koi8-r", meta='<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    )
    url = server.route("/koi", page(body, content_type="text/html"))
    r = fetch(url)
    assert r.encoding == "koi8-r" and RUSSIAN in (r.text or "")


def test_decode_text_keeps_honest_latin1() -> None:
    french = "Le traité signé à Pyongyang: « une étape décisive » pour Moscou et Pyongyang."
    text, encoding = decode_text(html(french, "latin-1"), "iso-8859-1")
    assert french in text and encoding == "cp1252"


def test_decode_text_finds_korean_behind_a_wrong_label() -> None:
    korean = "러시아와 북한은 포괄적 전략적 동반자 관계 조약에 서명했다. 국가정보원은 파병을 확인했다."
    text, _ = decode_text(html(korean, "euc-kr"), "iso-8859-1")
    assert korean in text


def test_decode_text_honours_a_bom_and_xml_declaration() -> None:
    assert decode_text(b"\xff\xfe" + "<p>Пхеньян</p>".encode("utf-16-le"), "iso-8859-1") == (
        "<p>Пхеньян</p>",
        "utf-16-le",
    )
    feed = f'<?xml version="1.0" encoding="windows-1251"?><rss><title>{RUSSIAN}</title></rss>'.encode(
        "cp1251"
    )
    assert decode_text(feed) == (feed.decode("cp1251"), "cp1251")


@settings(max_examples=60, deadline=None)
@given(
    st.binary(max_size=300), st.sampled_from([None, "utf-8", "iso-8859-1", "bogus", "utf-16", "shift_jis"])
)
def test_decode_text_never_fails(body: bytes, charset: str | None) -> None:
    text, encoding = decode_text(body, charset)
    assert isinstance(text, str) and encoding


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


# --- robots.txt -----------------------------------------------------------------------------------


def test_robots_disallowed_page_is_never_requested(server: LoopbackServer) -> None:
    server.route("/robots.txt", page(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    private = server.route("/private/x", page(html("secret")))
    public = server.route("/public", page(html("news")))
    with Fetcher(fast()) as fetcher:
        blocked = fetcher.fetch(private)
        allowed = fetcher.fetch(public)
    assert (
        not blocked.ok and blocked.error == "robots" and blocked.permanent is True and blocked.attempts == []
    )
    assert allowed.ok
    assert server.paths() == ["/robots.txt", "/public"]  # fetched once per host, page never asked for


def test_robots_rules_for_our_agent_apply(server: LoopbackServer) -> None:
    server.route("/robots.txt", page(b"User-agent: newsmon\nDisallow: /\n\nUser-agent: *\nAllow: /\n"))
    r = fetch(server.route("/a", page(html("x"))))
    assert r.error == "robots"


def test_redirect_into_a_disallowed_path_is_stopped(server: LoopbackServer) -> None:
    server.route("/robots.txt", page(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    server.route("/private/x", page(html("secret")))
    r = fetch(server.route("/go", page(status=302, headers={"Location": "/private/x"})))
    assert r.error == "robots" and r.final_url == server.url("/private/x")
    assert "/private/x" not in server.paths()


def test_robots_server_error_allows_and_is_recorded(server: LoopbackServer) -> None:
    robots = server.route("/robots.txt", page(b"down", status=503))
    url = server.route("/a", page(html("x")))
    with Fetcher(fast()) as fetcher:
        r = fetcher.fetch(url)
        assert r.ok and len(r.attempts) == 1
        assert [(a.url, a.status) for a in fetcher.robots_attempts] == [(robots, 503)]


def test_robots_behind_a_redirect_is_followed(server: LoopbackServer) -> None:
    server.route("/robots.txt", page(status=301, headers={"Location": "/real-robots.txt"}))
    server.route(
        "/real-robots.txt", page(b"\xef\xbb\xbfUser-agent: *\nDisallow: /a\n", content_type="text/plain")
    )
    r = fetch(server.route("/a", page(html("x"))))
    assert r.error == "robots"
    assert server.paths() == ["/robots.txt", "/real-robots.txt"]


def test_robots_can_be_ignored(server: LoopbackServer) -> None:
    server.route("/robots.txt", page(b"User-agent: *\nDisallow: /\n", content_type="text/plain"))
    r = fetch(server.route("/a", page(html("x"))), fast(respect_robots=False))
    assert r.ok and server.paths() == ["/a"]


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


# --- raw bytes and the charset decision -----------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_32_without_bom_are_detected(server: LoopbackServer, codec: str) -> None:
    raw = html(RUSSIAN, codec)
    url = server.route("/a", page(raw, content_type="text/html"))
    r = fetch(url)
    assert r.ok and r.body == raw
    assert r.encoding == codec and r.encoding_reason == "nul_pattern"
    assert RUSSIAN in (r.text or "") and "\x00" not in (r.text or "")


def test_the_charset_decision_is_recorded_with_its_reason(server: LoopbackServer) -> None:
    cp1251 = html(RUSSIAN, "cp1251")
    url = server.route("/a", page(cp1251, content_type="text/html; charset=windows-1251"))
    r = fetch(url)
    assert (r.body, r.encoding, r.encoding_reason) == (cp1251, "cp1251", "header")
    utf8 = server.route("/b", page(html(RUSSIAN), content_type="text/html"))
    assert fetch(utf8).encoding_reason == "valid_utf8"


def test_public_request_api_posts_and_takes_any_type(server: LoopbackServer) -> None:
    url = server.route("/data.zip", page(b"PK\x03\x04zip", content_type="application/zip"))
    with Fetcher(fast()) as fetcher:
        refused = fetcher.request(url)
        taken = fetcher.request(url, accept=ANY_TYPE, max_bytes=100)
        capped = fetcher.request(url, accept=("application/zip",), max_bytes=3)
    assert refused.error == "content_type"
    assert taken.ok and taken.body == b"PK\x03\x04zip" and taken.text is None
    assert capped.error == "too_large"


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
