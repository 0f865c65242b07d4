"""robots.txt: disallowed pages are never requested, rules for our agent apply, an unavailable robots.txt
allows, one behind a redirect is followed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tasks.fetch import Fetcher
from tests.fetch_support import fast, fetch, html
from tests.httpfixture import LoopbackServer, page


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer("127.0.0.1")
    yield s
    s.close()


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
