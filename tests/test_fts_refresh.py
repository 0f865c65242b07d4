"""The full-text index kept up to date article by article scores exactly what a full rebuild scores."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

import duckdb
from tasks import db, fts

WORDS = [
    "kim",
    "putin",
    "treaty",
    "pyongyang",
    "kursk",
    "duma",
    "troops",
    "the",
    "and",
    "of",
    "Пхеньян",
    "Россия",
    "Séoul",
    "ratified",
    "signed",
    "2024",
]
QUERIES = ["kim", "treaty troops", "Пхеньян", "seoul", "duma ratified signed", "nothing"]


def _text(rnd: random.Random) -> str:
    return " ".join(rnd.choices(WORDS, k=rnd.randint(0, 30))) + rnd.choice(["", ".", "!"])


def _scores(con) -> list:
    db.load_fts(con)
    out = []
    for q in QUERIES:
        rows = con.execute(
            "SELECT article_id, round(fts_main_articles.match_bm25(article_id, ?), 9) AS s FROM articles "
            "WHERE s IS NOT NULL ORDER BY article_id",
            [q],
        ).fetchall()
        out.append(rows)
    return out


def _upsert(con, rnd: random.Random, ids: list[str], run: str) -> None:
    for i in ids:
        con.execute("DELETE FROM articles WHERE article_id = ?", [i])
        con.execute(
            "INSERT INTO articles (article_id, url, canonical_url, title, text, text_hash, story_id, "
            "extractor_version, first_run_id, last_run_id, loaded_at) VALUES (?, ?, ?, ?, ?, 'h', ?, 'v', ?, ?, ?)",
            [i, i, i, _text(rnd) or None, _text(rnd), i, run, run, datetime(2024, 6, 19, tzinfo=UTC)],
        )


@pytest.mark.parametrize("seed", range(6))
def test_incremental_refresh_scores_like_a_full_build(tmp_path, seed):
    rnd = random.Random(seed)
    path = tmp_path / "news.duckdb"
    with db.connect(path) as con:
        db.migrate(con)
        _upsert(con, rnd, [f"a{i:03d}" for i in range(60)], "run-1")
        assert fts.refresh(con)["mode"] == "full"
        for run in ("run-2", "run-3"):
            ids = sorted(con.execute("SELECT article_id FROM articles").fetchall())
            changed = [i for (i,) in rnd.sample(ids, 5)] + [f"n{run}{k}" for k in range(4)]
            _upsert(con, rnd, changed, run)
            gone = [i for (i,) in rnd.sample(ids, 3) if i not in changed]
            con.execute("DELETE FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
            assert fts.refresh(con)["mode"] == "incremental"
        incremental = _scores(con)
        assert fts.refresh(con) == {"mode": "none", "changed": 0, "removed": 0}
        fts.build(con)
        assert _scores(con) == incremental
        assert any(incremental)


def test_a_database_without_an_index_gets_one(tmp_path):
    with db.connect(tmp_path / "news.duckdb") as con:
        db.migrate(con)
        assert fts.refresh(con)["mode"] == "full"
        assert isinstance(con, duckdb.DuckDBPyConnection)


def test_the_search_copy_is_tokenised_a_chunk_at_a_time_with_the_same_result(tmp_path, monkeypatch):
    """A first run over a large archive reads and tokenises its articles a chunk at a time (bounded memory);
    the copy and its scores are those of one pass."""
    from tasks import search_index

    copies = []
    for chunk in (10_000, 7):
        monkeypatch.setattr(search_index, "REFRESH_CHUNK", chunk)
        rnd = random.Random(3)
        with db.connect(tmp_path / f"news-{chunk}.duckdb") as con:
            db.migrate(con)
            _upsert(con, rnd, [f"a{i:03d}" for i in range(40)], "run-1")
            assert search_index.refresh(con) == {"tokenised": 40, "removed": 0}
            copies.append(con.execute(f"SELECT * FROM {search_index.TABLE} ORDER BY article_id").fetchall())
            copies.append(search_index.search(con, "treaty troops"))
    assert copies[0] == copies[2] and copies[1] == copies[3]
    assert len(copies[0]) == 40 and copies[1]
