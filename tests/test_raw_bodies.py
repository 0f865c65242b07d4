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


@pytest.mark.timeout(300)  # a real nightly and reprocess through Prefect: slow on a busy machine
def test_newsmon_reprocess_repairs_a_page_stored_with_the_old_wrong_decoding(
    tmp_path, monkeypatch, prefect_harness
):
    """A Russian page served as UTF-16 without a BOM, declared UTF-8, was stored by a decoder that trusted the
    header (as newsmon's did before NUL-pattern detection) as UTF-8 full of NULs and replacement characters;
    `newsmon reprocess` decodes its kept bytes again with the current decoder and loads the article."""
    from typer.testing import CliRunner

    import tasks.fetch
    from flows.cli import app
    from flows.demo import DEMO_NOW, demo_settings_toml, sources_toml
    from flows.nightly import nightly
    from simweb import SimWeb
    from tasks import clock

    from .conftest import rows

    def trusting_the_header(body: bytes, charset: str | None) -> tuple[str, str, str]:
        return body.decode(charset or "utf-8", errors="replace"), charset or "utf-8", "header"

    db_path = tmp_path / "news.duckdb"
    with SimWeb(now=DEMO_NOW, faults=None) as web:
        ru = next(p for p in web.publishers if p.language == "ru")
        target = next(
            t for t in web.truth() if t.publisher == ru.name and t.kind == "article" and t.expect_loaded
        )
        web.set_fault(target.url, "wrong_charset", encoding="utf-16-le", declared="utf-8")
        (tmp_path / "newsmon.toml").write_text(demo_settings_toml(db_path), encoding="utf-8")
        feeds = [s for s in web.sources() if s.name == f"{ru.name}-feed"]
        (tmp_path / "sources.toml").write_text(sources_toml(feeds), encoding="utf-8")
        with monkeypatch.context() as old_decoder:
            old_decoder.setattr(tasks.fetch, "decode_body", trusting_the_header)
            clock.set_now(DEMO_NOW, ticking=True)
            try:
                nightly(
                    db_path=str(db_path),
                    sources_file=str(tmp_path / "sources.toml"),
                    settings_file=str(tmp_path / "newsmon.toml"),
                )
            finally:
                clock.set_now(None)
        requests_before = len(web.requests)
        url = target.canonical_url
        assert rows(db_path, "SELECT encoding, encoding_reason FROM raw_bodies WHERE url = ?", [url]) == [
            ("utf-8", "header")
        ]
        status_before = rows(db_path, "SELECT status FROM urls WHERE url = ?", [url])[0][0]
        assert status_before != "loaded"
        assert rows(db_path, "SELECT count(*) FROM articles WHERE canonical_url = ?", [url]) == [(0,)]

        result = CliRunner().invoke(app, ["reprocess", "--db", str(db_path)])
        assert result.exit_code == 0, result.output
        assert len(web.requests) == requests_before  # nothing fetched: the kept bytes were enough

    assert rows(db_path, "SELECT encoding, encoding_reason FROM raw_bodies WHERE url = ?", [url]) == [
        ("utf-16-le", "nul_pattern")
    ]
    assert rows(db_path, "SELECT status FROM urls WHERE url = ?", [url]) == [("loaded",)]
    (text,) = rows(db_path, "SELECT text FROM articles WHERE canonical_url = ?", [url])[0]
    assert "\x00" not in text
    for line in target.content_lines:
        assert line in text
    counts = rows(db_path, "SELECT counts FROM runs WHERE flow = 'reprocess'")[0][0]
    assert '"redecoded":1' in counts.replace(" ", "")
