"""`newsmon search`, `newsmon query --format`, `newsmon schema` on a small database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import duckdb
from flows.cli import app
from tasks import db, fts

runner = CliRunner()

ARTICLES = [
    ("r1", "ru", "Путин в Пхеньяне", "Россия и КНДР подписали договор.", "2024-06-19"),
    ("r2", "ru", "Делегация из Пхеньяна", "Визит в Россию.", "2024-06-25"),
    ("j1", "ja", "北朝鮮の兵士", "ロシアと北朝鮮が条約を結んだ。", "2024-06-20"),
    ("k1", "ko", "북한은 파병", "러시아와 북한의 조약.", "2024-06-21"),
    ("e1", "en", "Treaty signed", "Russia and North Korea signed treaties.", "2024-06-19"),
]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "news.duckdb"
    with db.connect(path) as con:
        db.migrate(con)
        for article_id, language, title, text, day in ARTICLES:
            con.execute(
                "INSERT INTO articles (article_id, url, canonical_url, title, language, site, text, text_hash, "
                "story_id, extractor_version, first_run_id, last_run_id, loaded_at, published_at) "
                "VALUES (?, ?, ?, ?, ?, 'x.example', ?, 'h', 's', 'v', 'r', 'r', now(), CAST(? AS TIMESTAMPTZ))",
                [
                    article_id,
                    f"https://x.example/{article_id}",
                    f"https://x.example/{article_id}",
                    title,
                    language,
                    text,
                    day,
                ],
            )
        fts.refresh(con)
    return path


def _json_hits(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_search_json_lists_every_hit_with_id_title_score(small_db):
    result = runner.invoke(app, ["search", "Пхеньян", "--json", "--db", str(small_db)])
    assert result.exit_code == 0, result.output
    hits = _json_hits(result.output)
    assert {h["article_id"] for h in hits} == {"r1", "r2"}
    assert all({"article_id", "title", "score"} <= set(h) for h in hits)


def test_search_language_and_since(small_db):
    result = runner.invoke(
        app, ["search", "Россия", "--since", "2024-06-20", "--json", "--db", str(small_db)]
    )
    assert [h["article_id"] for h in _json_hits(result.output)] == ["r2"]
    ja = runner.invoke(app, ["search", "北朝鮮", "--language", "ja", "--json", "--db", str(small_db)])
    assert [h["article_id"] for h in _json_hits(ja.output)] == ["j1"]
    ko = runner.invoke(app, ["search", "북한", "--db", str(small_db)])
    assert ko.exit_code == 0 and "1 article(s)" in ko.output


def test_search_bad_input_is_one_line_exit_1(small_db):
    bad_lang = runner.invoke(app, ["search", "x", "--language", "xx", "--db", str(small_db)])
    assert bad_lang.exit_code == 1 and "--language" in bad_lang.output and "Traceback" not in bad_lang.output
    bad_day = runner.invoke(app, ["search", "x", "--since", "June", "--db", str(small_db)])
    assert bad_day.exit_code == 1 and "YYYY-MM-DD" in bad_day.output
    missing = runner.invoke(app, ["search", "x", "--db", str(small_db.parent / "nope.duckdb")])
    assert missing.exit_code == 1 and "does not exist" in missing.output


def test_search_sql_runs_in_plain_duckdb(small_db):
    result = runner.invoke(app, ["search", "Пхеньян", "--language", "ru", "--sql"])
    assert result.exit_code == 0, result.output
    sql = "\n".join(line for line in result.output.splitlines() if not line.startswith("--"))
    with duckdb.connect(str(small_db), read_only=True) as con:
        con.execute(f"LOAD '{db.fts_extension_path()}'")
        assert {r[0] for r in con.execute(sql).fetchall()} == {"r1", "r2"}


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "table"])
def test_query_formats(small_db, tmp_path, fmt):
    sql = "SELECT article_id, language FROM articles ORDER BY article_id"
    args = ["query", sql, "--format", fmt, "--db", str(small_db)]
    out = tmp_path / f"out.{fmt}"
    if fmt == "parquet":
        args += ["--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        assert result.output.splitlines()[:2] == ['"article_id","language"', '"e1","en"']
    elif fmt == "json":
        assert json.loads(result.output.splitlines()[0]) == {"article_id": "e1", "language": "en"}
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        assert pq.read_table(out).num_rows == len(ARTICLES)
    else:
        assert "article_id" in result.output and "k1" in result.output


def test_query_bad_format_is_one_line(small_db):
    result = runner.invoke(app, ["query", "SELECT 1", "--format", "xml", "--db", str(small_db)])
    assert result.exit_code == 1 and "--format" in result.output
    parquet = runner.invoke(app, ["query", "SELECT 1", "--format", "parquet", "--db", str(small_db)])
    assert parquet.exit_code == 1 and "--out" in parquet.output


def test_schema_markdown_is_the_data_dictionary():
    from tasks import datadict

    result = runner.invoke(app, ["schema", "--markdown"])
    assert result.exit_code == 0 and result.output == datadict.markdown()
