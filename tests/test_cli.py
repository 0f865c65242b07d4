"""The newsmon command: run (unreachable sources), query, extract, explain."""

from __future__ import annotations

import json
import shutil
import socket
import time

import pytest
import requests
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_names_unreachable_sources_and_fails(tmp_path, prefect_harness):
    port = _closed_port()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "dead-feed"\nkind = "rss"\nurl = "http://127.0.0.1:{port}/feed.xml"\ndelay = 0\n'
        f'[[source]]\nname = "dead-sitemap"\nkind = "sitemap"\nurl = "http://127.0.0.1:{port}/sitemap.xml"\ndelay = 0\n'
    )
    settings = tmp_path / "newsmon.toml"
    settings.write_text('[fetch]\nallow_networks = ["127.0.0.0/8"]\nmax_retries = 0\ntimeout = 2\n')
    result = runner.invoke(
        app,
        ["run", "--db", str(tmp_path / "x.duckdb"), "--sources", str(sources), "--settings", str(settings)],
    )
    assert result.exit_code == 2, result.output
    assert "dead-feed" in result.output and "dead-sitemap" in result.output
    assert "No source could be reached" in result.output


def test_query_prints_a_table_and_rejects_bad_sql(demo_db):
    path, _ = demo_db
    result = runner.invoke(
        app,
        ["query", "SELECT language, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1", "--db", str(path)],
    )
    assert result.exit_code == 0, result.output
    assert "language" in result.output and "ko" in result.output
    bad = runner.invoke(app, ["query", "SELEC nonsense", "--db", str(path)])
    assert bad.exit_code == 1 and "Error" in bad.output
    missing = runner.invoke(app, ["query", "SELECT 1", "--db", str(path.parent / "missing.duckdb")])
    assert missing.exit_code == 1 and "does not exist" in missing.output


def test_query_full_text_search(demo_db):
    path, _ = demo_db
    sql = (
        "SELECT title FROM (SELECT *, fts_main_articles.match_bm25(article_id, 'Kursk') AS s FROM articles) "
        "WHERE s IS NOT NULL ORDER BY s DESC"
    )
    result = runner.invoke(app, ["query", sql, "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "Kursk" in result.output


def test_extract_json_on_saved_pages(web, tmp_path):
    seed_pages = [
        t
        for t in web.truth()
        if t.publisher in ("kabar-dunia", "warta-pantura")
        and t.on_topic
        and t.fault is None
        and t.kind == "article"
    ][:2]
    # (a page of a site without a tagline: taglines go only with templates learned in a database)
    off = next(t for t in web.truth() if not t.on_topic and t.fault is None and t.publisher == "kabar-dunia")
    paths = []
    for i, truth in enumerate([*seed_pages, off]):
        path = tmp_path / f"page{i}.html"
        path.write_bytes(requests.get(truth.url, timeout=10).content)
        paths.append(path)
    result = runner.invoke(app, ["extract", "--json", *map(str, paths)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [line["path"] for line in lines] == [str(p) for p in paths]
    for line, truth in zip(lines, [*seed_pages, off], strict=True):
        assert set(line) >= {
            "path",
            "title",
            "published",
            "language",
            "relevance",
            "relevant",
            "text",
            "removed",
        }
        assert line["title"] == truth.title
        assert line["relevant"] is truth.on_topic
        for snippet in truth.boilerplate:
            assert snippet not in line["text"]
        assert all(content in line["text"] for content in truth.content_lines)
    assert any(r["rule"] for r in lines[0]["removed"])


def test_extract_reports_unreadable_files(tmp_path):
    result = runner.invoke(app, ["extract", "--json", str(tmp_path / "nope.html")])
    assert result.exit_code == 1
    assert json.loads(result.output)["error"].startswith("FileNotFoundError")


def test_explain_marks_removed_lines(demo_db, web, tmp_path):
    path, _ = demo_db
    copy = tmp_path / "news.duckdb"
    shutil.copyfile(path, copy)
    seed = next(t for t in web.truth() if t.boilerplate and t.expect_loaded and t.kind == "article")
    result = runner.invoke(app, ["explain", seed.canonical_url, "--db", str(copy)], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert seed.title in result.output
    assert "removed [" in result.output
    assert seed.content_lines[0] in result.output
    missing = runner.invoke(app, ["explain", "http://nowhere.example/x.html", "--db", str(copy)])
    assert missing.exit_code == 1


@pytest.mark.parametrize("command", ["run", "demo", "backfill", "reprocess", "query", "extract", "explain"])
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_reprocess_command_rebuilds_without_fetching(demo_db, web, tmp_path):
    path, _ = demo_db
    copy = tmp_path / "news.duckdb"
    shutil.copyfile(path, copy)
    before = len(web.requests)
    result = runner.invoke(
        app, ["reprocess", "--start", "2024-06-19", "--end", "2024-06-20", "--db", str(copy)]
    )
    assert result.exit_code == 0, result.output
    assert "pages" in result.output and len(web.requests) == before
    bad = runner.invoke(app, ["reprocess", "--start", "19/06/2024", "--db", str(copy)])
    assert bad.exit_code == 1 and "bad date" in bad.output


def test_progress_display_shows_each_stage_the_flow_reports(monkeypatch):
    """On a terminal, demo/run/backfill/reprocess show a bar per stage as the flow reports it."""
    import io

    from rich.console import Console

    import flows.cli as cli
    from tasks import progress

    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, force_terminal=True, width=120, color_system=None))
    with cli._working("nightly run"):
        progress.start("discover", 3)
        for _ in range(3):
            progress.advance("discover")
        progress.grow("fetch", 40)
        progress.advance("fetch", 40)
        progress.grow("process", 38)
        progress.advance("process", 38)
        time.sleep(0.3)  # one refresh of the live display
    text = out.getvalue()
    assert "sources read" in text and "pages fetched" in text and "pages decided and loaded" in text
    assert "40/40" in text
    last = text.strip().splitlines()[-1].rsplit("\x1b[2K", 1)[-1]  # after the live display's erase codes
    assert last.startswith("nightly run took ") and "pages fetched 40" in last and "sources read 3" in last


def test_no_progress_display_off_a_terminal(monkeypatch):
    import io

    from rich.console import Console

    import flows.cli as cli
    from tasks import progress

    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, force_terminal=False))
    with cli._working("nightly run"):
        progress.grow("fetch", 2)
        progress.advance("fetch", 2)
    assert out.getvalue() == ""
