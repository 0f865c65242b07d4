"""`newsmon reprocess` retries quarantined pages from their kept raw bytes: one a fixed decoder now reads loads,
one that still fails stays quarantined with its new error."""

from __future__ import annotations

import pytest

from .conftest import rows

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.timeout(300)]  # bounded in time


def test_reprocess_rescues_a_quarantined_page_and_keeps_one_that_still_fails(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import tasks.fetch
    import tasks.stages
    from flows.cli import app
    from flows.demo import DEMO_NOW, demo_settings_toml, sources_toml
    from flows.nightly import nightly
    from simweb import SimWeb
    from tasks import clock

    real_analyse = tasks.stages.analyse
    broken = {"error": "parser bug v1"}

    def trusting_the_header(body: bytes, charset: str | None) -> tuple[str, str, str]:
        return body.decode(charset or "utf-8", errors="replace"), charset or "utf-8", "header"

    db_path = tmp_path / "news.duckdb"
    with SimWeb(now=DEMO_NOW, faults=None) as web:
        ru = next(p for p in web.publishers if p.language == "ru")
        garbled, buggy = [
            t for t in web.truth() if t.publisher == ru.name and t.kind == "article" and t.expect_loaded
        ][:2]

        def strict_parser(page, *args, **kwargs):
            """A parser that refuses NULs (as lxml does), with a bug on one page."""
            if "\x00" in page.html:
                raise ValueError("All strings must be XML compatible: no NULL bytes")
            if page.url == buggy.canonical_url:
                raise ValueError(broken["error"])
            return real_analyse(page, *args, **kwargs)

        # served as UTF-16 without a BOM but declared UTF-8: the old decoder made it UTF-8 full of NULs
        web.set_fault(garbled.url, "wrong_charset", encoding="utf-16-le", declared="utf-8")
        (tmp_path / "newsmon.toml").write_text(demo_settings_toml(db_path), encoding="utf-8")
        feeds = [s for s in web.sources() if s.name == f"{ru.name}-feed"]
        (tmp_path / "sources.toml").write_text(sources_toml(feeds), encoding="utf-8")
        monkeypatch.setattr(tasks.stages, "analyse", strict_parser)
        clock.set_now(DEMO_NOW, ticking=True)
        try:
            with monkeypatch.context() as old_decoder:
                old_decoder.setattr(tasks.fetch, "decode_body", trusting_the_header)
                for _ in range(2):  # failing on two runs sets the pages aside
                    nightly(
                        db_path=str(db_path),
                        sources_file=str(tmp_path / "sources.toml"),
                        settings_file=str(tmp_path / "newsmon.toml"),
                    )
        finally:
            clock.set_now(None)
        urls = [garbled.canonical_url, buggy.canonical_url]
        status = "SELECT url, status FROM urls WHERE url IN (SELECT unnest(?)) ORDER BY url"
        assert rows(db_path, status, [urls]) == sorted((u, "quarantined") for u in urls)
        requests_before = len(web.requests)

        broken["error"] = "parser bug v2"  # the decoder is fixed, the parser bug only changed
        result = CliRunner().invoke(app, ["reprocess", "--db", str(db_path)])
        assert result.exit_code == 0, result.output
        assert len(web.requests) == requests_before  # nothing fetched: the kept bytes were enough

    assert dict(rows(db_path, status, [urls])) == {
        garbled.canonical_url: "loaded",
        buggy.canonical_url: "quarantined",
    }
    (text,) = rows(db_path, "SELECT text FROM articles WHERE canonical_url = ?", [garbled.canonical_url])[0]
    assert "\x00" not in text and all(line in text for line in garbled.content_lines)
    assert rows(db_path, "SELECT url, error FROM process_failures") == [
        (buggy.canonical_url, "ValueError: parser bug v2")
    ]  # the rescued page's failure is cleared; the other keeps its new error
    assert rows(db_path, "SELECT reason FROM urls WHERE url = ?", [buggy.canonical_url]) == [
        ("process:ValueError: parser bug v2",)
    ]
    counts = rows(db_path, "SELECT counts FROM runs WHERE flow = 'reprocess'")[0][0].replace(" ", "")
    assert '"quarantined_retried":2' in counts and '"redecoded":1' in counts
