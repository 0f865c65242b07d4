"""Raw body bytes are kept beside the decoded HTML, so a page can be decoded again without refetching."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.models import Attempt, Candidate, FetchResult
from tasks.repos import raw_bodies
from tasks.store import Store

NOW = datetime(2024, 11, 30, 6, 0, tzinfo=UTC)
RUSSIAN = "<html><body><p>Договор о всеобъемлющем стратегическом партнёрстве</p></body></html>"

pytestmark = pytest.mark.timeout(60)  # bounded in time


def _result(url: str, body: bytes, text: str, encoding: str) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=url,
        status=200,
        ok=True,
        body=body,
        text=text,
        content_type="text/html",
        encoding=encoding,
        attempts=[Attempt(url, 200, None, 5)],
    )


def test_bodies_are_kept_and_a_wrong_decoding_can_be_repaired(tmp_path):
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    utf16 = "https://ru.example/utf16.html"
    cp1251 = "https://ru.example/cp1251.html"
    fine = "https://ru.example/fine.html"
    store.add_candidates([Candidate(u, "feed") for u in (utf16, cp1251, fine)], "run-1", NOW)
    b16, b1251, b8 = RUSSIAN.encode("utf-16-le"), RUSSIAN.encode("cp1251"), RUSSIAN.encode("utf-8")
    store.save_fetches(
        [
            # decoded wrongly at fetch time, as a naive decoder would
            _result(utf16, b16, b16.decode("utf-8", errors="replace"), "utf-8"),
            _result(cp1251, b1251, b1251.decode("latin-1"), "latin-1"),
            _result(fine, b8, RUSSIAN, "utf-8"),
            FetchResult(url="https://ru.example/404.html", status=404, error="http_404", permanent=True),
        ],
        "run-1",
        NOW,
        max_attempts=3,
    )
    with store.connect() as con:
        kept = raw_bodies.bodies(con, [utf16, cp1251, fine, "https://ru.example/404.html"])
        assert kept == {
            utf16: (b16, "utf-8", "text/html"),
            cp1251: (b1251, "latin-1", "text/html"),
            fine: (b8, "utf-8", "text/html"),
        }
        hashes = con.execute(
            "SELECT count(*) FROM raw_pages p JOIN raw_bodies b USING (url) WHERE p.content_hash = b.content_hash"
        ).fetchone()[0]
        assert hashes == 3

    def better_decoder(body: bytes, content_type: str | None) -> tuple[str, str]:
        if body[1:2] == b"\x00":
            return body.decode("utf-16-le"), "utf-16-le"
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return body.decode("cp1251"), "cp1251"

    with store.connect() as con:
        changed = raw_bodies.redecode(con, [utf16, cp1251, fine], better_decoder)
    assert sorted(changed) == [cp1251, utf16]
    pages = {p.url: p.html for p in store.raw_pages([utf16, cp1251, fine])}
    assert pages == {utf16: RUSSIAN, cp1251: RUSSIAN, fine: RUSSIAN}


def test_a_refetch_replaces_the_body(tmp_path):
    store = Store(tmp_path / "news.duckdb", lock_timeout=5)
    store.migrate()
    url = "https://a.example/x.html"
    store.add_candidates([Candidate(url, "feed")], "run-1", NOW)
    store.save_fetches([_result(url, b"<p>one</p>", "<p>one</p>", "utf-8")], "run-1", NOW, max_attempts=3)
    store.save_fetches([_result(url, b"<p>two</p>", "<p>two</p>", "utf-8")], "run-2", NOW, max_attempts=3)
    with store.connect() as con:
        assert raw_bodies.bodies(con, [url])[url][0] == b"<p>two</p>"
        assert con.execute("SELECT count(*), max(run_id) FROM raw_bodies").fetchone() == (1, "run-2")
