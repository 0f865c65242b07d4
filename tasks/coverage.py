"""The coverage figures the report and the run summaries show, read from the database (`gather`): articles per
day and language, per outlet, the biggest stories' spread over languages (when the `stories` tables exist),
and source health. All reads are aggregates over indexed columns: one pass per chart, whatever the archive's
size."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb


@dataclass
class ReportData:
    since: date | None
    generated_at: datetime
    days: list[date] = field(default_factory=list)
    by_language: dict[str, dict[date, int]] = field(default_factory=dict)
    by_outlet: list[tuple[str, int, date | None, date | None]] = field(default_factory=list)
    stories: list[dict] | None = None  # None: no stories tables in this database
    sources: list[dict] = field(default_factory=list)
    total: int = 0


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ?",
            [name],
        ).fetchone()[0]
    )


def gather(con: duckdb.DuckDBPyConnection, since: date | None = None) -> ReportData:
    data = ReportData(since=since, generated_at=datetime.now(UTC))
    where, params = ("WHERE published_at >= ?", [since]) if since else ("", [])
    day = "CAST(timezone('UTC', published_at) AS DATE)"
    rows = con.execute(
        f"SELECT d, lang, count(*) FROM (SELECT {day} AS d, coalesce(language, '?') AS lang FROM articles {where}) "
        "WHERE d IS NOT NULL GROUP BY d, lang ORDER BY d, lang",
        params,
    ).fetchall()
    for d, language, n in rows:
        data.by_language.setdefault(language, {})[d] = n
    data.days = sorted({d for d, _, _ in rows})
    data.total = con.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]
    data.by_outlet = con.execute(
        f"SELECT coalesce(site, '?'), count(*), min({day}), max({day}) FROM articles {where} "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    ).fetchall()
    if _has_table(con, "stories"):
        data.stories = _stories(con, since)
    data.sources = [
        dict(
            zip(
                (
                    "name",
                    "kind",
                    "language",
                    "last_checked_at",
                    "last_status",
                    "last_error",
                    "failures",
                    "articles",
                    "last_article",
                ),
                r,
                strict=True,
            )
        )
        for r in con.execute(
            """
            SELECT s.name, s.kind, s.language, s.last_checked_at, s.last_status, s.last_error, s.failures,
                   coalesce(a.n, 0), a.last
            FROM sources s LEFT JOIN (SELECT source, count(*) AS n, max(loaded_at) AS last FROM articles
                                      GROUP BY source) a ON a.source = s.name
            ORDER BY s.failures DESC, s.name
            """
        ).fetchall()
    ]
    return data


def _stories(con: duckdb.DuckDBPyConnection, since: date | None, limit: int = 8) -> list[dict]:
    """The biggest stories: articles per day and language, first outlet. Reads `articles.story_id`, and the
    `stories` table's label when it has one."""
    columns = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'stories'"
        ).fetchall()
    }
    label = next((c for c in ("title", "label", "headline", "name") if c in columns), None)
    key = "story_id" if "story_id" in columns else None
    where, params = ("AND a.published_at >= ?", [since]) if since else ("", [])
    top = con.execute(
        f"""
        SELECT a.story_id, count(*) AS n, count(DISTINCT a.language) AS langs,
               arg_min(a.site, a.published_at) AS first_site, min(a.published_at) AS first_at,
               arg_min(a.title, a.published_at) AS first_title
        FROM articles a WHERE a.published_at IS NOT NULL {where}
        GROUP BY 1 HAVING count(*) > 1 ORDER BY n DESC, langs DESC, 1 LIMIT {limit}
        """,
        params,
    ).fetchall()
    out = []
    for story_id, n, langs, first_site, first_at, first_title in top:
        name = first_title
        if label and key:
            found = con.execute(f"SELECT {label} FROM stories WHERE {key} = ?", [story_id]).fetchone()
            name = found[0] if found and found[0] else first_title
        elif "headlines" in columns and key:  # language -> earliest headline: English if there is one
            found = con.execute("SELECT headlines FROM stories WHERE story_id = ?", [story_id]).fetchone()
            headlines = json.loads(found[0]) if found and found[0] else {}
            name = headlines.get("en") or next(iter(headlines.values()), None) or first_title
        spread = con.execute(
            "SELECT language, CAST(timezone('UTC', min(published_at)) AS DATE), count(*) FROM articles "
            "WHERE story_id = ? GROUP BY 1 ORDER BY 2, 1",
            [story_id],
        ).fetchall()
        out.append(
            {
                "story_id": story_id,
                "title": name,
                "articles": n,
                "languages": langs,
                "first_site": first_site,
                "first_at": first_at,
                "spread": spread,
            }
        )
    return out
