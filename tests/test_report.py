"""`newsmon report`: one self-contained HTML file whose charts draw with data in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tasks import coverage, db, report

CHROMIUM = Path("/usr/bin/chromium")
ARTICLES = [  # id, language, site, source, story, published
    ("a1", "en", "herald.example", "herald", "s1", "2024-06-19 08:00:00+00"),
    ("a2", "en", "dispatch.example", "dispatch", "s1", "2024-06-19 23:30:00+00"),
    ("a3", "ko", "nuri.example", "nuri", "s1", "2024-06-20 01:00:00+00"),
    ("a4", "ru", "gorizont.example", "gorizont", "s2", "2024-06-20 10:00:00+00"),
    ("a5", "ja", "minato.example", "minato", "s2", "2024-06-21 10:00:00+00"),
    ("a6", "ru", "gorizont.example", "gorizont", "s3", "2024-06-23 10:00:00+00"),
]


def _db(path: Path, with_stories: bool) -> Path:
    with db.connect(path) as con:
        db.migrate(con)
        for article_id, language, site, source, story, published in ARTICLES:
            con.execute(
                "INSERT INTO articles (article_id, url, canonical_url, title, language, site, source, text, "
                "text_hash, story_id, extractor_version, first_run_id, last_run_id, loaded_at, published_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'x', 'h', ?, 'v', 'r', 'r', now(), CAST(? AS TIMESTAMPTZ))",
                [
                    article_id,
                    f"https://{site}/{article_id}",
                    f"https://{site}/{article_id}",
                    f"Title {article_id}",
                    language,
                    site,
                    source,
                    story,
                    published,
                ],
            )
        for name, failures in [("herald", 0), ("dispatch", 3), ("nuri", 0)]:
            con.execute(
                "INSERT INTO sources (name, kind, url, language, failures, last_error) VALUES (?, 'rss', ?, 'en', ?, ?)",
                [name, f"https://{name}.example/feed", failures, "timed out" if failures else None],
            )
        if with_stories:
            con.execute(
                "INSERT INTO stories (story_id, article_count, headlines) VALUES "
                """('s1', 3, '{"en": "Treaty signed in Pyongyang"}'), ('s2', 2, '{"ru": "Ратификация"}')"""
            )
    return path


def test_gather_counts_utc_days_languages_outlets(tmp_path):
    with db.connect(_db(tmp_path / "n.duckdb", with_stories=False)) as con:
        con.execute("SET TimeZone = 'Asia/Tokyo'")  # the session's zone must not move articles between days
        data = coverage.gather(con)
    assert data.total == 6
    # no stories row yet: a story is named by its first article's title
    assert [(s["story_id"], s["title"], s["articles"]) for s in data.stories][:2] == [
        ("s1", "Title a1", 3),
        ("s2", "Title a4", 2),
    ]
    assert data.by_language["en"] == {__import__("datetime").date(2024, 6, 19): 2}
    assert data.by_outlet[0][:2] == ("gorizont.example", 2)
    assert "Title a1" in report.render_html(data)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install -y chromium)")
def test_report_renders_with_data_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    path = _db(tmp_path / "n.duckdb", with_stories=True)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--db", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            bars = page.eval_on_selector_all(
                "#coverage-by-language rect.bar",
                "els => els.map(e => [e.dataset.language, +e.dataset.count, e.getBoundingClientRect().height])",
            )
            outlets = page.eval_on_selector_all(
                "#coverage-by-outlet rect.bar", "els => els.map(e => e.getBoundingClientRect().width)"
            )
            marks = page.eval_on_selector_all("svg.story circle.mark", "els => els.length")
            failing = page.eval_on_selector_all(
                "#source-health tr.failing", "els => els.map(e => e.innerText)"
            )
            titles = page.eval_on_selector_all("h3", "els => els.map(e => e.innerText)")
        finally:
            browser.close()
    assert sum(n for _, n, _ in bars) == len(ARTICLES)
    assert {lang for lang, _, _ in bars} == {"en", "ko", "ru", "ja"}
    assert all(h > 0 for _, _, h in bars)
    assert len(outlets) == 5 and all(w > 0 for w in outlets)
    assert marks >= 4 and "Treaty signed in Pyongyang" in titles
    assert len(failing) == 1 and "dispatch" in failing[0]
    assert [u for u in requests if not u.startswith("file:")] == []


def test_the_run_artifact_summary_names_the_biggest_stories(tmp_path):
    with db.connect(_db(tmp_path / "n.duckdb", with_stories=True)) as con:
        markdown = report.summary_markdown(coverage.gather(con), "n.duckdb")
    assert "| Treaty signed in Pyongyang | 3 | 2 | herald.example, 2024-06-19 |" in markdown
    assert "| Ратификация | 2 | 2 | gorizont.example, 2024-06-20 |" in markdown
    assert "| dispatch | 3 | timed out |" in markdown
    with db.connect(tmp_path / "empty.duckdb") as con:
        db.migrate(con)
        assert "No stories yet." in report.summary_markdown(coverage.gather(con))
